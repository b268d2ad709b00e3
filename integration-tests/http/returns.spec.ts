import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Simulator, startSimulator } from "orderflow-simulator"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, INBOUND_PASSWORD, INBOUND_USER, orderflowService, runOperation } from "../helpers/orderflow"
import { capturePayment, placeOrder } from "../helpers/store"

jest.setTimeout(300_000)

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any
    let sim: Simulator
    const reasons: Record<string, string> = {}

    beforeAll(async () => {
      seeded = await seedDemoStore(getContainer())
      admin = await loginAsAdmin(api, getContainer())
      for (const [value, label] of [["wrong_size", "Wrong size"], ["damaged", "Damaged in transit"], ["changed_mind", "Changed my mind"]]) {
        const { data } = await api.post("/admin/return-reasons", { value, label }, admin)
        reasons[value] = data.return_reason.id
      }
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
      sim.control.seed({ products: ["TEE-S", "TEE-M", "TEE-L", "HOOD-S", "HOOD-M", "00123-MUG"].map((sku) => ({ sku, description: sku, stock: 100 })) })
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "medusa", password: "wms", organisation: "demo", channel: "web", timeoutSeconds: 5 },
        orderExport: { enabled: true },
        shipmentImport: { enabled: true },
        inventoryImport: { defaultLocationId: seeded.stockLocationId },
        returns: { enabled: true, overlapMinutes: 60 },
        retry: { maxAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 1 },
      })
    })

    afterEach(async () => sim.close())

    const service = () => orderflowService(getContainer())
    const runNow = async (operation: string) => {
      const res = await api.post(`/admin/orderflow/operations/${operation}/run`, {}, admin)
      expect(res.data.run).toMatchObject({ ran: true, status: "success" })
      return res.data.run.summary
    }
    const orderItems = async (orderId: string) =>
      (await api.get(`/admin/orders/${orderId}?fields=id,*items`, admin)).data.order.items as Array<{ id: string; variant_sku: string; quantity: number }>
    const itemOf = (items: Array<{ id: string; variant_sku: string }>, sku: string) => items.find((i) => i.variant_sku === sku)!.id
    const stocked = async (sku: string) => {
      const { data } = await api.get(`/admin/inventory-items?sku=${encodeURIComponent(sku)}&fields=id,sku,*location_levels`, admin)
      return Number(data.inventory_items[0].location_levels.find((l: any) => l.location_id === seeded.stockLocationId).stocked_quantity)
    }

    /** Placed through a cart, paid, exported to the simulator by the order export, despatched there and shipped in Medusa by the shipment import. */
    const shippedOrder = async (items: Array<{ sku: string; quantity: number }>) => {
      const order = await placeOrder(api, seeded, items)
      await capturePayment(api, admin, order.id)
      await waitFor(async () => (await service().listOrderflowExportItems({ entity_type: "order", entity_id: order.id }))[0], { what: "export row" })
      expect(await runNow("order_export")).toMatchObject({ exported: 1 })
      const reference = String(order.display_id)
      expect(sim.state.orders.get(reference)).toBeTruthy()
      const despatch = await sim.control.despatch({ orderReference: reference, trackingNumbers: ["RM1"], courierName: "royalmail", push: true, wait: true })
      expect(despatch.message?.status).toBe("delivered")
      expect(await runNow("shipment_import")).toMatchObject({ shipped: 1 })
      return { order, reference }
    }

    /** Requests a return through the admin API, as a person does on the order page. */
    const requestReturn = async (orderId: string, lines: Array<{ id: string; quantity: number; reason?: string }>) => {
      const { data } = await api.post("/admin/returns", { order_id: orderId, location_id: seeded.stockLocationId }, admin)
      const returnId = data.return.id as string
      await api.post(
        `/admin/returns/${returnId}/request-items`,
        { items: lines.map((l) => ({ id: l.id, quantity: l.quantity, ...(l.reason ? { reason_id: reasons[l.reason] } : {}) })) },
        admin
      )
      await api.post(`/admin/returns/${returnId}/request`, {}, admin)
      return returnId
    }
    const recordOf = (returnId: string) =>
      waitFor(async () => (await api.get(`/admin/orderflow/returns?return_id=${returnId}`, admin)).data.returns[0], { what: `return ${returnId} recorded` })

    it("a return requested in Medusa reaches OrderFlow with the order reference, SKUs, quantities, mapped reasons and condition; applied there, two overlapping pulls receive it once, restocking the As-new line only", async () => {
      const { order, reference } = await shippedOrder([{ sku: "TEE-M", quantity: 2 }, { sku: "00123-MUG", quantity: 1 }])
      const items = await orderItems(order.id)
      const returnId = await requestReturn(order.id, [
        { id: itemOf(items, "TEE-M"), quantity: 2, reason: "wrong_size" },
        { id: itemOf(items, "00123-MUG"), quantity: 1, reason: "changed_mind" },
      ])

      const sent = await waitFor(async () => {
        const r = await recordOf(returnId)
        return r.status === "sent" ? r : null
      }, { what: "return sent" })
      expect(sent).toMatchObject({ order_id: order.id, order_reference: reference, attempts: 1, last_error: null })
      const inOrderflow = sim.control.returns()
      expect(inOrderflow).toHaveLength(1)
      expect(inOrderflow[0]).toMatchObject({ orderReference: reference, authorisation: sent.authorisation, authorised: true, type: "unknown", state: "created" })
      expect(sent.authorisation).toMatch(/^RET-\d+$/)
      expect(inOrderflow[0].lines.map((l) => [l.product, l.quantity, l.reason, l.condition])).toEqual([
        ["TEE-M", 2, "C - Wrong size", "As new"],
        // changed_mind is not in the default mapping: H - Other.
        ["00123-MUG", 1, "H - Other", "As new"],
      ])

      const teeBefore = await stocked("TEE-M")
      const mugBefore = await stocked("00123-MUG")
      // The warehouse books the parcel in: the tee without a condition (the one sent, As new), the mug broken.
      sim.control.applyReturn(inOrderflow[0].id, { lines: [{ product: "00123-MUG", condition: "Product damaged (irreparable)" }] })

      expect(await runNow("returns")).toMatchObject({ pulled: 1, received: 1, unmatched: 0, duplicates: 0, pull_error: null })
      // A second pull overlaps the first (60 minutes back): it sees the return again and receives nothing more.
      const second = await runNow("returns")
      expect(second).toMatchObject({ pulled: 1, received: 0, duplicates: 1 })
      expect(new Date(second.window_from).getTime()).toBeLessThan(Date.now() - 59 * 60_000)

      const { data } = await api.get(`/admin/orders/${order.id}?fields=id,*returns,*returns.items`, admin)
      const ret = data.order.returns.find((r: any) => r.id === returnId)
      expect(ret.status).toBe("received")
      const byItem = Object.fromEntries(ret.items.map((i: any) => [i.item_id, [Number(i.quantity), Number(i.received_quantity), Number(i.damaged_quantity)]]))
      expect(byItem[itemOf(items, "TEE-M")]).toEqual([2, 2, 0])
      expect(byItem[itemOf(items, "00123-MUG")]).toEqual([1, 1, 1])
      expect(await stocked("TEE-M")).toBe(teeBefore + 2)
      expect(await stocked("00123-MUG")).toBe(mugBefore)

      const record = await recordOf(returnId)
      expect(record.status).toBe("received")
      expect(record.lines.map((l: any) => [l.sku, l.quantity, l.received_quantity, l.damaged_quantity, l.applied_condition])).toEqual([
        ["TEE-M", 2, 2, 0, "As new"],
        ["00123-MUG", 1, 0, 1, "Product damaged (irreparable)"],
      ])
      const applied = (await api.get(`/admin/orderflow/returns/applied?order_id=${order.id}`, admin)).data.applied_returns
      expect(applied.map((a: any) => [a.orderflow_id, a.status, a.restocked_quantity, a.damaged_quantity])).toEqual([[String(inOrderflow[0].id), "received", 2, 1]])
      const history = (await api.get(`/admin/orderflow/exports?operation=return_import`, admin)).data
      expect(history.exports.map((e: any) => e.status)).toEqual(["success"])
    })

    it("a return for an order OrderFlow never had is recorded as skipped with the reason and sends nothing; had its event been lost, the next returns run records it, once", async () => {
      await configureOrderflow(api, admin, { orderExport: { enabled: false } })
      const order = await placeOrder(api, seeded, [{ sku: "TEE-S", quantity: 1 }])
      await capturePayment(api, admin, order.id)
      const items = await orderItems(order.id)
      await api.post(`/admin/orders/${order.id}/fulfillments`, { location_id: seeded.stockLocationId, items: [{ id: items[0].id, quantity: 1 }] }, admin)
      const returnId = await requestReturn(order.id, [{ id: items[0].id, quantity: 1, reason: "wrong_size" }])

      const record = await recordOf(returnId)
      expect(record).toMatchObject({ status: "skipped", attempts: 0, sent_at: null })
      expect(record.skip_reason).toBe(`OrderFlow never received order ${order.id}: nothing to return there`)
      expect(await runNow("returns")).toMatchObject({ sent: 0, waiting: 0, recorded_late: 0 })
      expect(sim.control.returns()).toEqual([])

      // As if the order.return_requested event had been lost: the next run's sweep records it, once.
      const lines = await service().listOrderflowReturnLines({ return_record_id: record.id })
      await service().deleteOrderflowReturnLines(lines.map((l: any) => l.id))
      await service().deleteOrderflowReturns([record.id])
      expect(await runNow("returns")).toMatchObject({ recorded_late: 1, sent: 0 })
      expect(await runNow("returns")).toMatchObject({ recorded_late: 0 })
      const again = await recordOf(returnId)
      expect(again).toMatchObject({ status: "skipped", skip_reason: record.skip_reason })
      expect(again.lines.map((l: any) => [l.sku, l.quantity, l.reason])).toEqual([["TEE-S", 1, "C - Wrong size"]])
      expect(sim.control.documents({ path: "importitems", method: "POST" }).filter((d: any) => d.body.includes('type="return"'))).toEqual([])
    })

    it("a return for an order still waiting in the export queue is kept pending without using attempts, and sent by the first returns run after the order is exported", async () => {
      const order = await placeOrder(api, seeded, [{ sku: "HOOD-S", quantity: 1 }])
      await capturePayment(api, admin, order.id)
      await waitFor(async () => (await service().listOrderflowExportItems({ entity_type: "order", entity_id: order.id, status: "pending" }))[0], { what: "order queued" })
      const items = await orderItems(order.id)
      await api.post(`/admin/orders/${order.id}/fulfillments`, { location_id: seeded.stockLocationId, items: [{ id: items[0].id, quantity: 1 }] }, admin)
      const returnId = await requestReturn(order.id, [{ id: items[0].id, quantity: 1, reason: "wrong_size" }])

      const waiting = await recordOf(returnId)
      expect(waiting).toMatchObject({ status: "pending", attempts: 0, sent_at: null })
      expect(await runNow("returns")).toMatchObject({ waiting: 1, sent: 0 })
      expect(await recordOf(returnId)).toMatchObject({ status: "pending", attempts: 0 })
      expect(sim.control.returns()).toEqual([])

      expect(await runNow("order_export")).toMatchObject({ exported: 1 })
      const run = await runOperation(getContainer(), "returns", new Date(Date.now() + 10 * 60_000))
      expect(run.summary).toMatchObject({ sent: 1 })
      expect(await recordOf(returnId)).toMatchObject({ status: "sent", attempts: 1, order_reference: String(order.display_id) })
      expect(sim.control.returns().map((r) => [r.orderReference, r.lines.map((l) => [l.product, l.quantity, l.reason, l.condition])])).toEqual([
        [String(order.display_id), [["HOOD-S", 1, "C - Wrong size", "As new"]]],
      ])
    })

    it("a whole-call failure (HTTP 503) leaves the return pending with the error and a next attempt; the returns run after that sends it; a failed pull fails the run and is covered by the next", async () => {
      const { order, reference } = await shippedOrder([{ sku: "HOOD-M", quantity: 1 }])
      const items = await orderItems(order.id)
      sim.control.setFaults({ next: [{ fault: "error", path: "/remotewarehouse/imports/importitems.xml", status: 503, count: 1 }] })
      const returnId = await requestReturn(order.id, [{ id: items[0].id, quantity: 1, reason: "damaged" }])

      const pending = await waitFor(async () => {
        const r = await recordOf(returnId)
        return r.attempts === 1 ? r : null
      }, { what: "first attempt recorded" })
      expect(pending.status).toBe("pending")
      expect(pending.last_error).toContain("HTTP 503")
      expect(new Date(pending.next_attempt_at).getTime()).toBeGreaterThan(Date.now() - 1000)
      expect(sim.control.returns()).toEqual([])

      const later = new Date(Date.now() + 10 * 60_000)
      const run = await runOperation(getContainer(), "returns", later)
      expect(run.summary).toMatchObject({ sent: 1 })
      const sent = await recordOf(returnId)
      expect(sent).toMatchObject({ status: "sent", attempts: 2, last_error: null })

      // A failed pull fails the run with the cause and is recorded; the next pull starts from the last successful one.
      const [lastGood] = await service().listOrderflowReturnPulls({ status: "success" }, { order: { to_at: "DESC", id: "DESC" }, take: 1 })
      sim.control.setFaults({ next: [{ fault: "error", path: "/remotewarehouse/returnitem/applied.xml", status: 503, count: 1 }] })
      const failedRun = (await api.post(`/admin/orderflow/operations/returns/run`, {}, admin)).data.run
      expect(failedRun).toMatchObject({ ran: true, status: "failed" })
      expect(failedRun.error).toContain("HTTP 503")
      const [failedPull] = await service().listOrderflowReturnPulls({ status: "failed" })
      expect(failedPull.error).toContain("HTTP 503")
      const next = await runNow("returns")
      expect(new Date(next.window_from).getTime()).toBe(new Date(lastGood.to_at).getTime() - 60 * 60_000)
      expect(sim.control.returns().map((r) => [r.orderReference, r.lines.map((l) => [l.product, l.quantity, l.reason])])).toEqual([
        [reference, [["HOOD-M", 1, "F - Damaged in transit"]]],
      ])
    })

    it("a return received by hand in Medusa before OrderFlow applies it is not received again: the applied return is unmatched, saying why", async () => {
      const { order } = await shippedOrder([{ sku: "TEE-M", quantity: 1 }])
      const items = await orderItems(order.id)
      const returnId = await requestReturn(order.id, [{ id: items[0].id, quantity: 1, reason: "wrong_size" }])
      await waitFor(async () => ((await recordOf(returnId)).status === "sent" ? true : null), { what: "return sent" })
      const stockBefore = await stocked("TEE-M")
      await api.post(`/admin/returns/${returnId}/receive`, {}, admin)
      await api.post(`/admin/returns/${returnId}/receive-items`, { items: [{ id: items[0].id, quantity: 1 }] }, admin)
      await api.post(`/admin/returns/${returnId}/receive/confirm`, {}, admin)
      expect(await stocked("TEE-M")).toBe(stockBefore + 1)

      const { authorisation } = await recordOf(returnId)
      const [inOrderflow] = sim.control.returns().filter((r) => r.authorisation === authorisation)
      sim.control.applyReturn(inOrderflow.id, { condition: "As new" })
      expect(await runNow("returns")).toMatchObject({ received: 0, unmatched: 1 })
      expect(await stocked("TEE-M")).toBe(stockBefore + 1)
      const applied = (await api.get(`/admin/orderflow/returns/applied?status=unmatched`, admin)).data.applied_returns.find((a: any) => a.orderflow_id === String(inOrderflow.id))
      expect(applied.error).toContain("1 return(s) sent for the order were already received or cancelled in Medusa")
      expect((await recordOf(returnId)).status).toBe("sent")
    })

    it("an applied return that matches no return sent from Medusa is recorded as unmatched once, with one incident, however often it is pulled; log cleaning keeps the last successful pull", async () => {
      const { reference } = await shippedOrder([{ sku: "TEE-L", quantity: 1 }])
      // Entered in OrderFlow directly (e.g. at the warehouse desk), never requested in Medusa.
      const res = await fetch(`${sim.baseUrl}/remotewarehouse/imports/importitems.xml`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from("medusa:wms").toString("base64")}`, organisation: "demo", "content-type": "application/xml" },
        body: `<imports><import type="return" operation="insert">\nreturn.orderReference=${reference}\nreturn.authorisation=DESK-1\nreturnLine.1.quantity=1\nreturnLine.1.product=TEE-L\n</import></imports>`,
      })
      expect(await res.text()).toContain("importSuccesses")
      const [desk] = sim.control.returns()
      sim.control.applyReturn(desk.id, { condition: "As new" })

      expect(await runNow("returns")).toMatchObject({ pulled: 1, unmatched: 1, received: 0 })
      expect(await runNow("returns")).toMatchObject({ pulled: 1, unmatched: 0, duplicates: 1 })
      const applied = (await api.get(`/admin/orderflow/returns/applied?status=unmatched`, admin)).data.applied_returns
      expect(applied.filter((a: any) => a.orderflow_id === String(desk.id)).map((a: any) => a.error)).toEqual([`no open return sent for order reference ${reference}`])
      const incidents = await service().listOrderflowIncidents({ key: `return-unmatched:${desk.id}` })
      expect(incidents).toHaveLength(1)

      // Log cleaning ages pulls out but keeps the last successful one: the next window starts from it.
      const pulls = await service().listOrderflowReturnPulls({}, { order: { to_at: "DESC", id: "DESC" } })
      expect(pulls.length).toBeGreaterThan(1)
      const cleaned = await runOperation(getContainer(), "log_cleaning", new Date(Date.now() + 400 * 86_400_000))
      expect(cleaned.summary).toMatchObject({ returnPullsDeleted: pulls.length - 1 })
      expect((await service().listOrderflowReturnPulls({})).map((p: any) => p.id)).toEqual([pulls.find((p: any) => p.status === "success").id])
    })
  },
})
