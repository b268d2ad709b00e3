// Boots the demo store (this repo's medusa-config.ts with the plugin module)
// in the benchmark's own process, on a fresh database, so that figures such as
// peak RSS are the store's. Uses DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD when
// set, else an embedded PostgreSQL (as the tests do).
import { spawnSync } from "node:child_process"
import os from "node:os"
import path from "node:path"
import { Client } from "pg"

export type BootedStore = {
  container: any
  url: string
  databaseUrl: string
  /** SQL statements run since the last reset (counted on Medusa's shared connection). */
  queries: { count: number; reset(): void }
  shutdown(): Promise<void>
}

const root = path.resolve(__dirname, "..", "..")

async function database(name: string) {
  if (process.env.DB_HOST) {
    const host = process.env.DB_HOST
    const port = Number(process.env.DB_PORT ?? 5432)
    const user = process.env.DB_USERNAME ?? "postgres"
    const password = process.env.DB_PASSWORD ?? ""
    const base = `postgres://${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ""}@${host}:${port}`
    return { base, stop: async () => {} }
  }
  const { startEmbeddedPostgres } = await import("../../scripts/embedded-postgres.mjs" as string)
  const pg = await startEmbeddedPostgres({ dataDir: path.join(os.tmpdir(), `orderflow-bench-pg-${process.pid}`, "data"), persistent: false })
  return { base: `postgres://postgres:postgres@localhost:${pg.port}`, stop: () => pg.stop() }
}

export async function bootStore(name: string, env: Record<string, string> = {}): Promise<BootedStore> {
  const db = await database(name)
  const dbName = `orderflow_bench_${name}_${Date.now()}`
  const admin = new Client({ connectionString: `${db.base}/postgres` })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${dbName}"`)
  await admin.end()
  const databaseUrl = `${db.base}/${dbName}`
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    MEDUSA_DISABLE_TELEMETRY: "true",
    MEDUSA_ADMIN_DISABLED: "true",
    ORDERFLOW_SCHEDULER_DISABLED: "true",
    LOG_LEVEL: "error",
    ...env,
  })
  const started = Date.now()
  const migrate = spawnSync(path.join(root, "node_modules", ".bin", "medusa"), ["db:migrate"], {
    cwd: root,
    env: process.env,
    encoding: "utf8",
  })
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`)
  process.stdout.write(`  database ${dbName} migrated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)

  const { configLoaderOverride, startApp } = await import("@medusajs/test-utils/dist/medusa-test-runner-utils" as string)
  await configLoaderOverride(root, { clientUrl: databaseUrl, debug: false })
  const app = await startApp({ cwd: root, env: {} })
  const knex = app.container.resolve("__pg_connection__")
  const queries = {
    count: 0,
    reset() {
      this.count = 0
    },
  }
  knex.on("query", () => {
    queries.count++
  })
  return {
    container: app.container,
    url: `http://localhost:${app.port}`,
    databaseUrl,
    queries,
    async shutdown() {
      await app.shutdown()
      await db.stop()
    },
  }
}

/** Samples RSS until stopped; returns the peak in MB. */
export function rssSampler(intervalMs = 100) {
  const start = process.memoryUsage().rss
  let peak = start
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, intervalMs)
  timer.unref()
  return {
    startMb: start / 1048576,
    stop() {
      clearInterval(timer)
      peak = Math.max(peak, process.memoryUsage().rss)
      return { peakMb: peak / 1048576, growthMb: (peak - start) / 1048576 }
    },
  }
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits })
