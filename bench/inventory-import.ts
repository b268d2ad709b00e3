// Inventory import benchmarks (issue 6):
//  1. intake: messages of 200 SKUs posted with concurrency 16 for 20 s (autocannon):
//     acknowledged messages/s, p50/p99 latency. Target >= 200 msg/s, p99 < 250 ms.
//  2. apply: a full stock push of 20,000 SKUs in 100 messages from the simulator,
//     processed by the inventory_import operation: SKU lines/s, queries per message,
//     RSS; and the same 20,000 updates applied directly through Medusa's own
//     batchInventoryItemLevelsWorkflow (the floor for a correct write) in the same
//     run. Target >= 2,000 lines/s and <= 1.5x the floor.
// Run: npx tsx bench/inventory-import.ts   (or npm run bench)
process.env.LOG_LEVEL ??= "error"
import { Modules } from "@medusajs/framework/utils"
import { batchInventoryItemLevelsWorkflow, createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import autocannon from "autocannon"
import { performance } from "node:perf_hooks"
import { startSimulator } from "orderflow-simulator"
import { bootStore, drainOperation, fmt, rssSampler } from "./lib/boot-store"

const SKU_COUNT = Number(process.env.BENCH_SKUS ?? 20_000)
const PER_MESSAGE = 200
const USER = "orderflow"
const PASSWORD = "bench-secret"
const sku = (i: number) => `SIM-${String(i + 1).padStart(5, "0")}`

async function main() {
  process.stdout.write(`inventory import benchmark: ${fmt(SKU_COUNT)} SKUs, ${PER_MESSAGE} per message\n`)
  const store = await bootStore("inventory")
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
    `  apply: ${fmt(applied)} lines applied from ${processed} messages in ${applySeconds.toFixed(2)} s = ${fmt(applied / applySeconds)} lines/s, ` +
      `${fmt(applyQueries / Math.max(1, processed), 1)} queries per message, peak RSS ${fmt(mem.peakMb)} MB (growth ${fmt(mem.growthMb)} MB)\n`
  )

  // ---- floor: Medusa's own batch level update, same volume and batch size ---------------------
  store.queries.reset()
  t = performance.now()
  const FLOOR_BATCH = Number(process.env.BENCH_FLOOR_BATCH ?? PER_MESSAGE)
  for (let i = 0; i < itemIds.length; i += FLOOR_BATCH) {
    await batchInventoryItemLevelsWorkflow(c).run({
      input: {
        update: itemIds.slice(i, i + FLOOR_BATCH).map((id, k) => ({ inventory_item_id: id, location_id: location.id, stocked_quantity: 1000 + k })),
      },
    })
  }
  const floorSeconds = (performance.now() - t) / 1000
  const floorQueries = store.queries.count / Math.ceil(itemIds.length / FLOOR_BATCH)
  process.stdout.write(
    `  floor (batchInventoryItemLevelsWorkflow, ${FLOOR_BATCH} per call): ${fmt(itemIds.length)} updates in ${floorSeconds.toFixed(2)} s = ` +
      `${fmt(itemIds.length / floorSeconds)} lines/s, ${fmt(floorQueries, 1)} queries per call\n`
  )
  process.stdout.write(`  ratio apply/floor: ${(applySeconds / floorSeconds).toFixed(2)}x\n`)

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
