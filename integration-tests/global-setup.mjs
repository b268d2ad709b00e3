// Jest globalSetup: the tests use the PostgreSQL named by DB_HOST/DB_PORT/
// DB_USERNAME/DB_PASSWORD when set; otherwise an embedded one is started here
// for the whole run. Unit-only runs need no database at all.
import { startEmbeddedPostgres } from "../scripts/embedded-postgres.mjs"
import os from "node:os"
import path from "node:path"

export default async function globalSetup() {
  if (process.env.DB_HOST || process.env.TEST_TYPE === "unit") return
  const dataDir = path.join(os.tmpdir(), `orderflow-test-pg-${process.pid}`, "data")
  const started = Date.now()
  const pg = await startEmbeddedPostgres({ dataDir, persistent: false })
  process.env.DB_HOST = "localhost"
  process.env.DB_PORT = String(pg.port)
  process.env.DB_USERNAME = pg.user
  process.env.DB_PASSWORD = pg.password
  globalThis.__ORDERFLOW_EMBEDDED_PG__ = pg
  process.stdout.write(`\nembedded PostgreSQL on port ${pg.port} (${Date.now() - started} ms)\n`)
}
