import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { Simulator } from "orderflow-simulator"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { orderflowService } from "../helpers/orderflow"
import { variantBySku } from "../helpers/store"
import { configureForPushes, exportedOrder as exportedOrderIn, startTestSimulator } from "../helpers/warehouse"

jest.setTimeout(300_000)

// The simulator pushing as each of OrderFlow's connectors would (issue 16):
// the same stock and despatch outcomes in a running store whichever face
// they come through.
const SKUS = ["TEE-S", "TEE-M", "TEE-L", "HOOD-S", "HOOD-M", "00123-MUG"]
const MODES = ["rest", "xml", "soap-m2", "soap-m1"] as const

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any

    beforeAll(async () => {
      seeded = await seedDemoStore(getContainer())
    })

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
      await configureForPushes(api, admin, seeded)
    })

    const service = () => orderflowService(getContainer())
    const run = async (operation: "inventory_import" | "shipment_import") => {
      const res = await api.post(`/admin/orderflow/operations/${operation}/run`, {}, admin)
      expect(res.data.run.status).toBe("success")
      return res.data.run.summary
    }
    const stocked = async (sku: string) => {
      const [level] = await getContainer()
        .resolve(Modules.INVENTORY)
        .listInventoryLevels({ inventory_item_id: variantBySku(seeded, sku).inventoryItemId!, location_id: seeded.stockLocationId })
      return Number(level.stocked_quantity)
    }
    const simulator = async (pushFormat: string) => {
      const sim = await startTestSimulator(api, { pushFormat: pushFormat as any, pushRetries: 2, seed: 16 })
      sim.control.seed({ products: SKUS.map((sku, i) => ({ sku, description: sku, stock: 20 + i })) })
      return sim
    }
    const exportedOrder = (sim: Simulator, sku: string, quantity: number) =>
      exportedOrderIn({ api, admin, seeded, sim, container: getContainer() }, [{ sku, quantity }])

    describe.each(MODES)("push mode %s", (mode) => {
      it(`stock: a full push is applied, a re-delivered copy is a duplicate, a second full push with no change is stale (${mode})`, async () => {
        const sim = await simulator(mode)
        try {
          sim.control.setFaults({ push: { duplicateNext: 1 } })
          const first = await sim.control.pushInventory({ mode: "full", wait: true })
          expect(first.messages.map((m) => m.status)).toEqual(["delivered"])
          await waitFor(async () => (await service().listOrderflowRequests({ type: "inventory" })).length === 2, { what: "the original and its re-delivered copy" })
          expect((await service().listOrderflowRequests({ type: "inventory" })).map((r: any) => r.status).sort()).toEqual(["duplicate", "pending"])
          expect(await run("inventory_import")).toMatchObject({ applied: SKUS.length })
          for (const sku of SKUS) expect(await stocked(sku)).toBe(sim.control.product(sku).stock.DEFAULT.available)
          const second = await sim.control.pushInventory({ mode: "full", wait: true })
          expect(second.messages.map((m) => m.status)).toEqual(["delivered"])
          expect(await run("inventory_import")).toMatchObject({ applied: 0, stale: SKUS.length })
          const [stored] = await service().listOrderflowRequests({ message_seq_id: first.messages[0].messageSeqId, status: "processed" })
          // The request history keeps the body exactly as this connector sent it.
          expect(stored.body).toContain(mode === "soap-m2" ? "InventoryRequestManagementV1UpdateRequest" : mode === "soap-m1" ? "orderflowInventoryMultiUpdate" : "TEE-S")
        } finally {
          await sim.close()
        }
      })

      it(`despatches: a partial despatch then the rest, each with its tracking (${mode})`, async () => {
        const sim = await simulator(mode)
        try {
          const { order, reference } = await exportedOrder(sim, "HOOD-M", 2)
          const first = await sim.control.despatch({ orderReference: reference, lines: [{ sku: "HOOD-M", qty: 1 }], trackingNumbers: [`${mode}-1`], push: true, wait: true })
          expect(first.message?.status).toBe("delivered")
          expect(await run("shipment_import")).toMatchObject({ shipped: 1 })
          let o = (await api.get(`/admin/orders/${order.id}?fields=id,fulfillment_status,*items,*fulfillments,*fulfillments.labels`, admin)).data.order
          expect(o.fulfillment_status).toBe("partially_shipped")
          const rest = await sim.control.despatch({ orderReference: reference, trackingNumbers: [`${mode}-2`], push: true, wait: true })
          expect(rest.message?.status).toBe("delivered")
          expect(await run("shipment_import")).toMatchObject({ shipped: 1 })
          o = (await api.get(`/admin/orders/${order.id}?fields=id,fulfillment_status,*items,*fulfillments,*fulfillments.labels`, admin)).data.order
          expect(o.fulfillment_status).toBe("shipped")
          expect(o.fulfillments.map((f: any) => f.labels[0].tracking_number).sort()).toEqual([`${mode}-1`, `${mode}-2`])
        } finally {
          await sim.close()
        }
      })
    })

    it("soap-m2: the connector fetches the WSDL, gets a token once and pushes with it", async () => {
      const sim = await simulator("soap-m2")
      try {
        await sim.control.pushInventory({ mode: "single", sku: "TEE-S", wait: true })
        await sim.control.pushInventory({ mode: "single", sku: "TEE-M", wait: true })
        expect(sim.control.connectorLog().map((c) => [c.what, c.ok])).toEqual([
          ["wsdl", true],
          ["token", true],
        ])
        expect(await service().listOrderflowApiSessions({ face: "m2" })).toHaveLength(1)
      } finally {
        await sim.close()
      }
    })

    it("soap-m1: an expired session gets fault 5, the connector logs in again and the message is delivered", async () => {
      const sim = await simulator("soap-m1")
      try {
        expect((await sim.control.pushInventory({ mode: "single", sku: "TEE-S", wait: true })).messages[0].status).toBe("delivered")
        const [session] = await service().listOrderflowApiSessions({ face: "m1" })
        await service().updateOrderflowApiSessions({ id: session.id, expires_at: new Date(Date.now() - 1000) })
        const pushed = await sim.control.pushInventory({ mode: "single", sku: "TEE-M", wait: true })
        expect(pushed.messages[0].status).toBe("delivered")
        expect(sim.control.connectorLog().map((c) => [c.what, c.ok])).toEqual([
          ["login", true],
          ["login", true],
        ])
        expect((await service().listOrderflowRequests({ type: "inventory" })).map((r: any) => r.message_seq_id).sort()).toEqual(
          [pushed.messages[0].messageSeqId - 1, pushed.messages[0].messageSeqId].sort()
        )
      } finally {
        await sim.close()
      }
    })

    it("soap-m1 with a wrong API key: login fails with fault 2 and the message is retried, then failed; nothing stored", async () => {
      const bad = await startTestSimulator(api, { storePassword: "wrong", pushFormat: "soap-m1" as any, pushRetryDelayMs: 10, pushRetries: 1, seed: 17 })
      try {
        bad.control.seed({ products: [{ sku: "TEE-S", stock: 5 }] })
        const pushed = await bad.control.pushInventory({ mode: "single", sku: "TEE-S", wait: true })
        expect(pushed.messages[0].status).toBe("failed")
        expect(bad.control.delivery(pushed.messages[0].messageSeqId).sends.at(-1)?.error).toContain("login refused: 2 Access denied.")
        expect(await service().listOrderflowRequests({})).toHaveLength(0)
      } finally {
        await bad.close()
      }
    })
  },
})
