import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import type { INotificationModuleService } from "@medusajs/framework/types"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, inboundHeaders, inventoryMessage, orderflowService } from "../helpers/orderflow"
import { variantBySku } from "../helpers/store"

jest.setTimeout(180_000)

// Issue 12: line failures count (processed_with_errors, health, one alert per
// cause), dead letters kept until resolved, a re-push re-queues a dead letter.
medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any

    beforeAll(async () => {
      seeded = await seedDemoStore(getContainer())
    })

    beforeEach(async () => {
      process.env.ORDERFLOW_EVENT_PROCESSING_DISABLED = "true"
      admin = await loginAsAdmin(api, getContainer())
      await configureOrderflow(api, admin, {
        inventoryImport: { enabled: true, defaultLocationId: seeded.stockLocationId, locations: { MAIN: seeded.stockLocationId } },
      })
    })

    afterAll(() => {
      process.env.ORDERFLOW_EVENT_PROCESSING_DISABLED = "true"
    })

    const push = async (messageSeqId: number, lines: Parameters<typeof inventoryMessage>[1]) => {
      const res = await api.post("/orderflow/inventory", inventoryMessage(messageSeqId, lines), inboundHeaders())
      expect(res.status).toBe(200)
      return res
    }
    const processNow = async () => {
      const res = await api.post("/admin/orderflow/operations/inventory_import/run", {}, admin)
      expect(res.data.run.status).toBe("success")
      return res.data.run.summary
    }
    const stocked = async (sku: string) => {
      const [level] = await getContainer()
        .resolve(Modules.INVENTORY)
        .listInventoryLevels({ inventory_item_id: variantBySku(seeded, sku).inventoryItemId!, location_id: seeded.stockLocationId })
      return level ? Number(level.stocked_quantity) : null
    }
    const alerts = async () => {
      const notifications: INotificationModuleService = getContainer().resolve(Modules.NOTIFICATION)
      return notifications.listNotifications({ channel: "feed", trigger_type: "orderflow.alert" })
    }
    const requests = (filters: Record<string, unknown> = {}) =>
      orderflowService(getContainer()).listOrderflowRequests(filters, { order: { received_at: "ASC" } })
    const errorOf = (p: Promise<unknown>) => p.then(() => ({ status: 200, data: null as any }), (e: any) => e.response)

    it("a stock message with a failed line ends processed_with_errors, is listed by that status and counted on the health page", async () => {
      await push(1, [
        { sku: "TEE-M", qty: 40, seq: 1, source: "MAIN" },
        { sku: "TEE-L", qty: 9, seq: 1, source: "ATLANTIS" },
      ])
      const summary = await processNow()
      expect(summary).toMatchObject({ processed: 1, applied: 1, failed_lines: 1, processed_with_errors: 1 })
      expect(await stocked("TEE-M")).toBe(40)
      const [request] = await requests()
      expect(request.status).toBe("processed_with_errors")
      expect(request.error).toBe('1 of 2 lines failed; first: TEE-L: unknown OrderFlow site "ATLANTIS": map it to a stock location in Settings → OrderFlow')

      const list = await api.get("/admin/orderflow/requests?status=processed_with_errors", admin)
      expect(list.data.count).toBe(1)
      expect(list.data.requests[0].id).toBe(request.id)
      expect((await api.get("/admin/orderflow/requests?status=processed", admin)).data.count).toBe(0)

      const { health } = (await api.get("/admin/orderflow/health", admin)).data
      expect(health.requests.inventory.processed_with_errors).toBe(1)
      expect(health.last_processed_with_errors.inventory).toMatchObject({ id: request.id, message_seq_id: 1 })
    })

    it("messages failing for the same renamed site raise one alert in all, a different cause raises a second", async () => {
      await push(1, [{ sku: "TEE-M", qty: 1, seq: 1, source: "ATLANTIS" }])
      await push(2, [{ sku: "TEE-L", qty: 2, seq: 1, source: "ATLANTIS" }, { sku: "TEE-S", qty: 2, seq: 1, source: "ATLANTIS" }])
      await processNow()
      await push(3, [{ sku: "HOOD-S", qty: 3, seq: 1, source: "ATLANTIS" }])
      await processNow()
      expect((await requests()).map((r: any) => r.status)).toEqual(["processed_with_errors", "processed_with_errors", "processed_with_errors"])
      let feed = await alerts()
      expect(feed).toHaveLength(1)
      expect(feed[0].data?.title).toBe('OrderFlow stock lines not applied: unknown OrderFlow site "ATLANTIS": map it to a stock location in Settings → OrderFlow')

      await configureOrderflow(api, admin, { inventoryImport: { locations: { MAIN: seeded.stockLocationId, GHOST: "sloc_gone" } } })
      await push(4, [{ sku: "TEE-M", qty: 4, seq: 2, source: "GHOST" }])
      await push(5, [{ sku: "TEE-L", qty: 5, seq: 2, source: "GHOST" }])
      await processNow()
      feed = await alerts()
      expect(feed).toHaveLength(2)
      expect(feed.map((n: any) => n.data?.title)).toContain(
        'OrderFlow stock lines not applied: stock location sloc_gone (for site "GHOST") does not exist: fix the mapping in Settings → OrderFlow'
      )
    })

    it("unknown SKUs alone leave a message processed, with no alert", async () => {
      await push(7, [{ sku: "NOT-IN-MEDUSA", qty: 5, seq: 1 }, { sku: "TEE-S", qty: 6, seq: 1 }])
      expect(await processNow()).toMatchObject({ unknown_sku: 1, applied: 1 })
      expect((await requests())[0].status).toBe("processed")
      expect(await alerts()).toHaveLength(0)
    })

    it("a processed_with_errors message is never re-run by the schedule; process now after fixing the site applies the failed line and ends it processed", async () => {
      await push(8, [{ sku: "TEE-M", qty: 11, seq: 1, source: "MAIN" }, { sku: "TEE-L", qty: 12, seq: 1, source: "LEEDS" }])
      await processNow()
      expect(await processNow()).toMatchObject({ claimed: 0 })
      const [request] = await requests()
      expect(request.status).toBe("processed_with_errors")
      const before = await stocked("TEE-L")

      await configureOrderflow(api, admin, { inventoryImport: { locations: { MAIN: seeded.stockLocationId, LEEDS: seeded.stockLocationId } } })
      const res = await api.post(`/admin/orderflow/requests/${request.id}/process`, {}, admin)
      expect(res.data.request.status).toBe("processed")
      expect(await stocked("TEE-L")).toBe(12)
      expect(before).not.toBe(12)
      const report = (await api.get(`/admin/orderflow/requests/${request.id}`, admin)).data.import
      expect(report.lines.map((l: any) => [l.sku, l.outcome]).sort()).toEqual([["TEE-L", "applied"], ["TEE-M", "stale"]])
    })

    it("log cleaning keeps an old dead letter and its body until an admin resolves it, then deletes it", async () => {
      const orderflow = orderflowService(getContainer())
      const old = new Date(Date.now() - 400 * 86400_000)
      const [dead, oldProcessed] = await orderflow.createOrderflowRequests([
        { type: "inventory", message_seq_id: 60, dedupe_key: "inventory:60", content_type: "application/json", body: '{"lost":true}', received_at: old, status: "failed", error: "boom" },
        { type: "inventory", message_seq_id: 61, dedupe_key: "inventory:61", content_type: "application/json", body: "{}", received_at: old, status: "processed" },
      ])
      let run = (await api.post("/admin/orderflow/operations/log_cleaning/run", {}, admin)).data.run
      expect(run.summary).toMatchObject({ requestsDeleted: 1 })
      let left = await requests()
      expect(left.map((r: any) => r.id)).toEqual([dead.id])
      expect(left[0]).toMatchObject({ status: "failed", body: '{"lost":true}' })
      expect(left.map((r: any) => r.id)).not.toContain(oldProcessed.id)

      const res = await api.post(`/admin/orderflow/requests/${dead.id}/resolve`, {}, admin)
      expect(res.status).toBe(200)
      expect(res.data.request).toMatchObject({ id: dead.id, status: "resolved", error: "boom" })
      expect(res.data.request.resolved_by).toMatch(/^user_/)
      expect(res.data.request.resolved_at).toBeTruthy()

      run = (await api.post("/admin/orderflow/operations/log_cleaning/run", {}, admin)).data.run
      expect(run.summary).toMatchObject({ requestsDeleted: 1 })
      left = await requests()
      expect(left).toHaveLength(0)
    })

    it("resolve refuses what is not a dead letter with a clear error and changes nothing, in bulk too", async () => {
      const orderflow = orderflowService(getContainer())
      const [failedA, failedB, processed] = await orderflow.createOrderflowRequests([
        { type: "inventory", message_seq_id: 70, dedupe_key: "inventory:70", content_type: "application/json", body: "{}", received_at: new Date(), status: "failed" },
        { type: "shipment", message_seq_id: 71, dedupe_key: "shipment:71", content_type: "application/json", body: "{}", received_at: new Date(), status: "failed" },
        { type: "inventory", message_seq_id: 72, dedupe_key: "inventory:72", content_type: "application/json", body: "{}", received_at: new Date(), status: "processed" },
      ])
      const one = await errorOf(api.post(`/admin/orderflow/requests/${processed.id}/resolve`, {}, admin))
      expect(one.status).toBe(400)
      expect(one.data.message).toBe(`Only failed requests (dead letters) can be resolved; nothing was changed. Refused: ${processed.id} (processed)`)
      expect((await errorOf(api.post("/admin/orderflow/requests/ofreq_nope/resolve", {}, admin))).status).toBe(404)

      const bulk = await errorOf(api.post("/admin/orderflow/requests/resolve", { ids: [failedA.id, processed.id, "ofreq_nope"] }, admin))
      expect(bulk.status).toBe(400)
      expect(bulk.data.message).toMatch(new RegExp(`Refused: ${processed.id} \\(processed\\), ofreq_nope \\(not found\\)$`))
      const statusById = async () => Object.fromEntries((await requests()).map((r: any) => [r.id, r.status]))
      expect(await statusById()).toEqual({ [failedA.id]: "failed", [failedB.id]: "failed", [processed.id]: "processed" })
      expect((await errorOf(api.post("/admin/orderflow/requests/resolve", { ids: [] }, admin))).status).toBe(400)
      expect((await errorOf(api.post("/admin/orderflow/requests/resolve", { ids: [failedA.id], all: true }, admin))).status).toBe(400)

      const ok = await api.post("/admin/orderflow/requests/resolve", { ids: [failedA.id, failedB.id] }, admin)
      expect(ok.data.count).toBe(2)
      expect(await statusById()).toEqual({ [failedA.id]: "resolved", [failedB.id]: "resolved", [processed.id]: "processed" })
      expect((await api.get("/admin/orderflow/requests?status=resolved", admin)).data.count).toBe(2)
    })

    describe("a re-push from OrderFlow", () => {
      const deadLetter = async (messageSeqId: number, lines: Parameters<typeof inventoryMessage>[1]) => {
        const res = await push(messageSeqId, lines)
        const id = res.headers["x-orderflow-request-id"]
        await orderflowService(getContainer()).updateOrderflowRequests({
          id,
          status: "failed",
          attempts: 5,
          error: "processing stopped 5 times before it finished",
          processed_at: new Date(),
        })
        return id as string
      }

      it("of a dead-lettered message with the same content re-queues the original, which is processed at once; no duplicate is filed", async () => {
        const id = await deadLetter(80, [{ sku: "HOOD-M", qty: 33, seq: 1 }])
        process.env.ORDERFLOW_EVENT_PROCESSING_DISABLED = "false"
        const res = await push(80, [{ sku: "HOOD-M", qty: 33, seq: 1 }])
        expect(res.data).toBe("Success - Message 80 Received")
        expect(res.headers["x-orderflow-request-id"]).toBe(id)
        expect(res.headers["x-orderflow-requeued"]).toBe("true")
        const processed = await waitFor(async () => {
          const [r] = await requests({ id })
          return r.status === "processed" && r
        }, { what: "the re-queued message to be processed by the request-received event" })
        expect(processed).toMatchObject({ attempts: 0, error: null })
        expect(await stocked("HOOD-M")).toBe(33)
        expect(await requests()).toHaveLength(1)
      })

      it("puts the original back to pending with attempts reset and a note saying so", async () => {
        const id = await deadLetter(81, [{ sku: "HOOD-S", qty: 3, seq: 1 }])
        await push(81, [{ sku: "HOOD-S", qty: 3, seq: 1 }])
        const [r] = await requests({ id })
        expect(r).toMatchObject({ status: "pending", attempts: 0, next_attempt_at: null, processed_at: null })
        expect(r.error).toMatch(/^re-queued by a re-push from OrderFlow at \d{4}-\d\d-\d\dT.*\(it had failed: processing stopped 5 times before it finished\)$/)
      })

      it("with different content under the same number is stored as a new message and leaves the dead letter failed", async () => {
        const id = await deadLetter(82, [{ sku: "TEE-S", qty: 1, seq: 1 }])
        const res = await push(82, [{ sku: "TEE-S", qty: 2, seq: 2 }])
        expect(res.headers["x-orderflow-request-id"]).not.toBe(id)
        expect(res.headers["x-orderflow-requeued"]).toBeUndefined()
        const all = await requests()
        expect(all.map((r: any) => [r.id === id, r.status])).toEqual([[true, "failed"], [false, "pending"]])
      })

      it("of a resolved dead letter, or of a message processed with errors, is filed as a duplicate", async () => {
        const id = await deadLetter(83, [{ sku: "TEE-S", qty: 1, seq: 1 }])
        await api.post(`/admin/orderflow/requests/${id}/resolve`, {}, admin)
        const again = await push(83, [{ sku: "TEE-S", qty: 1, seq: 1 }])
        expect(again.headers["x-orderflow-duplicate-of"]).toBe(id)

        await push(84, [{ sku: "TEE-S", qty: 1, seq: 5, source: "NOWHERE" }])
        await processNow()
        const [withErrors] = await requests({ message_seq_id: 84 })
        expect(withErrors.status).toBe("processed_with_errors")
        const rePush = await push(84, [{ sku: "TEE-S", qty: 1, seq: 5, source: "NOWHERE" }])
        expect(rePush.headers["x-orderflow-duplicate-of"]).toBe(withErrors.id)
        expect((await requests({ id })).map((r: any) => r.status)).toEqual(["resolved"])
      })
    })
  },
})
