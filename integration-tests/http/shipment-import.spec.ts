import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { request } from "undici"
import { Simulator } from "orderflow-simulator"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { exportedOrder as exportedOrderIn, startTestSimulator } from "../helpers/warehouse"
import { loginAsAdmin } from "../helpers/admin"
import { configureOrderflow, inboundHeaders, orderflowService, runOperation } from "../helpers/orderflow"
import { placeOrder } from "../helpers/store"

jest.setTimeout(300_000)

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any
    let sim: Simulator

    beforeAll(async () => {
      seeded = await seedDemoStore(getContainer())
    })

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
      sim = await startTestSimulator(api, { seed: 11 })
      sim.control.seed({
        products: ["TEE-S", "TEE-M", "TEE-L", "HOOD-S", "HOOD-M", "00123-MUG"].map((sku) => ({ sku, description: sku, stock: 100 })),
      })
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "medusa", password: "wms", organisation: "demo", channel: "web" },
        shipmentImport: { enabled: true, trackingUrlTemplates: { royalmail: "https://track.example/rm/{trackingNumber}" } },
        inventoryImport: { defaultLocationId: seeded.stockLocationId },
      })
    })

    afterEach(async () => sim.close())
    const exportedOrder = (items: Array<{ sku: string; quantity: number }>) => exportedOrderIn({ api, admin, seeded, sim, container: getContainer() }, items)
    const processNow = async () => {
      const res = await api.post("/admin/orderflow/operations/shipment_import/run", {}, admin)
      expect(res.data.run.status).toBe("success")
      return res.data.run.summary
    }
    const adminOrder = async (id: string) =>
      (
        await api.get(
          `/admin/orders/${id}?fields=id,status,fulfillment_status,*items,*items.detail,*fulfillments,*fulfillments.labels,*fulfillments.items`,
          admin
        )
      ).data.order

    it("a full despatch with one tracking number ships and completes the order, with the warehouse's date", async () => {
      const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 2 }, { sku: "00123-MUG", quantity: 1 }])
      const despatch = await sim.control.despatch({
        orderReference: reference,
        trackingNumbers: ["RM123456789GB"],
        courierName: "royalmail",
        serviceName: "TPN01",
        dateShipped: "2026-11-20 15:25:16",
        push: true,
        wait: true,
      })
      expect(despatch.message?.status).toBe("delivered")
      expect(await processNow()).toMatchObject({ claimed: 1, shipped: 1 })
      const o = await adminOrder(order.id)
      expect(o.fulfillment_status).toBe("shipped")
      expect(o.status).toBe("completed")
      expect(o.fulfillments).toHaveLength(1)
      const f = o.fulfillments[0]
      expect(new Date(f.shipped_at).toISOString()).toBe("2026-11-20T15:25:16.000Z")
      expect(f.labels.map((l: any) => [l.tracking_number, l.tracking_url])).toEqual([["RM123456789GB", "https://track.example/rm/RM123456789GB"]])
      expect(f.location_id).toBe(seeded.stockLocationId)
      expect(f.metadata).toMatchObject({ orderflow_courier: "royalmail", orderflow_service: "TPN01" })
      // Stock: the fulfilment consumed the reservation and lowered stocked quantity.
      const [despatchRow] = await orderflowService(getContainer()).listOrderflowDespatches({ order_id: order.id })
      expect(despatchRow).toMatchObject({ fulfillment_id: f.id, tracking_numbers: ["RM123456789GB"], courier_name: "royalmail" })
      const listed = await api.get(`/admin/orderflow/despatches?order_id=${order.id}`, admin)
      expect(listed.data.despatches.map((d: any) => d.tracking_numbers)).toEqual([["RM123456789GB"]])
    })

    it("a despatch that arrives before the order's export is confirmed waits with back-off without using up attempts, then is applied once it is", async () => {
      const { order, reference } = await exportedOrder([{ sku: "TEE-L", quantity: 1 }])
      const service = orderflowService(getContainer())
      // As after a call that timed out once OrderFlow had stored the order: sent, not confirmed.
      const [item] = await service.listOrderflowExportItems({ entity_type: "order", entity_id: order.id })
      await service.updateOrderflowExportItems({ id: item.id, status: "pending", exported_at: null, attempts: 1 })
      await sim.control.despatch({ orderReference: reference, trackingNumbers: ["EARLY1"], push: true, wait: true })

      expect(await processNow()).toMatchObject({ claimed: 1, shipped: 0, retrying: 1, failed: 0 })
      const [first] = await service.listOrderflowRequests({ type: "shipment" }, { order: { received_at: "DESC" }, take: 1 })
      // A wait, not a fault: however often it is tried, it is not dead-lettered by the retry budget.
      expect(first).toMatchObject({ status: "pending", attempts: 0 })
      for (let i = 0; i < 6; i++) {
        const due = new Date(new Date((await service.retrieveOrderflowRequest(first.id)).next_attempt_at).getTime() + 1000)
        expect((await runOperation(getContainer(), "shipment_import", due)).summary).toMatchObject({ claimed: 1, retrying: 1, failed: 0 })
      }
      const request = await service.retrieveOrderflowRequest(first.id)
      expect(request).toMatchObject({ status: "pending", attempts: 0 })
      expect(request.error).toMatch(/not confirmed yet/)
      expect((await adminOrder(order.id)).fulfillments).toHaveLength(0)

      // The export's retry gets OrderFlow's duplicate answer: confirmed.
      await service.updateOrderflowExportItems({ id: item.id, status: "exported", exported_at: new Date() })
      const later = new Date(new Date(request.next_attempt_at).getTime() + 1000)
      const run = await runOperation(getContainer(), "shipment_import", later)
      expect(run.summary).toMatchObject({ claimed: 1, shipped: 1 })
      const o = await adminOrder(order.id)
      expect(o.fulfillment_status).toBe("shipped")
      expect(o.fulfillments).toHaveLength(1)
    })

    it("keeps a hostile comment verbatim as data", async () => {
      const { order, reference } = await exportedOrder([{ sku: "TEE-S", quantity: 1 }])
      const comment = `<script>alert(1)</script> ]]> & "quotes" 'single' \u0000-free\nsecond line`
      const res = await api.post(
        "/orderflow/shipment",
        { orderIncrementId: reference, skuQty: [{ sku: "TEE-S", qty: 1 }], comment, messageSeqId: 960 },
        inboundHeaders()
      )
      expect(res.status).toBe(200)
      expect(await processNow()).toMatchObject({ shipped: 1 })
      const [d] = await orderflowService(getContainer()).listOrderflowDespatches({ order_id: order.id })
      // Kept verbatim but for the NUL, which cannot be stored.
      const stored = comment.replace("\u0000", "")
      expect(d.comment).toBe(stored)
      expect((await adminOrder(order.id)).fulfillments[0].metadata.orderflow_comment).toBe(stored)
    })

    it("several tracking numbers become one label each", async () => {
      const { order, reference } = await exportedOrder([{ sku: "HOOD-S", quantity: 3 }])
      await sim.control.despatch({ orderReference: reference, trackingNumbers: ["TT1", "TT2", "TT3"], courierName: "dpd", push: true, wait: true })
      await processNow()
      const o = await adminOrder(order.id)
      expect(o.fulfillments[0].labels.map((l: any) => l.tracking_number).sort()).toEqual(["TT1", "TT2", "TT3"])
    })

    it("the despatch list's q finds despatches by part of a tracking number or by order reference, and nothing else", async () => {
      const first = await exportedOrder([{ sku: "TEE-S", quantity: 1 }])
      const second = await exportedOrder([{ sku: "TEE-M", quantity: 1 }])
      await sim.control.despatch({ orderReference: first.reference, trackingNumbers: ["QX100_AAA", "QX100-BBB"], courierName: "dpd", push: true, wait: true })
      await sim.control.despatch({ orderReference: second.reference, trackingNumbers: ["ZZ900CCC"], courierName: "dpd", push: true, wait: true })
      expect(await processNow()).toMatchObject({ shipped: 2 })
      const find = async (query: string) => {
        const res = await api.get(`/admin/orderflow/despatches?${query}`, admin)
        expect(Object.keys(res.data).sort()).toEqual(["count", "despatches", "limit", "offset"])
        expect(res.data.count).toBe(res.data.despatches.length)
        return res.data.despatches.map((d: any) => d.order_id)
      }
      // Substring of the second tracking number, any case.
      expect(await find("q=qx100-b")).toEqual([first.order.id])
      expect(await find("q=900ccc")).toEqual([second.order.id])
      // LIKE wildcards in q are plain characters: "_" matches only an underscore.
      expect(await find("q=QX100_")).toEqual([first.order.id])
      expect(await find("q=ZZ9_0")).toEqual([])
      expect(await find("q=%25")).toEqual([])
      // The order reference, combined with order_id.
      expect(await find(`q=${second.reference}&order_id=${second.order.id}`)).toEqual([second.order.id])
      expect(await find(`q=ZZ900&order_id=${first.order.id}`)).toEqual([])
    })

    it.each([
      ["in order", undefined],
      ["reversed", "reverse"],
    ])("two partial despatches delivered %s are both applied; the last completes the order", async (_how, order_) => {
      const { order, reference } = await exportedOrder([{ sku: "TEE-L", quantity: 3 }, { sku: "HOOD-M", quantity: 1 }])
      if (order_) sim.control.setFaults({ push: { shuffleWindow: 2, shuffleOrder: "reverse", shuffleHoldMs: 5000 } })
      await sim.control.despatch({ orderReference: reference, lines: [{ sku: "TEE-L", qty: 2 }], trackingNumbers: ["P1"], push: true })
      await sim.control.despatch({ orderReference: reference, trackingNumbers: ["P2"], push: true })
      const waited = await sim.control.waitForDeliveries({ timeoutMs: 20_000 })
      expect(waited.settled).toBe(true)
      const requests = await orderflowService(getContainer()).listOrderflowRequests({ type: "shipment" }, { order: { received_at: "ASC" } })
      const arrival = requests.map((r: any) => r.message_seq_id)
      if (order_) expect(arrival).toEqual([...arrival].sort((a, b) => b - a))
      else expect(arrival).toEqual([...arrival].sort((a, b) => a - b))
      // Process one message at a time: the first-arrived is applied before the other.
      await configureOrderflow(api, admin, { shipmentImport: { batchSize: 1 } })
      await processNow()
      const half = await adminOrder(order.id)
      expect(half.fulfillment_status).toBe("partially_shipped")
      expect(half.status).not.toBe("completed")
      await processNow()
      const o = await adminOrder(order.id)
      expect(o.fulfillment_status).toBe("shipped")
      expect(o.status).toBe("completed")
      expect(o.fulfillments.map((f: any) => f.labels[0].tracking_number).sort()).toEqual(["P1", "P2"])
    })

    it("a re-delivered despatch (same messageSeqId) is applied once", async () => {
      const { order, reference } = await exportedOrder([{ sku: "TEE-S", quantity: 1 }])
      sim.control.setFaults({ push: { duplicateNext: 1 } })
      await sim.control.despatch({ orderReference: reference, trackingNumbers: ["D1"], push: true, wait: true })
      // The second copy follows the first; wait until it has been acknowledged too.
      const { waitFor } = await import("../helpers/admin")
      const requests: any[] = await waitFor(async () => {
        const rows = await orderflowService(getContainer()).listOrderflowRequests({ type: "shipment" })
        return rows.length === 2 ? rows : null
      }, { what: "the duplicate delivery" })
      expect(requests.map((r: any) => r.status).sort()).toEqual(["duplicate", "pending"])
      await processNow()
      expect((await adminOrder(order.id)).fulfillments).toHaveLength(1)
    })

    it("a re-delivered despatch without messageSeqId is recognised by its content", async () => {
      const { order, reference } = await exportedOrder([{ sku: "TEE-S", quantity: 2 }])
      const body = { orderIncrementId: reference, skuQty: [{ sku: "TEE-S", qty: 1 }], tracks: [{ trackingNumber: "NOSEQ1" }], dateShipped: "2026-11-21 10:00:00" }
      const first = await api.post("/orderflow/shipment", body, inboundHeaders())
      const second = await api.post("/orderflow/shipment", { ...body, tracks: [{ trackingNumber: "NOSEQ1" }] }, inboundHeaders())
      expect([first.status, second.status]).toEqual([200, 200])
      expect(second.headers["x-orderflow-duplicate-of"]).toBe(first.headers["x-orderflow-request-id"])
      await processNow()
      const o = await adminOrder(order.id)
      expect(o.fulfillments).toHaveLength(1)
      expect(o.fulfillment_status).toBe("partially_shipped")
    })

    it("after a crash between fulfilment and record, processing again reuses the fulfilment (exactly once)", async () => {
      const { createOrderFulfillmentWorkflow } = await import("@medusajs/medusa/core-flows")
      const { order, reference } = await exportedOrder([{ sku: "HOOD-M", quantity: 2 }])
      await api.post("/orderflow/shipment", { orderIncrementId: reference, skuQty: [{ sku: "HOOD-M", qty: 2 }], tracks: [{ trackingNumber: "CR1" }], messageSeqId: 950 }, inboundHeaders())
      const [req] = await orderflowService(getContainer()).listOrderflowRequests({ message_seq_id: 950 })
      // What a worker that died right after creating the fulfilment leaves behind.
      const full = await adminOrder(order.id)
      await createOrderFulfillmentWorkflow(getContainer()).run({
        input: {
          order_id: order.id,
          items: full.items.map((i: any) => ({ id: i.id, quantity: 2 })),
          location_id: seeded.stockLocationId,
          metadata: { orderflow_despatch_key: req.dedupe_key },
        },
      })
      expect(await processNow()).toMatchObject({ shipped: 1 })
      const o = await adminOrder(order.id)
      expect(o.fulfillments).toHaveLength(1)
      expect(o.fulfillments[0].shipped_at).toBeTruthy()
      expect(o.fulfillments[0].labels.map((l: any) => l.tracking_number)).toEqual(["CR1"])
      expect(o.fulfillment_status).toBe("shipped")
    })

    it("a despatch whose record fails after its fulfilment puts the stock and reservation back and leaves the stock level's lock free", async () => {
      const { importShipmentWorkflow } = await import("../../src/workflows/import-shipment")
      const { stockLockKey } = await import("../../src/lib/inventory/stock-lock-keys")
      const { order, reference } = await exportedOrder([{ sku: "HOOD-S", quantity: 2 }])
      const inventory = getContainer().resolve(Modules.INVENTORY)
      const [item] = await inventory.listInventoryItems({ sku: "HOOD-S" })
      const level = async () => {
        const [l] = await inventory.listInventoryLevels({ inventory_item_id: item.id, location_id: seeded.stockLocationId })
        return { stocked: Number(l.stocked_quantity), reserved: Number(l.reserved_quantity) }
      }
      const before = await level()
      const notification = {
        messageSeqId: 960, orderIncrementId: reference, lines: [{ index: 0, sku: "HOOD-S", qty: 2 }], trackingNumbers: ["LK1"], courierName: null, serviceName: null,
        comment: null, email: false, includeComment: false, dateShipped: null, source: null, format: "json" as const,
      }
      // No request is claimed by "gone-worker", so the record finds its claim lost after the fulfilment and shipment were made.
      const { errors } = await importShipmentWorkflow(getContainer()).run({
        input: {
          request_id: "ofreq_lock_test", dedupe_key: "lock-test", notification: notification as any, claimed_by: "gone-worker",
          settings: { referencePrefix: "", notifyCustomer: false, completeOrders: true, trackingUrlTemplates: {}, locations: {}, defaultLocationId: seeded.stockLocationId },
        },
        throwOnError: false,
      })
      expect(errors.map((e: any) => e.error?.message ?? String(e.error)).join(" ")).toMatch(/no longer claimed/)
      const o = await adminOrder(order.id)
      expect(o.fulfillments.filter((f: any) => !f.canceled_at)).toHaveLength(0)
      expect(await level()).toEqual(before)
      // The release step's compensation took the lock again under the run's owner, and the acquire step's released it: nothing is left held.
      const locking = getContainer().resolve(Modules.LOCKING)
      const key = stockLockKey({ sku: "HOOD-S", location_id: seeded.stockLocationId })
      await locking.acquire(key, { ownerId: "test-after", expire: 5 })
      await locking.release(key, { ownerId: "test-after" })
    })

    it("an over-shipment applies the lines that fit and fails the excess: request processed_with_errors with the reason, one alert", async () => {
      const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 1 }, { sku: "HOOD-S", quantity: 1 }])
      await api.post(
        "/orderflow/shipment",
        { orderIncrementId: reference, skuQty: [{ sku: "HOOD-S", qty: 1 }, { sku: "TEE-M", qty: 5 }], messageSeqId: 901 },
        inboundHeaders()
      )
      expect(await processNow()).toMatchObject({ shipped: 1, over_shipped: 1, rejected: 0 })
      const o = await adminOrder(order.id)
      expect(o.fulfillments).toHaveLength(1)
      expect(o.fulfillment_status).toBe("shipped")
      const [req] = await orderflowService(getContainer()).listOrderflowRequests({ message_seq_id: 901 })
      expect(req.status).toBe("processed_with_errors")
      expect(req.error).toBe(`1 of 3 lines failed; first: TEE-M: over-shipment: 4 more of "TEE-M" than is left to ship on order #${reference}`)
      const alerts = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" })
      expect(alerts.map((a: any) => a.data?.title)).toEqual([`OrderFlow despatch over-shipped: order ${reference}`])
      expect(await processNow()).toMatchObject({ claimed: 0 })
    })

    it("unknown orders and unknown SKUs are rejected clearly", async () => {
      await api.post("/orderflow/shipment", { orderIncrementId: "999999", skuQty: [{ sku: "TEE-M", qty: 1 }], messageSeqId: 902 }, inboundHeaders())
      const { reference } = await exportedOrder([{ sku: "TEE-M", quantity: 1 }])
      await api.post("/orderflow/shipment", { orderIncrementId: reference, skuQty: [{ sku: "NOPE", qty: 1 }], messageSeqId: 903 }, inboundHeaders())
      expect(await processNow()).toMatchObject({ rejected: 2 })
      const errors = (await orderflowService(getContainer()).listOrderflowRequests({ type: "shipment" })).map((r: any) => r.error).sort()
      expect(errors).toEqual([`SKU "NOPE" is not on order #${reference}`, 'no order with reference "999999" in this store'].sort())
    })

    it("tells Medusa to notify the customer only when the message and the setting both allow it", async () => {
      const events: any[] = []
      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      eventBus.subscribe("shipment.created", async (data: any) => {
        events.push(data.data ?? data)
      })
      const a = await exportedOrder([{ sku: "TEE-M", quantity: 1 }])
      await sim.control.despatch({ orderReference: a.reference, email: true, trackingNumbers: ["N1"], push: true, wait: true })
      await processNow()
      const b = await exportedOrder([{ sku: "TEE-M", quantity: 1 }])
      await sim.control.despatch({ orderReference: b.reference, email: false, trackingNumbers: ["N2"], push: true, wait: true })
      await processNow()
      await configureOrderflow(api, admin, { shipmentImport: { notifyCustomer: false } })
      const c = await exportedOrder([{ sku: "TEE-M", quantity: 1 }])
      await sim.control.despatch({ orderReference: c.reference, email: true, trackingNumbers: ["N3"], push: true, wait: true })
      await processNow()
      const { waitFor } = await import("../helpers/admin")
      await waitFor(async () => events.length >= 3, { what: "shipment.created events" })
      expect(events.map((e) => e.no_notification)).toEqual([false, true, true])
      const despatches = await orderflowService(getContainer()).listOrderflowDespatches({}, { order: { created_at: "ASC" } })
      expect(despatches.map((d: any) => !!d.notified_at)).toEqual([true, false, false])
    })

    it("a despatch for an order cancelled in Medusa is rejected", async () => {
      const order = await placeOrder(api, seeded, [{ sku: "TEE-L", quantity: 1 }])
      await orderflowService(getContainer()).createOrderflowExportItems({
        entity_type: "order", entity_id: order.id, reference: String(order.display_id), status: "exported", exported_at: new Date(),
      })
      // Cancelled the way another plugin would (Medusa's workflow): OrderFlow is told after the fact.
      const { cancelOrderWorkflow } = await import("@medusajs/medusa/core-flows")
      await cancelOrderWorkflow(getContainer()).run({ input: { order_id: order.id } })
      await api.post("/orderflow/shipment", { orderIncrementId: String(order.display_id), skuQty: [{ sku: "TEE-L", qty: 1 }], messageSeqId: 904 }, inboundHeaders())
      expect(await processNow()).toMatchObject({ rejected: 1 })
      const [req] = await orderflowService(getContainer()).listOrderflowRequests({ message_seq_id: 904 })
      expect(req.error).toMatch(/is cancelled in Medusa/)
    })
  },
})
