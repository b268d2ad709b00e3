import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { Simulator, startSimulator } from "orderflow-simulator"
import { buildImportsDocument } from "../../src/lib/xml/imports-document"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type OrderflowModuleService from "../../src/modules/orderflow/service"
import type { ExportItemRow } from "../../src/modules/orderflow/service"
import { ORDERFLOW_MODULE } from "../../src/types"
import { createExportBatchWorkflow } from "../../src/workflows/export-batch"
import { loginAsAdmin } from "../helpers/admin"
import { configureOrderflow, orderflowService } from "../helpers/orderflow"

jest.setTimeout(180_000)

/** A product document per item; a reference starting with BAD names an unknown channel (a failure line). */
const plainDocument = (items: ExportItemRow[]) => ({
  document: buildImportsDocument(
    items.map((i) => ({
      type: "product" as const,
      operation: "merge" as const,
      externalReference: i.reference,
      fields: [
        ["externalReference", i.reference],
        ["description", `Item ${i.reference}`],
        ["type", "default"],
        ["channel", i.reference.startsWith("BAD") ? "nowhere" : null],
      ] as Array<[string, string | null]>,
    }))
  ),
  sent: items.map((i) => ({ id: i.id, reference: i.reference })),
  rejected: [],
})

// The engine's own steps (claim, call OrderFlow, settle, alert) around test build steps.
const plainBatchWorkflow = createExportBatchWorkflow({
  id: "test-orderflow-plain-batch",
  entityType: "product",
  operation: "product_export",
  buildStep: createStep("test-orderflow-build-plain", async ({ items }: { items: ExportItemRow[] }) => new StepResponse(plainDocument(items))),
})
// A build that fails outright (a bug, a database error): the workflow fails and is compensated.
const brokenBuildBatchWorkflow = createExportBatchWorkflow({
  id: "test-orderflow-broken-build-batch",
  entityType: "product",
  operation: "product_export",
  buildStep: createStep("test-orderflow-build-broken", async (_input: { items: ExportItemRow[] }): Promise<StepResponse<ReturnType<typeof plainDocument>>> => {
    throw new Error("build blew up")
  }),
})
// The merchant edits the product while the batch is in flight (after the claim, before settling).
const editedInFlightBatchWorkflow = createExportBatchWorkflow({
  id: "test-orderflow-edited-in-flight-batch",
  entityType: "product",
  operation: "product_export",
  buildStep: createStep("test-orderflow-build-edited", async ({ items }: { items: ExportItemRow[] }, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.markExportPending(items.map((i) => ({ entity_type: "product", entity_id: i.entity_id, reference: i.reference })), { now: new Date() })
    return new StepResponse(plainDocument(items))
  }),
})

/**
 * The Pending -> Queued -> Exported engine shared by product and order export,
 * driven with plain product documents against the simulator's fault modes.
 */
medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let sim: Simulator
    let admin: any

    beforeAll(async () => {
      sim = await startSimulator({ port: 0, user: "medusa", password: "pw", organisation: "acme", channel: "web", log: false, seed: 3 })
    })
    afterAll(async () => sim.close())

    beforeEach(async () => {
      sim.control.reset()
      sim.control.clearFaults()
      admin = await loginAsAdmin(api, getContainer())
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "medusa", password: "pw", organisation: "acme", channel: "web" },
        retry: { maxAttempts: 2, baseDelaySeconds: 60, maxDelaySeconds: 600 },
      })
    })

    const queue = async (refs: string[]) => {
      const orderflow = orderflowService(getContainer())
      await orderflow.markExportPending(
        refs.map((r) => ({ entity_type: "product", entity_id: `iitem_${r}`, reference: r })),
        { now: new Date(Date.now() - 1000) }
      )
    }
    const batch = async (workflow = plainBatchWorkflow) => {
      const { result } = await workflow(getContainer()).run({ input: { trigger: "manual", batch_size: 50 } })
      return result
    }
    const items = async () => {
      const rows = await orderflowService(getContainer()).listOrderflowExportItems({}, { take: null })
      return Object.fromEntries(rows.map((r: any) => [r.reference, r]))
    }

    it("settles every line: success -> exported, failure -> failed with message and retry, history with documents", async () => {
      await queue(["A1", "A2", "BAD1"])
      const result = await batch()
      expect(result).toMatchObject({ claimed: 3, sent: 3, exported: 2, failed: 1, missing: 0 })
      const byRef = await items()
      expect(byRef.A1).toMatchObject({ status: "exported", attempts: 0, last_error: null })
      expect(byRef.A1.exported_at).toBeTruthy()
      expect(byRef.BAD1).toMatchObject({ status: "failed", attempts: 1 })
      expect(byRef.BAD1.last_error).toMatch(/ref:channel:nowhere/)
      expect(new Date(byRef.BAD1.next_attempt_at).getTime()).toBeGreaterThan(Date.now())
      expect(sim.control.product("A1").description).toBe("Item A1")

      const history = await api.get(`/admin/orderflow/exports/${result.export_id}`, admin)
      expect(history.data.export).toMatchObject({ operation: "product_export", status: "partial", success_count: 2, failure_count: 1, http_status: 200 })
      expect(history.data.export.request_body).toContain('externalReference="A1"')
      expect(history.data.export.response_body).toContain("importResult")
      expect(history.data.export.lines.map((l: any) => [l.reference, l.outcome])).toEqual([
        ["A1", "success"],
        ["A2", "success"],
        ["BAD1", "failure"],
      ])

      // The retry is due later; after the maximum attempts the item stays failed and an alert is raised.
      await orderflowService(getContainer()).updateOrderflowExportItems({ id: byRef.BAD1.id, next_attempt_at: new Date(Date.now() - 1000) })
      const second = await batch()
      expect(second).toMatchObject({ claimed: 1, failed: 1 })
      const after = await items()
      expect(after.BAD1).toMatchObject({ status: "failed", attempts: 2, next_attempt_at: null })
      const alerts = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" })
      expect(alerts.map((a: any) => a.data.title)).toEqual(["OrderFlow product BAD1 could not be exported"])
      expect(await batch()).toMatchObject({ claimed: 0 })
    })

    it("an item left out of importResult stays pending, never exported, charged an attempt with back-off", async () => {
      await queue(["B1", "B2"])
      sim.control.setFaults({ next: [{ fault: "omit", path: "importitems", omit: ["B2"] }] })
      expect(await batch()).toMatchObject({ exported: 1, missing: 1 })
      const byRef = await items()
      expect(byRef.B1.status).toBe("exported")
      expect(byRef.B2).toMatchObject({ status: "pending", exported_at: null, attempts: 1 })
      expect(new Date(byRef.B2.next_attempt_at).getTime()).toBeGreaterThan(Date.now())
      expect(await batch()).toMatchObject({ claimed: 0 })
      await orderflowService(getContainer()).updateOrderflowExportItems({ id: byRef.B2.id, next_attempt_at: new Date(Date.now() - 1000) })
      expect(await batch()).toMatchObject({ claimed: 1, exported: 1 })
    })

    it.each([
      // Answered failures last for every call of the batch here: its halves (poison isolation) fail too.
      ["a 500 with an HTML page", { fault: "error", status: 500, count: 10 }],
      ["an HTML page with status 200", { fault: "html", count: 10 }],
      ["a truncated XML reply", { fault: "malformed", count: 10, applied: false }],
      ["a dropped connection", { fault: "drop" }],
    ])("a whole-call failure (%s) puts the batch back to pending with back-off and attempts untouched, never lost", async (_what, fault) => {
      await queue(["C1", "C2"])
      sim.control.setFaults({ next: [{ ...(fault as any), path: "importitems" }] })
      const result = await batch()
      expect(result).toMatchObject({ claimed: 2, exported: 0, failed: 0, missing: 2 })
      expect(result.error).toBeTruthy()
      const byRef = await items()
      for (const ref of ["C1", "C2"]) {
        expect(byRef[ref]).toMatchObject({ status: "pending", attempts: 0 })
        expect(new Date(byRef[ref].next_attempt_at).getTime()).toBeGreaterThan(Date.now())
      }
      const history = await api.get(`/admin/orderflow/exports/${result.export_id}`, admin)
      expect(history.data.export.status).toBe("failed")
      expect(history.data.export.error).toBeTruthy()
      // Not due yet; once due it is sent again and exported.
      expect(await batch()).toMatchObject({ claimed: 0 })
      sim.control.clearFaults()
      const orderflow = orderflowService(getContainer())
      await orderflow.updateOrderflowExportItems([byRef.C1, byRef.C2].map((i: any) => ({ id: i.id, next_attempt_at: new Date(Date.now() - 1000) })))
      expect(await batch()).toMatchObject({ exported: 2 })
    })

    it("a timeout is a whole-call failure too", async () => {
      await configureOrderflow(api, admin, { api: { timeoutSeconds: 1 } })
      await queue(["T1"])
      sim.control.setFaults({ next: [{ fault: "timeout", path: "importitems", timeoutMs: 3000 }] })
      const result = await batch()
      expect(result.error).toMatch(/no answer from OrderFlow within 1000 ms/)
      expect((await items()).T1.status).toBe("pending")
    })

    it("an item changed while in flight is sent again instead of being called exported", async () => {
      await queue(["D1"])
      const result = await batch(editedInFlightBatchWorkflow)
      expect(result.exported).toBe(1)
      expect((await items()).D1.status).toBe("pending")
      expect(await batch()).toMatchObject({ claimed: 1, exported: 1 })
      expect((await items()).D1.status).toBe("exported")
    })

    it("a batch whose build throws is compensated: its items go back to pending, unsent and with no attempt counted", async () => {
      await queue(["F1", "F2"])
      const failure = await batch(brokenBuildBatchWorkflow).then(() => null, (e) => e)
      expect(failure?.message).toMatch(/build blew up/)
      const byRef = await items()
      for (const ref of ["F1", "F2"]) expect(byRef[ref]).toMatchObject({ status: "pending", attempts: 0, queued_at: null, exported_at: null })
      expect(sim.control.documents({ path: "importitems" })).toHaveLength(0)
      expect(await batch()).toMatchObject({ claimed: 2, exported: 2 })
    })

    it("items queued by a crashed run are taken back after the lease", async () => {
      await queue(["E1"])
      const orderflow = orderflowService(getContainer())
      const [row] = await orderflow.listOrderflowExportItems({ reference: "E1" })
      await orderflow.updateOrderflowExportItems({ id: row.id, status: "queued", queued_at: new Date(Date.now() - 60 * 60_000) })
      expect(await batch()).toMatchObject({ released: 1, claimed: 1, exported: 1 })
    })
  },
})
