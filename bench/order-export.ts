// Benchmark of the order export (issue 5): 5,000 orders of 3 stock lines,
// exported to the OrderFlow simulator by the `order_export` operation with
// batch size 100 (one `<imports>` document of 100 orders per run, the runner
// complete: cancellation queue, sweep, batch). Prints orders/s, peak RSS and
// SQL queries per batch. Target (issue 17): ≥ 300 orders/s.
//
//   npx tsx bench/order-export.ts [--orders 5000] [--batch-size 100] [--warmup-batches 2] [--path scheduled|event]
//
// Self-contained: a fresh database (DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD,
// else an embedded PostgreSQL), migrations, the demo store, the Medusa app
// in this process (so RSS is the store's; the simulator runs in its own process, bench/lib/sim-process.ts),
// orders created in bulk through the order module (no reservations needed
// for export) and queued directly — their payments are not modelled, which
// only the eligibility check (not measured here) would read.

import { spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import os from "node:os"
import path from "node:path"
import { subscribe } from "node:diagnostics_channel"
import { performance } from "node:perf_hooks"
import { Client } from "pg"
import type { SeededStore } from "../scripts/demo/seed-store"
import { reportPostgres, reportRow } from "./lib/report"

const root = path.resolve(__dirname, "..")

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback
}
const ORDERS = Number(arg("orders", "5000"))
const BATCH = Number(arg("batch-size", "100"))
// Batches exported (and read by the floor) before anything is measured, on
// orders of their own: both sides are timed warm (JIT, Medusa's and
// PostgreSQL's caches), as the inventory benchmark's floor A0 is.
const WARMUP_BATCHES = Number(arg("warmup-batches", "2"))
/**
 * Which of the operation's workflows runs each batch: `scheduled` (default),
 * the stored one the scheduler and the admin's "Run now" start (its execution
 * kept a day, Settings → Workflows); `event`, the unstored one an event
 * (a captured payment) starts.
 */
const PATH = arg("path", "scheduled")
if (PATH !== "scheduled" && PATH !== "event") throw new Error(`--path must be scheduled or event, not ${PATH}`)
const WARMUP = WARMUP_BATCHES * BATCH
const LINES = [
  { sku: "TEE-S", quantity: 1, price: 20 },
  { sku: "HOOD-M", quantity: 2, price: 45 },
  { sku: "00123-MUG", quantity: 3, price: 9.5 },
]

const log = (line: string) => process.stdout.write(`${line}\n`)
const mb = (bytes: number) => (bytes / 1048576).toFixed(0)

async function databaseBase(): Promise<{ base: string; stop: () => Promise<void> }> {
  if (process.env.DB_HOST) {
    const user = process.env.DB_USERNAME ?? "postgres"
    const password = process.env.DB_PASSWORD ?? ""
    const auth = `${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ""}`
    return { base: `postgres://${auth}@${process.env.DB_HOST}:${process.env.DB_PORT ?? 5432}`, stop: async () => {} }
  }
  const { startEmbeddedPostgres } = await import("../scripts/embedded-postgres.mjs" as string)
  const pg = await startEmbeddedPostgres({ dataDir: path.join(os.tmpdir(), `orderflow-bench-orders-${process.pid}`, "data"), persistent: false })
  return { base: `postgres://${pg.user}:${pg.password}@localhost:${pg.port}`, stop: () => pg.stop() }
}

async function main() {
  const db = await databaseBase()
  const dbName = `orderflow_bench_orders_${process.pid}`
  const adminDb = new Client({ connectionString: `${db.base}/postgres` })
  await adminDb.connect()
  await adminDb.query(`CREATE DATABASE "${dbName}"`)
  reportPostgres((await adminDb.query("SHOW server_version")).rows[0].server_version)
  const databaseUrl = `${db.base}/${dbName}`
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    MEDUSA_DISABLE_TELEMETRY: "true",
    MEDUSA_ADMIN_DISABLED: "true",
    ORDERFLOW_SCHEDULER_DISABLED: "true",
    LOG_LEVEL: "error",
    // Credentials are stored encrypted (README "Encryption key"): without a key the settings are refused.
    ORDERFLOW_SECRET_KEY: process.env.ORDERFLOW_SECRET_KEY ?? randomBytes(32).toString("base64"),
  })
  let shutdown = async () => {}
  let closeSim = async () => {}
  try {
    let t = performance.now()
    const migrate = spawnSync(path.join(root, "node_modules", ".bin", "medusa"), ["db:migrate"], { cwd: root, env: process.env, encoding: "utf8" })
    if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`)
    log(`database ${dbName} migrated in ${((performance.now() - t) / 1000).toFixed(1)} s`)

    const utils = await import("@medusajs/test-utils/dist/medusa-test-runner-utils" as string)
    await utils.configLoaderOverride(root, { clientUrl: databaseUrl, debug: false })
    const app = await utils.startApp({ cwd: root, env: {} })
    shutdown = app.shutdown
    const container = app.container
    // Every SQL statement of every module goes through node-pg's Client#query.
    let queries = 0
    // --trace-sql: the statements of the first measured batch, in order (what each phase costs in round trips).
    const TRACE_SQL = process.argv.includes("--trace-sql")
    let traced: string[] | null = null
    // (MikroORM has its own copy of pg; both are counted.)
    for (const dir of ["node_modules/pg", "node_modules/@mikro-orm/postgresql/node_modules/pg"]) {
      let client: { prototype: { query: (...a: unknown[]) => unknown } }
      try {
        client = require(path.join(root, dir)).Client
      } catch {
        continue
      }
      const original = client.prototype.query
      client.prototype.query = function (this: unknown, ...args: unknown[]) {
        queries++
        if (traced) {
          const a = args[0] as string | { text?: string }
          traced.push(String(typeof a === "string" ? a : a?.text ?? "?").replace(/\s+/g, " ").slice(0, 160))
        }
        return original.apply(this, args)
      }
    }

    const { Modules, ContainerRegistrationKeys } = await import("@medusajs/framework/utils")
    const { seedDemoStore } = await import("../scripts/demo/seed-store")
    const { startSimulatorProcess } = await import("./lib/sim-process")
    const { orderExportWorkflow: scheduledWorkflow, orderExportOnEventWorkflow } = await import("../src/workflows/export-orders/order-export-operation")
    const orderExportWorkflow = PATH === "event" ? orderExportOnEventWorkflow : scheduledWorkflow

    const seeded: SeededStore = await seedDemoStore(container)
    // OrderFlow in its own process, as it is another machine: its parsing and
    // allocation are not the store's time or RSS.
    const sim = await startSimulatorProcess({ user: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", seed: 1, maxDocuments: 20 })
    closeSim = () => sim.close()
    await sim.seed(LINES.map((l) => ({ sku: l.sku, description: l.sku, stock: 1_000_000 })))

    const orderflow = container.resolve("orderflow")
    await orderflow.updateSettings({
      api: { endpoint: sim.baseUrl, username: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa" },
      orderExport: { enabled: true, batchSize: BATCH },
    })

    // Orders in bulk through the order module (what createOrderWorkflow
    // writes, without reservations), 250 per call.
    t = performance.now()
    const variants = new Map(seeded.products.flatMap((p) => p.variants.map((v) => [v.sku, { ...v, productId: p.id }])))
    const address = { first_name: "Phil", last_name: "Zoio", company: "OrderFlow", address_1: "Granvilla", address_2: "Melton Hill", city: "Woodbridge", province: "Suffolk", postal_code: "IP12 1AX", country_code: "gb", phone: "01394 384181" }
    const orderModule = container.resolve(Modules.ORDER)
    const orderIds: string[] = []
    for (let done = 0; done < ORDERS + WARMUP; done += 250) {
      const created = await orderModule.createOrders(
        Array.from({ length: Math.min(250, ORDERS + WARMUP - done) }, (_, i) => ({
          region_id: seeded.regionId,
          sales_channel_id: seeded.salesChannelId,
          currency_code: "gbp",
          email: `shopper${done + i}@example.com`,
          status: "pending",
          shipping_address: address,
          billing_address: address,
          items: LINES.map((l) => ({
            title: l.sku,
            product_title: l.sku,
            variant_id: variants.get(l.sku)!.id,
            product_id: variants.get(l.sku)!.productId,
            variant_sku: l.sku,
            quantity: l.quantity,
            unit_price: l.price,
            tax_lines: [{ code: "VAT", rate: 20, description: "UK VAT" }],
          })),
          shipping_methods: [{ name: "Standard Delivery", amount: 4.95, shipping_option_id: seeded.shippingOptionIds[0], tax_lines: [{ code: "VAT", rate: 20 }] }],
        })) as any
      )
      orderIds.push(...created.map((o: { id: string }) => o.id))
    }
    const { data: displayIds } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ["id", "display_id"], filters: { id: orderIds } })
    const displayOf = new Map(displayIds.map((o: any) => [o.id, String(o.display_id)]))
    // The warm-up orders are queued first (an earlier change time), so the
    // first WARMUP_BATCHES runs claim exactly them.
    const warmupIds = orderIds.slice(0, WARMUP)
    const measuredIds = orderIds.slice(WARMUP)
    const queue = async (ids: string[], now: Date) => {
      for (let i = 0; i < ids.length; i += 1000) {
        await orderflow.markExportPending(
          ids.slice(i, i + 1000).map((id) => ({ entity_type: "order", entity_id: id, reference: displayOf.get(id)! })),
          { now, insertOnly: true }
        )
      }
    }
    await queue(warmupIds, new Date(Date.now() - 60_000))
    await queue(measuredIds, new Date())
    log(`${ORDERS} orders (+ ${WARMUP} to warm up) of ${LINES.length} lines created and queued in ${((performance.now() - t) / 1000).toFixed(1)} s`)

    for (let b = 0; b < WARMUP_BATCHES; b++) {
      const { result: summary } = await orderExportWorkflow(container).run({ input: { trigger: "manual" } })
      if (summary.error || Number(summary.exported) !== BATCH) throw new Error(`warm-up batch failed: ${summary.error ?? JSON.stringify(summary)}`)
    }

    // The export: one operation run per batch, as the scheduler would run it.
    global.gc?.()
    const rssBefore = process.memoryUsage().rss
    let peak = rssBefore
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
    const perBatch: Array<{ ms: number; queries: number; exported: number }> = []
    // The calls to OrderFlow (the simulator, its own process), timed from
    // undici's diagnostics channels: request created → response complete,
    // so the simulator's own work and the transfer, not the reply's parsing.
    let callMs = 0
    let calls = 0
    const callStarts = new WeakMap<object, number>()
    subscribe("undici:request:create", (m: any) => callStarts.set(m.request, performance.now()))
    subscribe("undici:request:trailers", (m: any) => {
      const t = callStarts.get(m.request)
      if (t === undefined) return
      callStarts.delete(m.request)
      callMs += performance.now() - t
      calls++
    })
    const { startCpuProfile } = await import("./lib/cpu-profile")
    const cpuProfile = await startCpuProfile("order-export")
    const started = performance.now()
    for (;;) {
      queries = 0
      if (TRACE_SQL && !perBatch.length) traced = []
      const t0 = performance.now()
      const { result: summary } = await orderExportWorkflow(container).run({ input: { trigger: PATH === "event" ? "event" : "manual" } })
      if (traced) {
        log(`SQL of one batch (${traced.length}):`)
        traced.forEach((sql, i) => log(`  ${String(i + 1).padStart(2)} ${sql}`))
        traced = null
      }
      if (!summary.claimed) break
      if (summary.error) throw new Error(`batch failed: ${summary.error}`)
      perBatch.push({ ms: performance.now() - t0, queries, exported: Number(summary.exported) + Number(summary.duplicates) })
    }
    const elapsed = (performance.now() - started) / 1000
    const callMsTotal = callMs
    const callCount = calls
    for (const line of await cpuProfile.stop()) log(`  ${line}`)
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)

    const exported = perBatch.reduce((s, b) => s + b.exported, 0)
    const held = await sim.orders()
    const inSim = held.count
    const lineCounts = new Set(held.lineCounts)
    const q = perBatch.map((b) => b.queries).sort((a, b) => a - b)
    const ms = perBatch.map((b) => b.ms).sort((a, b) => a - b)
    log("")
    log(`order export: ${exported} orders in ${perBatch.length} batches of ${BATCH} in ${elapsed.toFixed(1)} s`)
    log(`  throughput      ${(exported / elapsed).toFixed(0)} orders/s (target ≥ 300)`)
    log(`  batch time      median ${ms[Math.floor(ms.length / 2)].toFixed(0)} ms, max ${ms[ms.length - 1].toFixed(0)} ms`)
    log(`  SQL per batch   median ${q[Math.floor(q.length / 2)]}, min ${q[0]}, max ${q[q.length - 1]} (the whole run: cancellations, sweep, claim, load, settle, history)`)
    log(`  peak RSS        ${mb(peak)} MB (${mb(rssBefore)} MB before the export; the store alone, the simulator is its own process)`)
    log(`  simulator       ${inSim} orders, lines per order: ${[...lineCounts].join(",")}`)
    if (exported !== ORDERS || inSim !== ORDERS + WARMUP) throw new Error(`expected ${ORDERS} orders exported, got ${exported} (simulator ${inSim})`)

    // Floor: Medusa's Query reading the same orders with what the document
    // needs and Medusa's totals (`total`, `items.total`… computed by the
    // order module), at the same batch size, serially as the export runs:
    // what any export of them that trusts Medusa's totals costs before a
    // document is built, sent and settled. The same three Query calls as the
    // export's load (orders, variants, shipping options); the export itself
    // reads the totals' inputs instead and computes them (order-totals.ts).
    const { loadOrderFacts, EXPORT_FIELDS, TOTALS_INPUT_FIELDS, VARIANT_FIELDS } = await import("../src/workflows/export-orders/load-order-facts")
    const medusaTotals = ["total", "tax_total", "shipping_total", "shipping_tax_total", "discount_total", "items.total", "items.tax_total"]
    const floorFields = [...EXPORT_FIELDS.filter((f) => !TOTALS_INPUT_FIELDS.includes(f)), ...medusaTotals]
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const readWithMedusaTotals = async (ids: string[]) => {
      const { data: orders } = await query.graph({ entity: "order", fields: floorFields, filters: { id: ids } })
      const variantIds = [...new Set(orders.flatMap((o: any) => o.items.map((i: any) => i.variant_id)))]
      const optionIds = [...new Set(orders.flatMap((o: any) => o.shipping_methods.map((m: any) => m.shipping_option_id)))]
      await Promise.all([
        query.graph({ entity: "product_variant", fields: VARIANT_FIELDS, filters: { id: variantIds } }),
        query.graph({ entity: "shipping_option", fields: ["id", "name", "type.code", "type.label"], filters: { id: optionIds } }),
      ])
    }
    // Where a batch's time goes: the export's own load of the same orders
    // (the totals' inputs; totals computed by order-totals.ts), timed
    // batch by batch in turn with the floor's read, so that both see the
    // same machine load; the rest of an export batch is claim, build, the
    // call to the simulator (its own process) and settle.
    let floorPeak = process.memoryUsage().rss
    const floorSampler = setInterval(() => (floorPeak = Math.max(floorPeak, process.memoryUsage().rss)), 50)
    // Warm-up of both reads, not counted.
    if (warmupIds.length) {
      await readWithMedusaTotals(warmupIds.slice(0, BATCH))
      await loadOrderFacts(container, warmupIds.slice(0, BATCH), { forExport: true })
    }
    let floorMsTotal = 0
    let loadMsTotal = 0
    let floorQueries = 0
    for (let i = 0; i < measuredIds.length; i += BATCH) {
      const ids = measuredIds.slice(i, i + BATCH)
      queries = 0
      const f0 = performance.now()
      await readWithMedusaTotals(ids)
      floorMsTotal += performance.now() - f0
      floorQueries += queries
      const l0 = performance.now()
      await loadOrderFacts(container, ids, { forExport: true })
      loadMsTotal += performance.now() - l0
    }
    clearInterval(floorSampler)
    const batches = Math.ceil(measuredIds.length / BATCH)
    const floorElapsed = floorMsTotal / 1000
    const floorQueriesPerBatch = floorQueries / batches
    log(`  floor           ${(measuredIds.length / floorElapsed).toFixed(0)} orders/s: Medusa's Query reading the same orders with totals, ${BATCH} per call, serial (${floorQueriesPerBatch.toFixed(0)} queries per batch, peak RSS ${mb(floorPeak)} MB)`)
    const batchMs = (elapsed * 1000) / perBatch.length
    const loadMs = loadMsTotal / batches
    log(`  per batch       ${batchMs.toFixed(0)} ms on average: the export's load ${loadMs.toFixed(0)} ms (Medusa's read with totals, same orders, in turn: ${(floorMsTotal / batches).toFixed(0)} ms), the rest ${(batchMs - loadMs).toFixed(0)} ms (claim, build, call, settle)`)
    const callPerBatch = callMsTotal / perBatch.length
    log(`  the rest        the call to OrderFlow ${callPerBatch.toFixed(0)} ms (${callCount} HTTP calls; the simulator's work and the transfer), claim, build, settle, history and the workflow engine ${(batchMs - loadMs - callPerBatch).toFixed(0)} ms`)
    reportRow({
      benchmark: "order-export",
      measure: `${ORDERS} orders of ${LINES.length} lines, batch ${BATCH}, one batch at a time${PATH === "event" ? ", runs started by events (not stored)" : ", scheduled runs (stored)"}`,
      unit: "orders/s",
      plugin: exported / elapsed,
      floor: measuredIds.length / floorElapsed,
      floorLabel: `Medusa's Query read of the same orders with totals, ${BATCH} per call`,
      queriesPerUnit: q[Math.floor(q.length / 2)],
      queriesUnit: "batch",
      floorQueriesPerUnit: floorQueriesPerBatch,
      peakRssMb: peak / 1048576,
      target: "≥ 300 orders/s",
    })
  } finally {
    await closeSim().catch(() => {})
    await shutdown().catch(() => {})
    await adminDb.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {})
    await adminDb.end().catch(() => {})
    await db.stop().catch(() => {})
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : e}\n`)
    process.exit(1)
  }
)
