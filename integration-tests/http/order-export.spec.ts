import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules, ProductStatus } from "@medusajs/framework/utils"
import { cancelOrderWorkflow, createInventoryLevelsWorkflow, createOrderWorkflow, createProductsWorkflow } from "@medusajs/medusa/core-flows"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { startSimulator, type Simulator } from "orderflow-simulator"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, orderflowService } from "../helpers/orderflow"
import { capturePayment, placeOrder, storeHeaders, variantBySku } from "../helpers/store"

jest.setTimeout(240_000)

// Order export end to end (issue 5): the store places orders through the
// store API, the admin captures payments, events queue them, the
// order_export operation sends them to the OrderFlow simulator.

const STOCK_SKUS = ["TEE-S", "TEE-M", "TEE-L", "HOOD-S", "HOOD-M", "00123-MUG"]
const SOCKS = Array.from({ length: 120 }, (_, i) => `SOCK-${String(i + 1).padStart(3, "0")}`)

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any
    let sim: Simulator
    let sockVariants: Array<{ id: string; sku: string }>
    let kitVariantId: string

    beforeAll(async () => {
      sim = await startSimulator({ port: 0, user: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", seed: 5, log: false })
      const container = getContainer()
      seeded = await seedDemoStore(container)
      // A product with 120 variants, for an order of 120 lines.
      const {
        result: [socks],
      } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Sock",
              handle: "sock",
              status: ProductStatus.PUBLISHED,
              shipping_profile_id: seeded.shippingProfileId,
              options: [{ title: "Pattern", values: SOCKS }],
              variants: SOCKS.map((sku) => ({ title: sku, sku, manage_inventory: true, options: { Pattern: sku }, prices: [{ amount: 2.5, currency_code: "gbp" }] })),
              sales_channels: [{ id: seeded.salesChannelId }],
            },
          ],
        },
      })
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "product_variant",
        fields: ["id", "sku", "inventory_items.inventory_item_id"],
        filters: { product_id: socks.id },
      })
      sockVariants = data.map((v: any) => ({ id: v.id, sku: v.sku }))
      await createInventoryLevelsWorkflow(container).run({
        input: {
          inventory_levels: data.map((v: any) => ({
            inventory_item_id: v.inventory_items[0].inventory_item_id,
            location_id: seeded.stockLocationId,
            stocked_quantity: 100,
          })),
        },
      })
    })

    beforeAll(async () => {
      // A kit: one variant made of 2 × TEE-S and 1 × 00123-MUG.
      const inventoryOf = (sku: string) => variantBySku(seeded, sku).inventoryItemId!
      const {
        result: [kit],
      } = await createProductsWorkflow(getContainer()).run({
        input: {
          products: [
            {
              title: "Tee and Mug set",
              handle: "tee-mug-set",
              status: ProductStatus.PUBLISHED,
              shipping_profile_id: seeded.shippingProfileId,
              options: [{ title: "Set", values: ["Standard"] }],
              variants: [
                {
                  title: "Standard",
                  sku: "KIT-TEE-MUG",
                  manage_inventory: true,
                  options: { Set: "Standard" },
                  prices: [{ amount: 45, currency_code: "gbp" }],
                  inventory_items: [
                    { inventory_item_id: inventoryOf("TEE-S"), required_quantity: 2 },
                    { inventory_item_id: inventoryOf("00123-MUG"), required_quantity: 1 },
                  ],
                },
              ],
              sales_channels: [{ id: seeded.salesChannelId }],
            },
          ],
        },
      })
      kitVariantId = kit.variants[0].id
    })

    afterAll(async () => {
      await sim?.close()
    })

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
      sim.control.reset()
      sim.control.seed({ products: [...STOCK_SKUS, ...SOCKS].map((sku) => ({ sku, description: sku, stock: 50 })) })
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", timeoutSeconds: 2 },
        orderExport: { enabled: true },
        retry: { maxAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 1 },
      })
    })

    const service = () => orderflowService(getContainer())
    const exportRow = async (orderId: string) =>
      (await service().listOrderflowExportItems({ entity_type: "order", entity_id: orderId }))[0] as any
    const waitForRow = (orderId: string, check: (row: any) => boolean, what: string) =>
      waitFor(async () => {
        const row = await exportRow(orderId)
        return row && check(row) ? row : null
      }, { what })
    const runExport = async () => {
      const res = await api.post("/admin/orderflow/operations/order_export/run", {}, admin)
      expect(res.data.run).toMatchObject({ ran: true, status: "success" })
      return res.data.run.summary
    }
    /** Placed and captured; waits until payment.captured has queued it. */
    const paidOrder = async (items: Array<{ sku: string; quantity: number }> = [{ sku: "TEE-M", quantity: 2 }]) => {
      const order = await placeOrder(api, seeded, items)
      await capturePayment(api, admin, order.id)
      await waitForRow(order.id, (r) => r.status === "pending", `order ${order.display_id} pending`)
      return order
    }
    const exports = (operation: string) =>
      service().listOrderflowExports({ operation }, { relations: ["lines"], order: { created_at: "ASC" } }) as Promise<any[]>
    const alerts = async () => {
      const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ trigger_type: "orderflow.alert" })
      return notifications.map((n: any) => n.data?.title as string)
    }
    /**
     * Cancelled through Medusa's workflow, not the admin route: the path of a
     * cancel made by another plugin or a script, which OrderFlow hears about
     * after the fact. (The admin route asks OrderFlow first:
     * order-changes.spec.ts.)
     */
    const cancelInMedusa = async (orderId: string) => {
      await cancelOrderWorkflow(getContainer()).run({ input: { order_id: orderId } })
      const order = await getContainer().resolve(Modules.ORDER).retrieveOrder(orderId)
      expect(order.status).toBe("canceled")
    }

    it("cart completion → paid → Pending → Exported: the simulator holds the order and its stock lines", async () => {
      const order = await placeOrder(api, seeded, [
        { sku: "TEE-M", quantity: 2 },
        { sku: "GIFT-WRAP", quantity: 1 },
      ])
      // order.placed: not paid yet, so not queued.
      expect(await exportRow(order.id)).toBeUndefined()
      await capturePayment(api, admin, order.id)
      const pending = await waitForRow(order.id, (r) => r.status === "pending", "pending after capture")
      expect(pending.reference).toBe(String(order.display_id))

      const summary = await runExport()
      expect(summary).toMatchObject({ claimed: 1, sent: 1, exported: 1, failed: 0 })
      const row = await exportRow(order.id)
      expect(row).toMatchObject({ status: "exported", attempts: 0, last_error: null })
      expect(row.exported_at).toBeTruthy()

      const ref = String(order.display_id)
      const inOrderflow = sim.state.orders.get(ref)!
      expect(inOrderflow).toMatchObject({ channel: "medusa", state: "created" })
      const lines = inOrderflow.shipments[0].lines
      expect(lines.map((l) => [l.product, l.quantity])).toEqual([["TEE-M", 2]])
      expect(lines[0].fields).toMatchObject({
        totalPriceNet: "40.00",
        totalPriceGross: "48.00",
        totalTax: "8.00",
        unitPriceGross: "24.00",
        thirdPartyReference: order.items.find((i: any) => i.variant_sku === "TEE-M").id,
      })
      expect(inOrderflow.fields).toMatchObject({
        state: "created",
        currency: "GBP",
        channel: "medusa",
        totalPriceGross: "57.54",
        totalTax: "9.59",
        totalPriceNet: "47.95",
        shippingPriceGross: "5.94",
        shippingTax: "0.99",
        shippingPriceNet: "4.95",
        deliveryAddressLine1: "Granvilla",
        deliveryAddressLine2: "Melton Hill",
        deliveryAddressLine3: "Woodbridge",
        deliveryAddressLine4: "Suffolk",
        deliveryCountryCode: "GB",
        deliveryPostCode: "IP12 1AX",
        deliveryContactName: "Phil Zoio",
        deliveryEmailAddress: "shopper@example.com",
        invoiceCompanyName: "OrderFlow",
      })
      expect(inOrderflow.fields.placed).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
      expect(inOrderflow.fields.placed).toBe(new Date(order.created_at).toISOString().slice(0, 19).replace("T", " "))
      expect(inOrderflow.fields.authorised).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
      expect(inOrderflow.shipments[0].fields).toMatchObject({ externalReference: `${ref}-1`, deliverySuggestionCode: "standard", deliverySuggestionName: "Standard Delivery" })

      // History: one record with the document sent and OrderFlow's answer.
      const [record] = await exports("order_export")
      expect(record).toMatchObject({ status: "success", item_count: 1, success_count: 1, http_status: 200 })
      expect(record.request_body).toContain(`<import type="order" operation="insert" externalReference="${ref}">`)
      expect(record.response_body).toContain("<importSuccesses>")
      expect(record.lines[0]).toMatchObject({ reference: ref, entity_id: order.id, outcome: "success" })

      // Nothing is sent twice: a second run finds nothing to do.
      expect(await runExport()).toMatchObject({ claimed: 0, sent: 0 })
      expect(sim.control.documents({ path: "importitems" })).toHaveLength(1)
    })

    it("sends a kit as its component SKUs with the component quantities", async () => {
      const opts = storeHeaders(seeded)
      const {
        data: { cart },
      } = await api.post(
        "/store/carts",
        {
          region_id: seeded.regionId,
          sales_channel_id: seeded.salesChannelId,
          email: "kit@example.com",
          shipping_address: { first_name: "Kit", last_name: "Buyer", address_1: "1 High St", city: "Ipswich", postal_code: "IP1 1AA", country_code: "gb" },
          items: [{ variant_id: kitVariantId, quantity: 3 }],
        },
        opts
      )
      await api.post(`/store/carts/${cart.id}/shipping-methods`, { option_id: seeded.shippingOptionIds[0] }, opts)
      const {
        data: { payment_collection },
      } = await api.post("/store/payment-collections", { cart_id: cart.id }, opts)
      await api.post(`/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" }, opts)
      const { data } = await api.post(`/store/carts/${cart.id}/complete`, {}, opts)
      expect(data.type).toBe("order")
      await capturePayment(api, admin, data.order.id)
      await waitForRow(data.order.id, (r) => r.status === "pending", "pending")
      expect(await runExport()).toMatchObject({ exported: 1 })
      const lines = sim.state.orders.get(String(data.order.display_id))!.shipments[0].lines
      expect(lines.map((l) => [l.product, l.quantity]).sort()).toEqual([
        ["00123-MUG", 3],
        ["TEE-S", 6],
      ])
      // The kit's price rides on one component line; the lines add up to the item.
      const gross = lines.map((l) => Number(l.fields.totalPriceGross)).sort((a, b) => a - b)
      expect(gross).toEqual([0, 162])
      // Billing address missing: the invoice address is the delivery address.
      expect(sim.state.orders.get(String(data.order.display_id))!.fields).toMatchObject({ invoiceContactName: "Kit Buyer", invoiceAddressLine1: "1 High St" })
    })

    it("does not export an unpaid order, and says why when asked to", async () => {
      const order = await placeOrder(api, seeded, [{ sku: "TEE-S", quantity: 1 }])
      expect(await runExport()).toMatchObject({ claimed: 0 })
      expect(await exportRow(order.id)).toBeUndefined()
      const res = await api.post("/admin/orderflow/orders/export", { ids: [order.id] }, admin)
      expect(res.data.orders).toEqual([
        expect.objectContaining({ order_id: order.id, outcome: "not_eligible", message: "not paid: payment authorised but not captured" }),
      ])
      expect(sim.control.documents({ path: "importitems" })).toHaveLength(0)
    })

    it("records orders of only non-stock items as skipped, visibly, and never sends them", async () => {
      const order = await placeOrder(api, seeded, [{ sku: "GIFT-WRAP", quantity: 2 }])
      await capturePayment(api, admin, order.id)
      const row = await waitForRow(order.id, (r) => r.status === "skipped", "skipped")
      expect(row.skip_reason).toBe("no items shipped from stock (only digital or non-inventory items)")
      expect(await runExport()).toMatchObject({ claimed: 0 })
      const res = await api.get(`/admin/orderflow/orders/${order.id}`, admin)
      expect(res.data.export_item).toMatchObject({ status: "skipped" })
    })

    it("counts OrderFlow's importDuplicates as exported: a timed-out call that was applied is not sent twice", async () => {
      const order = await paidOrder()
      const ref = String(order.display_id)
      // Held well past the 2 s client timeout, so a loaded machine still sees a timeout, not a closed socket.
      sim.control.setFaults({ next: [{ fault: "timeout", path: "importitems", timeoutMs: 6000, applied: true }] })
      const first = await runExport()
      expect(first).toMatchObject({ claimed: 1, exported: 0, retrying: 1 })
      expect(first.error).toMatch(/no answer from OrderFlow within 2000 ms/)
      const afterTimeout = await exportRow(order.id)
      // A whole-call failure costs the order no attempt (the endpoint's circuit counts it).
      expect(afterTimeout).toMatchObject({ status: "pending", attempts: 0 })
      expect(afterTimeout.last_error).toMatch(/^request failed: /)
      expect(sim.state.orders.get(ref)).toBeTruthy() // OrderFlow did get it

      await waitFor(async () => new Date((await exportRow(order.id)).next_attempt_at).getTime() <= Date.now(), { what: "retry due" })
      const second = await runExport()
      expect(second).toMatchObject({ claimed: 1, duplicates: 1, failed: 0 })
      expect(await exportRow(order.id)).toMatchObject({ status: "exported", attempts: 0 })
      const [, record] = await exports("order_export")
      expect(record.lines[0]).toMatchObject({ outcome: "duplicate" })
      expect(record.lines[0].message).toMatch(/already present/)
      expect(sim.state.orders.size).toBe(1)
    })

    it("retries a failed order with back-off, then fails it for good with an alert", async () => {
      await configureOrderflow(api, admin, { orderExport: { sendMissingProducts: false }, retry: { maxAttempts: 2 } })
      sim.control.reset() // OrderFlow knows none of the products now
      const order = await paidOrder([{ sku: "HOOD-S", quantity: 1 }])
      const ref = String(order.display_id)
      const first = await runExport()
      expect(first).toMatchObject({ claimed: 1, failed: 1 })
      const failed = await exportRow(order.id)
      expect(failed).toMatchObject({ status: "failed", attempts: 1 })
      expect(failed.last_error).toBe("Unable to find any entity associated with identifier: ref:product:HOOD-S")
      expect(failed.next_attempt_at).toBeTruthy()
      expect(await runExport()).toMatchObject({ claimed: 0 }) // not due yet

      await waitFor(async () => new Date((await exportRow(order.id)).next_attempt_at).getTime() <= Date.now(), { what: "retry due" })
      expect(await runExport()).toMatchObject({ claimed: 1, failed: 1 })
      const final = await exportRow(order.id)
      expect(final).toMatchObject({ status: "failed", attempts: 2, next_attempt_at: null })
      expect(await alerts()).toContain(`OrderFlow order ${ref} could not be exported`)
      expect(await runExport()).toMatchObject({ claimed: 0 })
      const res = await api.get(`/admin/orderflow/orders?status=failed`, admin)
      expect(res.data.orders.map((o: any) => o.entity_id)).toEqual([order.id])
    })

    it("repairs an unknown-product failure by sending the product definitions with merge", async () => {
      sim.control.reset()
      sim.control.seed({ products: [{ sku: "TEE-L", description: "Classic Tee L", stock: 5 }] })
      // Product export delivered TEE-L; nobody told OrderFlow about the mug.
      await service().createOrderflowExportItems({ entity_type: "product", entity_id: "iitem_tee_l", reference: "TEE-L", status: "exported", exported_at: new Date() })
      const order = await paidOrder([
        { sku: "TEE-L", quantity: 1 },
        { sku: "00123-MUG", quantity: 3 },
      ])
      expect(await runExport()).toMatchObject({ failed: 1 })
      expect((await exportRow(order.id)).last_error).toMatch(/ref:product:00123-MUG/)
      // The admin's Export now: sent at once, due or not.
      const res = await api.post("/admin/orderflow/orders/export", { ids: [order.id] }, admin)
      expect(res.data.orders[0]).toMatchObject({ outcome: "exported" })
      const [, repaired] = await exports("order_export")
      expect(repaired.request_body).toContain(`operation="merge"`)
      expect(repaired.request_body).toContain("product.1.externalReference=00123-MUG")
      expect(repaired.request_body).toContain("product.1.description=Enamel Mug")
      expect(repaired.request_body).not.toContain("product.2.")
      expect(repaired.request_body).toMatch(/orderLine\.\d\.product\.externalReference=TEE-L\n/)
      expect(repaired.request_body).toMatch(/orderLine\.\d\.product=entity:product\.1\n/)
      expect(sim.state.products.get("TEE-L")).toMatchObject({ description: "Classic Tee L" })
      const inOrderflow = sim.state.orders.get(String(order.display_id))!
      expect(inOrderflow.shipments[0].lines.map((l) => [l.product, l.quantity]).sort()).toEqual([
        ["00123-MUG", 3],
        ["TEE-L", 1],
      ])
      expect(sim.state.products.get("00123-MUG")).toMatchObject({ description: "Enamel Mug" })
    })

    it("sends the cancellation of an exported order right after Medusa cancels it", async () => {
      const order = await paidOrder()
      await runExport()
      await cancelInMedusa(order.id)
      const row = await waitForRow(order.id, (r) => r.cancel_status === "sent", "cancellation sent")
      expect(row).toMatchObject({ status: "cancelled", cancel_attempts: 1, cancel_error: null })
      expect(row.cancelled_at).toBeTruthy()
      expect(sim.state.orders.get(String(order.display_id))).toMatchObject({ state: "cancelled" })
      // The history record is written right after the row in the same step: wait for it too.
      const [record] = await waitFor(async () => {
        const records = await exports("order_cancel")
        return records.length ? records : null
      }, { what: "cancel call recorded" })
      expect(record).toMatchObject({ status: "success", trigger: "event", http_status: 200 })
      expect(record.request_body).toBe(`POST /remoteorder/order/cancel.xml?externalReference=${order.display_id}&cancelChangesExternalReference=false`)
      expect(record.lines[0]).toMatchObject({ outcome: "success", message: "Cancelled in OrderFlow" })
      expect(sim.control.documents({ path: "cancel.xml" })).toHaveLength(1)
    })

    it("tolerates MissingDataException: OrderFlow never had the order, so the cancellation counts as done", async () => {
      const order = await paidOrder()
      await runExport()
      sim.control.reset() // OrderFlow lost it
      await cancelInMedusa(order.id)
      const row = await waitForRow(order.id, (r) => r.cancel_status === "not_found", "not found")
      expect(row.status).toBe("cancelled")
      expect(row.cancel_error).toBe(`Unable to find order for reference '${order.display_id}'. (MissingDataException)`)
      // The history record is written right after the row in the same step: wait for it too.
      const [record] = await waitFor(async () => {
        const records = await exports("order_cancel")
        return records.length ? records : null
      }, { what: "cancel call recorded" })
      expect(record.lines[0].outcome).toBe("success")
    })

    it("surfaces a refusal by the warehouse: flagged on the order, listed, alerted", async () => {
      const order = await paidOrder()
      await runExport()
      const ref = String(order.display_id)
      sim.control.setShipmentState(ref, "packed")
      await cancelInMedusa(order.id)
      const row = await waitForRow(order.id, (r) => r.cancel_status === "refused", "refused")
      expect(row.status).toBe("exported")
      expect(row.cancel_error).toMatch(/packed/)
      expect(row.cancel_error).toMatch(/InvalidStateException/)
      await waitFor(async () => (await alerts()).includes(`OrderFlow refused to cancel order ${ref}`), { what: "alert" })
      const listed = await api.get("/admin/orderflow/orders?cancel_status=refused", admin)
      expect(listed.data.orders.map((o: any) => o.entity_id)).toEqual([order.id])
      const [record] = await exports("order_cancel")
      expect(record).toMatchObject({ status: "failed" })
      expect(record.lines[0].message).toMatch(/^Cancellation refused by the warehouse: /)
      // Not retried by the export job: the refusal is OrderFlow's answer.
      await runExport()
      expect(sim.control.documents({ path: "cancel.xml" })).toHaveLength(1)
      expect(sim.state.orders.get(ref)!.state).not.toBe("cancelled")
    })

    it("queues a cancellation while OrderFlow is down and sends it when it is back; Medusa's cancel does not wait", async () => {
      const order = await paidOrder()
      await runExport()
      sim.control.setFaults({ next: [{ fault: "error", path: "cancel.xml", status: 503 }] })
      await cancelInMedusa(order.id)
      const retrying = await waitForRow(order.id, (r) => r.cancel_attempts === 1, "first attempt")
      expect(retrying).toMatchObject({ cancel_status: "pending", status: "exported" })
      expect(retrying.cancel_error).toMatch(/^OrderFlow answered HTTP 503/)
      await waitFor(async () => new Date((await exportRow(order.id)).cancel_next_attempt_at).getTime() <= Date.now(), { what: "retry due" })
      const summary = await runExport()
      expect(summary.cancellations).toMatchObject({ checked: 1, sent: 1 })
      expect(await exportRow(order.id)).toMatchObject({ status: "cancelled", cancel_status: "sent", cancel_attempts: 2 })
      expect(sim.state.orders.get(String(order.display_id))!.state).toBe("cancelled")
    })

    it("withdraws an order still waiting in the queue when it is cancelled: never sent", async () => {
      const order = await paidOrder()
      await cancelInMedusa(order.id)
      await waitForRow(order.id, (r) => r.cancel_status === "pending", "cancellation requested")
      const summary = await runExport()
      expect(summary.cancellations).toMatchObject({ withdrawn: 1 })
      expect(summary).toMatchObject({ claimed: 0 })
      expect(await exportRow(order.id)).toMatchObject({ status: "cancelled", cancel_status: "withdrawn" })
      expect(sim.control.documents({})).toHaveLength(0)
    })

    it("exports manually with a per-order outcome", async () => {
      const paid = await paidOrder([{ sku: "TEE-S", quantity: 1 }])
      const unpaid = await placeOrder(api, seeded, [{ sku: "TEE-S", quantity: 1 }])
      const wrapOnly = await placeOrder(api, seeded, [{ sku: "GIFT-WRAP", quantity: 1 }])
      await capturePayment(api, admin, wrapOnly.id)
      await waitForRow(wrapOnly.id, (r) => r.status === "skipped", "skipped")
      const res = await api.post("/admin/orderflow/orders/export", { ids: [paid.id, unpaid.id, wrapOnly.id, "order_missing"] }, admin)
      expect(res.data.orders).toEqual([
        expect.objectContaining({ order_id: paid.id, outcome: "exported", reference: String(paid.display_id) }),
        expect.objectContaining({ order_id: unpaid.id, outcome: "not_eligible", message: "not paid: payment authorised but not captured" }),
        expect.objectContaining({ order_id: wrapOnly.id, outcome: "skipped", message: "no items shipped from stock (only digital or non-inventory items)" }),
        expect.objectContaining({ order_id: "order_missing", outcome: "not_found" }),
      ])
      expect(res.data.summary).toEqual({ requested: 4, exported: 1, failed: 0, not_sent: 3 })
      const again = await api.post("/admin/orderflow/orders/export", { ids: [paid.id] }, admin)
      expect(again.data.orders[0]).toMatchObject({ outcome: "already_exported" })
      expect(again.data.orders[0].message).toMatch(/OrderFlow would report it as a duplicate/)
      const invalid = await api.post("/admin/orderflow/orders/export", { ids: [] }, admin).catch((e: any) => e.response)
      expect(invalid.status).toBe(400)
    })

    it("explains an order that cannot be sent as it is (no delivery address) and sends nothing", async () => {
      // A free order (nothing to capture) created by an admin flow, without an address.
      const { result: order } = await createOrderWorkflow(getContainer()).run({
        input: {
          region_id: seeded.regionId,
          sales_channel_id: seeded.salesChannelId,
          email: "free@example.com",
          items: [{ variant_id: variantBySku(seeded, "TEE-M").id, quantity: 1, unit_price: 0 }],
        } as any,
      })
      const res = await api.post("/admin/orderflow/orders/export", { ids: [order.id] }, admin)
      expect(res.data.orders[0]).toMatchObject({ outcome: "failed", message: "not sent: the order has no delivery address" })
      const row = await exportRow(order.id)
      expect(row).toMatchObject({ status: "failed", attempts: 1, last_error: "not sent: the order has no delivery address" })
      expect(sim.control.documents({ path: "importitems" })).toHaveLength(0)
    })

    it("catches orders whose events were missed with the export job's sweep", async () => {
      // Events arrive while order export is off: they queue nothing.
      await configureOrderflow(api, admin, { orderExport: { enabled: false } })
      const before = new Date(Date.now() - 1000).toISOString()
      const order = await placeOrder(api, seeded, [{ sku: "HOOD-M", quantity: 1 }])
      await capturePayment(api, admin, order.id)
      await new Promise((r) => setTimeout(r, 300)) // let the (ignored) events pass
      expect(await exportRow(order.id)).toBeUndefined()
      await configureOrderflow(api, admin, { orderExport: { enabled: true, exportFrom: before } })
      const summary = await runExport()
      expect(summary.swept).toMatchObject({ unknown: 1, queued: 1 })
      expect(summary).toMatchObject({ claimed: 1, exported: 1 })
      expect(sim.state.orders.get(String(order.display_id))).toBeTruthy()
    })

    it("exports orders placed before it was enabled only by backfill, after a dry-run count", async () => {
      await configureOrderflow(api, admin, { orderExport: { enabled: false } })
      const old = await placeOrder(api, seeded, [{ sku: "TEE-L", quantity: 1 }])
      await capturePayment(api, admin, old.id)
      const oldUnpaid = await placeOrder(api, seeded, [{ sku: "TEE-L", quantity: 1 }])
      await new Promise((r) => setTimeout(r, 1100)) // placed strictly before the enabling save
      await configureOrderflow(api, admin, { orderExport: { enabled: true } })
      expect(await runExport()).toMatchObject({ claimed: 0 })
      const settings = await api.get("/admin/orderflow/settings", admin)
      expect(new Date(settings.data.settings.orderExport.exportFrom).getTime()).toBeGreaterThan(new Date(old.created_at).getTime())
      expect(await exportRow(old.id)).toBeUndefined()

      const range = { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }
      const dry = await api.post("/admin/orderflow/orders/backfill", range, admin)
      expect(dry.data.backfill).toMatchObject({ dry_run: true, orders: 2, already_known: 0, eligible: 1, skipped: 0, not_eligible: { not_paid: 1 } })
      expect(await exportRow(old.id)).toBeUndefined()

      const real = await api.post("/admin/orderflow/orders/backfill", { ...range, dry_run: false }, admin)
      expect(real.data.backfill).toMatchObject({ dry_run: false, eligible: 1 })
      expect(await exportRow(old.id)).toMatchObject({ status: "pending" })
      expect(await exportRow(oldUnpaid.id)).toBeUndefined()
      expect(await runExport()).toMatchObject({ exported: 1 })
      const again = await api.post("/admin/orderflow/orders/backfill", { ...range, dry_run: false }, admin)
      expect(again.data.backfill).toMatchObject({ already_known: 1, eligible: 0 })
    })

    it("holds and releases an exported order in OrderFlow, and reports a refusal", async () => {
      const order = await paidOrder()
      await runExport()
      const ref = String(order.display_id)
      const held = await api.post(`/admin/orderflow/orders/${order.id}/hold`, {}, admin)
      expect(held.data.result).toMatchObject({ outcome: "done", state: "on_hold", reference: ref })
      expect(sim.state.orders.get(ref)!.state).toBe("on_hold")
      const live = await api.get(`/admin/orderflow/orders/${order.id}?live=true`, admin)
      expect(live.data.live).toEqual({ state: "on_hold", shipment_states: ["on_hold"] })
      expect(live.data.orderflow_url).toBe(`${sim.baseUrl}/remoteorder/order/detail.xml?externalReference=${ref}`)
      const released = await api.post(`/admin/orderflow/orders/${order.id}/release`, {}, admin)
      expect(released.data.result).toMatchObject({ outcome: "done" })
      expect(sim.state.orders.get(ref)!.state).toBe("created")
      const again = await api.post(`/admin/orderflow/orders/${order.id}/release`, {}, admin)
      expect(again.data.result.outcome).toBe("refused")
      expect((await exports("order_hold"))[0].lines[0].outcome).toBe("success")
      expect((await exports("order_release")).map((r) => r.status)).toEqual(["success", "failed"])

      const unpaid = await placeOrder(api, seeded, [{ sku: "TEE-S", quantity: 1 }])
      const notExported = await api.post(`/admin/orderflow/orders/${unpaid.id}/hold`, {}, admin).catch((e: any) => e.response)
      expect(notExported.status).toBe(400)
      expect(notExported.data.message).toMatch(/has not been exported to OrderFlow/)
    })

    it("keeps an order through 5xx and malformed replies, and recovers items of a crashed run (the crash counting as an attempt)", async () => {
      await configureOrderflow(api, admin, { retry: { maxAttempts: 5, baseDelaySeconds: 1, maxDelaySeconds: 1 } })
      const order = await paidOrder()
      sim.control.setFaults({ next: [{ fault: "error", path: "importitems", status: 502 }] })
      expect(await runExport()).toMatchObject({ retrying: 1, exported: 0 })
      expect((await exportRow(order.id)).last_error).toMatch(/HTTP 502/)
      await waitFor(async () => new Date((await exportRow(order.id)).next_attempt_at).getTime() <= Date.now(), { what: "retry due" })
      sim.control.setFaults({ next: [{ fault: "malformed", path: "importitems" }] })
      expect(await runExport()).toMatchObject({ retrying: 1 })
      expect((await exportRow(order.id)).last_error).toMatch(/not usable XML|not an <importResult>/)
      // A crash: the row was claimed (queued) and the run died before settling; its lease has passed.
      await service().updateOrderflowExportItems({
        id: (await exportRow(order.id)).id,
        status: "queued",
        queued_at: new Date(Date.now() - 2 * 60_000),
        claimed_by: "crashed-run",
        claimed_until: new Date(Date.now() - 60_000),
        next_attempt_at: null,
      })
      const summary = await runExport()
      expect(summary).toMatchObject({ released: 1, claimed: 1, duplicates: 1 }) // the malformed reply's import was applied
      expect(await exportRow(order.id)).toMatchObject({ status: "exported", claimed_by: null })
      expect(sim.state.orders.size).toBe(1)
    })

    it("sends 120 lines, non-ASCII and hostile text intact, the customer's comment included", async () => {
      const opts = storeHeaders(seeded)
      const {
        data: { cart },
      } = await api.post(
        "/store/carts",
        {
          region_id: seeded.regionId,
          sales_channel_id: seeded.salesChannelId,
          email: "kunde@example.de",
          shipping_address: {
            first_name: "Zoë </import>",
            last_name: "Łukasiewicz 山田",
            address_1: "1 Rue de l'Église & Co",
            address_2: "",
            city: "Göteborg",
            postal_code: "411 01",
            country_code: "gb",
            phone: "+44 1394 384181",
          },
          metadata: { customer_comment: "Bitte klingeln!\norderLine.1.quantity=999" },
          items: [{ variant_id: variantBySku(seeded, "TEE-M").id, quantity: 1 }, ...sockVariants.map((v) => ({ variant_id: v.id, quantity: 1 }))],
        },
        opts
      )
      await api.post(`/store/carts/${cart.id}/shipping-methods`, { option_id: seeded.shippingOptionIds[1] }, opts)
      const {
        data: { payment_collection },
      } = await api.post("/store/payment-collections", { cart_id: cart.id }, opts)
      await api.post(`/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" }, opts)
      const { data } = await api.post(`/store/carts/${cart.id}/complete`, {}, opts)
      expect(data.type).toBe("order")
      const order = data.order
      await capturePayment(api, admin, order.id)
      await waitForRow(order.id, (r) => r.status === "pending", "pending")
      expect(await runExport()).toMatchObject({ exported: 1 })
      const inOrderflow = sim.state.orders.get(String(order.display_id))!
      expect(inOrderflow.shipments[0].lines).toHaveLength(121)
      expect(inOrderflow.fields).toMatchObject({
        deliveryContactName: "Zoë </import> Łukasiewicz 山田",
        deliveryAddressLine1: "1 Rue de l'Église & Co",
        deliveryAddressLine2: "Göteborg",
        deliveryAddressLine3: "",
        deliveryPostCode: "411 01",
        deliveryEmailAddress: "kunde@example.de",
        // No billing address: the invoice address is the delivery address.
        invoiceContactName: "Zoë </import> Łukasiewicz 山田",
        invoiceAddressLine1: "1 Rue de l'Église & Co",
        customerComment: "Bitte klingeln!\norderLine.1.quantity=999",
      })
      expect(inOrderflow.shipments[0].lines.find((l) => l.product === "TEE-M")).toMatchObject({ quantity: 1 })
      expect(new Set(inOrderflow.shipments[0].lines.map((l) => l.product)).size).toBe(121)
      expect(inOrderflow.shipments[0].fields.deliverySuggestionCode).toBe("express")
    })
  },
})
