import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStockLocationsWorkflow, linkSalesChannelsToStockLocationWorkflow } from "@medusajs/medusa/core-flows"
import { startSimulator, type Simulator } from "orderflow-simulator"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, inboundHeaders, inventoryMessage, orderflowService } from "../helpers/orderflow"
import { capturePayment, createCart, placeOrder, storeHeaders, variantBySku } from "../helpers/store"

jest.setTimeout(240_000)

// Issue 15 "Stock truth": the guide's third lag (seed 000 "Unsent Orders and
// Active Quotes"), carts counted once at the location that would fulfil
// them, OrderFlow's clock, and exported_at kept at OrderFlow's first acceptance.

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any
    let sim: Simulator

    beforeAll(async () => {
      sim = await startSimulator({ port: 0, user: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", seed: 15, log: false })
      seeded = await seedDemoStore(getContainer())
    })
    afterAll(async () => {
      await sim.close()
    })

    const connection = () => ({ endpoint: sim.baseUrl, username: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", timeoutSeconds: 5 })

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
      sim.control.reset()
      sim.control.seed({ products: ["TEE-S", "TEE-M", "TEE-L", "HOOD-S", "HOOD-M", "00123-MUG"].map((sku) => ({ sku, description: sku, stock: 50 })) })
      await configureOrderflow(api, admin, {
        api: connection(),
        orderExport: { enabled: true },
        inventoryImport: { enabled: true, adjustInventory: "unsent_orders" },
        retry: { maxAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 1 },
      })
    })

    const service = () => orderflowService(getContainer())
    const push = async (messageSeqId: number, lines: Parameters<typeof inventoryMessage>[1]) => {
      const res = await api.post("/orderflow/inventory", inventoryMessage(messageSeqId, lines), inboundHeaders())
      expect(res.status).toBe(200)
      return res
    }
    const processInventory = async () => {
      const res = await api.post("/admin/orderflow/operations/inventory_import/run", {}, admin)
      expect(res.data.run.status).toBe("success")
      return res.data.run.summary
    }
    const runExport = async () => {
      const res = await api.post("/admin/orderflow/operations/order_export/run", {}, admin)
      expect(res.data.run).toMatchObject({ ran: true, status: "success" })
      return res.data.run.summary
    }
    const exportRow = async (orderId: string) =>
      (await service().listOrderflowExportItems({ entity_type: "order", entity_id: orderId }))[0] as any
    const markExported = async (order: any, at: Date) => {
      const row = await exportRow(order.id)
      if (row) await service().updateOrderflowExportItems({ id: row.id, status: "exported", exported_at: at })
      else await service().createOrderflowExportItems({ entity_type: "order", entity_id: order.id, reference: String(order.display_id), status: "exported", exported_at: at })
    }
    const level = async (sku: string, locationId = seeded.stockLocationId) => {
      const item = variantBySku(seeded, sku).inventoryItemId!
      const { data } = await api.get(`/admin/inventory-items/${item}/location-levels`, admin)
      return data.inventory_levels.find((l: any) => l.location_id === locationId)
    }
    const lastImportLine = async (sku: string, locationId = seeded.stockLocationId) => {
      const reports = await service().listOrderflowImports({ type: "inventory" }, { relations: ["lines"], order: { created_at: "DESC" } })
      for (const r of reports) {
        const line = r.lines.find((l: any) => l.sku === sku && l.location_id === locationId)
        if (line) return line
      }
      return null
    }

    it("subtracts an order exported after the stock message was received and before it was processed (no lastOrderExported, as in the SOAP forms)", async () => {
      const order = await placeOrder(api, seeded, [{ sku: "HOOD-M", quantity: 2 }])
      await capturePayment(api, admin, order.id)
      await waitFor(async () => (await exportRow(order.id))?.status === "pending", { what: "order queued for export" })

      // OrderFlow computed 15 without the order (it had not been sent); the store stores the message now.
      await push(1501, [{ sku: "HOOD-M", qty: 15, seq: 1 }])
      const [request] = await service().listOrderflowRequests({ message_seq_id: 1501 })
      // Then the order is exported, still before the message is processed.
      await runExport()
      const row = await exportRow(order.id)
      expect(row.status).toBe("exported")
      expect(new Date(row.exported_at).getTime()).toBeGreaterThan(new Date(request.received_at).getTime())

      await processInventory()
      // 15 − 2: the order is not in OrderFlow's figure though it counts as exported now.
      expect(await level("HOOD-M")).toMatchObject({ available_quantity: 13, reserved_quantity: 2 })
      expect(await lastImportLine("HOOD-M")).toMatchObject({ received_qty: 15, unsent_order_qty: 2, applied_qty: 13 })

      // A message received after the export includes it: nothing subtracted.
      await push(1502, [{ sku: "HOOD-M", qty: 15, seq: 2 }])
      await processInventory()
      expect(await level("HOOD-M")).toMatchObject({ available_quantity: 15 })
    })

    it("reads a zone-less summer lastOrderExported as London time: an order exported in the hour between the UTC and BST readings is subtracted", async () => {
      await configureOrderflow(api, admin, { api: { ...connection(), timeZone: "Europe/London" }, inventoryImport: { adjustInventory: "unsent_orders" } })
      const seen = await placeOrder(api, seeded, [{ sku: "HOOD-S", quantity: 1 }])
      const inTheHour = await placeOrder(api, seeded, [{ sku: "HOOD-S", quantity: 2 }])
      // Export times in July (OrderFlow accepted them then); the clock of this run may be in any season.
      await markExported(seen, new Date("2026-07-01T11:10:00Z"))
      await markExported(inTheHour, new Date("2026-07-01T12:10:00Z"))
      // 12:30 in London on 1 July is 11:30Z: the first order was counted by OrderFlow, the second (12:10Z) was not.
      await push(1511, [{ sku: "HOOD-S", qty: 20, seq: 1, lastOrderExported: "2026-07-01 12:30:00" }])
      await processInventory()
      expect(await level("HOOD-S")).toMatchObject({ available_quantity: 18, reserved_quantity: 3 })
      expect(await lastImportLine("HOOD-S")).toMatchObject({ unsent_order_qty: 2 })

      // An explicit offset wins over the setting.
      await push(1512, [{ sku: "HOOD-S", qty: 20, seq: 2, lastOrderExported: "2026-07-01T12:30:00Z" }])
      await processInventory()
      expect(await level("HOOD-S")).toMatchObject({ available_quantity: 20 })

      // Read as UTC (the old behaviour) the same text would count both orders as seen.
      await configureOrderflow(api, admin, { api: { ...connection(), timeZone: "UTC" } })
      await push(1513, [{ sku: "HOOD-S", qty: 20, seq: 3, lastOrderExported: "2026-07-01 12:30:00" }])
      await processInventory()
      expect(await level("HOOD-S")).toMatchObject({ available_quantity: 20 })
    })

    it("subtracts a cart's units once, at the one of two sites Medusa would reserve them at", async () => {
      const container = getContainer()
      const {
        result: [second],
      } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "Second site" }] } })
      await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: second.id, add: [seeded.salesChannelId] } })
      await configureOrderflow(api, admin, {
        api: connection(),
        inventoryImport: {
          adjustInventory: "none",
          defaultLocationId: seeded.stockLocationId,
          locations: { DEFAULT: seeded.stockLocationId, SECOND: second.id },
        },
      })
      await push(1521, [
        { sku: "TEE-L", qty: 2, seq: 1, source: "DEFAULT" },
        { sku: "TEE-L", qty: 10, seq: 1, source: "SECOND" },
      ])
      await processInventory()
      expect(await level("TEE-L")).toMatchObject({ available_quantity: 2 })
      expect(await level("TEE-L", second.id)).toMatchObject({ available_quantity: 10 })

      // 4 in a cart: only the second site has 4 available, so Medusa would reserve them there.
      const cart = await createCart(api, seeded, [{ sku: "TEE-L", quantity: 4 }])
      await configureOrderflow(api, admin, { api: connection(), inventoryImport: { adjustInventory: "unsent_orders_and_active_carts" } })
      await push(1522, [
        { sku: "TEE-L", qty: 2, seq: 2, source: "DEFAULT" },
        { sku: "TEE-L", qty: 10, seq: 2, source: "SECOND" },
      ])
      await processInventory()
      // 4 withheld in all, not 4 at each site.
      expect(await level("TEE-L")).toMatchObject({ available_quantity: 2 })
      expect(await level("TEE-L", second.id)).toMatchObject({ available_quantity: 6 })
      expect(await lastImportLine("TEE-L")).toMatchObject({ active_cart_qty: 0, applied_qty: 2 })
      expect(await lastImportLine("TEE-L", second.id)).toMatchObject({ active_cart_qty: 4, applied_qty: 6 })

      // Completing the cart, Medusa reserves at the site the units were withheld at.
      const opts = storeHeaders(seeded)
      await api.post(`/store/carts/${cart.id}/shipping-methods`, { option_id: seeded.shippingOptionIds[0] }, opts)
      const {
        data: { payment_collection },
      } = await api.post("/store/payment-collections", { cart_id: cart.id }, opts)
      await api.post(`/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" }, opts)
      const { data } = await api.post(`/store/carts/${cart.id}/complete`, {}, opts)
      expect(data.type).toBe("order")
      const reservations = await container
        .resolve(Modules.INVENTORY)
        .listReservationItems({ inventory_item_id: variantBySku(seeded, "TEE-L").inventoryItemId! }, { select: ["location_id", "quantity"] })
      expect(reservations.map((r: any) => [r.location_id, Number(r.quantity)])).toEqual([[second.id, 4]])
    })

    it("keeps settings stored and posted under the old names working: allowNegativeQuantities inverted into negativeAsZero, orderExport.timezone moved to api.timeZone", async () => {
      // A row as an older version stored it (our own table).
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const stored = async (key: string) => (await pg("orderflow_setting").where({ key }).whereNull("deleted_at").first())?.value
      const orderExport = await stored("orderExport")
      const { timeZone: _zone, ...apiRow } = await stored("api")
      await pg("orderflow_setting").where({ key: "api" }).whereNull("deleted_at").update({ value: JSON.stringify(apiRow) })
      await pg("orderflow_setting").where({ key: "orderExport" }).whereNull("deleted_at").update({ value: JSON.stringify({ ...orderExport, timezone: "Europe/Dublin" }) })
      await pg("orderflow_setting").where({ key: "inventoryImport" }).whereNull("deleted_at").update({
        value: JSON.stringify({ ...(await stored("inventoryImport")), negativeAsZero: undefined, allowNegativeQuantities: true }),
      })
      const { data } = await api.get("/admin/orderflow/settings", admin)
      expect(data.settings.api.timeZone).toBe("Europe/Dublin")
      expect(data.settings.inventoryImport.negativeAsZero).toBe(false)
      expect(data.settings.orderExport.timezone).toBeUndefined()

      // Applied as the old switch meant: negative figures as they are.
      await push(1531, [{ sku: "00123-MUG", qty: -3, seq: 1 }])
      await processInventory()
      expect(await level("00123-MUG")).toMatchObject({ available_quantity: -3 })

      // A POST with the old name is accepted and saved under the new one.
      const res = await api.post("/admin/orderflow/settings", { inventoryImport: { allowNegativeQuantities: false } }, admin)
      expect(res.status).toBe(200)
      expect(res.data.settings.inventoryImport.negativeAsZero).toBe(true)
      const saved = await stored("inventoryImport")
      expect(saved.negativeAsZero).toBe(true)
      expect("allowNegativeQuantities" in saved).toBe(false)
      await push(1532, [{ sku: "00123-MUG", qty: -3, seq: 2 }])
      await processInventory()
      expect(await level("00123-MUG")).toMatchObject({ available_quantity: 0 })
    })

    it("keeps an order's first exported_at when a re-send is answered as a duplicate", async () => {
      const order = await placeOrder(api, seeded, [{ sku: "TEE-S", quantity: 1 }])
      await capturePayment(api, admin, order.id)
      await waitFor(async () => (await exportRow(order.id))?.status === "pending", { what: "order queued for export" })
      await runExport()
      const first = await exportRow(order.id)
      expect(first).toMatchObject({ status: "exported" })
      expect(first.exported_at).toBeTruthy()

      // Queued again (as when the order changes while its export is in flight); OrderFlow has it already.
      await service().updateOrderflowExportItems({ id: first.id, status: "pending", changed_at: new Date() })
      await waitFor(async () => Date.now() - new Date(first.exported_at).getTime() > 1000, { what: "a second later" })
      expect(await runExport()).toMatchObject({ duplicates: 1 })
      const after = await exportRow(order.id)
      expect(after.status).toBe("exported")
      expect(new Date(after.exported_at).toISOString()).toBe(new Date(first.exported_at).toISOString())
      expect(sim.state.orders.size).toBe(1)
    })
  },
})
