import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { Simulator, startSimulator } from "orderflow-simulator"
import { DemoProductSpec, seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin } from "../helpers/admin"
import { configureOrderflow, INBOUND_PASSWORD, INBOUND_USER, orderflowService } from "../helpers/orderflow"

jest.setTimeout(300_000)

// 40 SKUs across 20 products; one with leading zeros.
const PRODUCTS: DemoProductSpec[] = Array.from({ length: 20 }, (_, p) => ({
  title: `Bulk ${p}`,
  handle: `bulk-${p}`,
  variants: [0, 1].map((v) => ({ title: `V${v}`, sku: p === 0 && v === 0 ? "000-ZERO" : `BULK-${p}-${v}`, price: 10, stock: 5 })),
}))
const SKUS = PRODUCTS.flatMap((p) => p.variants.map((v) => v.sku))

/** Deterministic PRNG for the randomized scenario (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

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
      await configureOrderflow(api, admin, { inventoryImport: { enabled: true, batchSize: 500 } })
      sim = await startSimulator({
        port: 0,
        storeUrl: api.defaults.baseURL,
        storeUser: INBOUND_USER,
        storePassword: INBOUND_PASSWORD,
        pushRetryDelayMs: 20,
        seed: 42,
        log: false,
      })
      sim.control.seed({ products: SKUS.map((sku, i) => ({ sku, description: sku, stock: 10 + i })) })
    })

    afterEach(async () => {
      await sim.close()
    })

    const processAll = async () => {
      const res = await api.post("/admin/orderflow/operations/inventory_import/run", {}, admin)
      expect(res.data.run.status).toBe("success")
      return res.data.run.summary
    }
    const levels = async (locationId = seeded.stockLocationId) => {
      const items = seeded.products.flatMap((p) => p.variants).filter((v) => v.inventoryItemId)
      const list = await getContainer()
        .resolve(Modules.INVENTORY)
        .listInventoryLevels({ inventory_item_id: items.map((v) => v.inventoryItemId!), location_id: locationId }, { take: null })
      const skuOf = new Map(items.map((v) => [v.inventoryItemId!, v.sku]))
      return new Map(list.map((l: any) => [skuOf.get(l.inventory_item_id)!, Number(l.available_quantity)]))
    }
    const warehouseAvailable = (sku: string, site = "DEFAULT") => sim.control.product(sku).stock[site].available

    it("single product push: the store shows the warehouse's figure", async () => {
      sim.control.setStock({ sku: "BULK-3-1", total: 33 })
      const pushed = await sim.control.pushInventory({ mode: "single", sku: "BULK-3-1", wait: true })
      expect(pushed.messages.map((m) => m.status)).toEqual(["delivered"])
      expect(await processAll()).toMatchObject({ claimed: 1, applied: 1 })
      expect((await levels()).get("BULK-3-1")).toBe(33)
    })

    it("full push split into messages of chunk size: every SKU gets the warehouse's figure", async () => {
      sim.control.configure({ chunkSize: 7 })
      const pushed = await sim.control.pushInventory({ mode: "full", wait: true })
      expect(pushed.messages).toHaveLength(Math.ceil(SKUS.length / 7))
      expect(pushed.messages.every((m) => m.status === "delivered")).toBe(true)
      const summary = await processAll()
      expect(summary).toMatchObject({ claimed: pushed.messages.length, applied: SKUS.length, unknown_sku: 0 })
      const now = await levels()
      for (const sku of SKUS) expect([sku, now.get(sku)]).toEqual([sku, warehouseAvailable(sku)])
      // A second full push without stock changes: nothing newer, every line stale.
      await sim.control.pushInventory({ mode: "full", wait: true })
      expect(await processAll()).toMatchObject({ applied: 0, stale: SKUS.length })
    })

    it("incremental push carries only the SKUs whose stock changed", async () => {
      await sim.control.pushInventory({ mode: "incremental", wait: true })
      await processAll()
      sim.control.setStock([{ sku: "BULK-1-0", total: 1 }, { sku: "BULK-7-1", total: 70 }, { sku: "000-ZERO", total: 2 }])
      const pushed = await sim.control.pushInventory({ mode: "incremental", wait: true })
      expect(pushed.messages).toHaveLength(1)
      expect(pushed.messages[0].skuCount).toBe(3)
      expect(await processAll()).toMatchObject({ applied: 3 })
      const now = await levels()
      expect([now.get("BULK-1-0"), now.get("BULK-7-1"), now.get("000-ZERO")]).toEqual([1, 70, 2])
    })

    it.each(["xml", "soap"] as const)("accepts the warehouse's %s push format", async (format) => {
      sim.control.configure({ pushFormat: format })
      sim.control.setStock({ sku: "000-ZERO", total: 4 })
      await sim.control.pushInventory({ mode: "single", sku: "000-ZERO", wait: true })
      expect(await processAll()).toMatchObject({ applied: 1 })
      expect((await levels()).get("000-ZERO")).toBe(4)
    })

    it("an older message retried after a newer one was applied is stale and does not overwrite it", async () => {
      const { waitFor } = await import("../helpers/admin")
      await sim.control.pushInventory({ mode: "incremental", wait: true })
      await processAll()
      sim.control.configure({ storePassword: "wrong", pushRetryDelayMs: 3000 })
      sim.control.setStock({ sku: "BULK-5-0", total: 10 })
      const [older] = (await sim.control.pushInventory({ mode: "incremental" })).messages
      // Its first delivery is refused (401), a retry is scheduled...
      await waitFor(async () => sim.control.delivery(older.messageSeqId).totalAttempts >= 1, { what: "first attempt" })
      sim.control.configure({ storePassword: INBOUND_PASSWORD })
      // ...meanwhile a newer figure is pushed, delivered and applied.
      sim.control.setStock({ sku: "BULK-5-0", total: 20 })
      const [newer] = (await sim.control.pushInventory({ mode: "incremental", wait: true })).messages
      expect(newer.status).toBe("delivered")
      expect(sim.control.delivery(older.messageSeqId).status).not.toBe("delivered")
      await processAll()
      expect((await levels()).get("BULK-5-0")).toBe(20)
      // The retry of the older message arrives late.
      await sim.control.waitForDeliveries({ ids: [older.messageSeqId], timeoutMs: 15_000 })
      expect(sim.control.delivery(older.messageSeqId).status).toBe("delivered")
      expect(await processAll()).toMatchObject({ claimed: 1, stale: 1, applied: 0 })
      expect((await levels()).get("BULK-5-0")).toBe(20)
    })

    it("shuffled and duplicated delivery ends with the same stock as in-order delivery (seeded, randomized)", async () => {
      const random = prng(20261123)
      sim.control.setFaults({ push: { duplicateRate: 0.3, shuffleWindow: 6 } })
      sim.control.configure({ chunkSize: 5 })
      let messages = 0
      for (let round = 0; round < 12; round++) {
        const changes = Array.from({ length: 6 }, () => ({
          sku: SKUS[Math.floor(random() * SKUS.length)],
          total: Math.floor(random() * 60) - 5,
        }))
        sim.control.setStock(changes.map((c) => ({ ...c, total: Math.max(0, c.total) })))
        const pushed = await sim.control.pushInventory({ mode: random() < 0.2 ? "full" : "incremental" })
        messages += pushed.messages.length
        // Process while deliveries are still arriving, as the scheduler would.
        if (round % 3 === 2) await processAll()
      }
      const waited = await sim.control.waitForDeliveries({ timeoutMs: 60_000 })
      expect(waited.settled).toBe(true)
      await processAll()
      await processAll()

      // The faults really happened: duplicates were delivered and acknowledged, messages arrived out of order.
      const requests = await orderflowService(getContainer()).listOrderflowRequests({ type: "inventory" }, { take: null, order: { received_at: "ASC" } })
      const duplicates = requests.filter((r: any) => r.status === "duplicate")
      expect(duplicates.length).toBeGreaterThan(0)
      const arrival = requests.filter((r: any) => r.status !== "duplicate").map((r: any) => r.message_seq_id)
      expect(arrival).not.toEqual([...arrival].sort((a, b) => a - b))
      expect(requests.filter((r: any) => r.status !== "duplicate")).toHaveLength(messages)
      expect(requests.every((r: any) => ["processed", "duplicate"].includes(r.status))).toBe(true)

      // In-order delivery ends with the warehouse's latest figure for every SKU; so must this.
      const now = await levels()
      const mismatches = SKUS.filter((sku) => now.get(sku) !== warehouseAvailable(sku))
      expect(mismatches).toEqual([])
    })

    it("multi-site warehouse: each site's figure goes to its mapped stock location", async () => {
      await sim.close()
      sim = await startSimulator({
        port: 0,
        storeUrl: api.defaults.baseURL,
        storeUser: INBOUND_USER,
        storePassword: INBOUND_PASSWORD,
        sites: ["DEFAULT", "SECOND"],
        seed: 7,
        log: false,
      })
      sim.control.seed({ products: [{ sku: "BULK-2-0", description: "x", stock: { DEFAULT: 12, SECOND: 30 } }] })
      const {
        result: [second],
      } = await createStockLocationsWorkflow(getContainer()).run({ input: { locations: [{ name: "Second" }] } })
      await configureOrderflow(api, admin, {
        inventoryImport: { locations: { DEFAULT: seeded.stockLocationId, SECOND: second.id } },
      })
      await sim.control.pushInventory({ mode: "single", sku: "BULK-2-0", wait: true })
      expect(await processAll()).toMatchObject({ applied: 2 })
      expect((await levels()).get("BULK-2-0")).toBe(12)
      expect((await levels(second.id)).get("BULK-2-0")).toBe(30)
    })
  },
})
