import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { deleteProductVariantsWorkflow, deleteReservationsByLineItemsWorkflow } from "@medusajs/medusa/core-flows"
import { Modules } from "@medusajs/framework/utils"
import { Simulator, startSimulator } from "orderflow-simulator"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, orderflowService } from "../helpers/orderflow"
import { capturePayment, placeOrder, variantBySku } from "../helpers/store"

jest.setTimeout(300_000)

// A paid order whose product variant was deleted in Medusa before the order
// was exported is still sent, from the SKU and title its line item stored.
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
      sim = await startSimulator({ port: 0, organisation: "demo", channel: "medusa", seed: 21, log: false })
      sim.control.seed({ products: ["TEE-M", "HOOD-M"].map((sku) => ({ sku, description: sku, stock: 50 })) })
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa" },
        orderExport: { enabled: true },
      })
    })

    afterEach(async () => sim.close())

    const exportRow = async (orderId: string) => (await orderflowService(getContainer()).listOrderflowExportItems({ entity_type: "order", entity_id: orderId }))[0] as any

    it("an order whose variant was deleted before export is exported with the line item's stored SKU and title", async () => {
      const order = await placeOrder(api, seeded, [
        { sku: "HOOD-M", quantity: 2 },
        { sku: "TEE-M", quantity: 1 },
      ])
      await capturePayment(api, admin, order.id)
      await waitFor(async () => (await exportRow(order.id))?.status === "pending", { what: "order queued for export" })

      const hoodie = variantBySku(seeded, "HOOD-M")
      // Medusa refuses to delete a variant whose inventory is reserved: the
      // merchant releases the order's reservation first (Medusa's workflow), then deletes.
      const hoodieItem = order.items.find((i: any) => i.variant_sku === "HOOD-M")
      await deleteReservationsByLineItemsWorkflow(getContainer()).run({ input: { ids: [hoodieItem.id] } })
      await deleteProductVariantsWorkflow(getContainer()).run({ input: { ids: [hoodie.id] } })
      const [gone] = await getContainer().resolve(Modules.PRODUCT).listProductVariants({ id: hoodie.id })
      expect(gone).toBeUndefined()

      const res = await api.post("/admin/orderflow/operations/order_export/run", {}, admin)
      expect(res.data.run).toMatchObject({ ran: true, status: "success" })
      expect(res.data.run.summary).toMatchObject({ exported: 1, failed: 0 })
      expect(await exportRow(order.id)).toMatchObject({ status: "exported", last_error: null })

      const inOrderflow = sim.state.orders.get(String(order.display_id))!
      const lines = inOrderflow.shipments[0].lines
      expect(lines.map((l) => [l.product, l.quantity]).sort()).toEqual([
        ["HOOD-M", 2],
        ["TEE-M", 1],
      ])
      expect(lines.find((l) => l.product === "HOOD-M")!.fields).toMatchObject({ thirdPartyReference: hoodieItem.id })
    })
  },
})
