import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules, ProductStatus } from "@medusajs/framework/utils"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import { request } from "undici"
import { Simulator } from "orderflow-simulator"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { exportedOrder as exportedOrderIn, startTestSimulator } from "../helpers/warehouse"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, inboundHeaders, orderflowService } from "../helpers/orderflow"
import { capturePayment, placeOrder, variantBySku } from "../helpers/store"

jest.setTimeout(300_000)

// What a despatch means for the order (issue 14): over-shipments fail and alert,
// orders and SKUs are matched by what was sent, the customer hears once per parcel.
medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any
    let sim: Simulator

    beforeAll(async () => {
      seeded = await seedDemoStore(getContainer())
      // Kits: an A+B set (one TEE-S and one mug) and a 2-pack (one variant needing HOOD-S twice).
      const inventoryOf = (sku: string) => variantBySku(seeded, sku).inventoryItemId!
      const kit = (handle: string, sku: string, items: Array<{ inventory_item_id: string; required_quantity: number }>) => ({
        title: handle,
        handle,
        status: ProductStatus.PUBLISHED,
        shipping_profile_id: seeded.shippingProfileId,
        options: [{ title: "Set", values: ["Standard"] }],
        variants: [{ title: "Standard", sku, manage_inventory: true, options: { Set: "Standard" }, prices: [{ amount: 30, currency_code: "gbp" }], inventory_items: items }],
        sales_channels: [{ id: seeded.salesChannelId }],
      })
      const { result } = await createProductsWorkflow(getContainer()).run({
        input: {
          products: [
            kit("tee-mug-set", "SET-AB", [
              { inventory_item_id: inventoryOf("TEE-S"), required_quantity: 1 },
              { inventory_item_id: inventoryOf("00123-MUG"), required_quantity: 1 },
            ]),
            kit("hoodie-2-pack", "HOOD-2PK", [{ inventory_item_id: inventoryOf("HOOD-S"), required_quantity: 2 }]),
          ],
        },
      })
      for (const p of result) {
        seeded.products.push({ id: p.id, handle: p.handle, variants: p.variants.map((v: any) => ({ id: v.id, sku: v.sku, inventoryItemId: null, manageInventory: true })) })
      }
    })

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
      sim = await startTestSimulator(api, { seed: 14 })
      sim.control.seed({
        products: ["TEE-S", "TEE-M", "TEE-L", "HOOD-S", "HOOD-M", "00123-MUG"].map((sku) => ({ sku, description: sku, stock: 100 })),
      })
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "medusa", password: "wms", organisation: "demo", channel: "web" },
        orderExport: { enabled: false, referencePrefix: "" },
        shipmentImport: { enabled: true, notifyCustomer: true },
        inventoryImport: { defaultLocationId: seeded.stockLocationId },
      })
    })

    afterEach(async () => sim.close())

    const service = () => orderflowService(getContainer())
    const exportedOrder = (items: Array<{ sku: string; quantity: number }>, warehouseLines = items) =>
      exportedOrderIn({ api, admin, seeded, sim, container: getContainer() }, items, warehouseLines)
    const processNow = async () => {
      const res = await api.post("/admin/orderflow/operations/shipment_import/run", {}, admin)
      expect(res.data.run.status).toBe("success")
      return res.data.run.summary
    }
    const adminOrder = async (id: string) =>
      (
        await api.get(
          `/admin/orders/${id}?fields=id,status,fulfillment_status,*items,*items.detail,*fulfillments,*fulfillments.labels,*fulfillments.items`,
          admin
        )
      ).data.order
    const alertTitles = async () =>
      (await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" })).map((a: any) => a.data?.title)
    const requestOf = async (messageSeqId: number) => (await service().listOrderflowRequests({ message_seq_id: messageSeqId }))[0]

    describe("over-shipment", () => {
      it("a new despatch (new tracking) of an order already fully shipped fails with the reason and one alert; a re-delivery of a message stays a quiet duplicate", async () => {
        const { order, reference } = await exportedOrder([{ sku: "TEE-S", quantity: 1 }])
        sim.control.setFaults({ push: { duplicateNext: 1 } })
        await sim.control.despatch({ orderReference: reference, trackingNumbers: ["FIRST1"], push: true, wait: true })
        const delivered: any[] = await waitFor(async () => {
          const rows = await service().listOrderflowRequests({ type: "shipment" })
          return rows.length === 2 ? rows : null
        }, { what: "the re-delivered copy" })
        expect(delivered.map((r) => r.status).sort()).toEqual(["duplicate", "pending"])
        expect(await processNow()).toMatchObject({ claimed: 1, shipped: 1, over_shipped: 0 })
        expect(await alertTitles()).toEqual([])

        // The warehouse re-ships the order (a replacement parcel): a new message number, new tracking.
        const reship = await sim.control.despatch({ orderReference: reference, reship: true, trackingNumbers: ["AGAIN2"], push: true, wait: true })
        expect(reship.message?.status).toBe("delivered")
        expect(await processNow()).toMatchObject({ claimed: 1, shipped: 0, rejected: 1, over_shipped: 1 })
        const req = await requestOf(reship.message!.messageSeqId)
        expect(req.status).toBe("failed")
        expect(req.error).toBe(`over-shipment: order #${reference} was already fully shipped: 1 more of "TEE-S" than is left to ship; nothing was applied`)
        expect(await alertTitles()).toEqual([`OrderFlow despatch over-shipped: order ${reference}`])
        const o = await adminOrder(order.id)
        expect(o.fulfillments).toHaveLength(1)
        expect(o.fulfillments[0].labels.map((l: any) => l.tracking_number)).toEqual(["FIRST1"])
      })

      it("an over-shipping message applies what fits, fails each excess line, and raises one alert per message however many lines fail", async () => {
        const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 1 }, { sku: "HOOD-S", quantity: 1 }])
        await api.post(
          "/orderflow/shipment",
          { orderIncrementId: reference, skuQty: [{ sku: "TEE-M", qty: 3 }, { sku: "HOOD-S", qty: 2 }], tracks: [{ trackingNumber: "OV1" }], messageSeqId: 7101 },
          inboundHeaders()
        )
        expect(await processNow()).toMatchObject({ shipped: 1, over_shipped: 1, rejected: 0 })
        const first = await requestOf(7101)
        expect(first.status).toBe("processed_with_errors")
        expect(first.error).toMatch(/^2 of 4 lines failed; first: TEE-M: over-shipment: 2 more of "TEE-M"/)
        const [report] = await service().listOrderflowImports({ request_id: first.id }, { relations: ["lines"] })
        const lines = (report.lines ?? []).map((l: any) => [l.sku, l.outcome, l.received_qty]).sort()
        expect(lines).toEqual([["HOOD-S", "failed", 1], ["HOOD-S", "shipped", 1], ["TEE-M", "failed", 2], ["TEE-M", "shipped", 1]])
        const o = await adminOrder(order.id)
        expect(o.fulfillment_status).toBe("shipped")
        expect(o.status).toBe("completed")
        // "Process now" on it applies nothing twice, keeps its failed lines failed and raises no second alert.
        const rerun = await api.post(`/admin/orderflow/requests/${first.id}/process`, {}, admin)
        expect(rerun.data.run.summary).toMatchObject({ claimed: 1 })
        const again = await requestOf(7101)
        expect({ status: again.status, error: again.error }).toEqual({ status: "processed_with_errors", error: first.error })
        expect((await adminOrder(order.id)).fulfillments).toHaveLength(1)
        expect(await alertTitles()).toHaveLength(1)

        await api.post(
          "/orderflow/shipment",
          { orderIncrementId: reference, skuQty: [{ sku: "TEE-M", qty: 1 }], tracks: [{ trackingNumber: "OV2" }], messageSeqId: 7102 },
          inboundHeaders()
        )
        expect(await processNow()).toMatchObject({ rejected: 1, over_shipped: 1 })
        expect(await alertTitles()).toEqual([`OrderFlow despatch over-shipped: order ${reference}`, `OrderFlow despatch over-shipped: order ${reference}`])
        // Processing the failed message again changes nothing and alerts no more.
        await api.post(`/admin/orderflow/requests/${(await requestOf(7102)).id}/process`, {}, admin)
        await processNow()
        expect(await alertTitles()).toHaveLength(2)
        expect((await adminOrder(order.id)).fulfillments).toHaveLength(1)
      })
    })

    describe("dedupe", () => {
      it("a re-push of an applied message number with different content is recorded and alerted, not applied again; an identical re-push is a quiet duplicate", async () => {
        const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 2 }])
        const body = { orderIncrementId: reference, skuQty: [{ sku: "TEE-M", qty: 1 }], tracks: [{ trackingNumber: "RP1" }], messageSeqId: 7401 }
        await api.post("/orderflow/shipment", body, inboundHeaders())
        expect(await processNow()).toMatchObject({ shipped: 1 })
        const same = await api.post("/orderflow/shipment", body, inboundHeaders())
        expect(same.headers["x-orderflow-duplicate-of"]).toBeTruthy()
        // Edited in OrderFlow (a tracking number added) and pushed again under the same number.
        const edited = await api.post("/orderflow/shipment", { ...body, tracks: [{ trackingNumber: "RP1" }, { trackingNumber: "RP2" }] }, inboundHeaders())
        expect(edited.status).toBe(200)
        expect(await processNow()).toMatchObject({ claimed: 1, shipped: 0, rejected: 1 })
        const rows = await service().listOrderflowRequests({ message_seq_id: 7401 }, { order: { received_at: "ASC" } })
        expect(rows.map((r: any) => r.status)).toEqual(["processed", "duplicate", "failed"])
        expect(rows[2].error).toBe(`despatch message 7401 was already applied (request ${rows[0].id}); this re-push has different content and is not applied again`)
        expect(await alertTitles()).toHaveLength(1)
        expect((await alertTitles())[0]).toMatch(/^OrderFlow despatch rejected: despatch message … was already applied/)
        const o = await adminOrder(order.id)
        expect(o.fulfillments).toHaveLength(1)
        expect(o.fulfillment_status).toBe("partially_shipped")
      })
    })

    describe("dedupe by number and by parcel", () => {
      it("two message numbers with the same content are two parcels: both applied while the order has room, then an over-shipment", async () => {
        const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 2 }])
        const body = { orderIncrementId: reference, skuQty: [{ sku: "TEE-M", qty: 1 }], dateShipped: "2026-11-30 10:00:00" }
        for (const messageSeqId of [7801, 7802]) await api.post("/orderflow/shipment", { ...body, messageSeqId }, inboundHeaders())
        expect(await processNow()).toMatchObject({ shipped: 2, duplicates: 0 })
        const o = await adminOrder(order.id)
        expect(o.fulfillments).toHaveLength(2)
        expect(o.fulfillment_status).toBe("shipped")
        await api.post("/orderflow/shipment", { ...body, messageSeqId: 7803 }, inboundHeaders())
        expect(await processNow()).toMatchObject({ rejected: 1, over_shipped: 1 })
      })

      it("a despatch with neither number nor ship date sent twice: the repeat is a second parcel while the order has room, then a quiet duplicate", async () => {
        const { order, reference } = await exportedOrder([{ sku: "HOOD-M", quantity: 2 }])
        const body = { orderIncrementId: reference, skuQty: [{ sku: "HOOD-M", qty: 1 }] }
        const first = await api.post("/orderflow/shipment", body, inboundHeaders())
        expect(await processNow()).toMatchObject({ shipped: 1 })
        const second = await api.post("/orderflow/shipment", body, inboundHeaders())
        // Each is stored (nothing tells a retry from a second parcel at the door)...
        expect(second.headers["x-orderflow-duplicate-of"]).toBeUndefined()
        expect(second.headers["x-orderflow-request-id"]).not.toBe(first.headers["x-orderflow-request-id"])
        // ...and the order has room for the second parcel: applied.
        expect(await processNow()).toMatchObject({ shipped: 1, duplicates: 0 })
        expect((await adminOrder(order.id)).fulfillments).toHaveLength(2)
        // A third: the order is fully shipped, so it is the retry of an applied parcel, filed quietly.
        const third = await api.post("/orderflow/shipment", body, inboundHeaders())
        expect(await processNow()).toMatchObject({ shipped: 0, duplicates: 1, rejected: 0, over_shipped: 0 })
        const [row] = await service().listOrderflowRequests({ id: third.headers["x-orderflow-request-id"] })
        expect(row).toMatchObject({ status: "duplicate", duplicate_of_id: first.headers["x-orderflow-request-id"] })
        expect(await alertTitles()).toEqual([])
        expect((await adminOrder(order.id)).fulfillments).toHaveLength(2)
      })
    })

    describe("kits shipped by component", () => {
      it("a kit A+B shipped A then B: the first parcel is recorded with its tracking and fulfils nothing; the second fulfils the kit with both parcels' labels and completes the order", async () => {
        const { order, reference } = await exportedOrder([{ sku: "SET-AB", quantity: 1 }], [{ sku: "TEE-S", quantity: 1 }, { sku: "00123-MUG", quantity: 1 }])
        await sim.control.despatch({ orderReference: reference, lines: [{ sku: "TEE-S", qty: 1 }], trackingNumbers: ["KA1"], push: true, wait: true })
        expect(await processNow()).toMatchObject({ claimed: 1, shipped: 0, kit_progress: 1, rejected: 0, over_shipped: 0 })
        const half = await adminOrder(order.id)
        expect(half.fulfillments).toHaveLength(0)
        expect(half.status).not.toBe("completed")
        const [first] = await service().listOrderflowRequests({ type: "shipment" })
        expect(first.status).toBe("processed")
        // The parcel's tracking is on the order's despatches list straight away (no fulfilment yet).
        const listed = await api.get(`/admin/orderflow/despatches?order_id=${order.id}`, admin)
        expect(listed.data.despatches.map((d: any) => [d.tracking_numbers, d.fulfillment_id])).toEqual([[["KA1"], null]])
        const open = await service().listOrderflowKitComponents({ order_id: order.id, fulfillment_id: null })
        expect(open.map((r: any) => [r.sku, r.quantity])).toEqual([["TEE-S", 1]])

        await sim.control.despatch({ orderReference: reference, trackingNumbers: ["KB2"], push: true, wait: true })
        expect(await processNow()).toMatchObject({ claimed: 1, shipped: 1, rejected: 0, over_shipped: 0 })
        const o = await adminOrder(order.id)
        expect(o.fulfillment_status).toBe("shipped")
        expect(o.status).toBe("completed")
        expect(o.fulfillments).toHaveLength(1)
        expect(o.fulfillments[0].labels.map((l: any) => l.tracking_number).sort()).toEqual(["KA1", "KB2"])
        expect(await service().listOrderflowKitComponents({ order_id: order.id, fulfillment_id: null })).toEqual([])
      })

      it("a kit parcel with an excess component records its components once, also when processed again, and the excess fails", async () => {
        const { order, reference } = await exportedOrder([{ sku: "SET-AB", quantity: 1 }], [{ sku: "TEE-S", quantity: 1 }, { sku: "00123-MUG", quantity: 1 }])
        await api.post("/orderflow/shipment", { orderIncrementId: reference, skuQty: [{ sku: "TEE-S", qty: 2 }], tracks: [{ trackingNumber: "KX1" }], messageSeqId: 7601 }, inboundHeaders())
        expect(await processNow()).toMatchObject({ kit_progress: 1, over_shipped: 1, shipped: 0 })
        const req = await requestOf(7601)
        expect(req.status).toBe("processed_with_errors")
        const rerun = await api.post(`/admin/orderflow/requests/${req.id}/process`, {}, admin)
        expect(rerun.data.request.status).toBe("processed_with_errors")
        const open = await service().listOrderflowKitComponents({ order_id: order.id, fulfillment_id: null })
        expect(open.map((r: any) => [r.sku, r.quantity])).toEqual([["TEE-S", 1]])
        await api.post("/orderflow/shipment", { orderIncrementId: reference, skuQty: [{ sku: "00123-MUG", qty: 1 }], tracks: [{ trackingNumber: "KX2" }], messageSeqId: 7602 }, inboundHeaders())
        expect(await processNow()).toMatchObject({ shipped: 1 })
        const o = await adminOrder(order.id)
        expect(o.status).toBe("completed")
        expect(o.fulfillments[0].labels.map((l: any) => l.tracking_number).sort()).toEqual(["KX1", "KX2"])
      })

      it("a crash after the fulfilment that completes a kit unit keeps the components carried over to the next unit", async () => {
        const { createOrderFulfillmentWorkflow } = await import("@medusajs/medusa/core-flows")
        const { order, reference } = await exportedOrder([{ sku: "SET-AB", quantity: 2 }], [{ sku: "TEE-S", quantity: 2 }, { sku: "00123-MUG", quantity: 2 }])
        await api.post("/orderflow/shipment", { orderIncrementId: reference, skuQty: [{ sku: "TEE-S", qty: 1 }], tracks: [{ trackingNumber: "KC1" }], messageSeqId: 7701 }, inboundHeaders())
        expect(await processNow()).toMatchObject({ kit_progress: 1 })
        // Parcel 2 completes one kit (the earlier tee + this mug) and carries its own tee over to the second kit.
        await api.post(
          "/orderflow/shipment",
          { orderIncrementId: reference, skuQty: [{ sku: "TEE-S", qty: 1 }, { sku: "00123-MUG", qty: 1 }], tracks: [{ trackingNumber: "KC2" }], messageSeqId: 7702 },
          inboundHeaders()
        )
        const req = await requestOf(7702)
        const kitLine = (await adminOrder(order.id)).items.find((i: any) => i.variant_sku === "SET-AB")
        // What a worker that died right after creating parcel 2's fulfilment leaves behind.
        await createOrderFulfillmentWorkflow(getContainer()).run({
          input: { order_id: order.id, items: [{ id: kitLine.id, quantity: 1 }], location_id: seeded.stockLocationId, metadata: { orderflow_despatch_key: req.dedupe_key } },
        })
        expect(await processNow()).toMatchObject({ processed: 1, shipped: 1 })
        expect((await requestOf(7702)).status).toBe("processed")
        const open = await service().listOrderflowKitComponents({ order_id: order.id, fulfillment_id: null })
        expect(open.map((r: any) => [r.sku, Number(r.quantity)])).toEqual([["TEE-S", 1]])
        const half = await adminOrder(order.id)
        expect(half.fulfillments).toHaveLength(1)
        expect(half.fulfillments[0].labels.map((l: any) => l.tracking_number).sort()).toEqual(["KC1", "KC2"])

        await api.post("/orderflow/shipment", { orderIncrementId: reference, skuQty: [{ sku: "00123-MUG", qty: 1 }], tracks: [{ trackingNumber: "KC3" }], messageSeqId: 7703 }, inboundHeaders())
        expect(await processNow()).toMatchObject({ shipped: 1, rejected: 0, over_shipped: 0 })
        const o = await adminOrder(order.id)
        expect(o.status).toBe("completed")
        expect(o.fulfillments).toHaveLength(2)
      })

      it("a 2-pack (one component needed twice) shipped 1 + 1 is fulfilled by the second parcel and completes the order", async () => {
        const { order, reference } = await exportedOrder([{ sku: "HOOD-2PK", quantity: 1 }], [{ sku: "HOOD-S", quantity: 2 }])
        await sim.control.despatch({ orderReference: reference, lines: [{ sku: "HOOD-S", qty: 1 }], trackingNumbers: ["PK1"], push: true, wait: true })
        await processNow()
        expect((await adminOrder(order.id)).fulfillments).toHaveLength(0)
        await sim.control.despatch({ orderReference: reference, trackingNumbers: ["PK2"], push: true, wait: true })
        expect(await processNow()).toMatchObject({ shipped: 1 })
        const o = await adminOrder(order.id)
        expect(o.status).toBe("completed")
        expect(o.fulfillments[0].labels.map((l: any) => l.tracking_number).sort()).toEqual(["PK1", "PK2"])
        // A third unit of the component is an over-shipment.
        await api.post("/orderflow/shipment", { orderIncrementId: reference, skuQty: [{ sku: "HOOD-S", qty: 1 }], messageSeqId: 7301 }, inboundHeaders())
        expect(await processNow()).toMatchObject({ rejected: 1, over_shipped: 1 })
      })
    })

    describe("matching by what was sent", () => {
      it("a despatch for an order exported under the old reference prefix is applied after the prefix changed", async () => {
        await configureOrderflow(api, admin, { orderExport: { enabled: true, referencePrefix: "OLD-" } })
        const order = await placeOrder(api, seeded, [{ sku: "TEE-L", quantity: 1 }])
        await capturePayment(api, admin, order.id)
        await waitFor(async () => (await service().listOrderflowExportItems({ entity_type: "order", entity_id: order.id }))[0], { what: "the queued export" })
        const run = await api.post("/admin/orderflow/operations/order_export/run", {}, admin)
        expect(run.data.run.status).toBe("success")
        const [row] = await service().listOrderflowExportItems({ entity_type: "order", entity_id: order.id })
        expect(row).toMatchObject({ status: "exported", reference: `OLD-${order.display_id}` })

        await configureOrderflow(api, admin, { orderExport: { referencePrefix: "NEW-" } })
        await sim.control.despatch({ orderReference: `OLD-${order.display_id}`, trackingNumbers: ["PFX1"], push: true, wait: true })
        expect(await processNow()).toMatchObject({ claimed: 1, shipped: 1, rejected: 0 })
        const o = await adminOrder(order.id)
        expect(o.fulfillment_status).toBe("shipped")
        expect(o.fulfillments[0].labels.map((l: any) => l.tracking_number)).toEqual(["PFX1"])
      })

      it("a despatch for a line whose variant was deleted after export is matched by the line's stored SKU and applied", async () => {
        const { order, reference } = await exportedOrder([{ sku: "HOOD-M", quantity: 1 }, { sku: "TEE-S", quantity: 1 }])
        const { deleteProductVariantsWorkflow, deleteReservationsByLineItemsWorkflow } = await import("@medusajs/medusa/core-flows")
        // Medusa refuses to delete a variant whose stock is reserved: the merchant releases the line's reservation first (admin), then deletes the variant.
        const hoodLine = (await adminOrder(order.id)).items.find((i: any) => i.variant_sku === "HOOD-M")
        await deleteReservationsByLineItemsWorkflow(getContainer()).run({ input: { ids: [hoodLine.id] } })
        await deleteProductVariantsWorkflow(getContainer()).run({ input: { ids: [variantBySku(seeded, "HOOD-M").id] } })
        await sim.control.despatch({ orderReference: reference, trackingNumbers: ["DEL1"], push: true, wait: true })
        expect(await processNow()).toMatchObject({ claimed: 1, shipped: 1, rejected: 0 })
        const o = await adminOrder(order.id)
        expect(o.fulfillment_status).toBe("shipped")
        expect(o.status).toBe("completed")
        expect(o.fulfillments[0].items.map((i: any) => i.line_item_id)).toContain(hoodLine.id)
      })
    })

    describe("location", () => {
      it("each despatch is fulfilled where its own lines are reserved, not where the order's first line is", async () => {
        const { createInventoryLevelsWorkflow, createStockLocationsWorkflow, updateReservationsWorkflow } = await import("@medusajs/medusa/core-flows")
        const {
          result: [north],
        } = await createStockLocationsWorkflow(getContainer()).run({ input: { locations: [{ name: "North Warehouse" }] } })
        const hoodie = variantBySku(seeded, "HOOD-S").inventoryItemId!
        await createInventoryLevelsWorkflow(getContainer()).run({ input: { inventory_levels: [{ inventory_item_id: hoodie, location_id: north.id, stocked_quantity: 10 }] } })
        const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 1 }, { sku: "HOOD-S", quantity: 1 }])
        // The hoodie's units are reserved at the North warehouse (moved there, as staff would).
        const hoodLine = (await adminOrder(order.id)).items.find((i: any) => i.variant_sku === "HOOD-S")
        const [reservation] = await getContainer().resolve(Modules.INVENTORY).listReservationItems({ line_item_id: hoodLine.id })
        await updateReservationsWorkflow(getContainer()).run({ input: { updates: [{ id: reservation.id, location_id: north.id }] } })

        await api.post("/orderflow/shipment", { orderIncrementId: reference, skuQty: [{ sku: "HOOD-S", qty: 1 }], tracks: [{ trackingNumber: "LOC1" }], messageSeqId: 7501 }, inboundHeaders())
        await api.post("/orderflow/shipment", { orderIncrementId: reference, skuQty: [{ sku: "TEE-M", qty: 1 }], tracks: [{ trackingNumber: "LOC2" }], messageSeqId: 7502 }, inboundHeaders())
        expect(await processNow()).toMatchObject({ shipped: 2 })
        const o = await adminOrder(order.id)
        const at = Object.fromEntries(o.fulfillments.map((f: any) => [f.labels[0].tracking_number, f.location_id]))
        expect(at).toEqual({ LOC1: north.id, LOC2: seeded.stockLocationId })
        expect(o.status).toBe("completed")
      })
      it("one parcel whose lines are reserved at two stock locations becomes one fulfilment per location, each with the parcel's tracking, and notifies once", async () => {
        const { createInventoryLevelsWorkflow, createStockLocationsWorkflow, updateReservationsWorkflow } = await import("@medusajs/medusa/core-flows")
        const {
          result: [east],
        } = await createStockLocationsWorkflow(getContainer()).run({ input: { locations: [{ name: "East Warehouse" }] } })
        const hoodie = variantBySku(seeded, "HOOD-M").inventoryItemId!
        await createInventoryLevelsWorkflow(getContainer()).run({ input: { inventory_levels: [{ inventory_item_id: hoodie, location_id: east.id, stocked_quantity: 10 }] } })
        const { order, reference } = await exportedOrder([{ sku: "TEE-L", quantity: 1 }, { sku: "HOOD-M", quantity: 2 }])
        const hoodLine = (await adminOrder(order.id)).items.find((i: any) => i.variant_sku === "HOOD-M")
        const [reservation] = await getContainer().resolve(Modules.INVENTORY).listReservationItems({ line_item_id: hoodLine.id })
        await updateReservationsWorkflow(getContainer()).run({ input: { updates: [{ id: reservation.id, location_id: east.id }] } })
        const shipmentEvents: any[] = []
        getContainer()
          .resolve(Modules.EVENT_BUS)
          .subscribe("shipment.created", async (data: any) => {
            shipmentEvents.push(data.data ?? data)
          })
        const eastBefore = await getContainer().resolve(Modules.INVENTORY).retrieveInventoryLevelByItemAndLocation(hoodie, east.id)

        await api.post(
          "/orderflow/shipment",
          { orderIncrementId: reference, skuQty: [{ sku: "TEE-L", qty: 1 }, { sku: "HOOD-M", qty: 2 }], tracks: [{ trackingNumber: "SPLIT1" }], email: true, messageSeqId: 7511 },
          inboundHeaders()
        )
        expect(await processNow()).toMatchObject({ processed: 1, shipped: 1, rejected: 0 })
        const o = await adminOrder(order.id)
        expect(o.status).toBe("completed")
        const byLocation = Object.fromEntries(
          o.fulfillments.map((f: any) => [f.location_id, { items: f.items.map((i: any) => [i.line_item_id, Number(i.quantity)]), tracking: f.labels.map((l: any) => l.tracking_number), shipped: !!f.shipped_at }])
        )
        const teeLine = o.items.find((i: any) => i.variant_sku === "TEE-L")
        expect(byLocation).toEqual({
          [east.id]: { items: [[hoodLine.id, 2]], tracking: ["SPLIT1"], shipped: true },
          [seeded.stockLocationId]: { items: [[teeLine.id, 1]], tracking: ["SPLIT1"], shipped: true },
        })
        // The hoodies left the East warehouse's stock, where they were reserved.
        const eastAfter = await getContainer().resolve(Modules.INVENTORY).retrieveInventoryLevelByItemAndLocation(hoodie, east.id)
        expect([Number(eastBefore.stocked_quantity) - Number(eastAfter.stocked_quantity), Number(eastAfter.reserved_quantity)]).toEqual([2, 0])
        await waitFor(async () => shipmentEvents.filter((e) => o.fulfillments.some((f: any) => f.id === e.id)).length === 2, { what: "both shipment events" })
        expect(shipmentEvents.filter((e) => o.fulfillments.some((f: any) => f.id === e.id)).map((e) => e.no_notification).sort()).toEqual([false, true])
        // The import report says where each line was fulfilled.
        const req = await requestOf(7511)
        expect(req.status).toBe("processed")
        const [imported] = await service().listOrderflowImports({ request_id: req.id }, { relations: ["lines"] })
        expect(Object.fromEntries(imported.lines.map((l: any) => [l.sku, l.location_id]))).toEqual({ "TEE-L": seeded.stockLocationId, "HOOD-M": east.id })
      })
    })

    describe("notification", () => {
      it("exactly one notifying event per parcel: fulfilments never notify, each shipment does; the comment reaches the shipment's data only with includeComment", async () => {
        const fulfilmentEvents: any[] = []
        const shipmentEvents: any[] = []
        const eventBus = getContainer().resolve(Modules.EVENT_BUS)
        eventBus.subscribe("order.fulfillment_created", async (data: any) => {
          fulfilmentEvents.push(data.data ?? data)
        })
        eventBus.subscribe("shipment.created", async (data: any) => {
          shipmentEvents.push(data.data ?? data)
        })
        const { order, reference } = await exportedOrder([{ sku: "TEE-M", quantity: 2 }])
        await sim.control.despatch({
          orderReference: reference, lines: [{ sku: "TEE-M", qty: 1 }], email: true, comment: "left with neighbour", includeComment: true, trackingNumbers: ["EM1"], push: true, wait: true,
        })
        await sim.control.despatch({ orderReference: reference, email: true, comment: "internal note", includeComment: false, trackingNumbers: ["EM2"], push: true, wait: true })
        expect(await processNow()).toMatchObject({ shipped: 2 })
        await waitFor(async () => shipmentEvents.length >= 2 && fulfilmentEvents.length >= 2, { what: "fulfilment and shipment events" })
        expect(fulfilmentEvents.map((e) => e.no_notification)).toEqual([true, true])
        expect(shipmentEvents.map((e) => e.no_notification)).toEqual([false, false])
        const o = await adminOrder(order.id)
        // shipment.created carries the fulfilment's id: what a store's subscriber loads.
        const byId = new Map(o.fulfillments.map((f: any) => [f.id, f]))
        const comments = shipmentEvents.map((e) => {
          const f: any = byId.get(e.id)
          return [f.labels[0].tracking_number, f.metadata.orderflow_customer_comment]
        })
        expect(comments.sort()).toEqual([["EM1", "left with neighbour"], ["EM2", null]])
      })
    })
  },
})
