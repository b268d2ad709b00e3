import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { loginAsAdmin } from "../helpers/admin"
import { configureOrderflow, inboundHeaders, inventoryMessage, orderflowService, runOperation } from "../helpers/orderflow"
import { capturePayment, createCart, placeOrder, variantBySku } from "../helpers/store"

jest.setTimeout(180_000)

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
      await configureOrderflow(api, admin, { inventoryImport: { enabled: true } })
    })

    const push = async (messageSeqId: number, lines: Parameters<typeof inventoryMessage>[1]) => {
      const res = await api.post("/orderflow/inventory", inventoryMessage(messageSeqId, lines), inboundHeaders())
      expect(res.status).toBe(200)
      return res
    }
    const processNow = async () => {
      const res = await api.post("/admin/orderflow/operations/inventory_import/run", {}, admin)
      expect(res.data.run.status).toBe("success")
      return res.data.run.summary
    }
    const level = async (sku: string, locationId = seeded.stockLocationId) => {
      const item = variantBySku(seeded, sku).inventoryItemId!
      const { data } = await api.get(`/admin/inventory-items/${item}/location-levels`, admin)
      return data.inventory_levels.find((l: any) => l.location_id === locationId)
    }
    const imports = () =>
      orderflowService(getContainer()).listOrderflowImports({}, { relations: ["lines"], order: { created_at: "ASC" } })

    it("applies a stock message: available equals OrderFlow's figure, with a report per SKU", async () => {
      await push(71, [
        { sku: "TEE-M", qty: 90, seq: 1001 },
        { sku: "00123-MUG", qty: 7, seq: 1002 },
      ])
      const summary = await processNow()
      expect(summary).toMatchObject({ claimed: 1, processed: 1, lines: 2, applied: 2, stale: 0 })
      expect(await level("TEE-M")).toMatchObject({ stocked_quantity: 90, available_quantity: 90 })
      expect(await level("00123-MUG")).toMatchObject({ stocked_quantity: 7, available_quantity: 7 })

      const [report] = await imports()
      expect(report).toMatchObject({ type: "inventory", message_seq_id: 71, status: "success", line_count: 2, applied_count: 2 })
      const tee = report.lines.find((l: any) => l.sku === "TEE-M")
      expect(tee).toMatchObject({ received_qty: 90, seq_id: 1001, applied_qty: 90, outcome: "applied", location_id: seeded.stockLocationId })
      const [request] = await orderflowService(getContainer()).listOrderflowRequests({})
      expect(request).toMatchObject({ status: "processed", import_id: report.id })
    })

    it("discards stale updates by per-SKU sequence and never applies a re-delivered message twice", async () => {
      await push(10, [{ sku: "TEE-S", qty: 30, seq: 500 }])
      await processNow()
      // An older figure arrives late, and the first message is re-delivered.
      await push(9, [{ sku: "TEE-S", qty: 99, seq: 400 }])
      await push(10, [{ sku: "TEE-S", qty: 30, seq: 500 }])
      const summary = await processNow()
      expect(summary).toMatchObject({ claimed: 1, stale: 1, applied: 0 })
      expect(await level("TEE-S")).toMatchObject({ stocked_quantity: 30 })
      const reports = await imports()
      expect(reports).toHaveLength(2)
      expect(reports[1].lines[0]).toMatchObject({ outcome: "stale", seq_id: 400, previous_seq_id: 500 })
      expect(reports[1].lines[0].message).toBe("stale: sequence 400 is not newer than the applied sequence 500")
      const requests = await orderflowService(getContainer()).listOrderflowRequests({}, { order: { created_at: "ASC" } })
      expect(requests.map((r: any) => r.status)).toEqual(["processed", "processed", "duplicate"])
    })

    it("records unknown SKUs and applies the rest of the message", async () => {
      await push(11, [
        { sku: "NO-SUCH-SKU", qty: 5, seq: 1 },
        { sku: "TEE-L", qty: 12, seq: 2 },
      ])
      const summary = await processNow()
      expect(summary).toMatchObject({ applied: 1, unknown_sku: 1 })
      expect(await level("TEE-L")).toMatchObject({ stocked_quantity: 12 })
      const [report] = await imports()
      expect(report.status).toBe("success")
      expect(report.unknown_count).toBe(1)
      expect(report.lines.find((l: any) => l.sku === "NO-SUCH-SKU")).toMatchObject({ outcome: "unknown_sku" })
    })

    it("applies negative figures as 0, or as they are when negative quantities are allowed", async () => {
      await push(12, [{ sku: "HOOD-S", qty: -4, seq: 1 }])
      await processNow()
      expect(await level("HOOD-S")).toMatchObject({ stocked_quantity: 0, available_quantity: 0 })
      await configureOrderflow(api, admin, { inventoryImport: { negativeAsZero: false } })
      await push(13, [{ sku: "HOOD-S", qty: -4, seq: 2 }])
      await processNow()
      expect(await level("HOOD-S")).toMatchObject({ stocked_quantity: -4, available_quantity: -4 })
    })

    it("keeps the availability invariant with exported and unsent orders and active carts", async () => {
      // Order A: placed and exported before OrderFlow computed its figure (OrderFlow counted it).
      const orderA = await placeOrder(api, seeded, [{ sku: "HOOD-M", quantity: 2 }])
      await capturePayment(api, admin, orderA.id)
      const orderflow = orderflowService(getContainer())
      await orderflow.createOrderflowExportItems({
        entity_type: "order",
        entity_id: orderA.id,
        reference: String(orderA.display_id),
        status: "exported",
        exported_at: new Date(Date.now() - 60_000),
      })
      const lastOrderExported = new Date(Date.now() - 30_000).toISOString()
      // Order B: placed after, not exported yet. A cart holds 1 more.
      await placeOrder(api, seeded, [{ sku: "HOOD-M", quantity: 3 }])
      await createCart(api, seeded, [{ sku: "HOOD-M", quantity: 1 }])
      expect(await level("HOOD-M")).toMatchObject({ stocked_quantity: 20, reserved_quantity: 5 })

      // OrderFlow: 15 available (it has allocated order A's 2 units).
      await configureOrderflow(api, admin, { inventoryImport: { adjustInventory: "none" } })
      await push(20, [{ sku: "HOOD-M", qty: 15, seq: 10, lastOrderExported }])
      await processNow()
      expect(await level("HOOD-M")).toMatchObject({ available_quantity: 15, reserved_quantity: 5, stocked_quantity: 20 })

      await configureOrderflow(api, admin, { inventoryImport: { adjustInventory: "unsent_orders" } })
      await push(21, [{ sku: "HOOD-M", qty: 15, seq: 11, lastOrderExported }])
      await processNow()
      // Order B's 3 units are not in OrderFlow's figure yet; order A's 2 are, so not subtracted twice.
      expect(await level("HOOD-M")).toMatchObject({ available_quantity: 12, reserved_quantity: 5 })

      await configureOrderflow(api, admin, { inventoryImport: { adjustInventory: "unsent_orders_and_active_carts" } })
      await push(22, [{ sku: "HOOD-M", qty: 15, seq: 12, lastOrderExported }])
      await processNow()
      expect(await level("HOOD-M")).toMatchObject({ available_quantity: 11 })
      const reports = await imports()
      expect(reports[2].lines[0]).toMatchObject({ received_qty: 15, unsent_order_qty: 3, active_cart_qty: 1, applied_qty: 11, reserved_qty: 5 })
    })

    it("an order sent in a call that went unanswered counts as in OrderFlow's figure from that send, not as unsent", async () => {
      await configureOrderflow(api, admin, { inventoryImport: { adjustInventory: "unsent_orders" } })
      const order = await placeOrder(api, seeded, [{ sku: "TEE-L", quantity: 3 }])
      await capturePayment(api, admin, order.id)
      const sentAt = new Date(Date.now() - 60_000)
      // The export call timed out after OrderFlow stored the order: not confirmed yet, retried later.
      await orderflowService(getContainer()).createOrderflowExportItems({
        entity_type: "order",
        entity_id: order.id,
        reference: String(order.display_id),
        status: "pending",
        attempts: 1,
        unconfirmed_sent_at: sentAt,
      })
      // OrderFlow's figure already has the order allocated (it received it before lastOrderExported).
      await push(25, [{ sku: "TEE-L", qty: 47, seq: 40, lastOrderExported: new Date(sentAt.getTime() + 1000).toISOString() }])
      await processNow()
      expect(await level("TEE-L")).toMatchObject({ available_quantity: 47, reserved_quantity: 3 })
      const reports = await imports()
      expect(reports[0].lines[0]).toMatchObject({ received_qty: 47, unsent_order_qty: 0, applied_qty: 47 })
    })

    it("an order whose export run died during the call counts as in OrderFlow's figure once OrderFlow's last order import is after that send, and as unsent before", async () => {
      await configureOrderflow(api, admin, { inventoryImport: { adjustInventory: "unsent_orders" } })
      const order = await placeOrder(api, seeded, [{ sku: "TEE-L", quantity: 3 }])
      await capturePayment(api, admin, order.id)
      const sentAt = new Date(Date.now() - 120_000)
      // The worker was killed during the call: still queued under its (expired) claim, the send time noted.
      await orderflowService(getContainer()).createOrderflowExportItems({
        entity_type: "order",
        entity_id: order.id,
        reference: String(order.display_id),
        status: "queued",
        queued_at: sentAt,
        claimed_by: "killed-worker",
        claimed_until: new Date(sentAt.getTime() + 60_000),
        send_started_at: sentAt,
      })
      // A figure OrderFlow computed before the send: the order is not in it.
      await push(26, [{ sku: "TEE-L", qty: 50, seq: 41, lastOrderExported: new Date(sentAt.getTime() - 5000).toISOString() }])
      await processNow()
      expect(await level("TEE-L")).toMatchObject({ available_quantity: 47, reserved_quantity: 3 })
      // A figure computed after OrderFlow stored it: the order is allocated there already.
      await push(27, [{ sku: "TEE-L", qty: 47, seq: 42, lastOrderExported: new Date(sentAt.getTime() + 1000).toISOString() }])
      await processNow()
      expect(await level("TEE-L")).toMatchObject({ available_quantity: 47, reserved_quantity: 3 })
      const reports = await imports()
      expect(reports.map((r: any) => r.lines[0].unsent_order_qty).sort()).toEqual([0, 3])
    })

    it("maps OrderFlow sites to stock locations and fails unknown sites clearly", async () => {
      const {
        result: [second],
      } = await createStockLocationsWorkflow(getContainer()).run({ input: { locations: [{ name: "Second Warehouse" }] } })
      await configureOrderflow(api, admin, {
        inventoryImport: { defaultLocationId: seeded.stockLocationId, locations: { DEFAULT: seeded.stockLocationId, SECOND: second.id } },
      })
      await push(30, [
        { sku: "TEE-M", qty: 5, seq: 1, source: "DEFAULT" },
        { sku: "TEE-M", qty: 8, seq: 2, source: "SECOND" },
        { sku: "TEE-M", qty: 1, seq: 3, source: "ATLANTIS" },
      ])
      await processNow()
      expect(await level("TEE-M")).toMatchObject({ stocked_quantity: 5 })
      expect(await level("TEE-M", second.id)).toMatchObject({ stocked_quantity: 8 })
      const [report] = await imports()
      expect(report.status).toBe("partial")
      expect(report.lines.find((l: any) => l.source === "ATLANTIS")).toMatchObject({ outcome: "failed" })
      expect(report.lines.find((l: any) => l.source === "ATLANTIS").message).toMatch(/unknown OrderFlow site "ATLANTIS"/)
    })

    it("fails lines for a site mapped to a stock location that does not exist", async () => {
      await configureOrderflow(api, admin, { inventoryImport: { locations: { GHOST: "sloc_does_not_exist" } } })
      await push(39, [{ sku: "TEE-M", qty: 3, seq: 1, source: "GHOST" }])
      await processNow()
      const [report] = await imports()
      expect(report.lines[0]).toMatchObject({ outcome: "failed" })
      expect(report.lines[0].message).toMatch(/stock location sloc_does_not_exist \(for site "GHOST"\) does not exist/)
      const item = variantBySku(seeded, "TEE-M").inventoryItemId!
      const levels = await getContainer().resolve(Modules.INVENTORY).listInventoryLevels({ inventory_item_id: item })
      expect(levels.map((l: any) => l.location_id)).toEqual([seeded.stockLocationId])
    })

    it("retries a message that fails as a whole, then fails it with an alert, without blocking others", async () => {
      await configureOrderflow(api, admin, { retry: { maxAttempts: 2, baseDelaySeconds: 1, maxDelaySeconds: 1 } })
      // A damaged stored message (as after a botched manual edit of the table): a poison message.
      await orderflowService(getContainer()).createOrderflowRequests({
        type: "inventory",
        message_seq_id: 40,
        dedupe_key: "inventory:40",
        content_type: "application/json",
        body: "{}",
        payload: { lines: "not a list" },
        received_at: new Date(),
      })
      await push(41, [{ sku: "TEE-L", qty: 4, seq: 1 }])
      const first = await processNow()
      expect(first).toMatchObject({ claimed: 2, processed: 1, retrying: 1 })
      expect(await level("TEE-L")).toMatchObject({ stocked_quantity: 4 })
      const orderflow = orderflowService(getContainer())
      let [poison] = await orderflow.listOrderflowRequests({ message_seq_id: 40 })
      expect(poison).toMatchObject({ status: "pending", attempts: 1 })
      expect(poison.error).toBeTruthy()
      await orderflow.updateOrderflowRequests({ id: poison.id, next_attempt_at: new Date(Date.now() - 1000) })
      const second = await processNow()
      expect(second).toMatchObject({ claimed: 1, failed: 1 })
      ;[poison] = await orderflow.listOrderflowRequests({ message_seq_id: 40 })
      expect(poison).toMatchObject({ status: "failed", attempts: 2 })
      const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" })
      expect(notifications).toHaveLength(1)
      expect(notifications[0].data?.title).toBe("OrderFlow inventory message 40 failed")
    })

    it("two workers processing at once apply each message exactly once", async () => {
      for (let i = 1; i <= 6; i++) await push(100 + i, [{ sku: "TEE-M", qty: i * 10, seq: i }])
      const container = getContainer()
      const [a, b] = await Promise.all([runOperation(container, "inventory_import"), runOperation(container, "inventory_import")])
      const processed = (a.summary?.processed as number ?? 0) + (b.summary?.processed as number ?? 0)
      expect(processed).toBe(6)
      expect(await level("TEE-M")).toMatchObject({ stocked_quantity: 60 })
      const reports = await imports()
      expect(reports).toHaveLength(6)
      expect(new Set(reports.map((r: any) => r.request_id)).size).toBe(6)
    })

    it("takes back a request claimed by a worker that died once its lease has expired", async () => {
      await push(60, [{ sku: "TEE-L", qty: 21, seq: 70 }])
      const orderflow = orderflowService(getContainer())
      const [request] = await orderflow.listOrderflowRequests({ message_seq_id: 60 })
      // As left by a worker that crashed after claiming it.
      await orderflow.updateOrderflowRequests({
        id: request.id,
        status: "processing",
        claimed_by: "dead-worker",
        claimed_until: new Date(Date.now() + 60_000),
      })
      expect(await processNow()).toMatchObject({ released: 0, claimed: 0 })
      await orderflow.updateOrderflowRequests({ id: request.id, claimed_until: new Date(Date.now() - 1000) })
      expect(await processNow()).toMatchObject({ released: 1, claimed: 1, applied: 1 })
      expect(await level("TEE-L")).toMatchObject({ stocked_quantity: 21 })
    })

    it("shows requests, imports and health through the admin API, and processes a failed request on demand", async () => {
      await push(80, [{ sku: "TEE-S", qty: 3, seq: 1 }, { sku: "NOPE", qty: 1, seq: 1 }])
      let health = (await api.get("/admin/orderflow/health", admin)).data.health
      expect(health.requests.inventory.pending).toBe(1)
      expect(health.requests.inventory.oldest_pending_age_seconds).toBeGreaterThanOrEqual(0)
      expect(health.last_message_from_orderflow.inventory).toBeTruthy()
      await processNow()

      const list = await api.get("/admin/orderflow/requests?type=inventory&limit=5", admin)
      expect(list.data).toMatchObject({ count: 1, limit: 5, offset: 0 })
      expect(list.data.requests[0]).toMatchObject({ message_seq_id: 80, status: "processed" })
      expect(list.data.requests[0].body).toBeUndefined()
      const detail = await api.get(`/admin/orderflow/requests/${list.data.requests[0].id}`, admin)
      expect(JSON.parse(detail.data.request.body).messageSeqId).toBe(80)
      expect(detail.data.import.lines.map((l: any) => l.outcome).sort()).toEqual(["applied", "unknown_sku"])
      const imports = await api.get("/admin/orderflow/imports?type=inventory", admin)
      expect(imports.data.count).toBe(1)
      const report = await api.get(`/admin/orderflow/imports/${imports.data.imports[0].id}`, admin)
      expect(report.data.import.lines).toHaveLength(2)

      const again = await api.post(`/admin/orderflow/requests/${list.data.requests[0].id}/process`, {}, admin).catch((e: any) => e.response)
      expect(again.status).toBe(400)
      expect(again.data.message).toMatch(/is processed; only pending, failed or processed_with_errors messages can be processed/)

      // A failed message is processed again on demand.
      const orderflow = orderflowService(getContainer())
      const [failed] = await orderflow.createOrderflowRequests([
        { type: "inventory", message_seq_id: 81, dedupe_key: "inventory:81", content_type: "application/json", body: "{}", status: "failed", attempts: 5, error: "boom", received_at: new Date(),
          payload: { messageSeqId: 81, format: "json", lines: [{ index: 0, sku: "TEE-S", qty: 8, seq: 2, source: null, lastOrderExported: null }] } },
      ])
      const processed = await api.post(`/admin/orderflow/requests/${failed.id}/process`, {}, admin)
      expect(processed.data.request).toMatchObject({ status: "processed", attempts: 0 })
      expect(await level("TEE-S")).toMatchObject({ stocked_quantity: 8 })
      health = (await api.get("/admin/orderflow/health", admin)).data.health
      expect(health.operations.find((o: any) => o.operation === "inventory_import")).toMatchObject({ last_status: "success" })
      const bad = await api.get("/admin/orderflow/requests?status=exploded", admin).catch((e: any) => e.response)
      expect(bad.status).toBe(400)
    })

    it("a component's stock update changes what its kits can sell, as Medusa computes it", async () => {
      const { createProductsWorkflow } = await import("@medusajs/medusa/core-flows")
      const tee = variantBySku(seeded, "TEE-S").inventoryItemId!
      const mug = variantBySku(seeded, "00123-MUG").inventoryItemId!
      await createProductsWorkflow(getContainer()).run({
        input: {
          products: [
            {
              title: "Tee and mug bundle",
              status: "published",
              shipping_profile_id: seeded.shippingProfileId,
              options: [{ title: "Size", values: ["One"] }],
              variants: [
                {
                  title: "Bundle",
                  sku: "BUNDLE-1",
                  manage_inventory: true,
                  options: { Size: "One" },
                  prices: [{ amount: 25, currency_code: "gbp" }],
                  inventory_items: [
                    { inventory_item_id: tee, required_quantity: 2 },
                    { inventory_item_id: mug, required_quantity: 1 },
                  ],
                },
              ],
              sales_channels: [{ id: seeded.salesChannelId }],
            },
          ] as any,
        },
      })
      const kitQuantity = async () => {
        const { data } = await api.get(`/store/products?handle=tee-and-mug-bundle&fields=*variants,+variants.inventory_quantity`, {
          headers: { "x-publishable-api-key": seeded.publishableKey },
        })
        return data.products[0].variants[0].inventory_quantity
      }
      await push(70, [{ sku: "TEE-S", qty: 10, seq: 1 }, { sku: "00123-MUG", qty: 3, seq: 1 }])
      await processNow()
      expect(await kitQuantity()).toBe(3)
      await push(71, [{ sku: "TEE-S", qty: 4, seq: 2 }])
      await processNow()
      expect(await kitQuantity()).toBe(2)
    })

    it("writing stock goes through Medusa's inventory module and emits inventory-level.updated and inventory-level.created", async () => {
      const container = getContainer()
      const {
        result: [second],
      } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "Events Warehouse" }] } })
      await configureOrderflow(api, admin, {
        inventoryImport: { defaultLocationId: seeded.stockLocationId, locations: { DEFAULT: seeded.stockLocationId, EVENTS: second.id } },
      })
      const seen: Record<string, string[]> = { "inventory-level.updated": [], "inventory-level.created": [] }
      const eventBus = container.resolve(Modules.EVENT_BUS)
      for (const name of Object.keys(seen)) {
        eventBus.subscribe(name, async ({ data }: any) => void seen[name].push(data.id), { subscriberId: `inventory-import-spec-${name}` })
      }
      await push(50, [
        { sku: "TEE-S", qty: 44, seq: 9, source: "DEFAULT" },
        { sku: "TEE-S", qty: 6, seq: 10, source: "EVENTS" },
      ])
      await processNow()
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "inventory_level",
        fields: ["id", "location_id", "stocked_quantity"],
        filters: { inventory_item_id: variantBySku(seeded, "TEE-S").inventoryItemId! },
      })
      const at = (location: string) => {
        const level = data.find((l: any) => l.location_id === location)
        if (!level) throw new Error(`no TEE-S level at ${location}`)
        return level
      }
      expect(Number(at(seeded.stockLocationId).stocked_quantity)).toBe(44)
      expect(Number(at(second.id).stocked_quantity)).toBe(6)
      const deadline = Date.now() + 10_000
      while ((!seen["inventory-level.updated"].length || !seen["inventory-level.created"].length) && Date.now() < deadline) {
        await new Promise((r) => setImmediate(r))
      }
      expect(seen["inventory-level.updated"]).toContain(at(seeded.stockLocationId).id)
      expect(seen["inventory-level.created"]).toEqual([at(second.id).id])
    })

    it("a group whose record fails (its requests claimed by another worker) puts back every level it wrote and removes the levels it created", async () => {
      const container = getContainer()
      const {
        result: [second],
      } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "Undo Warehouse" }] } })
      await configureOrderflow(api, admin, {
        inventoryImport: { defaultLocationId: seeded.stockLocationId, locations: { DEFAULT: seeded.stockLocationId, UNDO: second.id } },
      })
      await push(90, [
        { sku: "TEE-L", qty: 13, seq: 300, source: "DEFAULT" },
        { sku: "HOOD-M", qty: 17, seq: 300, source: "DEFAULT" },
      ])
      await processNow()
      await push(91, [
        { sku: "TEE-L", qty: 2, seq: 301, source: "DEFAULT" },
        { sku: "HOOD-M", qty: 3, seq: 301, source: "DEFAULT" },
        { sku: "TEE-L", qty: 5, seq: 302, source: "UNDO" },
      ])
      const orderflow = orderflowService(container)
      const [request] = await orderflow.listOrderflowRequests({ message_seq_id: 91 })
      const { importInventoryWorkflow } = await import("../../src/workflows/import-inventory/import-inventory")
      const { importSettings } = await import("../../src/workflows/import-inventory/inventory-import-operation")
      // The request is pending, not claimed by "another-worker": the record refuses it after the levels were written.
      const { errors } = await importInventoryWorkflow(container).run({
        input: {
          messages: [{ request_id: request.id, update: request.payload as any, received_at: new Date(request.received_at).toISOString() }],
          settings: await importSettings(container),
          claimed_by: "another-worker",
        },
        throwOnError: false,
      })
      expect(errors.map((e: any) => e.error?.message).join(" ")).toMatch(/no longer claimed by another-worker/)
      expect(await level("TEE-L")).toMatchObject({ stocked_quantity: 13 })
      expect(await level("HOOD-M")).toMatchObject({ stocked_quantity: 17 })
      const levels = await container.resolve(Modules.INVENTORY).listInventoryLevels({ location_id: second.id })
      expect(levels).toEqual([])
      const sequences = await orderflow.getInventorySequences(["TEE-L", "HOOD-M"], [seeded.stockLocationId, second.id])
      expect(sequences.map((q: any) => Number(q.seq_id)).sort()).toEqual([300, 300])
      // The message is still there to apply, and applies.
      expect(await processNow()).toMatchObject({ claimed: 1, applied: 3 })
      expect(await level("TEE-L")).toMatchObject({ stocked_quantity: 2 })
      expect(await level("TEE-L", second.id)).toMatchObject({ stocked_quantity: 5 })
    })
  },
})
