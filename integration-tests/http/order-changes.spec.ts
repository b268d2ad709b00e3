import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { confirmOrderEditRequestWorkflow, updateOrderWorkflow } from "@medusajs/medusa/core-flows"
import { startSimulator, type Simulator } from "orderflow-simulator"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, INBOUND_PASSWORD, INBOUND_USER, orderflowService } from "../helpers/orderflow"
import { capturePayment, placeOrder } from "../helpers/store"

jest.setTimeout(240_000)

// Issue 13: order changes reach the warehouse first. Through Medusa's own
// admin routes (cancel, order edit confirm, address change) the plugin asks
// OrderFlow (the simulator) before Medusa changes anything; a refusal
// refuses the admin request. Changes that bypass the routes are followed
// after the fact (reinsert) or blocked with an alert.

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
        user: "medusa",
        password: "wms",
        organisation: "demo",
        channel: "web",
        storeUrl: api.defaults.baseURL,
        storeUser: INBOUND_USER,
        storePassword: INBOUND_PASSWORD,
        pushRetryDelayMs: 20,
        seed: 13,
        log: false,
      })
      sim.control.seed({ products: SKUS.map((sku) => ({ sku, description: sku, stock: 100 })) })
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "medusa", password: "wms", organisation: "demo", channel: "web", timeoutSeconds: 2 },
        orderExport: { enabled: true },
        shipmentImport: { enabled: true },
        inventoryImport: { defaultLocationId: seeded.stockLocationId },
        retry: { maxAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 1 },
      })
    })

    afterEach(async () => sim.close())

    const service = () => orderflowService(getContainer())
    const exportRow = async (orderId: string) => (await service().listOrderflowExportItems({ entity_type: "order", entity_id: orderId }))[0] as any
    const calls = (operation: string) =>
      service().listOrderflowExports({ operation }, { relations: ["lines"], order: { created_at: "ASC" } }) as Promise<any[]>
    const alerts = async () =>
      (await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ trigger_type: "orderflow.alert" })).map((n: any) => n.data?.title as string)
    const adminOrder = async (id: string) =>
      (await api.get(`/admin/orders/${id}?fields=id,status,version,*items,*items.detail,*fulfillments,*payment_collections,*payment_collections.payments.refunds,*shipping_address`, admin)).data.order

    /** Paid and exported through the order export: OrderFlow (the simulator) holds it. */
    const exportedOrder = async (items: Array<{ sku: string; quantity: number }>) => {
      const order = await placeOrder(api, seeded, items)
      await capturePayment(api, admin, order.id)
      await waitFor(async () => (await exportRow(order.id))?.status === "pending", { what: "queued" })
      const res = await api.post("/admin/orderflow/operations/order_export/run", {}, admin)
      expect(res.data.run.status).toBe("success")
      const row = await exportRow(order.id)
      expect(row.status).toBe("exported")
      expect(sim.state.orders.get(row.reference)).toBeTruthy()
      return { order, reference: row.reference as string }
    }
    const simLines = (reference: string) =>
      sim.state.orders
        .get(reference)!
        .shipments.filter((s) => s.state !== "cancelled")
        .flatMap((s) => s.lines.map((l) => [l.product, l.quantity] as [string, number]))
        .sort(([a], [b]) => a.localeCompare(b))
    const cancel = (orderId: string, headers = admin) => api.post(`/admin/orders/${orderId}/cancel`, {}, { ...headers, validateStatus: () => true })

    /** An order edit through Medusa's admin routes: begin, set quantities, request, confirm. */
    const editOrder = async (orderId: string, quantities: Record<string, number>) => {
      await api.post("/admin/order-edits", { order_id: orderId }, admin)
      const order = await adminOrder(orderId)
      for (const [sku, quantity] of Object.entries(quantities)) {
        const item = order.items.find((i: any) => i.variant_sku === sku)
        await api.post(`/admin/order-edits/${orderId}/items/item/${item.id}`, { quantity }, admin)
      }
      await api.post(`/admin/order-edits/${orderId}/request`, {}, admin)
      return api.post(`/admin/order-edits/${orderId}/confirm`, {}, { ...admin, validateStatus: () => true })
    }
    const despatchAndImport = async (reference: string, lines: Array<{ sku: string; qty: number }>) => {
      await sim.control.despatch({ orderReference: reference, lines, trackingNumbers: ["T1"], push: true, wait: true })
      const res = await api.post("/admin/orderflow/operations/shipment_import/run", {}, admin)
      expect(res.data.run.status).toBe("success")
      return res.data.run.summary
    }
    const shipped = (order: any) =>
      Object.fromEntries(order.items.map((i: any) => [i.variant_sku, Number(i.detail.fulfilled_quantity)]))

    describe("cancel with veto", () => {
      it("refuses an admin cancel of an order OrderFlow has packed, with OrderFlow's message, and cancels or refunds nothing", async () => {
        const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 1 }])
        sim.control.setShipmentState(reference, "packed")
        const res = await cancel(order.id)
        expect(res.status).toBe(400)
        expect(res.data.message).toMatch(/^Cancellation refused by OrderFlow: .*packed/)
        const after = await adminOrder(order.id)
        expect(after.status).not.toBe("canceled")
        expect(after.payment_collections[0].payments[0].refunds ?? []).toHaveLength(0)
        expect(after.payment_collections[0].status).toBe("completed")
        expect(sim.state.orders.get(reference)!.cancelled).toBe(false)
        expect(await exportRow(order.id)).toMatchObject({ status: "exported", cancel_status: "vetoed" })
        expect((await exportRow(order.id)).cancel_error).toMatch(/packed/)
        // The order page reads it from the plugin's order route.
        const detail = await api.get(`/admin/orderflow/orders/${order.id}`, admin)
        expect(JSON.stringify(detail.data)).toContain("vetoed")

        // Unpacked in the warehouse: the same cancel now goes through both.
        sim.control.setShipmentState(reference, "ready")
        const again = await cancel(order.id)
        expect(again.status).toBe(200)
        expect(again.data.order.status).toBe("canceled")
        expect(sim.state.orders.get(reference)!.cancelled).toBe(true)
        expect(await exportRow(order.id)).toMatchObject({ status: "cancelled", cancel_status: "sent" })
        const history = await calls("order_cancel")
        expect(history.map((c) => c.status)).toEqual(["failed", "success"])
      })

      it("lets the cancel of an order OrderFlow never received go ahead (MissingDataException)", async () => {
        const { order, reference } = await exportedOrder([{ sku: "TEE-S", quantity: 1 }])
        // OrderFlow lost it (cancelled there under another reference).
        sim.control.cancelOrder(reference, true)
        const res = await cancel(order.id)
        expect(res.status).toBe(200)
        expect(res.data.order.status).toBe("canceled")
        expect(await exportRow(order.id)).toMatchObject({ status: "cancelled", cancel_status: "not_found" })
        // The order.canceled event that follows finds nothing left to send.
        await new Promise((r) => setTimeout(r, 500))
        expect(sim.control.documents({ path: "cancel.xml" })).toHaveLength(1)
      })

      it("refuses the cancel while OrderFlow is unreachable, or queues it when the setting says so", async () => {
        const { order, reference } = await exportedOrder([{ sku: "TEE-L", quantity: 1 }])
        sim.control.setFaults({ next: [{ fault: "error", path: "cancel.xml", status: 503 }] })
        const res = await cancel(order.id)
        expect(res.status).toBe(400)
        expect(res.data.message).toMatch(/OrderFlow could not be reached .*HTTP 503.*not cancelled/)
        expect((await adminOrder(order.id)).status).not.toBe("canceled")

        await configureOrderflow(api, admin, { orderExport: { cancelWhenUnreachable: "queue" } })
        sim.control.setFaults({ next: [{ fault: "error", path: "cancel.xml", status: 503 }] })
        const queued = await cancel(order.id)
        expect(queued.status).toBe(200)
        expect(queued.data.order.status).toBe("canceled")
        expect(await exportRow(order.id)).toMatchObject({ status: "exported", cancel_status: "pending" })
        await waitFor(async () => new Date((await exportRow(order.id)).cancel_next_attempt_at).getTime() <= Date.now(), { what: "retry due" })
        await api.post("/admin/orderflow/operations/order_export/run", {}, admin)
        expect(await exportRow(order.id)).toMatchObject({ status: "cancelled", cancel_status: "sent" })
        expect(sim.state.orders.get(reference)!.cancelled).toBe(true)
      })

      it("never calls OrderFlow for an unauthenticated cancel request", async () => {
        const { order } = await exportedOrder([{ sku: "TEE-S", quantity: 1 }])
        const res = await api.post(`/admin/orders/${order.id}/cancel`, {}, { validateStatus: () => true })
        expect(res.status).toBe(401)
        expect(sim.control.documents({ path: "cancel.xml" })).toHaveLength(0)
      })
    })

    describe("order edits after export", () => {
      it("sends a removed line as an order line cancellation, and a later despatch of the rest fulfils the order", async () => {
        const { order, reference } = await exportedOrder([
          { sku: "TEE-M", quantity: 2 },
          { sku: "00123-MUG", quantity: 1 },
        ])
        const res = await editOrder(order.id, { "00123-MUG": 0 })
        expect(res.status).toBe(200)
        expect(simLines(reference)).toEqual([["TEE-M", 2]])
        const [call] = await calls("order_line_cancel")
        expect(call.request_body).toMatch(new RegExp(`orderReference=${reference}&productReference=00123-MUG&thirdPartyReference=ordli_`))
        expect(await exportRow(order.id)).toMatchObject({ edit_status: "synced", synced_order_version: (await adminOrder(order.id)).version })
        const summary = await despatchAndImport(reference, [{ sku: "TEE-M", qty: 2 }])
        expect(summary).toMatchObject({ shipped: 1, rejected: 0, failed: 0 })
        const after = await adminOrder(order.id)
        expect(shipped(after)).toMatchObject({ "TEE-M": 2 })
        expect(after.fulfillments).toHaveLength(1)
      })

      it("re-sends the whole order with reinsert when a quantity is reduced, and the despatch of the reduced quantity fulfils", async () => {
        const { order, reference } = await exportedOrder([
          { sku: "TEE-M", quantity: 3 },
          { sku: "HOOD-S", quantity: 1 },
        ])
        const res = await editOrder(order.id, { "TEE-M": 1 })
        expect(res.status).toBe(200)
        const [call] = await calls("order_reinsert")
        expect(call.request_body).toContain(`<import type="order" operation="reinsert" externalReference="${reference}">`)
        expect(simLines(reference)).toEqual([["HOOD-S", 1], ["TEE-M", 1]])
        await despatchAndImport(reference, [{ sku: "TEE-M", qty: 1 }, { sku: "HOOD-S", qty: 1 }])
        expect(shipped(await adminOrder(order.id))).toMatchObject({ "TEE-M": 1, "HOOD-S": 1 })
      })

      it("refuses an edit OrderFlow refuses (packed), leaving the order unchanged in Medusa and in OrderFlow", async () => {
        const { order, reference } = await exportedOrder([
          { sku: "TEE-M", quantity: 2 },
          { sku: "00123-MUG", quantity: 1 },
        ])
        sim.control.setShipmentState(reference, "packed")
        const res = await editOrder(order.id, { "00123-MUG": 0 })
        expect(res.status).toBe(400)
        expect(res.data.message).toMatch(/^Change refused by OrderFlow: .*packed/)
        const after = await adminOrder(order.id)
        expect(after.items.find((i: any) => i.variant_sku === "00123-MUG").quantity).toBe(1)
        expect(simLines(reference)).toEqual([["00123-MUG", 1], ["TEE-M", 2]])
        expect(await exportRow(order.id)).toMatchObject({ edit_status: "refused" })
      })

      it("blocks, with one alert, an edit confirmed outside the admin route that OrderFlow refuses", async () => {
        const { order, reference } = await exportedOrder([
          { sku: "TEE-M", quantity: 2 },
          { sku: "00123-MUG", quantity: 1 },
        ])
        sim.control.setShipmentState(reference, "packed")
        await api.post("/admin/order-edits", { order_id: order.id }, admin)
        const item = (await adminOrder(order.id)).items.find((i: any) => i.variant_sku === "TEE-M")
        await api.post(`/admin/order-edits/${order.id}/items/item/${item.id}`, { quantity: 1 }, admin)
        await api.post(`/admin/order-edits/${order.id}/request`, {}, admin)
        // Another plugin confirming it through Medusa's workflow: nothing to intercept.
        await confirmOrderEditRequestWorkflow(getContainer()).run({ input: { order_id: order.id, confirmed_by: "script" } })
        const row = await waitFor(async () => {
          const r = await exportRow(order.id)
          return r.edit_status === "blocked" ? r : null
        }, { what: "blocked" })
        expect(row.edit_message).toMatch(/packed/)
        await waitFor(async () => (await alerts()).includes(`Order ${reference} changed in Medusa but not in OrderFlow`), { what: "alert" })
        expect((await alerts()).filter((t) => t.includes(reference))).toHaveLength(1)
      })

      it("blocks what needs reinsert when the OrderFlow version is below 4.3.3, refusing the edit at the admin route", async () => {
        await configureOrderflow(api, admin, { orderExport: { orderflowVersion: "4.3.2" } })
        const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 3 }])
        const res = await editOrder(order.id, { "TEE-M": 2 })
        expect(res.status).toBe(400)
        expect(res.data.message).toMatch(/reinsert, available from OrderFlow 4\.3\.3 .*4\.3\.2/)
        expect(simLines(reference)).toEqual([["TEE-M", 3]])
        expect(sim.control.documents({ path: "importitems.xml" }).filter((d: any) => d.body?.includes("reinsert"))).toHaveLength(0)
      })
    })

    describe("address changes after export", () => {
      it("re-sends the order with the new delivery address (reinsert) before Medusa saves it", async () => {
        const { order, reference } = await exportedOrder([{ sku: "TEE-S", quantity: 1 }])
        const res = await api.post(`/admin/orders/${order.id}`, { shipping_address: { address_1: "1 New Street", postal_code: "SW1A 1AA" } }, admin)
        expect(res.status).toBe(200)
        expect(sim.state.orders.get(reference)!.fields.deliveryAddressLine1).toBe("1 New Street")
        expect(sim.state.orders.get(reference)!.fields.deliveryPostCode).toBe("SW1A 1AA")
        expect((await adminOrder(order.id)).shipping_address.address_1).toBe("1 New Street")
        // OrderFlow's copy is recorded as matching the order's version after the change.
        expect((await exportRow(order.id)).synced_order_version).toBe((await adminOrder(order.id)).version)
        // order.updated follows; the event path finds it already synced.
        await new Promise((r) => setTimeout(r, 500))
        expect(await calls("order_reinsert")).toHaveLength(1)
      })

      it("re-sends an address changed outside the admin route (order.updated) with reinsert", async () => {
        const { order, reference } = await exportedOrder([{ sku: "TEE-S", quantity: 1 }])
        // Another plugin or a script changing the address through Medusa's workflow.
        await updateOrderWorkflow(getContainer()).run({ input: { id: order.id, user_id: "script", shipping_address: { address_1: "9 Side Road" } } })
        // The record follows OrderFlow's answer: wait for it.
        await waitFor(async () => (await exportRow(order.id)).edit_status === "synced", { what: "change recorded as synced" })
        expect(sim.state.orders.get(reference)!.fields.deliveryAddressLine1).toBe("9 Side Road")
        const [call] = await calls("order_reinsert")
        expect(call.trigger).toBe("event")
      })
    })
  },
})
