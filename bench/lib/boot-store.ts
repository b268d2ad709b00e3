// Boots the demo store (this repo's medusa-config.ts with the plugin module)
// in the benchmark's own process, on a fresh database, so that figures such as
// peak RSS are the store's. Uses DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD when
// set, else an embedded PostgreSQL (as the tests do).
import { randomBytes } from "node:crypto"
import { spawnSync } from "node:child_process"
import os from "node:os"
import path from "node:path"
import { Client } from "pg"
import { reportPostgres } from "./report"

export type BootedStore = {
  container: any
  url: string
  databaseUrl: string
  /** SQL statements run since the last reset (counted on Medusa's shared connection). */
  queries: { count: number; reset(): void }
  shutdown(): Promise<void>
}

const root = path.resolve(__dirname, "..", "..")

/** PostgreSQL for a benchmark: DB_* when set, else an embedded one. */
export async function benchDatabaseServer(label: string) {
  if (process.env.DB_HOST) {
    const host = process.env.DB_HOST
    const port = Number(process.env.DB_PORT ?? 5432)
    const user = process.env.DB_USERNAME ?? "postgres"
    const password = process.env.DB_PASSWORD ?? ""
    const base = `postgres://${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ""}@${host}:${port}`
    return { base, stop: async () => {} }
  }
  const { startEmbeddedPostgres } = await import("../../scripts/embedded-postgres.mjs" as string)
  const pg = await startEmbeddedPostgres({ dataDir: path.join(os.tmpdir(), `orderflow-bench-${label}-${process.pid}`, "data"), persistent: false })
  return { base: `postgres://postgres:postgres@localhost:${pg.port}`, stop: () => pg.stop() as Promise<void> }
}

/**
 * A fresh, migrated database for a benchmark; sets DATABASE_URL and the
 * environment a quiet store needs (no admin build, no scheduler, errors only).
 */
export async function prepareBenchDatabase(name: string, env: Record<string, string> = {}, { template }: { template?: string } = {}) {
  const server = await benchDatabaseServer(name)
  const dbName = `orderflow_bench_${name}_${Date.now()}`
  const admin = new Client({ connectionString: `${server.base}/postgres` })
  await admin.connect()
  // A copy of a database a previous run left (migrated and seeded): no migration.
  const copied = !!template && (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template])).rowCount === 1
  await admin.query(`CREATE DATABASE "${dbName}"${copied ? ` TEMPLATE "${template}"` : ""}`)
  reportPostgres((await admin.query("SHOW server_version")).rows[0].server_version)
  await admin.end()
  const databaseUrl = `${server.base}/${dbName}`
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    MEDUSA_DISABLE_TELEMETRY: "true",
    MEDUSA_ADMIN_DISABLED: "true",
    ORDERFLOW_SCHEDULER_DISABLED: "true",
    LOG_LEVEL: "error",
    // Encrypted at rest as in production (README "Encryption key").
    ORDERFLOW_SECRET_KEY: process.env.ORDERFLOW_SECRET_KEY ?? randomBytes(32).toString("base64"),
    ...env,
  })
  if (copied) {
    process.stdout.write(`  database ${dbName} copied from ${template}\n`)
  } else {
    const started = Date.now()
    const migrate = spawnSync(path.join(root, "node_modules", ".bin", "medusa"), ["db:migrate"], { cwd: root, env: process.env, encoding: "utf8" })
    if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`)
    process.stdout.write(`  database ${dbName} migrated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  }
  return {
    databaseUrl,
    /** Copied from `template` (already migrated and seeded). */
    copied,
    /** Keeps a copy of this database as `template` for later runs (nothing may be connected to it). */
    async saveAs(template: string) {
      const client = new Client({ connectionString: `${server.base}/postgres` })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS "${template}"`)
      await client.query(`CREATE DATABASE "${template}" TEMPLATE "${dbName}"`)
      await client.end()
    },
    /** Drops the benchmark's database (on a shared server) and stops an embedded one. */
    async stop() {
      if (process.env.DB_HOST) {
        const drop = new Client({ connectionString: `${server.base}/postgres` })
        await drop.connect()
        await drop.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined)
        await drop.end()
      }
      await server.stop()
    },
  }
}

export type StoreAppOptions = {
  /**
   * Redis for the event bus, workflow engine, locking and cache (what a store
   * of several instances configures), instead of the in-memory defaults.
   */
  redisUrl?: string
}

/** Boots this repo's store in-process on an existing database. */
export async function startStoreApp(databaseUrl: string, { redisUrl }: StoreAppOptions = {}) {
  const { configLoaderOverride, startApp } = await import("@medusajs/test-utils/dist/medusa-test-runner-utils" as string)
  await configLoaderOverride(root, { clientUrl: databaseUrl, debug: false })
  if (redisUrl) {
    // The loaded configuration, changed before the app reads it (medusa-config.ts stays as it is).
    const { configManager } = await import("@medusajs/framework/config")
    const config = configManager.config as any
    config.projectConfig.redisUrl = redisUrl
    Object.assign(config.modules, {
      event_bus: { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
      workflows: { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { url: redisUrl } } },
      cache: { resolve: "@medusajs/medusa/cache-redis", options: { redisUrl } },
      locking: {
        resolve: "@medusajs/medusa/locking",
        options: { providers: [{ id: "locking-redis", resolve: "@medusajs/medusa/locking-redis", is_default: true, options: { redisUrl } }] },
      },
    })
  }
  return startApp({ cwd: root, env: {} })
}

export async function bootStore(name: string, env: Record<string, string> = {}, options: StoreAppOptions = {}): Promise<BootedStore> {
  const db = await prepareBenchDatabase(name, env)
  const app = await startStoreApp(db.databaseUrl, options)
  // Loaded here, like the store itself, once the environment above is set.
  const { ContainerRegistrationKeys } = await import("@medusajs/framework/utils")
  const knex = app.container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
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
    databaseUrl: db.databaseUrl,
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

/**
 * Runs an operation until a run claims nothing, summing the counters of its
 * summaries (processed, applied, shipped...). Fails on a failed run.
 */
export async function drainOperation(container: any, operation: "inventory_import" | "shipment_import") {
  const { runOrderflowOperationWorkflow } = await import("../../src/workflows/run-operation")
  const totals: Record<string, number> = {}
  for (;;) {
    const { result: run } = await runOrderflowOperationWorkflow(container).run({ input: { operation, trigger: "manual" } })
    if (run.status !== "success") throw new Error(`${operation} failed: ${run.error}`)
    const summary = run.summary as Record<string, number>
    if (!summary.claimed) return totals
    for (const [k, v] of Object.entries(summary)) if (typeof v === "number") totals[k] = (totals[k] ?? 0) + v
  }
}
