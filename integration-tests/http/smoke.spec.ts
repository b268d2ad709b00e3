import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin } from "../helpers/admin"
import { capturePayment, placeOrder } from "../helpers/store"

jest.setTimeout(120_000)

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    beforeAll(async () => {
      seeded = await seedDemoStore(getContainer())
    })

    it("seeds a store in which a shopper can place an order that reserves stock", async () => {
      const admin = await loginAsAdmin(api, getContainer())
      const order = await placeOrder(api, seeded, [
        { sku: "TEE-M", quantity: 2 },
        { sku: "GIFT-WRAP", quantity: 1 },
      ])
      expect(order.items).toHaveLength(2)
      await capturePayment(api, admin, order.id)
      const { data } = await api.get(`/admin/orders/${order.id}?fields=payment_status,display_id`, admin)
      expect(data.order.payment_status).toBe("captured")

      const tee = seeded.products[0].variants.find((v) => v.sku === "TEE-M")!
      const levels = await api.get(`/admin/inventory-items/${tee.inventoryItemId}/location-levels`, admin)
      const level = levels.data.inventory_levels[0]
      expect(level.stocked_quantity).toBe(50)
      expect(level.reserved_quantity).toBe(2)
      expect(level.available_quantity).toBe(48)
      const wrap = seeded.products[3].variants[0]
      expect(wrap.manageInventory).toBe(false)
    })
  },
})
