import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { Simulator, startSimulator } from "orderflow-simulator"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { stockLockKey } from "../../src/lib/inventory/stock-lock-keys"
import { importInventoryWorkflow } from "../../src/workflows/import-inventory/import-inventory"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, inboundHeaders, INBOUND_PASSWORD, INBOUND_USER, inventoryMessage, orderflowService, runOperation } from "../helpers/orderflow"
import { capturePayment, placeOrder } from "../helpers/store"

jest.setTimeout(300_000)

// Everything here runs without the scheduler: what happens, happens because of an event.
medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true", ORDERFLOW_EVENT_PROCESSING_DISABLED: "false" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any
    let sim: Simulator
    const container = () => getContainer() as MedusaContainer

    beforeAll(async () => {
      seeded = await seedDemoStore(getContainer())
    })

    beforeEach(async () => {
      process.env.ORDERFLOW_EVENT_PROCESSING_DISABLED = "false"
      admin = await loginAsAdmin(api, getContainer())
      sim = await startSimulator({
        port: 0,
        storeUrl: api.defaults.baseURL,
        storeUser: INBOUND_USER,
        storePassword: INBOUND_PASSWORD,
        pushRetryDelayMs: 20,
        seed: 7,
        log: false,
      })
      sim.control.seed({
        products: ["TEE-S", "TEE-M", "TEE-L", "HOOD-S", "HOOD-M", "00123-MUG"].map((sku) => ({ sku, description: sku, stock: 100 })),
      })
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", timeoutSeconds: 5 },
        inventoryImport: { enabled: true, defaultLocationId: seeded.stockLocationId, adjustInventory: "none" },
        shipmentImport: { enabled: true },
        orderExport: { enabled: true },
        productExport: { enabled: true },
        retry: { maxAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 1 },
      })
    })

    afterEach(async () => {
      await sim.close()
    })

    const inventoryItemOf = (sku: string) => seeded.products.flatMap((p) => p.variants).find((v) => v.sku === sku)!.inventoryItemId!
    const available = async (sku: string) => {
      const [level] = await container()
        .resolve(Modules.INVENTORY)
        .listInventoryLevels({ inventory_item_id: inventoryItemOf(sku), location_id: seeded.stockLocationId })
      return level ? Number(level.available_quantity) : null
    }
    const adminOrder = async (id: string) =>
      (await api.get(`/admin/orders/${id}?fields=id,status,fulfillment_status,*items,*items.detail,*fulfillments`, admin)).data.order
    const operationRun = async (operation: string) => {
      const [run] = await orderflowService(container()).listOrderflowOperationRuns({ operation })
      return run
    }

    it("a stock push reaches available_quantity within seconds with no run started: the stored message's event runs the import", async () => {
      sim.control.setStock({ sku: "HOOD-S", total: 37 })
      const pushedAt = Date.now()
      const pushed = await sim.control.pushInventory({ mode: "single", sku: "HOOD-S", wait: true })
      expect(pushed.messages.map((m) => m.status)).toEqual(["delivered"])

      await waitFor(async () => (await available("HOOD-S")) === 37, { what: "HOOD-S at 37", timeoutMs: 10_000 })
      const elapsed = Date.now() - pushedAt
      // Far below the minute a scheduled run would wait (generous for a loaded CI machine).
      expect(elapsed).toBeLessThan(10_000)
      // The run records itself once its workflow has finished.
      const run = await waitFor(async () => operationRun("inventory_import"), { what: "the inventory_import run record" })
      expect(run).toMatchObject({ last_status: "success" })
      expect(run.last_summary).toMatchObject({ claimed: 1, applied: 1 })
    })

    it("pushes arriving together are coalesced: fewer runs than messages, every figure applied", async () => {
      const skus = ["TEE-S", "TEE-M", "TEE-L", "HOOD-M", "00123-MUG"]
      // Five messages at once (as OrderFlow's pushes in flight arrive), well inside one 150 ms window.
      const replies = await Promise.all(
        skus.map((sku, i) => api.post("/orderflow/inventory", inventoryMessage(700 + i, [{ sku, qty: 60 + i, seq: 700 + i }]), inboundHeaders()))
      )
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])

      for (const [i, sku] of skus.entries()) await waitFor(async () => (await available(sku)) === 60 + i, { what: `${sku} at ${60 + i}` })
      const processed = await waitFor(
        async () => {
          const rows = await orderflowService(container()).listOrderflowRequests({ type: "inventory", status: "processed" })
          return rows.length === skus.length ? rows : undefined
        },
        { what: "every message recorded processed" }
      )
      expect(processed).toHaveLength(skus.length)
      // A run records itself once its workflow has finished (after the levels changed).
      const run = await waitFor(async () => operationRun("inventory_import"), { what: "the inventory_import run record" })
      expect(run.run_count).toBeLessThan(skus.length)
    })

    it("a paid order reaches OrderFlow within seconds with no run started (payment.captured queues and starts the export)", async () => {
      const order = await placeOrder(api, seeded, [{ sku: "TEE-M", quantity: 1 }])
      const capturedAt = Date.now()
      await capturePayment(api, admin, order.id)

      const reference = String(order.display_id)
      await waitFor(async () => sim.control.orders().find((o) => o.externalReference === reference), { what: `order ${reference} in OrderFlow`, timeoutMs: 20_000 })
      expect(Date.now() - capturedAt).toBeLessThan(20_000)
      await waitFor(
        async () => (await orderflowService(container()).listOrderflowExportItems({ entity_type: "order", entity_id: order.id }))[0]?.status === "exported",
        { what: "order marked exported" }
      )
      expect(sim.control.orders().filter((o) => o.externalReference === reference)).toHaveLength(1)
    })

    it("a product edit reaches OrderFlow within seconds with no run started", async () => {
      const product = seeded.products.find((p) => p.variants.some((v) => v.sku === "HOOD-M"))!
      await api.post(`/admin/products/${product.id}`, { title: "Hoodie, edited" }, admin)

      await waitFor(async () => /Hoodie, edited/.test(sim.control.product("HOOD-M").description ?? ""), { what: "HOOD-M renamed in OrderFlow", timeoutMs: 20_000 })
    })

    it("inventory import waits while shipment import (or anyone) holds the stock level's lock, then applies", async () => {
      const locking = container().resolve(Modules.LOCKING)
      const key = stockLockKey({ sku: "TEE-L", location_id: seeded.stockLocationId })
      await locking.acquire(key, { ownerId: "test-writer", expire: 60 })
      try {
        const before = await available("TEE-L")
        sim.control.setStock({ sku: "TEE-L", total: 11 })
        await sim.control.pushInventory({ mode: "single", sku: "TEE-L", wait: true })
        await new Promise((r) => setTimeout(r, 1500))
        expect(await available("TEE-L")).toBe(before)
        const [request] = await orderflowService(container()).listOrderflowRequests({ type: "inventory" }, { order: { received_at: "DESC" }, take: 1 })
        expect(request.status).toBe("processing")
      } finally {
        await locking.release(key, { ownerId: "test-writer" })
      }
      await waitFor(async () => (await available("TEE-L")) === 11, { what: "TEE-L at 11 once the lock is free" })
    })

    it("a despatch push becomes a fulfilment with no run started, and waits for a stock lock held on its item", async () => {
      const order = await placeOrder(api, seeded, [{ sku: "TEE-S", quantity: 1 }])
      await capturePayment(api, admin, order.id)
      const reference = String(order.display_id)
      await waitFor(async () => sim.control.orders().find((o) => o.externalReference === reference), { what: "order exported", timeoutMs: 20_000 })
      await waitFor(
        async () => (await orderflowService(container()).listOrderflowExportItems({ entity_type: "order", entity_id: order.id }))[0]?.status === "exported",
        { what: "order marked exported" }
      )

      const locking = container().resolve(Modules.LOCKING)
      const key = stockLockKey({ sku: "TEE-S", location_id: seeded.stockLocationId })
      await locking.acquire(key, { ownerId: "test-writer", expire: 60 })
      try {
        const despatch = await sim.control.despatch({ orderReference: reference, trackingNumbers: ["EV123"], push: true, wait: true })
        expect(despatch.message?.status).toBe("delivered")
        await new Promise((r) => setTimeout(r, 1500))
        expect((await adminOrder(order.id)).fulfillments).toHaveLength(0)
      } finally {
        await locking.release(key, { ownerId: "test-writer" })
      }
      await waitFor(async () => (await adminOrder(order.id)).fulfillment_status === "shipped", { what: "order shipped" })
      expect((await adminOrder(order.id)).fulfillments).toHaveLength(1)
    })

    it("messages 100 and 101 of one SKU applied by two concurrent imports, in either order, always leave 101's figure and sequence", async () => {
      process.env.ORDERFLOW_EVENT_PROCESSING_DISABLED = "true"
      const settings = {
        negativeAsZero: true,
        adjustInventory: "none" as const,
        unsentOrderStatuses: [],
        unsentOrderCutoffDays: 30,
        activeCartCutoffDays: 1,
        locations: {},
        defaultLocationId: seeded.stockLocationId,
      }
      const orderflow = orderflowService(container())
      for (let round = 0; round < 6; round++) {
        const base = 1000 + round * 10
        const older = { request_id: `ofreq_old_${round}`, update: { ...toUpdate(inventoryMessage(base, [{ sku: "HOOD-S", qty: 5 + round, seq: base }])) } }
        const newer = { request_id: `ofreq_new_${round}`, update: { ...toUpdate(inventoryMessage(base + 1, [{ sku: "HOOD-S", qty: 50 + round, seq: base + 1 }])) } }
        // Alternate which one starts first; both run at once.
        const [first, second] = round % 2 ? [older, newer] : [newer, older]
        await Promise.all([
          importInventoryWorkflow(container()).run({ input: { messages: [first], settings } }),
          importInventoryWorkflow(container()).run({ input: { messages: [second], settings } }),
        ])
        expect(await available("HOOD-S")).toBe(50 + round)
        const [sequence] = await orderflow.getInventorySequences(["HOOD-S"], [seeded.stockLocationId])
        expect(Number(sequence.seq_id)).toBe(base + 1)
      }
    })

    it("a stock message whose worker died at every attempt is failed for good with one alert, never claimed again", async () => {
      process.env.ORDERFLOW_EVENT_PROCESSING_DISABLED = "true"
      const res = await api.post("/orderflow/inventory", inventoryMessage(5000, [{ sku: "HOOD-M", qty: 3, seq: 5000 }]), inboundHeaders())
      expect(res.status).toBe(200)
      const orderflow = orderflowService(container())
      const [request] = await orderflow.listOrderflowRequests({ message_seq_id: 5000 })
      // Two claims already died with their workers (maxAttempts is 3); the third is dying now: its lease has passed.
      await orderflow.updateOrderflowRequests({
        id: request.id,
        status: "processing",
        attempts: 2,
        claimed_by: "killed-worker",
        claimed_until: new Date(Date.now() - 1000),
      })

      const run = await runOperation(container(), "inventory_import")
      expect(run.summary).toMatchObject({ claimed: 0, failed: 1 })
      expect(await orderflow.retrieveOrderflowRequest(request.id)).toMatchObject({ status: "failed", attempts: 3, claimed_by: null })
      const alerts = await container().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" })
      expect(alerts.filter((n: any) => n.data?.title === "OrderFlow inventory message 5000 failed")).toHaveLength(1)
      const again = await runOperation(container(), "inventory_import")
      expect(again.summary).toMatchObject({ claimed: 0, failed: 0 })
      const viaApi = await api.get(`/admin/orderflow/requests/${request.id}`, admin)
      expect(viaApi.data.request).toMatchObject({ status: "failed", attempts: 3 })
      expect(viaApi.data.request.error).toMatch(/stopped 3 times/)
    })
  },
})

/** The stored (parsed) form of an inventory push, as the intake keeps it in the request's payload. */
function toUpdate(message: ReturnType<typeof inventoryMessage>) {
  return {
    messageSeqId: message.messageSeqId,
    lines: message.productQtys.map((q, i) => ({ index: i, sku: q.sku, qty: q.qty, seq: message.productSeqs[i].seq, source: null, lastOrderExported: null })),
    format: "json" as const,
  }
}
