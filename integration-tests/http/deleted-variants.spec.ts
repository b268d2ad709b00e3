import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createInventoryLevelsWorkflow, createProductsWorkflow, deleteProductVariantsWorkflow, deleteReservationsByLineItemsWorkflow } from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys, Modules, ProductStatus } from "@medusajs/framework/utils"
import { Simulator, startSimulator } from "orderflow-simulator"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, orderflowService } from "../helpers/orderflow"
import { capturePayment, placeOrder, storeHeaders, UK_ADDRESS, variantBySku } from "../helpers/store"

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

    /** A shippable product whose variant has no SKU (nor its inventory item), stocked at the demo location. */
    const variantWithoutSku = async () => {
      const container = getContainer()
      const {
        result: [product],
      } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Unlabelled Scarf",
              handle: "unlabelled-scarf",
              status: ProductStatus.PUBLISHED,
              shipping_profile_id: seeded.shippingProfileId,
              options: [{ title: "Colour", values: ["Red"] }],
              variants: [{ title: "Red", manage_inventory: true, options: { Colour: "Red" }, prices: [{ amount: 12, currency_code: "gbp" }] }],
              sales_channels: [{ id: seeded.salesChannelId }],
            },
          ],
        },
      })
      const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "product_variant",
        fields: ["id", "sku", "inventory_items.inventory_item_id"],
        filters: { product_id: product.id },
      })
      await createInventoryLevelsWorkflow(container).run({
        input: { inventory_levels: [{ inventory_item_id: (data[0] as any).inventory_items[0].inventory_item_id, location_id: seeded.stockLocationId, stocked_quantity: 10 }] },
      })
      return data[0].id as string
    }

    /** A shopper's order of one variant, by id (placeOrder finds variants by SKU). */
    const placeOrderOf = async (variantId: string) => {
      const opts = storeHeaders(seeded)
      const { data: created } = await api.post(
        "/store/carts",
        { region_id: seeded.regionId, sales_channel_id: seeded.salesChannelId, email: "shopper@example.com", shipping_address: UK_ADDRESS, billing_address: UK_ADDRESS, items: [{ variant_id: variantId, quantity: 1 }] },
        opts
      )
      const cart = created.cart
      await api.post(`/store/carts/${cart.id}/shipping-methods`, { option_id: seeded.shippingOptionIds[0] }, opts)
      const { data: pc } = await api.post("/store/payment-collections", { cart_id: cart.id }, opts)
      await api.post(`/store/payment-collections/${pc.payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" }, opts)
      const { data } = await api.post(`/store/carts/${cart.id}/complete`, {}, opts)
      if (data.type !== "order") throw new Error(`cart did not complete: ${JSON.stringify(data.error ?? data)}`)
      return data.order
    }

    it("an order whose deleted variant left no SKU on its line fails with that reason and an alert, and is not sent", async () => {
      await configureOrderflow(api, admin, { retry: { maxAttempts: 1 } })
      const variantId = await variantWithoutSku()
      const order = await placeOrderOf(variantId)
      expect(order.items[0].variant_sku ?? null).toBeNull()
      await capturePayment(api, admin, order.id)
      await waitFor(async () => (await exportRow(order.id))?.status === "pending", { what: "order queued for export" })

      await deleteReservationsByLineItemsWorkflow(getContainer()).run({ input: { ids: [order.items[0].id] } })
      await deleteProductVariantsWorkflow(getContainer()).run({ input: { ids: [variantId] } })

      const res = await api.post("/admin/orderflow/operations/order_export/run", {}, admin)
      expect(res.data.run).toMatchObject({ ran: true, status: "success" })
      const row = await exportRow(order.id)
      expect(row.status).toBe("failed")
      expect(row.last_error).toMatch(/its product variant was deleted and the line item has no stored SKU/)
      expect(sim.state.orders.get(String(order.display_id))).toBeUndefined()
      const alerts = await waitFor(async () => {
        const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ trigger_type: "orderflow.alert" })
        return notifications.length ? notifications : null
      }, { what: "an alert" })
      expect(JSON.stringify(alerts.map((n: any) => n.data))).toMatch(/no stored SKU/)
    })
  },
})
