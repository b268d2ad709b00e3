import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { runDueOperationsWorkflow } from "../../src/workflows/run-operation"
import { loginAsAdmin } from "../helpers/admin"

jest.setTimeout(120_000)

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let admin: { headers: Record<string, string> }

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
    })

    const runs = async () => {
      const orderflow: any = getContainer().resolve("orderflow")
      return orderflow.listOrderflowOperationRuns({})
    }
    const tick = async (now: Date) => (await runDueOperationsWorkflow(getContainer()).run({ input: { now: now.toISOString() } })).result
    /** Stored executions of a workflow: what the admin's Settings → Workflows page lists. */
    const executions = async (workflowId: string) =>
      getContainer().resolve(Modules.WORKFLOW_ENGINE).listWorkflowExecutions({ workflow_id: workflowId }, { take: 100 })

    it("runs a due operation's workflow once per tick, and not when it is not due or disabled", async () => {
      await api.post("/admin/orderflow/settings", { shipmentImport: { enabled: true, cron: "*/5 * * * *" } }, admin)

      const first = await tick(new Date("2026-11-23T10:05:30Z"))
      expect(first.find((r) => r.operation === "shipment_import")).toMatchObject({
        ran: true,
        status: "success",
        due_at: "2026-11-23T10:05:00.000Z",
      })
      // Same tick again: not due.
      const second = await tick(new Date("2026-11-23T10:09:59Z"))
      expect(second.find((r) => r.operation === "shipment_import")).toMatchObject({ ran: false, reason: "not due" })
      // Next tick: due again.
      const third = await tick(new Date("2026-11-23T10:10:01Z"))
      expect(third.find((r) => r.operation === "shipment_import")).toMatchObject({ ran: true })
      // The operation's workflow ran exactly twice, and both executions are kept for the admin.
      const stored = await executions("orderflow-shipment-import")
      expect(stored).toHaveLength(2)
      expect(stored.map((e: any) => e.state)).toEqual(["done", "done"])

      const [run] = (await runs()).filter((r: any) => r.operation === "shipment_import")
      expect(run.run_count).toBe(2)
      expect(new Date(run.last_due_at).toISOString()).toBe("2026-11-23T10:10:00.000Z")
      expect(run.last_status).toBe("success")

      // Disabled operations never run, due or not.
      const disabled = second.find((r) => r.operation === "product_export")
      expect(disabled).toMatchObject({ ran: false, reason: "disabled" })
      expect(await executions("orderflow-product-export")).toHaveLength(0)
    })

    it("two concurrent ticks run a due operation only once", async () => {
      await api.post("/admin/orderflow/settings", { shipmentImport: { enabled: true, cron: "* * * * *" } }, admin)
      const now = new Date("2026-11-23T11:00:10Z")
      const [a, b] = await Promise.all([tick(now), tick(now)])
      const outcomes = [a, b].map((r) => r.find((x) => x.operation === "shipment_import"))
      expect(outcomes.filter((o) => o?.ran)).toHaveLength(1)
      expect(outcomes.find((o) => !o?.ran)?.reason).toMatch(/already run|running elsewhere/)
      expect(await executions("orderflow-shipment-import")).toHaveLength(1)
      const [run] = (await runs()).filter((r: any) => r.operation === "shipment_import")
      expect(run.run_count).toBe(1)
    })

    it("runs an operation on demand through the admin API and records it", async () => {
      const res = await api.post("/admin/orderflow/operations/log_cleaning/run", {}, admin)
      expect(res.status).toBe(200)
      expect(res.data.run).toMatchObject({ operation: "log_cleaning", ran: true, status: "success" })
      expect(res.data.run.summary).toMatchObject({ exportsDeleted: 0, requestsDeleted: 0 })
      const bad = await api.post("/admin/orderflow/operations/launch_rockets/run", {}, admin).catch((e: any) => e.response)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/Unknown operation "launch_rockets"/)
    })

    it("log cleaning deletes old history and old bodies but never pending requests", async () => {
      const orderflow: any = getContainer().resolve("orderflow")
      const old = new Date(Date.now() - 40 * 86400_000)
      const midAge = new Date(Date.now() - 10 * 86400_000)
      const [oldExport, midExport] = await orderflow.createOrderflowExports([
        { operation: "product_export", status: "success", request_body: "<imports/>", response_body: "<importResult/>" },
        { operation: "product_export", status: "success", request_body: "<imports/>", response_body: "<importResult/>" },
      ])
      const [oldPending, , midProcessed] = await orderflow.createOrderflowRequests([
        { type: "inventory", dedupe_key: "inventory:1", content_type: "application/json", body: "{}", received_at: old },
        { type: "inventory", dedupe_key: "inventory:2", content_type: "application/json", body: "{}", received_at: old, status: "processed" },
        { type: "inventory", dedupe_key: "inventory:3", content_type: "application/json", body: "{}", received_at: midAge, status: "processed" },
      ])
      // Backdate created_at (set by the database) through the module's own update.
      await orderflow.updateOrderflowExports([
        { id: oldExport.id, created_at: old },
        { id: midExport.id, created_at: midAge },
      ])
      const res = await api.post("/admin/orderflow/operations/log_cleaning/run", {}, admin)
      expect(res.data.run.summary).toMatchObject({ exportsDeleted: 1, requestsDeleted: 1, exportBodiesCleared: 1, requestBodiesCleared: 1 })
      const exportsLeft = await orderflow.listOrderflowExports({})
      expect(exportsLeft.map((e: any) => e.id)).toEqual([midExport.id])
      expect(exportsLeft[0].request_body).toBeNull()
      const requestsLeft = await orderflow.listOrderflowRequests({}, { order: { dedupe_key: "ASC" } })
      expect(requestsLeft.map((r: any) => r.id)).toEqual([oldPending.id, midProcessed.id])
      expect(requestsLeft[0].body).toBe("{}")
      expect(requestsLeft[1].body).toBeNull()
    })
  },
})
