import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { startSimulator, type Simulator } from "orderflow-simulator"
import { checkAlarmsWorkflow } from "../../src/workflows/incidents"
import { runOrderflowOperationWorkflow } from "../../src/workflows/run-operation"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, orderflowService } from "../helpers/orderflow"
import { capturePayment, placeOrder } from "../helpers/store"

jest.setTimeout(240_000)

// Issue 12, outbound failure semantics, order export against the simulator:
// failure classes (permanent blocks, transient never charges), the circuit
// breaker, poison isolation, missing lines, one alert per incident, and the
// monitors' health route. Scheduled runs are what the cron starts; "Run now"
// goes through the admin API.

const SKUS = ["TEE-S", "TEE-M", "TEE-L", "HOOD-S", "HOOD-M", "00123-MUG"]

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any
    let sim: Simulator

    beforeAll(async () => {
      sim = await startSimulator({ port: 0, user: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", seed: 12, log: false })
      seeded = await seedDemoStore(getContainer())
    })

    afterAll(async () => {
      await sim?.close()
    })

    const apiSettings = (password = "orderflow") => ({
      endpoint: sim.baseUrl,
      username: "orderflow",
      password,
      organisation: "demo",
      channel: "medusa",
      timeoutSeconds: 2,
    })

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
      sim.control.reset()
      sim.control.clearFaults()
      sim.control.seed({ products: SKUS.map((sku) => ({ sku, description: sku, stock: 500 })) })
      await configureOrderflow(api, admin, {
        api: apiSettings(),
        orderExport: { enabled: true },
        retry: { maxAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 1, circuitThreshold: 3, circuitProbeSeconds: 3600 },
      })
    })

    const service = () => orderflowService(getContainer())
    const exportRow = async (orderId: string) => (await service().listOrderflowExportItems({ entity_type: "order", entity_id: orderId }))[0] as any
    const paidOrder = async (sku = "TEE-M") => {
      const order = await placeOrder(api, seeded, [{ sku, quantity: 1 }])
      await capturePayment(api, admin, order.id)
      await waitFor(async () => ((await exportRow(order.id))?.status === "pending" ? true : null), { what: `order ${order.display_id} queued` })
      return order
    }
    /** What the cron starts. */
    const scheduledRun = async () => {
      const { result } = await runOrderflowOperationWorkflow(getContainer()).run({ input: { operation: "order_export", trigger: "schedule" } })
      expect(result).toMatchObject({ ran: true, status: "success" })
      return (result as any).summary
    }
    const runNow = async () => {
      const res = await api.post("/admin/orderflow/operations/order_export/run", {}, admin)
      expect(res.data.run).toMatchObject({ ran: true, status: "success" })
      return res.data.run.summary
    }
    const alerts = async () => {
      const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ trigger_type: "orderflow.alert", channel: "feed" })
      return notifications.map((n: any) => n.data?.title as string)
    }
    const monitorHealth = async () => {
      const res = await api.get("/orderflow/health", { validateStatus: () => true })
      return { status: res.status, body: res.data }
    }
    const incidents = async () => (await api.get("/admin/orderflow/incidents", admin)).data.incidents as any[]
    const closeAllIncidents = async () => {
      for (const i of await incidents()) await api.post(`/admin/orderflow/incidents/${i.id}/close`, {}, admin)
    }
    afterEach(async () => {
      // Each test starts with a healthy endpoint and no open incident.
      sim.control.clearFaults()
      await configureOrderflow(api, admin, { api: apiSettings() })
      await closeAllIncidents()
      await service().recordEndpointOutcome("order_export", { kind: "success", now: new Date() })
    })

    it("a 401 stops order export with one alert naming the credentials setting; orders stay queued uncharged; saving the settings resumes", async () => {
      await configureOrderflow(api, admin, { api: apiSettings("wrong-password") })
      const first = await paidOrder()
      const firstRun = await scheduledRun()
      expect(firstRun).toMatchObject({ claimed: 1, exported: 0, failed: 0 })
      expect(await exportRow(first.id)).toMatchObject({ status: "pending", attempts: 0, next_attempt_at: null })

      const second = await paidOrder()
      // Blocked: scheduled runs send nothing while the settings are unchanged.
      expect(await scheduledRun()).toMatchObject({ claimed: 0, gate: "blocked" })
      expect(await scheduledRun()).toMatchObject({ claimed: 0, gate: "blocked" })
      const titles = (await alerts()).filter((t) => t.includes("refuses the calls"))
      expect(titles).toEqual(["OrderFlow order export is stopped: OrderFlow refuses the calls"])
      const [incident] = await incidents()
      expect(incident).toMatchObject({ kind: "permanent", operation: "order_export", status: "open" })
      expect(incident.description).toMatch(/HTTP 401/)
      expect(incident.description).toMatch(/username, password, organisation and channel/)
      expect(await monitorHealth()).toEqual({ status: 503, body: { status: "down", checks: ["order_export.permanent"] } })

      await configureOrderflow(api, admin, { api: apiSettings("orderflow") })
      const resumed = await scheduledRun()
      expect(resumed).toMatchObject({ claimed: 2, exported: 2, gate: "normal" })
      expect(await exportRow(first.id)).toMatchObject({ status: "exported", attempts: 0 })
      expect(await exportRow(second.id)).toMatchObject({ status: "exported" })
      expect(await incidents()).toEqual([])
      expect(await monitorHealth()).toEqual({ status: 200, body: { status: "ok" } })
    })

    it("a 404 (a wrong API URL) blocks order export with one alert pointing at the URL; Run now tries again at once; the right URL saved lifts the block", async () => {
      await configureOrderflow(api, admin, { api: { ...apiSettings(), endpoint: sim.baseUrl.replace(/\/orderflow$/, "/nowhere") } })
      const order = await paidOrder()
      expect(await scheduledRun()).toMatchObject({ claimed: 1, exported: 0, failed: 0 })
      expect(await exportRow(order.id)).toMatchObject({ status: "pending", attempts: 0, next_attempt_at: null })
      const [incident] = await incidents()
      expect(incident).toMatchObject({ kind: "permanent", operation: "order_export", occurrences: 1 })
      expect(incident.description).toMatch(/HTTP 404/)
      expect(incident.description).toMatch(/the API URL/)
      expect(await scheduledRun()).toMatchObject({ claimed: 0, gate: "blocked" })

      // "Run now" is the admin's retry: it calls OrderFlow at once, still a 404, counted on the same incident.
      expect(await runNow()).toMatchObject({ claimed: 1, exported: 0, gate: "normal" })
      expect((await incidents())[0]).toMatchObject({ id: incident.id, occurrences: 2 })
      expect((await alerts()).filter((t) => t.includes("refuses the calls"))).toHaveLength(1)
      expect(await exportRow(order.id)).toMatchObject({ status: "pending", attempts: 0 })

      await configureOrderflow(api, admin, { api: apiSettings() })
      expect(await scheduledRun()).toMatchObject({ claimed: 1, exported: 1, gate: "normal" })
      expect(await incidents()).toEqual([])
    })

    it("an outage opens the circuit after three failed calls with one alert; runs then probe one order, attempts untouched; the first answer closes it", async () => {
      const orders = [await paidOrder(), await paidOrder(), await paidOrder()]
      sim.control.setFaults({ next: [{ fault: "error", path: "importitems", status: 503, count: 50 }] })
      for (let i = 0; i < 3; i++) {
        expect(await scheduledRun()).toMatchObject({ exported: 0, gate: "normal" })
        // Due again at once for the next run (the back-off is 1 s here).
        await new Promise((r) => setTimeout(r, 1100))
      }
      for (const o of orders) expect(await exportRow(o.id)).toMatchObject({ status: "pending", attempts: 0 })
      expect((await alerts()).filter((t) => t.startsWith("OrderFlow unreachable for order export"))).toHaveLength(1)
      expect(await monitorHealth()).toEqual({ status: 503, body: { status: "down", checks: ["order_export.circuit_open"] } })
      const health = (await api.get("/admin/orderflow/health", admin)).data.health
      expect(health.endpoints.find((e: any) => e.endpoint === "order_export")).toMatchObject({ consecutive_failures: 3, circuit_opened_at: expect.any(String) })

      // Open: the cron's runs wait for the probe interval (an hour here); nothing is sent.
      expect(await scheduledRun()).toMatchObject({ claimed: 0, gate: "waiting" })
      // "Run now" probes at once, with one order only.
      const probe = await runNow()
      expect(probe).toMatchObject({ claimed: 1, gate: "probe", exported: 0 })
      expect((await alerts()).filter((t) => t.startsWith("OrderFlow unreachable for order export"))).toHaveLength(1)
      for (const o of orders) expect((await exportRow(o.id)).attempts).toBe(0)

      sim.control.clearFaults()
      const recovered = await runNow()
      expect(recovered).toMatchObject({ claimed: 1, exported: 1, gate: "probe" })
      // Closed: the next run sends a whole batch again.
      expect(await scheduledRun()).toMatchObject({ gate: "normal", exported: 2 })
      for (const o of orders) expect(await exportRow(o.id)).toMatchObject({ status: "exported", attempts: 0 })
      expect(await incidents()).toEqual([])
      expect(await monitorHealth()).toEqual({ status: 200, body: { status: "ok" } })
    })

    it("an order that makes OrderFlow fail the whole batch is isolated: its neighbours are exported in the same run, only it is charged, dead-lettered at the budget with one alert", async () => {
      const orders = []
      for (let i = 0; i < 5; i++) orders.push(await paidOrder())
      const poison = orders[3]
      sim.control.setFaults({ inbound: { poisonReferences: [String(poison.display_id)] } })

      const first = await scheduledRun()
      expect(first).toMatchObject({ claimed: 5, exported: 4, failed: 1 })
      expect(first.calls).toBeGreaterThan(1)
      expect(first.calls).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(5)))
      for (const o of orders.filter((o) => o !== poison)) expect(await exportRow(o.id)).toMatchObject({ status: "exported", attempts: 0 })
      const charged = await exportRow(poison.id)
      expect(charged).toMatchObject({ status: "failed", attempts: 1 })
      expect(charged.last_error).toMatch(/^OrderFlow fails every call that includes it: .*Unexpected error importing/)
      expect([...sim.state.orders.keys()].sort()).toEqual(orders.filter((o) => o !== poison).map((o) => String(o.display_id)).sort())

      // Its next tries go alone once the neighbours are through, with another order queued meanwhile.
      const late = await paidOrder()
      for (let attempt = 2; attempt <= 3; attempt++) {
        await waitFor(async () => (new Date((await exportRow(poison.id)).next_attempt_at).getTime() <= Date.now() ? true : null), { what: "retry due" })
        await scheduledRun()
        expect((await exportRow(poison.id)).attempts).toBe(attempt)
      }
      expect(await exportRow(poison.id)).toMatchObject({ status: "failed", attempts: 3, next_attempt_at: null })
      expect(await exportRow(late.id)).toMatchObject({ status: "exported" })
      const dead = (await alerts()).filter((t) => t.includes(`order ${poison.display_id} could not be exported`))
      expect(dead).toHaveLength(1)
      // The circuit never opened: OrderFlow answered the other calls.
      expect((await service().getEndpointState("order_export")).circuit_opened_at).toBeNull()
    })

    it("an order OrderFlow leaves out of its importResult is charged and retried with back-off, failed for good at the budget", async () => {
      const order = await paidOrder()
      const ref = String(order.display_id)
      for (let attempt = 1; attempt <= 3; attempt++) {
        sim.control.setFaults({ next: [{ fault: "omit", path: "importitems", omit: [ref] }] })
        if (attempt > 1) await waitFor(async () => (new Date((await exportRow(order.id)).next_attempt_at).getTime() <= Date.now() ? true : null), { what: "retry due" })
        await scheduledRun()
        const row = await exportRow(order.id)
        expect(row.attempts).toBe(attempt)
        if (attempt < 3) expect(row).toMatchObject({ status: "pending", next_attempt_at: expect.anything() })
      }
      const final = await exportRow(order.id)
      expect(final).toMatchObject({ status: "failed", next_attempt_at: null, last_error: "OrderFlow's importResult never mentioned it (3 attempts)" })
      expect((await alerts()).filter((t) => t.includes(`order ${ref} could not be exported`))).toHaveLength(1)
      expect(await monitorHealth()).toEqual({ status: 503, body: { status: "degraded", checks: ["order_export.item_failures"] } })
    })

    it("items failing for good with the same cause make one incident and one alert, however many; a closed incident alerts again", async () => {
      await configureOrderflow(api, admin, { orderExport: { sendMissingProducts: false }, retry: { maxAttempts: 1 } })
      sim.control.reset() // OrderFlow knows none of the products: every order fails with "unknown product"
      const orders = [await paidOrder("HOOD-S"), await paidOrder("HOOD-M"), await paidOrder("TEE-L")]
      const run = await scheduledRun()
      expect(run).toMatchObject({ claimed: 3, failed: 3 })
      const [incident] = await incidents()
      expect(incident).toMatchObject({ kind: "item_failures", occurrences: 1 })
      expect(incident.title).toBe("OrderFlow: 3 orders could not be exported")
      expect((await alerts()).filter((t) => t.includes("could not be exported"))).toEqual(["OrderFlow: 3 orders could not be exported"])

      const another = await paidOrder("TEE-S")
      await scheduledRun()
      expect(await exportRow(another.id)).toMatchObject({ status: "failed" })
      expect((await incidents())[0]).toMatchObject({ id: incident.id, occurrences: 2 })
      expect((await alerts()).filter((t) => t.includes("could not be exported"))).toHaveLength(1)

      await api.post(`/admin/orderflow/incidents/${incident.id}/close`, {}, admin)
      await paidOrder("HOOD-M")
      await scheduledRun()
      expect((await alerts()).filter((t) => t.includes("could not be exported"))).toHaveLength(2)
      void orders
    })

    it("a dead letter fires the dead_letters alarm: one incident and one alert however often it is checked, 503 degraded for monitors, cleared once resolved", async () => {
      const [dead] = await service().createOrderflowRequests([
        { type: "inventory", message_seq_id: 901, dedupe_key: "inventory:901", content_type: "application/json", body: "{}", status: "failed", attempts: 5, error: "boom", received_at: new Date() },
      ])
      const first = (await api.post("/admin/orderflow/alarms/check", {}, admin)).data.alarms
      expect(first).toMatchObject({ firing: ["dead_letters"], opened: 1, cleared: 0 })
      expect((await api.post("/admin/orderflow/alarms/check", {}, admin)).data.alarms).toMatchObject({ firing: ["dead_letters"], opened: 0 })
      expect((await alerts()).filter((t) => t.includes("dead letter"))).toEqual(["1 OrderFlow dead letter needs attention"])
      expect(await monitorHealth()).toEqual({ status: 503, body: { status: "degraded", checks: ["alarm.dead_letters"] } })

      await api.post(`/admin/orderflow/requests/${dead.id}/resolve`, {}, admin)
      expect((await api.post("/admin/orderflow/alarms/check", {}, admin)).data.alarms).toMatchObject({ firing: [], cleared: 1 })
      expect(await monitorHealth()).toEqual({ status: 200, body: { status: "ok" } })
    })

    it("a paid order not accepted by OrderFlow within orderAcceptanceMinutes fires order_acceptance naming it; accepted, the alarm clears", async () => {
      await configureOrderflow(api, admin, { alarms: { orderAcceptanceMinutes: 60, deadLetters: false } })
      const order = await paidOrder()
      const check = async (minutesLater: number) =>
        (await checkAlarmsWorkflow(getContainer()).run({ input: { now: new Date(Date.now() + minutesLater * 60_000).toISOString() } })).result
      expect(await check(30)).toMatchObject({ firing: [] })
      expect(await check(61)).toMatchObject({ firing: ["order_acceptance"], opened: 1 })
      const [incident] = await incidents()
      expect(incident.description).toContain(`Order ${order.display_id}`)
      await scheduledRun()
      expect(await check(62)).toMatchObject({ firing: [], cleared: 1 })
    })
  },
})
