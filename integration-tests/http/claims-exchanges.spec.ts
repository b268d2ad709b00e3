import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Simulator, startSimulator } from "orderflow-simulator"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, INBOUND_PASSWORD, INBOUND_USER, inboundHeaders, inventoryMessage, orderflowService } from "../helpers/orderflow"
import { capturePayment, placeOrder, variantBySku } from "../helpers/store"

jest.setTimeout(300_000)

// Claims and exchanges (issue 13): a confirmed claim's replacement items and
// an exchange's new items reach OrderFlow as an order of their own
// (`<ref>-C1`, `<ref>-X1`) through the order export, and the warehouse's
// despatch of that order fulfils exactly those items in Medusa. Everything
// happens through the store, admin and simulator APIs.

const SKUS = ["TEE-S", "TEE-M", "TEE-L", "HOOD-S", "HOOD-M", "00123-MUG"]

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
      sim = await startSimulator({
        port: 0,
        user: "orderflow",
        password: "orderflow",
        organisation: "demo",
        channel: "medusa",
        storeUrl: api.defaults.baseURL,
        storeUser: INBOUND_USER,
        storePassword: INBOUND_PASSWORD,
        pushRetryDelayMs: 20,
        seed: 13,
        log: false,
      })
      sim.control.seed({ products: SKUS.map((sku) => ({ sku, description: sku, stock: 100 })) })
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", timeoutSeconds: 5 },
        orderExport: { enabled: true },
        shipmentImport: { enabled: true },
        inventoryImport: { defaultLocationId: seeded.stockLocationId },
      })
    })

    afterEach(async () => sim.close())

    const service = () => orderflowService(getContainer())
    const rowOf = async (entityId: string) => (await service().listOrderflowExportItems({ entity_type: "order", entity_id: entityId }))[0] as any
    const runExport = async () => {
      const res = await api.post("/admin/orderflow/operations/order_export/run", {}, admin)
      expect(res.data.run).toMatchObject({ ran: true, status: "success" })
      return res.data.run.summary
    }
    const runShipmentImport = async () => {
      const res = await api.post("/admin/orderflow/operations/shipment_import/run", {}, admin)
      expect(res.data.run.status).toBe("success")
      return res.data.run.summary
    }
    const adminOrder = async (id: string) =>
      (await api.get(`/admin/orders/${id}?fields=id,status,*items,*items.detail,*fulfillments,*fulfillments.items`, admin)).data.order
    const fulfilledBySku = (order: any) =>
      Object.fromEntries(order.items.map((i: any) => [i.id, { sku: i.variant_sku, quantity: Number(i.quantity), fulfilled: Number(i.detail.fulfilled_quantity) }]))
    const importDocuments = () => sim.control.documents({ path: "importitems" })
    const despatch = async (orderReference: string, lines?: Array<{ sku: string; qty: number }>) => {
      const result = await sim.control.despatch({ orderReference, lines, trackingNumbers: [`T-${orderReference}-${Date.now()}`], push: true, wait: true })
      expect(result.message?.status).toBe("delivered")
    }

    /** Placed, paid, exported to the simulator; optionally despatched (some lines, or all) and imported. */
    const exportedOrder = async (items: Array<{ sku: string; quantity: number }>, despatched?: Array<{ sku: string; qty: number }> | "all") => {
      const order = await placeOrder(api, seeded, items)
      await capturePayment(api, admin, order.id)
      await waitFor(async () => (await rowOf(order.id))?.status === "pending", { what: `order ${order.display_id} pending` })
      expect(await runExport()).toMatchObject({ exported: 1 })
      const reference = String(order.display_id)
      expect(sim.state.orders.get(reference)).toBeTruthy()
      if (despatched) {
        await despatch(reference, despatched === "all" ? undefined : despatched)
        expect(await runShipmentImport()).toMatchObject({ shipped: 1 })
      }
      return { order, reference }
    }

    it("an exchange's new item reaches OrderFlow as <ref>-X1 with only that item and a link to the original, and its despatch fulfils it", async () => {
      const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 1 }], "all")
      const teeLine = order.items.find((i: any) => i.variant_sku === "TEE-M")

      // The exchange, as the admin dashboard makes it: TEE-M comes back, TEE-L goes out.
      const { data: begun } = await api.post("/admin/exchanges", { order_id: order.id }, admin)
      const exchangeId = begun.exchange.id
      await api.post(`/admin/exchanges/${exchangeId}/inbound/items`, { items: [{ id: teeLine.id, quantity: 1 }] }, admin)
      await api.post(`/admin/exchanges/${exchangeId}/outbound/items`, { items: [{ variant_id: variantBySku(seeded, "TEE-L").id, quantity: 1 }] }, admin)
      await api.post(`/admin/exchanges/${exchangeId}/outbound/shipping-method`, { shipping_option_id: seeded.shippingOptionIds[0], custom_amount: 0 }, admin)
      await api.post(`/admin/exchanges/${exchangeId}/request`, {}, admin)

      // order.exchange_created queued it, with the original's reference and an X number.
      const row = await waitFor(async () => {
        const r = await rowOf(exchangeId)
        return r?.status === "pending" ? r : null
      }, { what: "the exchange queued" })
      expect(row).toMatchObject({ reference: `${reference}-X1`, order_id: order.id, change_kind: "exchange" })

      const documentsBefore = importDocuments().length
      expect(await runExport()).toMatchObject({ claimed: 1, sent: 1, exported: 1, failed: 0 })
      expect(await rowOf(exchangeId)).toMatchObject({ status: "exported" })

      const sent = sim.state.orders.get(`${reference}-X1`)!
      expect(sent).toBeTruthy()
      expect(sent.shipments[0].lines.map((l) => [l.product, l.quantity])).toEqual([["TEE-L", 1]])
      expect(sent.attributes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: "originalOrder", value: reference }),
          expect.objectContaining({ name: "orderChange", value: "exchange" }),
        ])
      )
      expect(sent.fields).toMatchObject({ deliveryPostCode: "IP12 1AX", deliveryContactName: "Phil Zoio", shippingPriceGross: "0.00" })
      // The original order was not sent again: one more document, carrying the exchange only.
      const newDocuments = importDocuments().slice(documentsBefore)
      expect(newDocuments).toHaveLength(1)
      expect(newDocuments[0].body).toContain(`externalReference="${reference}-X1"`)
      expect(newDocuments[0].body).not.toContain(`externalReference="${reference}"`)

      // The warehouse despatches the exchange; the import fulfils its new line and nothing else.
      const before = fulfilledBySku(await adminOrder(order.id))
      await despatch(`${reference}-X1`)
      expect(await runShipmentImport()).toMatchObject({ claimed: 1, shipped: 1 })
      const after = await adminOrder(order.id)
      const lines = fulfilledBySku(after)
      const newLine = after.items.find((i: any) => i.variant_sku === "TEE-L")
      expect(lines[newLine.id]).toEqual({ sku: "TEE-L", quantity: 1, fulfilled: 1 })
      expect(lines[teeLine.id]).toEqual(before[teeLine.id])
      const last = after.fulfillments.find((f: any) => f.items.some((i: any) => i.line_item_id === newLine.id))
      expect(last.items.map((i: any) => [i.line_item_id, Number(i.quantity)])).toEqual([[newLine.id, 1]])
      const [record] = await service().listOrderflowDespatches({ order_id: order.id }, { order: { created_at: "DESC" }, take: 1 })
      expect(record).toMatchObject({ fulfillment_id: last.id })

      // The admin lists the order's record and its exchange's, linked to the Medusa order.
      const listed = await api.get(`/admin/orderflow/orders?order_id=${order.id}`, admin)
      expect(listed.data.orders.map((o: any) => [o.reference, o.order_id ?? null, o.status]).sort()).toEqual([
        [reference, null, "exported"],
        [`${reference}-X1`, order.id, "exported"],
      ])
    })

    it("a claim's replacement with the same SKU as an open original line travels as <ref>-C1; each despatch fulfils its own order's line", async () => {
      // 2 × TEE-M ordered, 1 despatched; the customer claims the one received was damaged.
      const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 2 }], [{ sku: "TEE-M", qty: 1 }])
      const teeLine = order.items.find((i: any) => i.variant_sku === "TEE-M")

      const { data: begun } = await api.post("/admin/claims", { order_id: order.id, type: "replace" }, admin)
      const claimId = begun.claim.id
      await api.post(`/admin/claims/${claimId}/claim-items`, { items: [{ id: teeLine.id, quantity: 1, reason: "production_failure" }] }, admin)
      await api.post(`/admin/claims/${claimId}/outbound/items`, { items: [{ variant_id: variantBySku(seeded, "TEE-M").id, quantity: 1 }] }, admin)
      await api.post(`/admin/claims/${claimId}/outbound/shipping-method`, { shipping_option_id: seeded.shippingOptionIds[0], custom_amount: 0 }, admin)
      await api.post(`/admin/claims/${claimId}/request`, {}, admin)

      await waitFor(async () => (await rowOf(claimId))?.status === "pending", { what: "the claim queued" })
      expect(await rowOf(claimId)).toMatchObject({ reference: `${reference}-C1`, order_id: order.id, change_kind: "claim" })
      expect(await runExport()).toMatchObject({ claimed: 1, exported: 1 })
      const sent = sim.state.orders.get(`${reference}-C1`)!
      expect(sent.shipments[0].lines.map((l) => [l.product, l.quantity])).toEqual([["TEE-M", 1]])
      expect(sent.attributes).toEqual(expect.arrayContaining([expect.objectContaining({ name: "originalOrder", value: reference })]))

      const withClaim = await adminOrder(order.id)
      const replacement = withClaim.items.find((i: any) => i.id !== teeLine.id && i.variant_sku === "TEE-M")
      expect(replacement).toBeTruthy()

      // The claim's despatch: TEE-M × 1 lands on the replacement line, not on the original's open unit.
      await despatch(`${reference}-C1`)
      expect(await runShipmentImport()).toMatchObject({ shipped: 1 })
      let lines = fulfilledBySku(await adminOrder(order.id))
      expect(lines[replacement.id].fulfilled).toBe(1)
      expect(lines[teeLine.id].fulfilled).toBe(1)

      // The original's remaining unit: on the original line, never on the claim's.
      await despatch(reference)
      expect(await runShipmentImport()).toMatchObject({ shipped: 1 })
      lines = fulfilledBySku(await adminOrder(order.id))
      expect(lines[teeLine.id].fulfilled).toBe(2)
      expect(lines[replacement.id].fulfilled).toBe(1)
    })

    it("catches an exchange whose event was missed with the export job's sweep", async () => {
      const { order, reference } = await exportedOrder([{ sku: "HOOD-M", quantity: 1 }], "all")
      const hoodLine = order.items[0]
      // Confirmed while order export is switched off: the event is ignored, no record is made.
      await configureOrderflow(api, admin, { orderExport: { enabled: false } })
      const { data: begun } = await api.post("/admin/exchanges", { order_id: order.id }, admin)
      const exchangeId = begun.exchange.id
      await api.post(`/admin/exchanges/${exchangeId}/inbound/items`, { items: [{ id: hoodLine.id, quantity: 1 }] }, admin)
      await api.post(`/admin/exchanges/${exchangeId}/outbound/items`, { items: [{ variant_id: variantBySku(seeded, "HOOD-S").id, quantity: 1 }] }, admin)
      await api.post(`/admin/exchanges/${exchangeId}/request`, {}, admin)
      expect(await rowOf(exchangeId)).toBeUndefined()

      await configureOrderflow(api, admin, { orderExport: { enabled: true } })
      const summary = await runExport()
      expect(summary.swept.changes).toMatchObject({ unknown: 1, queued: 1 })
      expect(summary).toMatchObject({ claimed: 1, exported: 1 })
      expect(await rowOf(exchangeId)).toMatchObject({ reference: `${reference}-X1`, status: "exported" })
      expect(sim.state.orders.get(`${reference}-X1`)!.shipments[0].lines.map((l) => [l.product, l.quantity])).toEqual([["HOOD-S", 1]])
      // Nothing is swept twice.
      expect((await runExport()).swept.changes).toMatchObject({ unknown: 0, queued: 0 })
    })

    it("withdraws an exchange cancelled in Medusa before it was sent: OrderFlow never gets it", async () => {
      const { order, reference } = await exportedOrder([{ sku: "TEE-S", quantity: 1 }], "all")
      const { data: begun } = await api.post("/admin/exchanges", { order_id: order.id }, admin)
      const exchangeId = begun.exchange.id
      await api.post(`/admin/exchanges/${exchangeId}/inbound/items`, { items: [{ id: order.items[0].id, quantity: 1 }] }, admin)
      await api.post(`/admin/exchanges/${exchangeId}/outbound/items`, { items: [{ variant_id: variantBySku(seeded, "TEE-M").id, quantity: 1 }] }, admin)
      await api.post(`/admin/exchanges/${exchangeId}/request`, {}, admin)
      await waitFor(async () => (await rowOf(exchangeId))?.status === "pending", { what: "the exchange queued" })
      await api.post(`/admin/exchanges/${exchangeId}/cancel`, {}, admin)

      expect(await runExport()).toMatchObject({ claimed: 1, sent: 0, exported: 0 })
      await runExport()
      expect(await rowOf(exchangeId)).toMatchObject({ cancel_status: "withdrawn", exported_at: null })
      expect(sim.state.orders.has(`${reference}-X1`)).toBe(false)

      // The next exchange of the order takes the next number: a reference is never given twice.
      const { data: second } = await api.post("/admin/exchanges", { order_id: order.id }, admin)
      await api.post(`/admin/exchanges/${second.exchange.id}/inbound/items`, { items: [{ id: order.items[0].id, quantity: 1 }] }, admin)
      await api.post(`/admin/exchanges/${second.exchange.id}/outbound/items`, { items: [{ variant_id: variantBySku(seeded, "TEE-L").id, quantity: 1 }] }, admin)
      await api.post(`/admin/exchanges/${second.exchange.id}/request`, {}, admin)
      await waitFor(async () => (await rowOf(second.exchange.id))?.status === "pending", { what: "the second exchange queued" })
      expect(await rowOf(second.exchange.id)).toMatchObject({ reference: `${reference}-X2` })
      expect(await runExport()).toMatchObject({ exported: 1 })
      expect(sim.state.orders.get(`${reference}-X2`)!.shipments[0].lines.map((l) => [l.product, l.quantity])).toEqual([["TEE-L", 1]])
    })

    it("counts an exchange's new item as unsent stock until its own order is exported, though the original was exported long before", async () => {
      const { order } = await exportedOrder([{ sku: "TEE-M", quantity: 1 }], "all")
      const teeLine = order.items.find((i: any) => i.variant_sku === "TEE-M")
      const { data: begun } = await api.post("/admin/exchanges", { order_id: order.id }, admin)
      const exchangeId = begun.exchange.id
      await api.post(`/admin/exchanges/${exchangeId}/inbound/items`, { items: [{ id: teeLine.id, quantity: 1 }] }, admin)
      await api.post(`/admin/exchanges/${exchangeId}/outbound/items`, { items: [{ variant_id: variantBySku(seeded, "HOOD-S").id, quantity: 2 }] }, admin)
      await api.post(`/admin/exchanges/${exchangeId}/outbound/shipping-method`, { shipping_option_id: seeded.shippingOptionIds[0], custom_amount: 0 }, admin)
      await api.post(`/admin/exchanges/${exchangeId}/request`, {}, admin)
      await waitFor(async () => (await rowOf(exchangeId))?.status === "pending", { what: "the exchange queued" })

      await configureOrderflow(api, admin, { inventoryImport: { enabled: true, adjustInventory: "unsent_orders" } })
      const stock = async (messageSeqId: number, seq: number) => {
        const res = await api.post("/orderflow/inventory", inventoryMessage(messageSeqId, [{ sku: "HOOD-S", qty: 40, seq }]), inboundHeaders())
        expect(res.status).toBe(200)
        const run = await api.post("/admin/orderflow/operations/inventory_import/run", {}, admin)
        expect(run.data.run.status).toBe("success")
        const [report] = await service().listOrderflowImports({}, { relations: ["lines"], order: { created_at: "DESC" }, take: 1 })
        return report.lines.find((l: any) => l.sku === "HOOD-S")
      }
      // OrderFlow's 40 cannot include the 2 hoodies it has not been told about.
      expect(await stock(501, 1)).toMatchObject({ received_qty: 40, unsent_order_qty: 2, applied_qty: 38 })
      expect(await runExport()).toMatchObject({ exported: 1 })
      expect(await stock(502, 2)).toMatchObject({ received_qty: 40, unsent_order_qty: 0, applied_qty: 40 })
    })

    it("records a claim on an order OrderFlow never received as skipped, with the reason, and sends nothing", async () => {
      // Paid and despatched outside OrderFlow: order export is off when it is placed.
      await configureOrderflow(api, admin, { orderExport: { enabled: false } })
      const order = await placeOrder(api, seeded, [{ sku: "TEE-S", quantity: 1 }])
      await capturePayment(api, admin, order.id)
      await configureOrderflow(api, admin, { orderExport: { enabled: true } })
      const teeLine = order.items[0]
      const fulfil = await api.post(`/admin/orders/${order.id}/fulfillments`, { items: [{ id: teeLine.id, quantity: 1 }], location_id: seeded.stockLocationId }, admin)
      expect(fulfil.status).toBe(200)
      const { data: begun } = await api.post("/admin/claims", { order_id: order.id, type: "replace" }, admin)
      const claimId = begun.claim.id
      await api.post(`/admin/claims/${claimId}/claim-items`, { items: [{ id: teeLine.id, quantity: 1, reason: "production_failure" }] }, admin)
      await api.post(`/admin/claims/${claimId}/outbound/items`, { items: [{ variant_id: variantBySku(seeded, "TEE-S").id, quantity: 1 }] }, admin)
      await api.post(`/admin/claims/${claimId}/request`, {}, admin)

      const row = await waitFor(async () => {
        const r = await rowOf(claimId)
        return r?.status === "skipped" ? r : null
      }, { what: "the claim recorded as skipped" })
      expect(row.skip_reason).toBe(`order #${order.display_id} was never sent to OrderFlow`)
      const documentsBefore = importDocuments().length
      expect(await runExport()).toMatchObject({ claimed: 0 })
      expect(importDocuments()).toHaveLength(documentsBefore)
    })
  },
})
