// Inventory import benchmarks (issues 6 and 17):
//  1. intake: messages of 200 SKUs posted with concurrency 16 for 20 s (autocannon):
//     acknowledged messages/s, p50/p99 latency. Target >= 200 msg/s, p99 < 250 ms.
//  2. apply: a full stock push of 20,000 SKUs in 100 messages from the simulator,
//     processed by the inventory_import operation (one run, GROUP_LINES lines per
//     level write, one group after the other): lines/s, queries per line, peak RSS;
//     and, in the same run on the same 20,000 levels at the same batch size and
//     concurrency, the floors: the inventory module's own bulk write
//     (updateInventoryLevels) and Medusa's batchInventoryItemLevelsWorkflow.
//     Target: >= 0.9x the module's bulk write.
// Run: npx tsx bench/inventory-import.ts   (or npm run bench)
process.env.LOG_LEVEL ??= "error"
import { Modules } from "@medusajs/framework/utils"
import { batchInventoryItemLevelsWorkflow, createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import autocannon from "autocannon"
import { performance } from "node:perf_hooks"
import { startSimulator } from "orderflow-simulator"
import { bootStore, drainOperation, fmt, rssSampler } from "./lib/boot-store"
import { reportRow } from "./lib/report"

const SKU_COUNT = Number(process.env.BENCH_SKUS ?? 20_000)
const PER_MESSAGE = 200
const USER = "orderflow"
const PASSWORD = "bench-secret"
const sku = (i: number) => `SIM-${String(i + 1).padStart(5, "0")}`

async function main() {
  process.stdout.write(`inventory import benchmark: ${fmt(SKU_COUNT)} SKUs, ${PER_MESSAGE} per message\n`)
  // Only the drain below applies the push (no event-started runs racing the floors).
  const store = await bootStore("inventory", { ORDERFLOW_EVENT_PROCESSING_DISABLED: "true" })
  // Loaded once the store is up, as the store loads it.
  const { GROUP_LINES } = await import("../src/workflows/import-inventory/inventory-import-operation")
  const c = store.container
  const inventory = c.resolve(Modules.INVENTORY)
  const orderflow = c.resolve("orderflow")
  const {
    result: [location],
  } = await createStockLocationsWorkflow(c).run({ input: { locations: [{ name: "Bench warehouse" }] } })
  let t = performance.now()
  const itemIds: string[] = []
  for (let i = 0; i < SKU_COUNT; i += 1000) {
    const items = await inventory.createInventoryItems(
      Array.from({ length: Math.min(1000, SKU_COUNT - i) }, (_, k) => ({ sku: sku(i + k), title: sku(i + k) }))
    )
    await inventory.createInventoryLevels(items.map((it: any) => ({ inventory_item_id: it.id, location_id: location.id, stocked_quantity: 0 })))
    itemIds.push(...items.map((it: any) => it.id))
  }
  process.stdout.write(`  seeded ${fmt(SKU_COUNT)} inventory items with levels in ${((performance.now() - t) / 1000).toFixed(1)} s\n`)
  await orderflow.updateSettings({
    inbound: { username: USER, password: PASSWORD },
    inventoryImport: { enabled: true, batchSize: 100, defaultLocationId: location.id },
  })
  const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`

  // ---- 1. apply -----------------------------------------------------------------------------
  const sim = await startSimulator({
    port: 0,
    storeUrl: store.url,
    storeUser: USER,
    storePassword: PASSWORD,
    chunkSize: PER_MESSAGE,
    pushConcurrency: 4,
    seed: 1,
    log: false,
  })
  sim.control.seed({ generate: { count: SKU_COUNT, prefix: "SIM-", stock: [0, 500] } })
  t = performance.now()
  const pushed = await sim.control.pushInventory({ mode: "full", wait: true, timeoutMs: 600_000 })
  const pushSeconds = (performance.now() - t) / 1000
  const delivered = pushed.messages.filter((m) => m.status === "delivered").length
  process.stdout.write(`  full push delivered: ${delivered}/${pushed.messages.length} messages in ${pushSeconds.toFixed(1)} s\n`)

  // The plugin writes GROUP_LINES lines per call of the inventory module (one
  // run claims the whole push: batchSize 100 messages), one group after the
  // other. The floors do the same writes at the same batch size, serially too,
  // on the same 20,000 levels, in this process: Medusa's inventory module
  // (updateInventoryLevels, the bulk write itself) and Medusa's
  // batchInventoryItemLevelsWorkflow (the module write plus its before-image
  // read, events and compensation). The module floor runs before and after the
  // plugin, after an unmeasured warm-up pass; the figure is the mean of the two
  // rates (the plugin's run sits between them, so a load that drifts during
  // the run weighs on both sides alike).
  const floorModule = async (label: string, base: number) => {
    const r = rssSampler()
    store.queries.reset()
    const t0 = performance.now()
    for (let i = 0; i < itemIds.length; i += GROUP_LINES) {
      await inventory.updateInventoryLevels(
        itemIds.slice(i, i + GROUP_LINES).map((id, k) => ({ inventory_item_id: id, location_id: location.id, stocked_quantity: base + k }))
      )
    }
    const seconds = (performance.now() - t0) / 1000
    const out = { seconds, rate: itemIds.length / seconds, queriesPerLine: store.queries.count / itemIds.length, peakMb: r.stop().peakMb }
    process.stdout.write(
      `  floor ${label} (inventory module updateInventoryLevels, ${fmt(GROUP_LINES)} per call, serial): ${fmt(itemIds.length)} levels in ${seconds.toFixed(2)} s = ` +
        `${fmt(out.rate)} lines/s, ${fmt(out.queriesPerLine, 3)} queries per line, peak RSS ${fmt(out.peakMb)} MB\n`
    )
    return out
  }
  await floorModule("A0 (warm-up, not counted)", 500)
  const moduleBefore = await floorModule("A1", 1000)

  // Where the plugin's time goes: its calls of the locking, inventory and own
  // module services, timed by wrappers (behaviour unchanged) during the apply only.
  const spans = new Map<string, { calls: number; ms: number }>()
  const unwrap: Array<() => void> = []
  const time = (service: any, method: string, label: string) => {
    const original = service[method]
    service[method] = async function (...args: any[]) {
      const t0 = performance.now()
      try {
        return await original.apply(service, args)
      } finally {
        const span = spans.get(label) ?? { calls: 0, ms: 0 }
        span.calls++
        span.ms += performance.now() - t0
        spans.set(label, span)
      }
    }
    unwrap.push(() => (service[method] = original))
  }
  time(c.resolve(Modules.LOCKING), "acquire", "locking.acquire (stock locks)")
  time(c.resolve(Modules.LOCKING), "release", "locking.release")
  time(inventory, "listInventoryItems", "inventory.listInventoryItems (plan)")
  time(inventory, "listInventoryLevels", "inventory.listInventoryLevels")
  time(inventory, "listReservationItems", "inventory.listReservationItems (plan)")
  time(inventory, "updateInventoryLevels", "inventory.updateInventoryLevels (the write)")
  time(inventory, "createInventoryLevels", "inventory.createInventoryLevels")
  time(orderflow, "claimRequests", "orderflow.claimRequests")
  const eventBus = c.resolve(Modules.EVENT_BUS)
  time(eventBus, "emit", "eventBus.emit (inventory-level events, grouped)")
  time(eventBus, "releaseGroupedEvents", "eventBus.releaseGroupedEvents")
  time(orderflow, "getInventorySequences", "orderflow.getInventorySequences (plan)")
  time(orderflow, "recordImports", "orderflow.recordImports (imports, lines, sequences, requests)")
  time(orderflow.history_, "recordImports", "  of which: import reports and lines")
  time(orderflow.sequences_, "advance", "  of which: sequence ids")
  time(orderflow.inboundQueue_, "settleProcessed", "  of which: requests marked processed")
  const rss = rssSampler()
  store.queries.reset()
  t = performance.now()
  const drained = await drainOperation(c, "inventory_import")
  const applied = drained.applied ?? 0
  const processed = drained.processed ?? 0
  const applySeconds = (performance.now() - t) / 1000
  const applyQueries = store.queries.count
  const mem = rss.stop()
  process.stdout.write(
    `  plugin apply (inventory_import, ${fmt(GROUP_LINES)} lines per level write, serial): ${fmt(applied)} lines applied from ${processed} messages in ${applySeconds.toFixed(2)} s = ${fmt(applied / applySeconds)} lines/s, ` +
      `${fmt(applyQueries / Math.max(1, applied), 3)} queries per line (${fmt(applyQueries / Math.max(1, processed), 1)} per message), peak RSS ${fmt(mem.peakMb)} MB (growth ${fmt(mem.growthMb)} MB)\n`
  )
  for (const u of unwrap) u()
  // The "of which" spans are inside recordImports: counted once.
  const accounted = [...spans].filter(([label]) => !label.trimStart().startsWith("of which")).reduce((a, [, x]) => a + x.ms, 0)
  for (const [label, x] of [...spans].sort((a, b) => b[1].ms - a[1].ms)) {
    process.stdout.write(`    ${label.padEnd(64)} ${String(x.calls).padStart(6)} calls, ${fmt(x.ms)} ms (${fmt((100 * x.ms) / (applySeconds * 1000))}% of the apply)\n`)
  }
  process.stdout.write(`    ${"the rest (workflow engine, planning, events, serialisation)".padEnd(64)} ${fmt(applySeconds * 1000 - accounted)} ms\n`)
  if (applied !== SKU_COUNT) throw new Error(`expected ${SKU_COUNT} lines applied, got ${applied}`)

  const wr = rssSampler()
  store.queries.reset()
  t = performance.now()
  for (let i = 0; i < itemIds.length; i += GROUP_LINES) {
    await batchInventoryItemLevelsWorkflow(c).run({
      input: {
        update: itemIds.slice(i, i + GROUP_LINES).map((id, k) => ({ inventory_item_id: id, location_id: location.id, stocked_quantity: 2000 + k })),
      },
    })
  }
  const workflowSeconds = (performance.now() - t) / 1000
  const workflowQueries = store.queries.count / itemIds.length
  const workflowMem = wr.stop()
  process.stdout.write(
    `  floor B (batchInventoryItemLevelsWorkflow, ${fmt(GROUP_LINES)} per call, serial): ${fmt(itemIds.length)} levels in ${workflowSeconds.toFixed(2)} s = ` +
      `${fmt(itemIds.length / workflowSeconds)} lines/s, ${fmt(workflowQueries, 3)} queries per line, peak RSS ${fmt(workflowMem.peakMb)} MB\n`
  )
  const moduleAfter = await floorModule("A2", 3000)
  const moduleFloor = {
    rate: (moduleBefore.rate + moduleAfter.rate) / 2,
    queriesPerLine: (moduleBefore.queriesPerLine + moduleAfter.queriesPerLine) / 2,
  }
  const applyRate = applied / applySeconds
  process.stdout.write(
    `  ratio plugin/module floor: ${(applyRate / moduleFloor.rate).toFixed(2)}x (target >= 0.9x); plugin/workflow floor: ${(applyRate / (itemIds.length / workflowSeconds)).toFixed(2)}x\n`
  )
  // The same comparison within the plugin's own run, immune to the load drifting
  // between runs: the share of the apply spent in the module's write itself.
  const writeMs = spans.get("inventory.updateInventoryLevels (the write)")?.ms ?? 0
  const writeShare = writeMs / (applySeconds * 1000)
  process.stdout.write(`  the module's write took ${fmt(100 * writeShare)}% of the plugin's apply (1.00x the module would be 100%)\n`)
  const measure = `apply of a ${fmt(SKU_COUNT)}-SKU push (${SKU_COUNT / PER_MESSAGE} messages), ${fmt(GROUP_LINES)} lines per write, serial; the module's write = ${fmt(100 * writeShare)}% of the apply`
  reportRow({
    benchmark: "inventory-import",
    measure,
    unit: "lines/s",
    plugin: applyRate,
    floor: moduleFloor.rate,
    floorLabel: `inventory module updateInventoryLevels, ${fmt(GROUP_LINES)} per call (mean of ${fmt(moduleBefore.rate)} before and ${fmt(moduleAfter.rate)} after the plugin)`,
    queriesPerUnit: applyQueries / Math.max(1, applied),
    queriesUnit: "line",
    floorQueriesPerUnit: moduleFloor.queriesPerLine,
    peakRssMb: mem.peakMb,
    target: "≥ 0.9× the module",
  })
  reportRow({
    benchmark: "inventory-import",
    measure,
    unit: "lines/s",
    plugin: applyRate,
    floor: itemIds.length / workflowSeconds,
    floorLabel: `batchInventoryItemLevelsWorkflow, ${fmt(GROUP_LINES)} per call`,
    queriesPerUnit: applyQueries / Math.max(1, applied),
    queriesUnit: "line",
    floorQueriesPerUnit: workflowQueries,
    peakRssMb: mem.peakMb,
  })

  // ---- 2. intake (last: its messages carry sequence ids that would make later lines stale) ---------------------------------------------------------------------------
  let seq = 1_000_000
  const body = () => {
    const start = (seq * PER_MESSAGE) % SKU_COUNT
    const lines = Array.from({ length: PER_MESSAGE }, (_, k) => sku((start + k) % SKU_COUNT))
    return JSON.stringify({
      productQtys: lines.map((s, k) => ({ sku: s, qty: k })),
      productSeqs: lines.map((s) => ({ sku: s, seq })),
      messageSeqId: seq++,
    })
  }
  const intake: any = await autocannon({
    url: `${store.url}/orderflow/inventory`,
    connections: 16,
    duration: Number(process.env.BENCH_INTAKE_SECONDS ?? 20),
    requests: [
      {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        setupRequest: (req: any) => ({ ...req, body: body() }),
      },
    ],
  })
  const acked = intake["2xx"]
  process.stdout.write(
    `  intake: ${fmt(acked)} messages acknowledged in ${intake.duration} s = ${fmt(acked / intake.duration, 1)} msg/s ` +
      `(${fmt((acked * PER_MESSAGE) / intake.duration)} SKU lines/s), latency p50 ${intake.latency.p50} ms, p99 ${intake.latency.p99} ms, ` +
      `non-2xx ${intake.non2xx}, errors ${intake.errors}\n`
  )
  reportRow({
    benchmark: "inventory-import",
    measure: `intake, ${PER_MESSAGE}-SKU messages, 16 connections, ${intake.duration} s (no floor: Medusa has no such route)`,
    unit: "messages/s",
    plugin: acked / intake.duration,
    target: `≥ 200 msg/s, p99 < 250 ms (p99 here ${intake.latency.p99} ms)`,
  })

  // Let the last in-flight intake requests finish before the pool closes.
  await new Promise((r) => setTimeout(r, 1500))
  await sim.close()
  await store.shutdown()
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e.stack ?? e}\n`)
    process.exit(1)
  }
)
