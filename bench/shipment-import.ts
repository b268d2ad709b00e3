// Shipment import benchmark (issue 7): 1,000 despatch notifications for 1,000
// exported orders (1-3 lines each) applied by the shipment_import operation:
// shipments created per second; and the same job done directly through
// Medusa's workflows for 1,000 other orders (the floor) in the same run, with
// as many lanes as the plugin runs despatches at once (CONCURRENCY, 4); the
// ratio. Target <= 1.3x the floor. The floor does what the plugin has Medusa
// do for a despatch: fulfilment, shipment with one label per tracking number,
// the warehouse's ship date on the fulfilment, and the order completed (as
// the setting the benchmark runs with asks; BENCH_COMPLETE=false drops it
// from both). For comparison, the fulfilment + shipment workflows alone are
// run too, for 1,000 more orders, and printed (not the reported floor;
// BENCH_COMPARE=false skips it). BENCH_ORDERS sets the number of despatches.
// Run: npx tsx bench/shipment-import.ts   (or npm run bench -- shipment-import)
import { Modules } from "@medusajs/framework/utils"
import { completeOrderWorkflow, createOrderFulfillmentWorkflow, createOrderShipmentWorkflow, updateFulfillmentWorkflow } from "@medusajs/medusa/core-flows"
import { performance } from "node:perf_hooks"
import { request } from "undici"
import { seedDemoStore } from "../scripts/demo/seed-store"
import { bootStore, drainOperation, fmt, rssSampler } from "./lib/boot-store"
import { reportRow } from "./lib/report"

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000)
const USER = "orderflow"
const PASSWORD = "bench-secret"
/** The comparison run of the fulfilment and shipment workflows alone (and its 1,000 orders); BENCH_COMPARE=false leaves it out. */
const COMPARE = process.env.BENCH_COMPARE !== "false"

async function main() {
  process.stdout.write(`shipment import benchmark: ${fmt(ORDERS)} despatches vs ${fmt(ORDERS)} direct fulfilments (${COMPARE ? "twice: the same job, and the two workflows alone" : "the same job"})\n`)
  // Only the drain below applies the despatches (no event-started runs during the intake).
  const store = await bootStore("shipment", { ORDERFLOW_EVENT_PROCESSING_DISABLED: "true" })
  const { CONCURRENCY: LANES } = await import("../src/workflows/import-shipment/shipment-import-operation")
  const c = store.container
  const seeded = await seedDemoStore(c)
  const orderModule = c.resolve(Modules.ORDER)
  const inventory = c.resolve(Modules.INVENTORY)
  const orderflow = c.resolve("orderflow")
  const variants = seeded.products.flatMap((p) => p.variants.filter((v) => v.manageInventory).map((v) => ({ ...v, productId: p.id })))
  const levels = await inventory.listInventoryLevels({ location_id: seeded.stockLocationId }, { take: null })
  await inventory.updateInventoryLevels(levels.map((l: any) => ({ inventory_item_id: l.inventory_item_id, location_id: l.location_id, stocked_quantity: 1_000_000 })))

  // 3 x ORDERS (2 x without the comparison run) paid orders with reservations, as cart completion leaves them.
  const total = (COMPARE ? 3 : 2) * ORDERS
  let t = performance.now()
  const address = { first_name: "Phil", last_name: "Zoio", address_1: "Granvilla", city: "Woodbridge", postal_code: "IP12 1AX", country_code: "gb" }
  const orders: any[] = []
  for (let i = 0; i < total; i += 100) {
    const batch = Array.from({ length: Math.min(100, total - i) }, (_, k) => {
      const n = i + k
      const lines = 1 + (n % 3)
      return {
        region_id: seeded.regionId,
        sales_channel_id: seeded.salesChannelId,
        currency_code: "gbp",
        email: `bench${n}@example.com`,
        shipping_address: address,
        billing_address: address,
        items: Array.from({ length: lines }, (_, j) => {
          const v = variants[(n + j) % variants.length]
          return { title: v.sku, variant_id: v.id, variant_sku: v.sku, product_id: v.productId, quantity: 1 + (j % 2), unit_price: 10, requires_shipping: true }
        }),
        shipping_methods: [{ name: "Standard Delivery", amount: 4.95, shipping_option_id: seeded.shippingOptionIds[0] }],
      }
    })
    const created = await orderModule.createOrders(batch)
    orders.push(...created)
  }
  const full = await orderModule.listOrders({ id: orders.map((o) => o.id) }, { relations: ["items"], take: null })
  const itemOf = new Map(variants.map((v) => [v.id, v.inventoryItemId!]))
  const reservations = full.flatMap((o: any) =>
    o.items.map((it: any) => ({
      line_item_id: it.id,
      inventory_item_id: itemOf.get(it.variant_id)!,
      location_id: seeded.stockLocationId,
      quantity: Number(it.quantity),
    }))
  )
  for (let i = 0; i < reservations.length; i += 500) await inventory.createReservationItems(reservations.slice(i, i + 500))
  process.stdout.write(`  created ${fmt(full.length)} orders with ${fmt(reservations.length)} reservations in ${((performance.now() - t) / 1000).toFixed(1)} s\n`)
  const ours = full.slice(0, ORDERS)
  const floor = full.slice(ORDERS, 2 * ORDERS)
  const twoWorkflows = full.slice(2 * ORDERS)
  const completeOrders = process.env.BENCH_COMPLETE !== "false"

  await orderflow.updateSettings({
    inbound: { username: USER, password: PASSWORD },
    shipmentImport: { enabled: true, batchSize: 500, completeOrders },
    inventoryImport: { defaultLocationId: seeded.stockLocationId },
  })
  await orderflow.createOrderflowExportItems(
    ours.map((o: any) => ({ entity_type: "order", entity_id: o.id, reference: String(o.display_id), status: "exported", exported_at: new Date() }))
  )

  // Intake of the despatch notifications (not part of the figure below).
  t = performance.now()
  const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`
  let next = 0
  const post = async () => {
    while (next < ours.length) {
      const o = ours[next++]
      const body = JSON.stringify({
        orderIncrementId: String(o.display_id),
        skuQty: o.items.map((it: any) => ({ sku: it.variant_sku, qty: Number(it.quantity) })),
        tracks: [{ trackingNumber: `TT${o.display_id}GB` }],
        courierName: "royalmail",
        dateShipped: "2026-11-23 10:00:00",
        messageSeqId: 10_000 + Number(o.display_id),
      })
      const res = await request(`${store.url}/orderflow/shipment`, { method: "POST", headers: { authorization: auth, "content-type": "application/json" }, body })
      await res.body.text()
      if (res.statusCode !== 200) throw new Error(`intake answered ${res.statusCode}`)
    }
  }
  await Promise.all(Array.from({ length: 8 }, post))
  process.stdout.write(`  intake: ${fmt(ours.length)} despatch notifications acknowledged in ${((performance.now() - t) / 1000).toFixed(1)} s\n`)

  const rss = rssSampler()
  store.queries.reset()
  t = performance.now()
  const drained = await drainOperation(c, "shipment_import")
  const shipped = drained.shipped ?? 0
  const rejected = (drained.rejected ?? 0) + (drained.retrying ?? 0)
  const oursSeconds = (performance.now() - t) / 1000
  const oursQueries = store.queries.count / Math.max(1, shipped)
  const mem = rss.stop()
  process.stdout.write(
    `  shipment import: ${fmt(shipped)} despatches applied (${rejected} not) in ${oursSeconds.toFixed(1)} s = ${fmt(shipped / oursSeconds, 1)} shipments/s, ` +
      `${fmt(oursQueries, 1)} queries per despatch, peak RSS ${fmt(mem.peakMb)} MB (growth ${fmt(mem.growthMb)} MB)\n`
  )

  // Floor: the same job straight through Medusa's workflows, in as many lanes
  // as the plugin applies despatches at once (one order per lane at a time).
  const runLanes = async (orders: any[], sameJob: boolean) => {
    let next = 0
    const lane = async () => {
      for (let o = orders[next++]; o; o = orders[next++]) {
        const items = o.items.map((it: any) => ({ id: it.id, quantity: Number(it.quantity) }))
        const { result: fulfillment } = await createOrderFulfillmentWorkflow(c).run({
          input: { order_id: o.id, items, location_id: seeded.stockLocationId, no_notification: true },
        })
        await createOrderShipmentWorkflow(c).run({
          input: {
            order_id: o.id,
            fulfillment_id: fulfillment.id,
            items,
            labels: [{ tracking_number: `TT${o.display_id}GB`, tracking_url: "", label_url: "" }],
            no_notification: true,
          },
        })
        if (!sameJob) continue
        // The shipment workflow stamps the time it runs; the despatch's date is the warehouse's.
        await updateFulfillmentWorkflow(c).run({ input: { id: fulfillment.id, shipped_at: new Date("2026-11-23T10:00:00Z") } })
        if (completeOrders) await completeOrderWorkflow(c).run({ input: { orderIds: [o.id] } })
      }
    }
    const floorRss = rssSampler()
    store.queries.reset()
    const t = performance.now()
    await Promise.all(Array.from({ length: LANES }, lane))
    return { seconds: (performance.now() - t) / 1000, queries: store.queries.count / orders.length, peakMb: floorRss.stop().peakMb }
  }
  const same = await runLanes(floor, true)
  const floorSeconds = same.seconds
  const floorQueries = same.queries
  const floorLabel = `fulfilment + shipment + ship date${completeOrders ? " + complete order" : ""} workflows, ${LANES} lanes`
  process.stdout.write(
    `  floor (${floorLabel}): ${fmt(floor.length)} in ${floorSeconds.toFixed(1)} s = ` +
      `${fmt(floor.length / floorSeconds, 1)} shipments/s, ${fmt(floorQueries, 1)} queries per shipment, peak RSS ${fmt(same.peakMb)} MB\n`
  )
  // Printed only, not the reported floor; skipped with BENCH_COMPARE=false (on a busy machine).
  if (COMPARE) {
    const two = await runLanes(twoWorkflows, false)
    process.stdout.write(
      `  for comparison, createOrderFulfillmentWorkflow + createOrderShipmentWorkflow alone, ${LANES} lanes: ${fmt(twoWorkflows.length)} in ${two.seconds.toFixed(1)} s = ` +
        `${fmt(twoWorkflows.length / two.seconds, 1)} shipments/s, ${fmt(two.queries, 1)} queries per shipment ` +
        `(ratio shipment import/these: ${(oursSeconds / shipped / (two.seconds / twoWorkflows.length)).toFixed(2)}x time per shipment)\n`
    )
  }
  process.stdout.write(`  ratio shipment import/floor: ${(oursSeconds / shipped / (floorSeconds / floor.length)).toFixed(2)}x time per shipment\n`)
  reportRow({
    benchmark: "shipment-import",
    measure: `${fmt(ORDERS)} despatches of 1–3 lines, ${LANES} lanes (plugin and floor)`,
    unit: "shipments/s",
    plugin: shipped / oursSeconds,
    floor: floor.length / floorSeconds,
    floorLabel,
    queriesPerUnit: oursQueries,
    queriesUnit: "shipment",
    floorQueriesPerUnit: floorQueries,
    peakRssMb: mem.peakMb,
    target: "≥ 1/1.3 = 0.77× the floor",
  })
  await new Promise((r) => setTimeout(r, 500))
  await store.shutdown()
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e.stack ?? e}\n`)
    process.exit(1)
  }
)
