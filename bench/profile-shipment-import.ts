// Where a despatch's time goes (issue 17), not a benchmark (bench/run.ts does
// not run it): the import-shipment workflow and the floor's two Medusa
// workflows, one shipment at a time so each step's time and SQL statements
// (counted on Medusa's shared connection) are its own, per shipment.
// SQL_LOG=1 writes each statement, tagged with its step, to /tmp/ship17/.
// Run: BENCH_ORDERS=120 DB_HOST=localhost DB_USERNAME=postgres DB_PASSWORD= npx tsx bench/profile-shipment-import.ts
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createOrderFulfillmentWorkflow, createOrderShipmentWorkflow } from "@medusajs/medusa/core-flows"
import { performance } from "node:perf_hooks"
import fs from "node:fs"
import { request } from "undici"
import { seedDemoStore } from "../scripts/demo/seed-store"
import { bootStore } from "./lib/boot-store"

const ORDERS = Number(process.env.BENCH_ORDERS ?? 150)
const USER = "orderflow"
const PASSWORD = "bench-secret"

type Acc = Map<string, { n: number; ms: number; q: number }>
let current = "outside"
const sqlLog: string[] = []
function add(acc: Acc, key: string, ms: number, q: number) {
  const a = acc.get(key) ?? { n: 0, ms: 0, q: 0 }
  a.n++; a.ms += ms; a.q += q
  acc.set(key, a)
}
function eventsFor(acc: Acc, counter: { count: number }) {
  const began = new Map<string, { t: number; q: number; prev: string }>()
  const name = (id: string) => id.replace(/^_root\./, "").split(".").pop()!
  return {
    onStepBegin: ({ step }: any) => {
      began.set(step.id, { t: performance.now(), q: counter.count, prev: current })
      current = name(step.id)
    },
    onStepSuccess: ({ step }: any) => {
      const b = began.get(step.id)
      if (b) add(acc, name(step.id), performance.now() - b.t, counter.count - b.q)
      current = "between"
    },
    onStepSkipped: ({ step }: any) => add(acc, `${name(step.id)} (skipped)`, 0, 0),
  }
}
function print(title: string, acc: Acc, units: number, totalMs: number, totalQ: number) {
  process.stdout.write(`\n${title}: ${(totalMs / units).toFixed(1)} ms, ${(totalQ / units).toFixed(1)} queries per shipment\n`)
  for (const [k, v] of [...acc.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
    process.stdout.write(`  ${k.padEnd(60)} ${(v.ms / units).toFixed(2).padStart(8)} ms ${(v.q / units).toFixed(1).padStart(6)} q  (${v.n} runs)\n`)
  }
}

async function main() {
  const store = await bootStore("shipprof", { ORDERFLOW_EVENT_PROCESSING_DISABLED: "true" })
  const c = store.container
  const knex = c.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  knex.on("query", (q: any) => { if (process.env.SQL_LOG) sqlLog.push(`[${current}] ${q.sql}`) })
  const seeded = await seedDemoStore(c)
  const orderModule = c.resolve(Modules.ORDER)
  const inventory = c.resolve(Modules.INVENTORY)
  const orderflow = c.resolve("orderflow")
  const variants = seeded.products.flatMap((p) => p.variants.filter((v) => v.manageInventory).map((v) => ({ ...v, productId: p.id })))
  const levels = await inventory.listInventoryLevels({ location_id: seeded.stockLocationId }, { take: null })
  await inventory.updateInventoryLevels(levels.map((l: any) => ({ inventory_item_id: l.inventory_item_id, location_id: l.location_id, stocked_quantity: 1_000_000 })))
  const address = { first_name: "Phil", last_name: "Zoio", address_1: "Granvilla", city: "Woodbridge", postal_code: "IP12 1AX", country_code: "gb" }
  const batch = Array.from({ length: 2 * ORDERS }, (_, n) => ({
    region_id: seeded.regionId, sales_channel_id: seeded.salesChannelId, currency_code: "gbp", email: `bench${n}@example.com`,
    shipping_address: address, billing_address: address,
    items: Array.from({ length: 1 + (n % 3) }, (_, j) => {
      const v = variants[(n + j) % variants.length]
      return { title: v.sku, variant_id: v.id, variant_sku: v.sku, product_id: v.productId, quantity: 1 + (j % 2), unit_price: 10, requires_shipping: true }
    }),
    shipping_methods: [{ name: "Standard Delivery", amount: 4.95, shipping_option_id: seeded.shippingOptionIds[0] }],
  }))
  const orders = await orderModule.createOrders(batch)
  const full = await orderModule.listOrders({ id: orders.map((o: any) => o.id) }, { relations: ["items"], take: null })
  const itemOf = new Map(variants.map((v) => [v.id, v.inventoryItemId!]))
  await inventory.createReservationItems(full.flatMap((o: any) => o.items.map((it: any) => ({ line_item_id: it.id, inventory_item_id: itemOf.get(it.variant_id)!, location_id: seeded.stockLocationId, quantity: Number(it.quantity) }))))
  const ours = full.slice(0, ORDERS)
  const floor = full.slice(ORDERS)
  await orderflow.updateSettings({
    inbound: { username: USER, password: PASSWORD },
    shipmentImport: { enabled: true, batchSize: 500, completeOrders: process.env.BENCH_COMPLETE !== "false" },
    inventoryImport: { defaultLocationId: seeded.stockLocationId },
  })
  await orderflow.createOrderflowExportItems(ours.map((o: any) => ({ entity_type: "order", entity_id: o.id, reference: String(o.display_id), status: "exported", exported_at: new Date() })))
  const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`
  for (const o of ours) {
    const body = JSON.stringify({
      orderIncrementId: String(o.display_id), skuQty: o.items.map((it: any) => ({ sku: it.variant_sku, qty: Number(it.quantity) })),
      tracks: [{ trackingNumber: `TT${o.display_id}GB` }], courierName: "royalmail", dateShipped: "2026-11-23 10:00:00", messageSeqId: 10_000 + Number(o.display_id),
    })
    const res = await request(`${store.url}/orderflow/shipment`, { method: "POST", headers: { authorization: auth, "content-type": "application/json" }, body })
    await res.body.text()
  }

  {
    const { importShipmentWorkflow } = await import("../src/workflows/import-shipment/import-shipment")
    const { currentSettings } = await import("../src/workflows/common/settings")
    const acc: Acc = new Map()
    store.queries.reset(); sqlLog.length = 0
    let t = performance.now()
    current = "claim"
    let q0 = store.queries.count, t0 = performance.now()
    const claimedBy = "prof"
    const requests = await orderflow.claimRequests({ type: "shipment", limit: 500, now: new Date(), leaseMs: 600000, claimedBy })
    add(acc, "claim (claimRequests)", performance.now() - t0, store.queries.count - q0)
    current = "settings"; q0 = store.queries.count; t0 = performance.now()
    const settings = await currentSettings(c)
    add(acc, "settings", performance.now() - t0, store.queries.count - q0)
    const importSettings = {
      referencePrefix: settings.orderExport.referencePrefix, notifyCustomer: settings.shipmentImport.notifyCustomer, completeOrders: settings.shipmentImport.completeOrders,
      trackingUrlTemplates: settings.shipmentImport.trackingUrlTemplates, locations: settings.inventoryImport.locations, defaultLocationId: settings.inventoryImport.defaultLocationId,
    }
    let shipped = 0
    for (const r of requests) {
      q0 = store.queries.count; t0 = performance.now()
      const { result } = await importShipmentWorkflow(c).run({ input: { request_id: r.id, dedupe_key: r.dedupe_key, notification: r.payload, settings: importSettings, claimed_by: claimedBy }, events: eventsFor(acc, store.queries) as any })
      add(acc, "= whole import-shipment run", performance.now() - t0, store.queries.count - q0)
      if ((result as any).fulfillment_id) shipped++
    }
    const ms = performance.now() - t
    process.stdout.write(`shipped ${shipped} of ${requests.length}\n`)
    print("plugin (sequential)", acc, ORDERS, ms, store.queries.count)
    if (process.env.SQL_LOG) {
      fs.mkdirSync("/tmp/ship17", { recursive: true })
      fs.writeFileSync("/tmp/ship17/plugin-sql.log", sqlLog.join("\n"))
    }

    // The floor: the two Medusa workflows, one order at a time.
    const facc: Acc = new Map()
    store.queries.reset(); sqlLog.length = 0
    t = performance.now()
    for (const o of floor) {
      const items = o.items.map((it: any) => ({ id: it.id, quantity: Number(it.quantity) }))
      const { result: f } = await createOrderFulfillmentWorkflow(c).run({ input: { order_id: o.id, items, location_id: seeded.stockLocationId, no_notification: true }, events: eventsFor(facc, store.queries) as any })
      await createOrderShipmentWorkflow(c).run({ input: { order_id: o.id, fulfillment_id: f.id, items, labels: [{ tracking_number: `TT${o.display_id}GB`, tracking_url: "", label_url: "" }], no_notification: true }, events: eventsFor(facc, store.queries) as any })
    }
    print("floor (sequential)", facc, floor.length, performance.now() - t, store.queries.count)
    if (process.env.SQL_LOG) {
      fs.mkdirSync("/tmp/ship17", { recursive: true })
      fs.writeFileSync("/tmp/ship17/floor-sql.log", sqlLog.join("\n"))
    }
  }
  await store.shutdown()
}
main().then(() => process.exit(0), (e) => { process.stderr.write(`${e.stack ?? e}\n`); process.exit(1) })
