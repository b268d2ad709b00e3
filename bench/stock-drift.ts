// Drift report benchmark (issue 15): OrderFlow's inventory of 20,000 SKUs
// pulled from the simulator in chunks of externalReferences (the seed has no
// paging), planned as the inventory import would plan it, compared with
// Medusa's levels and the differences stored. Run twice: the first report
// finds every level different (Medusa at 0) and inserts 20k rows, the second
// finds the same differences and updates them. Figures: time, calls,
// queries, peak RSS of the store process.
// Run: npx tsx bench/stock-drift.ts   (or npm run bench -- stock-drift)
process.env.LOG_LEVEL ??= "error"
import { Modules } from "@medusajs/framework/utils"
import { createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { performance } from "node:perf_hooks"
import { startSimulator } from "orderflow-simulator"
import { runOrderflowOperationWorkflow } from "../src/workflows/run-operation"
import { bootStore, fmt, rssSampler } from "./lib/boot-store"
import { reportRow } from "./lib/report"

const SKU_COUNT = Number(process.env.BENCH_SKUS ?? 20_000)
const CHUNK = Number(process.env.BENCH_DRIFT_CHUNK ?? 500)
const sku = (i: number) => `SIM-${String(i + 1).padStart(5, "0")}`

async function main() {
  process.stdout.write(`stock drift benchmark: ${fmt(SKU_COUNT)} SKUs, ${CHUNK} externalReferences per inventory.xml call\n`)
  const store = await bootStore("stock-drift")
  const c = store.container
  const inventory = c.resolve(Modules.INVENTORY)
  const orderflow = c.resolve("orderflow")
  const {
    result: [location],
  } = await createStockLocationsWorkflow(c).run({ input: { locations: [{ name: "Bench warehouse" }] } })
  let t = performance.now()
  for (let i = 0; i < SKU_COUNT; i += 1000) {
    const items = await inventory.createInventoryItems(
      Array.from({ length: Math.min(1000, SKU_COUNT - i) }, (_, k) => ({ sku: sku(i + k), title: sku(i + k) }))
    )
    await inventory.createInventoryLevels(items.map((it: any) => ({ inventory_item_id: it.id, location_id: location.id, stocked_quantity: 0 })))
  }
  process.stdout.write(`  seeded ${fmt(SKU_COUNT)} inventory items with levels in ${((performance.now() - t) / 1000).toFixed(1)} s\n`)

  const sim = await startSimulator({ port: 0, seed: 1, log: false })
  // Stock from 1 so that every Medusa level (0) differs.
  sim.control.seed({ generate: { count: SKU_COUNT, prefix: "SIM-", stock: [1, 500] } })
  await orderflow.updateSettings({
    api: { endpoint: sim.baseUrl, username: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa" },
    inventoryImport: { defaultLocationId: location.id, adjustInventory: "unsent_orders" },
    stockDrift: { chunkSize: CHUNK },
  })

  for (const label of ["first report (20k differences inserted)", "second report (the same differences updated)"]) {
    const rss = rssSampler()
    store.queries.reset()
    t = performance.now()
    const { result } = await runOrderflowOperationWorkflow(c).run({ input: { operation: "stock_drift", trigger: "manual" } })
    const seconds = (performance.now() - t) / 1000
    const mem = rss.stop()
    if (result.status !== "success") throw new Error(`stock_drift failed: ${result.error}`)
    const s = result.summary as Record<string, number>
    process.stdout.write(
      `  ${label}: ${fmt(s.pulled)} figures in ${fmt(s.calls)} calls, ${fmt(s.differences)} differences, ${fmt(s.open)} open, in ${seconds.toFixed(2)} s ` +
        `= ${fmt(s.pulled / seconds)} SKUs/s, ${fmt(store.queries.count)} queries, peak RSS ${fmt(mem.peakMb)} MB (growth ${fmt(mem.growthMb)} MB)\n`
    )
    reportRow({
      benchmark: "stock-drift",
      measure: `${label}, ${fmt(SKU_COUNT)} SKUs, ${CHUNK} per call (no floor)`,
      unit: "SKUs/s",
      plugin: s.pulled / seconds,
      queriesPerUnit: store.queries.count / Math.max(1, s.pulled),
      queriesUnit: "SKU",
      peakRssMb: mem.peakMb,
    })
  }
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
