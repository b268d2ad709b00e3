import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { Simulator, startSimulator } from "orderflow-simulator"
import { DemoProductSpec, seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, INBOUND_PASSWORD, INBOUND_USER, orderflowService } from "../helpers/orderflow"

jest.setTimeout(300_000)

// Issue 15, "Stock truth": sequence reset (per SKU, or all after OrderFlow's
// Initialize button, detected and alerted once) and the drift report
// (OrderFlow's pulled figures compared with Medusa's levels, accepted
// through the inventory import path). 30 SKUs so that a full push in
// messages of 10 lines is long enough to be taken for a re-initialisation.
const PRODUCTS: DemoProductSpec[] = Array.from({ length: 15 }, (_, p) => ({
  title: `Truth ${p}`,
  handle: `truth-${p}`,
  variants: [0, 1].map((v) => ({ title: `V${v}`, sku: `TRUTH-${String(p).padStart(2, "0")}-${v}`, price: 10, stock: 5 })),
}))
const SKUS = PRODUCTS.flatMap((p) => p.variants.map((v) => v.sku))

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any
    let sim: Simulator

    beforeAll(async () => {
      seeded = await seedDemoStore(getContainer(), { products: PRODUCTS })
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
        chunkSize: 10,
        seed: 15,
        log: false,
      })
      sim.control.seed({ products: SKUS.map((sku, i) => ({ sku, description: sku, stock: 20 + i })) })
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "medusa", password: "wms", organisation: "demo", channel: "web" },
        inventoryImport: { enabled: true, batchSize: 500, defaultLocationId: seeded.stockLocationId, locations: {} },
        stockDrift: { chunkSize: 7 },
      })
      // Each test starts from stock the store has applied: every stored sequence id is OrderFlow's current one.
      await api.post("/admin/orderflow/inventory/sequences/reset", { all: true, reason: "test setup" }, admin)
      await pushAll()
    })

    afterEach(async () => {
      await sim.close()
      const orderflow = orderflowService(getContainer())
      for (const i of await orderflow.listOpenIncidents()) await orderflow.closeIncident(i.id, { now: new Date(), by: "test" })
      const open = await orderflow.listOrderflowStockDrifts({ status: "open" }, { select: ["id"], take: null })
      if (open.length) await orderflow.closeStockDrift({ ids: open.map((d: any) => d.id), status: "ignored", by: "test", now: new Date() })
    })

    const inventoryRequests = async () => orderflowService(getContainer()).listOrderflowRequests({ type: "inventory" }, { select: ["id", "status"], take: null })
    /** Runs inventory_import until no stock message is waiting (the intake's event may have run it already); the summed figures. */
    const processAll = async () => {
      const total: Record<string, number> = {}
      await waitFor(
        async () => {
          const res = await api.post("/admin/orderflow/operations/inventory_import/run", {}, admin)
          expect(res.data.run.status).toBe("success")
          for (const [k, v] of Object.entries(res.data.run.summary ?? {})) if (typeof v === "number") total[k] = (total[k] ?? 0) + v
          return (await inventoryRequests()).every((r: any) => r.status !== "pending" && r.status !== "processing")
        },
        { what: "stock messages processed" }
      )
      return total
    }
    async function pushAll() {
      const pushed = await sim.control.pushInventory({ mode: "full", wait: true })
      expect(pushed.messages.every((m) => m.status === "delivered")).toBe(true)
      return processAll()
    }
    /** Lines of every import recorded since `since`, by outcome (the event may have applied some messages before our run). */
    const importLines = async (since: Date) => {
      const orderflow = orderflowService(getContainer())
      const imports = await orderflow.listOrderflowImports({ type: "inventory", created_at: { $gte: since } }, { relations: ["lines"], take: null })
      return imports.flatMap((i: any) => i.lines)
    }
    const count = (lines: any[], outcome: string) => lines.filter((l) => l.outcome === outcome).length
    const itemOf = (sku: string) => seeded.products.flatMap((p) => p.variants).find((v) => v.sku === sku)!.inventoryItemId!
    const available = async (sku: string) => {
      const [level] = await getContainer()
        .resolve(Modules.INVENTORY)
        .listInventoryLevels({ inventory_item_id: itemOf(sku), location_id: seeded.stockLocationId })
      return Number(level.available_quantity)
    }
    const reinitialisedAlerts = async () =>
      (await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ trigger_type: "orderflow.alert", channel: "feed" }, { take: null })).filter((n: any) =>
        String(n.data?.title).includes("re-initialised")
      )

    it("re-initialised OrderFlow: its full push raises exactly one alert naming the reset; the reset through the admin route lets the next push apply", async () => {
      sim.control.reinitialise({ startAt: 1 })
      const since = new Date()
      const pushed = await sim.control.pushInventory({ mode: "full", wait: true })
      expect(pushed.messages).toHaveLength(3)
      await processAll()
      const lines = await importLines(since)
      expect([lines.length, count(lines, "stale"), count(lines, "applied")]).toEqual([30, 30, 0])

      const alerts = await reinitialisedAlerts()
      expect(alerts).toHaveLength(1)
      expect(String(alerts[0].data?.description)).toContain("/admin/orderflow/inventory/sequences/reset")
      // One incident however the three messages were grouped into runs (a run raises it once, later runs only count).
      const incidents = (await api.get("/admin/orderflow/incidents", admin)).data.incidents.filter((i: any) => i.key === "inventory:reinitialised")
      expect(incidents).toHaveLength(1)

      const reset = await api.post("/admin/orderflow/inventory/sequences/reset", { all: true, reason: "OrderFlow re-initialised" }, admin)
      expect(reset.data.reset).toMatchObject({ scope: "all", cleared: 30, closed_incidents: 1 })
      const history = (await api.get("/admin/orderflow/inventory/sequences/resets?limit=1", admin)).data.resets
      expect(history[0]).toMatchObject({ scope: "all", cleared_count: 30, reason: "OrderFlow re-initialised" })
      expect((await api.get("/admin/orderflow/incidents", admin)).data.incidents.filter((i: any) => i.key === "inventory:reinitialised")).toEqual([])

      sim.control.setStock({ sku: "TRUTH-04-1", total: 77 })
      const after = new Date()
      await pushAll()
      const next = await importLines(after)
      expect([count(next, "applied"), count(next, "stale")]).toEqual([30, 0])
      expect(await available("TRUTH-04-1")).toBe(77)
      // No new alert: ids above the new stored ones are ordinary updates.
      expect(await reinitialisedAlerts()).toHaveLength(1)
    })

    it("per-SKU reset via the admin route clears only that SKU's sequence id: a re-push applies it and leaves every other SKU stale", async () => {
      const seqsOf = async (sku: string) => (await api.get(`/admin/orderflow/inventory/sequences?sku=${sku}`, admin)).data.sequences
      expect(await seqsOf("TRUTH-03-0")).toHaveLength(1)

      const bad = await api.post("/admin/orderflow/inventory/sequences/reset", { all: true, sku: "TRUTH-03-0" }, { ...admin, validateStatus: () => true })
      expect(bad.status).toBe(400)
      expect((await api.post("/admin/orderflow/inventory/sequences/reset", {}, { ...admin, validateStatus: () => true })).status).toBe(400)
      expect(await seqsOf("TRUTH-03-0")).toHaveLength(1)

      // A location without stored ids clears nothing, and is recorded as such.
      const elsewhere = await api.post("/admin/orderflow/inventory/sequences/reset", { location_id: "sloc_elsewhere" }, admin)
      expect(elsewhere.data.reset).toMatchObject({ scope: "location", cleared: 0 })
      expect((await api.get("/admin/orderflow/inventory/sequences?limit=100", admin)).data.count).toBe(30)

      const reset = await api.post("/admin/orderflow/inventory/sequences/reset", { sku: "TRUTH-03-0" }, admin)
      expect(reset.data.reset).toMatchObject({ scope: "sku", cleared: 1, closed_incidents: 0 })
      expect(await seqsOf("TRUTH-03-0")).toEqual([])
      expect(await seqsOf("TRUTH-03-1")).toHaveLength(1)

      const alertsBefore = (await reinitialisedAlerts()).length
      const since = new Date()
      await pushAll()
      const lines = await importLines(since)
      expect(lines.filter((l: any) => l.outcome === "applied").map((l: any) => l.sku)).toEqual(["TRUTH-03-0"])
      expect(count(lines, "stale")).toBe(29)
      // A re-push of the ids already applied (equal, not lower) is ordinary staleness, not a re-initialised OrderFlow.
      expect(await reinitialisedAlerts()).toHaveLength(alertsBefore)
    })

    it("the drift report lists a level changed behind the plugin's back, and accepting OrderFlow's figure fixes it through the inventory import", async () => {
      const sku = "TRUTH-07-0"
      const warehouse = sim.control.product(sku).stock.DEFAULT.available
      expect(await available(sku)).toBe(warehouse)
      await api.post(`/admin/inventory-items/${itemOf(sku)}/location-levels/${seeded.stockLocationId}`, { stocked_quantity: warehouse + 13 }, admin)
      expect(await available(sku)).toBe(warehouse + 13)

      const run = (await api.post("/admin/orderflow/operations/stock_drift/run", {}, admin)).data.run
      expect(run.status).toBe("success")
      // 30 SKUs in chunks of 7: five calls to inventory.xml.
      expect(run.summary).toMatchObject({ skus: expect.any(Number), calls: expect.any(Number), compared: 30, differences: 1, open: 1 })
      expect(run.summary.calls).toBe(Math.ceil(run.summary.skus / 7))
      const listed = (await api.get("/admin/orderflow/stock-drift?status=open", admin)).data
      expect(listed.count).toBe(1)
      expect(listed.differences[0]).toMatchObject({
        sku,
        location_id: seeded.stockLocationId,
        orderflow_qty: warehouse,
        expected_qty: warehouse,
        actual_qty: warehouse + 13,
        status: "open",
      })

      const accepted = await api.post("/admin/orderflow/stock-drift/accept", { ids: [listed.differences[0].id] }, admin)
      expect(accepted.data).toMatchObject({ accepted: 1, request_ids: [expect.any(String)] })
      await processAll()
      expect(await available(sku)).toBe(warehouse)
      const requestId = accepted.data.request_ids[0]
      const imports = (await api.get(`/admin/orderflow/imports?request_id=${requestId}`, admin)).data.imports
      expect(imports).toHaveLength(1)
      const report = (await api.get(`/admin/orderflow/imports/${imports[0].id}`, admin)).data.import
      expect(report.lines.map((l: any) => [l.sku, l.outcome, l.received_qty, l.applied_qty])).toEqual([[sku, "applied", warehouse, warehouse]])
      expect((await api.get("/admin/orderflow/stock-drift?status=accepted", admin)).data.differences[0]).toMatchObject({ sku, request_id: requestId })

      const again = (await api.post("/admin/orderflow/operations/stock_drift/run", {}, admin)).data.run
      expect(again.summary).toMatchObject({ differences: 0, open: 0 })
    })

    it("with a site mapped, the drift report asks inventory.xml for that site in chunks of externalReferences and lists the difference under the site", async () => {
      await configureOrderflow(api, admin, { inventoryImport: { defaultLocationId: null, locations: { DEFAULT: seeded.stockLocationId } } })
      const sku = "TRUTH-11-1"
      await api.post(`/admin/inventory-items/${itemOf(sku)}/location-levels/${seeded.stockLocationId}`, { stocked_quantity: 0 }, admin)
      sim.control.clearDocuments()
      const run = (await api.post("/admin/orderflow/operations/stock_drift/run", {}, admin)).data.run
      expect(run.summary).toMatchObject({ sites: ["DEFAULT"], compared: 30, differences: 1 })
      const calls = sim.control.documents({ path: "inventory" })
      expect(calls).toHaveLength(run.summary.calls)
      expect(calls.every((d) => d.query.site === "DEFAULT" && d.query.organisation === "demo")).toBe(true)
      const asked = calls.flatMap((d) => d.query.externalReferences.split(","))
      expect(Math.max(...calls.map((d) => d.query.externalReferences.split(",").length))).toBe(7)
      expect(new Set(asked).size).toBe(asked.length)
      expect(asked).toEqual(expect.arrayContaining(SKUS))
      const [difference] = (await api.get(`/admin/orderflow/stock-drift?status=open&sku=${sku}`, admin)).data.differences
      expect(difference).toMatchObject({ site: "DEFAULT", location_id: seeded.stockLocationId, actual_qty: 0 })
    })

    it("an accepted figure older than a push applied since is stale: accepting never overwrites newer stock", async () => {
      const sku = "TRUTH-09-1"
      await api.post(`/admin/inventory-items/${itemOf(sku)}/location-levels/${seeded.stockLocationId}`, { stocked_quantity: 500 }, admin)
      await api.post("/admin/orderflow/operations/stock_drift/run", {}, admin)
      const [difference] = (await api.get(`/admin/orderflow/stock-drift?status=open&sku=${sku}`, admin)).data.differences
      expect(difference).toBeDefined()
      sim.control.setStock({ sku, total: 3 })
      await sim.control.pushInventory({ mode: "single", sku, wait: true })
      await processAll()
      expect(await available(sku)).toBe(3)

      const since = new Date()
      await api.post("/admin/orderflow/stock-drift/accept", { ids: [difference.id] }, admin)
      await processAll()
      expect((await importLines(since)).map((l: any) => [l.sku, l.outcome])).toEqual([[sku, "stale"]])
      expect(await available(sku)).toBe(3)
    })

    it("ignore closes a difference; take OrderFlow's stock accepts every difference through the import", async () => {
      for (const sku of ["TRUTH-01-0", "TRUTH-02-0", "TRUTH-02-1"]) {
        await api.post(`/admin/inventory-items/${itemOf(sku)}/location-levels/${seeded.stockLocationId}`, { stocked_quantity: 1 }, admin)
      }
      await api.post("/admin/orderflow/operations/stock_drift/run", {}, admin)
      const [first] = (await api.get("/admin/orderflow/stock-drift?status=open&sku=TRUTH-01-0", admin)).data.differences
      expect((await api.post("/admin/orderflow/stock-drift/ignore", { ids: [first.id] }, admin)).data).toEqual({ ignored: 1 })
      // The same difference seen again stays ignored.
      expect((await api.post("/admin/orderflow/operations/stock_drift/run", {}, admin)).data.run.summary).toMatchObject({ differences: 3, ignored: 1, open: 2 })

      const taken = (await api.post("/admin/orderflow/stock-drift/take-all", {}, admin)).data
      expect(taken).toMatchObject({ accepted: 2, report: { differences: 3, ignored: 1 } })
      await processAll()
      expect(await available("TRUTH-02-0")).toBe(sim.control.product("TRUTH-02-0").stock.DEFAULT.available)
      expect(await available("TRUTH-02-1")).toBe(sim.control.product("TRUTH-02-1").stock.DEFAULT.available)
      expect(await available("TRUTH-01-0")).toBe(1)
    })
  },
})
