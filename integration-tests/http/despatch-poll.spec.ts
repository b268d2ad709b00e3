import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { request } from "undici"
import { Simulator } from "orderflow-simulator"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { exportedOrder as exportedOrderIn, startTestSimulator } from "../helpers/warehouse"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, orderflowService } from "../helpers/orderflow"

jest.setTimeout(300_000)

// The poll backstop (operation shipment_poll): a despatch whose push
// OrderFlow gave up on is found by Despatched Shipments Per Time Period,
// stored through the push intake and applied once; the late push and later
// polls of the same window are duplicates.
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
      sim = await startTestSimulator(api, { seed: 14 })
      sim.control.seed({ products: ["TEE-S", "TEE-M", "HOOD-S"].map((sku) => ({ sku, description: sku, stock: 100 })) })
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "medusa", password: "wms", organisation: "demo", channel: "web" },
        shipmentImport: { enabled: true },
        shipmentPoll: { enabled: true, lookBackHours: 24, overlapMinutes: 60 },
        inventoryImport: { defaultLocationId: seeded.stockLocationId },
      })
    })

    afterEach(async () => sim.close())
    const exportedOrder = (items: Array<{ sku: string; quantity: number }>) => exportedOrderIn({ api, admin, seeded, sim, container: getContainer() }, items)
    const run = async (operation: "shipment_poll" | "shipment_import") => (await api.post(`/admin/orderflow/operations/${operation}/run`, {}, admin)).data.run
    const shipmentRequests = async () => orderflowService(getContainer()).listOrderflowRequests({ type: "shipment" }, { order: { received_at: "ASC" } })
    const adminOrder = async (id: string) =>
      (await api.get(`/admin/orders/${id}?fields=id,status,fulfillment_status,*items,*items.detail,*fulfillments,*fulfillments.labels`, admin)).data.order
    /** Runs shipment_import until no shipment request is pending (the intake's event may have run it already). */
    const processShipments = async () =>
      waitFor(
        async () => {
          await run("shipment_import")
          return (await shipmentRequests()).every((r: any) => r.status !== "pending" && r.status !== "processing")
        },
        { what: "shipment requests processed" }
      )

    it("a despatch whose push OrderFlow gave up on is applied by the poll, once; the push retried later is a duplicate, and a second poll of the same window stores nothing", async () => {
      const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 2 }, { sku: "HOOD-S", quantity: 1 }])
      sim.control.setFaults({ push: { giveUpNext: 1 } })
      const despatch = await sim.control.despatch({ orderReference: reference, trackingNumbers: ["RM100000001GB"], courierName: "royalmail", push: true, wait: true })
      expect(despatch.message?.status).toBe("failed")
      expect(await shipmentRequests()).toHaveLength(0)

      const first = await run("shipment_poll")
      expect(first.status).toBe("success")
      expect(first.summary).toMatchObject({ shipments: 1, stored: 1, known: 0 })
      await processShipments()
      const [polled] = await shipmentRequests()
      expect(polled).toMatchObject({ status: "processed", message_seq_id: null })
      let o = await adminOrder(order.id)
      expect(o.fulfillment_status).toBe("shipped")
      expect(o.fulfillments).toHaveLength(1)
      expect(o.fulfillments[0].labels.map((l: any) => l.tracking_number)).toEqual(["RM100000001GB"])

      // OrderFlow's administrator retries the push: acknowledged and stored (its own message number), then
      // found to be the parcel the poll applied and filed a duplicate of the polled message, quietly.
      sim.control.retryFailed([despatch.message!.messageSeqId])
      const waited = await sim.control.waitForDeliveries({ ids: [despatch.message!.messageSeqId], timeoutMs: 20_000 })
      expect(waited.settled).toBe(true)
      expect(sim.control.deliveries().find((m) => m.messageSeqId === despatch.message!.messageSeqId)?.status).toBe("delivered")
      await processShipments()
      const afterPush = await shipmentRequests()
      expect(afterPush).toHaveLength(2)
      expect(afterPush[1]).toMatchObject({ status: "duplicate", duplicate_of_id: polled.id, message_seq_id: despatch.message!.messageSeqId })
      expect(await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" })).toHaveLength(0)

      const second = await run("shipment_poll")
      expect(second.status).toBe("success")
      expect(second.summary).toMatchObject({ shipments: 1, stored: 0, known: 1 })
      expect(await shipmentRequests()).toHaveLength(2)
      expect(await orderflowService(getContainer()).listOrderflowDespatches({ order_id: order.id })).toHaveLength(1)
      o = await adminOrder(order.id)
      expect(o.fulfillments).toHaveLength(1)

      const pulls = await orderflowService(getContainer()).listOrderflowDespatchPulls({}, { order: { created_at: "ASC" } })
      expect(pulls.map((p: any) => [p.status, p.shipment_count, p.stored_count, p.known_count])).toEqual([
        ["success", 1, 1, 0],
        ["success", 1, 0, 1],
      ])
      // The second window starts an overlap (60 minutes) before the first one ended.
      expect(new Date(pulls[1].from_at).getTime()).toBe(new Date(pulls[0].to_at).getTime() - 60 * 60_000)
    })

    it("a despatch pushed normally is known to the poll: nothing stored, nothing applied twice", async () => {
      const { order, reference } = await exportedOrder([{ sku: "TEE-S", quantity: 1 }])
      const despatch = await sim.control.despatch({ orderReference: reference, trackingNumbers: ["RM200000002GB"], push: true, wait: true })
      expect(despatch.message?.status).toBe("delivered")
      await processShipments()
      const polled = await run("shipment_poll")
      expect(polled.summary).toMatchObject({ shipments: 1, stored: 0, known: 1 })
      expect(await shipmentRequests()).toHaveLength(1)
      expect((await adminOrder(order.id)).fulfillments).toHaveLength(1)
    })

    it("a failed pull fails the run with its cause (shown in health) and is recorded; the next pull covers its window from the last good one", async () => {
      const { reference } = await exportedOrder([{ sku: "TEE-S", quantity: 1 }])
      expect((await run("shipment_poll")).status).toBe("success")
      sim.control.setFaults({ push: { giveUpNext: 1 }, next: [{ fault: "error", status: 503, path: "despatches.xml" }] })
      await sim.control.despatch({ orderReference: reference, trackingNumbers: ["RM300000003GB"], push: true, wait: true })
      const failed = await run("shipment_poll")
      expect(failed.status).toBe("failed")
      expect(failed.error).toMatch(/Despatched shipments pull failed.*503/s)
      expect(await shipmentRequests()).toHaveLength(0)
      const health = async () => (await api.get("/admin/orderflow/health", admin)).data.health.operations.find((o: any) => o.operation === "shipment_poll")
      expect(await health()).toMatchObject({ last_status: "failed", last_error: expect.stringMatching(/503/) })

      const retried = await run("shipment_poll")
      expect(await health()).toMatchObject({ last_status: "success", last_error: null })
      expect(retried.summary).toMatchObject({ stored: 1 })
      const pulls = await orderflowService(getContainer()).listOrderflowDespatchPulls({}, { order: { created_at: "ASC" } })
      expect(pulls.map((p: any) => p.status)).toEqual(["success", "failed", "success"])
      // Both windows start from the last successful pull (the first), not from the failed one.
      expect(new Date(pulls[1].from_at).getTime()).toBe(new Date(pulls[0].to_at).getTime() - 60 * 60_000)
      expect(new Date(pulls[2].from_at).getTime()).toBe(new Date(pulls[1].from_at).getTime())
    })
  },
})
