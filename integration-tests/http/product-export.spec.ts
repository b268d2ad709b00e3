import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules, ProductStatus } from "@medusajs/framework/utils"
import { StepResponse } from "@medusajs/framework/workflows-sdk"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import { createServer, Server } from "node:http"
import type { AddressInfo } from "node:net"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { startSimulator, type Simulator } from "orderflow-simulator"
import { exportProductsWorkflow } from "../../src/workflows/export-products"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, inboundHeaders, inventoryMessage, orderflowService, runOperation } from "../helpers/orderflow"
import { variantBySku } from "../helpers/store"

jest.setTimeout(240_000)

// The merchant extension point, registered as a store would in
// src/workflows/hooks/*.ts: OrderFlow's userDefined1 from product metadata.
exportProductsWorkflow.hooks.productExportFields(async ({ lines: items }, { container }) => {
  const productIds = [...new Set(items.map((i) => i.product_id).filter((id): id is string => !!id))]
  if (!productIds.length) return new StepResponse({})
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: products } = await query.graph({ entity: "product", fields: ["id", "metadata"], filters: { id: productIds } })
  const season = new Map(products.map((p: any) => [p.id, p.metadata?.orderflow_season]))
  const extra: Record<string, Record<string, string>> = {}
  for (const item of items) {
    const value = item.product_id ? season.get(item.product_id) : undefined
    if (typeof value === "string") extra[item.reference] = { userDefined1: value }
  }
  return new StepResponse(extra)
})

const FUTURE = (minutes: number) => new Date(Date.now() + minutes * 60_000)
const CHANNEL_FAILURE = "Unable to find any entity associated with identifier: ref:channel:missing_channel"

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let sim: Simulator
    let admin: any
    let kit: { productId: string; variantId: string; lidItemId: string }
    let giftCardProductId: string
    let noSkuVariantId: string

    const orderflow = () => orderflowService(getContainer())
    const rows = async (filters: Record<string, unknown> = {}) =>
      orderflow().listOrderflowExportItems({ entity_type: "product", ...filters }, { take: null, order: { reference: "ASC" } })
    const row = async (reference: string) => {
      const found = (await rows({ reference })).filter((r: any) => r.status !== "skipped")
      expect(found).toHaveLength(1)
      return found[0]
    }
    const run = async (now?: Date) => {
      const result = await runOperation(getContainer(), "product_export", now)
      expect(result).toMatchObject({ ran: true, status: "success" })
      return result.summary as any
    }
    const importDocuments = () => sim.control.documents({ path: "importitems" })
    const simProduct = (sku: string) => sim.state.products.get(sku)
    const STOCKED = ["00123-MUG", "HOOD-M", "HOOD-S", "MUG-LID", "TEE-L", "TEE-M", "TEE-S"]

    beforeAll(async () => {
      const container = getContainer()
      seeded = await seedDemoStore(container)
      // The API user may only work for organisation "demo": another one gets an <error> document.
      sim = await startSimulator({
        port: 0,
        users: [{ user: "orderflow", password: "orderflow", organisations: ["demo"] }],
        organisation: "demo",
        channel: "medusa",
        seed: 4,
        log: false,
      })

      // A kit: one Classic Tee S (stocked on its own too) and two mug lids (only sold in the kit).
      const [lid] = await container.resolve(Modules.INVENTORY).createInventoryItems([{ sku: "MUG-LID", title: "Enamel mug lid", weight: 40 }])
      const teeS = variantBySku(seeded, "TEE-S")
      const { result } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Gift Set",
              status: ProductStatus.PUBLISHED,
              shipping_profile_id: seeded.shippingProfileId,
              options: [{ title: "Set", values: ["Standard"] }],
              variants: [
                {
                  title: "Standard",
                  sku: "GIFT-SET",
                  manage_inventory: true,
                  options: { Set: "Standard" },
                  prices: [{ amount: 30, currency_code: "gbp" }],
                  inventory_items: [
                    { inventory_item_id: teeS.inventoryItemId!, required_quantity: 1 },
                    { inventory_item_id: lid.id, required_quantity: 2 },
                  ],
                },
              ],
            },
            {
              title: "Gift Card",
              is_giftcard: true,
              status: ProductStatus.PUBLISHED,
              shipping_profile_id: seeded.shippingProfileId,
              options: [{ title: "Value", values: ["50"] }],
              variants: [{ title: "50", sku: "GC-50", manage_inventory: true, options: { Value: "50" }, prices: [{ amount: 50, currency_code: "gbp" }] }],
            },
            {
              title: "Loose Socks",
              status: ProductStatus.PUBLISHED,
              shipping_profile_id: seeded.shippingProfileId,
              options: [{ title: "Size", values: ["One"] }],
              variants: [{ title: "One", manage_inventory: true, options: { Size: "One" }, prices: [{ amount: 5, currency_code: "gbp" }] }],
            },
          ],
        },
      })
      kit = { productId: result[0].id, variantId: result[0].variants[0].id, lidItemId: lid.id }
      giftCardProductId = result[1].id
      noSkuVariantId = result[2].variants[0].id
      // The product subscribers run after the events: wait until every variant has its row.
      await waitFor(async () => (await rows()).length >= 11 && (await rows()).some((r: any) => r.entity_id === noSkuVariantId), { what: "export rows for the seeded catalog" })
    })

    afterAll(async () => {
      await sim?.close()
    })

    beforeEach(async () => {
      sim.control.reset()
      admin = await loginAsAdmin(api, getContainer())
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", timeoutSeconds: 5 },
        productExport: { batchSize: 200 },
        retry: { maxAttempts: 3, baseDelaySeconds: 60, maxDelaySeconds: 600 },
      })
    })

    it("queues every stocked SKU as pending and records why the other variants are not sent", async () => {
      const all = await rows()
      const pending = all.filter((r: any) => r.status === "pending")
      expect(pending.map((r: any) => r.reference)).toEqual(STOCKED)
      for (const r of pending) expect(r.entity_id).toMatch(/^iitem_/)
      // The kit's component shared with a simple variant belongs to that variant; the lid to the kit.
      expect(pending.find((r: any) => r.reference === "TEE-S").variant_id).toBe(variantBySku(seeded, "TEE-S").id)
      expect(pending.find((r: any) => r.reference === "MUG-LID")).toMatchObject({ entity_id: kit.lidItemId, variant_id: kit.variantId })

      const skipped = Object.fromEntries(all.filter((r: any) => r.status === "skipped").map((r: any) => [r.entity_id, r.skip_reason]))
      expect(skipped).toEqual({
        [variantBySku(seeded, "GIFT-WRAP").id]: "inventory not managed by Medusa (virtual or digital item)",
        [kit.variantId]: "inventory kit: sent as its components TEE-S, MUG-LID ×2",
        [(await getContainer().resolve(Modules.PRODUCT).listProductVariants({ product_id: giftCardProductId }))[0].id]: "gift card: not a warehouse item",
        [noSkuVariantId]: "no SKU",
      })
    })

    it("exports pending SKUs in one merge document; the simulator holds them and the history records the call", async () => {
      const summary = await run()
      expect(summary).toMatchObject({ claimed: 7, sent: 7, exported: 7, duplicates: 0, failed: 0, missing: 0, error: null })

      const docs = importDocuments()
      expect(docs).toHaveLength(1)
      expect(docs[0].method).toBe("POST")
      expect(docs[0].route).toBe("/remotewarehouse/imports/importitems.xml")
      expect(docs[0].headers.organisation).toBe("demo")
      expect(docs[0].status).toBe(200)
      const tee = /<import type="product" operation="merge" externalReference="TEE-S">[\s\S]*?<\/import>/.exec(docs[0].body)![0]
      expect(tee).toBe(
        [
          '<import type="product" operation="merge" externalReference="TEE-S">',
          "    externalReference=TEE-S",
          "    description=Classic Tee - S",
          "    weight=180",
          "    weightUnits=grams",
          "    priceNet=20.00",
          "    priceGross=24.00",
          "    tax=4.00",
          "    currency=GBP",
          "    channel=medusa",
          "    type=default",
          "    activated=true",
          "  </import>",
        ].join("\n")
      )
      expect(docs[0].body).not.toMatch(/GIFT-WRAP|GIFT-SET|GC-50/)

      expect(simProduct("TEE-S")).toMatchObject({ description: "Classic Tee - S", activated: true, type: "default" })
      expect(simProduct("MUG-LID")).toMatchObject({ description: "Enamel mug lid" })
      expect(simProduct("MUG-LID")!.fields).toMatchObject({ weight: "40", weightUnits: "grams" })
      expect(simProduct("MUG-LID")!.fields.priceNet).toBeUndefined()
      expect(simProduct("00123-MUG")!.fields).toMatchObject({ description: "Enamel Mug", priceNet: "9.50", priceGross: "11.40", tax: "1.90" })
      expect(sim.state.products.size).toBe(7)

      for (const sku of STOCKED) {
        const r = await row(sku)
        expect(r).toMatchObject({ status: "exported", attempts: 0, last_error: null })
        expect(r.exported_at).toBeTruthy()
      }
      const [record] = await orderflow().listOrderflowExports({ operation: "product_export" }, { relations: ["lines"] })
      expect(record).toMatchObject({ status: "success", http_status: 200, item_count: 7, success_count: 7, duplicate_count: 0, failure_count: 0 })
      expect(record.request_body).toBe(docs[0].body)
      expect(record.response_body).toContain("<importResult>")
      expect(record.lines.map((l: any) => [l.reference, l.outcome, l.message]).sort()).toEqual(
        STOCKED.map((s) => [s, "success", "Successfully Exported"])
      )
      // Nothing left to do: a second run sends nothing.
      expect(await run()).toMatchObject({ claimed: 0 })
      expect(importDocuments()).toHaveLength(1)
    })

    it("sends a product again as merge after it changes (product and variant edits)", async () => {
      await run()
      const hoodie = seeded.products.find((p) => p.handle === "harbour-hoodie")!
      await api.post(`/admin/products/${hoodie.id}`, { title: "Harbour Hoodie 2" }, admin)
      await waitFor(async () => (await row("HOOD-S")).status === "pending", { what: "HOOD-S pending after the product edit" })
      expect((await row("HOOD-M")).status).toBe("pending")
      expect((await row("TEE-S")).status).toBe("exported")

      const teeM = variantBySku(seeded, "TEE-M")
      const tee = seeded.products.find((p) => p.handle === "classic-tee")!
      await api.post(`/admin/products/${tee.id}/variants/${teeM.id}`, { barcode: "5099999999999", prices: [{ amount: 21.5, currency_code: "gbp" }] }, admin)
      await waitFor(async () => (await row("TEE-M")).status === "pending", { what: "TEE-M pending after the variant edit" })

      const summary = await run()
      expect(summary).toMatchObject({ claimed: 3, exported: 3 })
      const body = importDocuments()[1].body
      expect(body.match(/<import /g)).toHaveLength(3)
      expect(body).toContain('<import type="product" operation="merge" externalReference="HOOD-S">')
      expect(simProduct("HOOD-S")!.description).toBe("Harbour Hoodie 2 - S")
      expect(simProduct("TEE-M")!.fields).toMatchObject({ priceNet: "21.50", priceGross: "25.80", tax: "4.30" })
      // The barcode is not one of seed 002's product fields: only sent with productExport.extendedFields.
      expect(simProduct("TEE-M")!.fields.barcode).toBeUndefined()
    })

    it("counts a duplicate reply as exported", async () => {
      // The simulator answers merges with successes; a stub answers every item as
      // a duplicate, in the documented importDuplicates form (seed 002).
      const stub: Server = createServer((req, res) => {
        let body = ""
        req.on("data", (c) => (body += c))
        req.on("end", () => {
          const refs = [...body.matchAll(/externalReference="([^"]+)"/g)].map((m) => m[1])
          res.writeHead(200, { "content-type": "application/xml" })
          res.end(
            `<importResult><importSuccesses></importSuccesses><importFailures></importFailures><importDuplicates>${refs
              .map(
                (r) =>
                  `<import type="product" operation="merge" externalReference="${r}" queryTime="2026-11-23 10:00:00.000"><duplicateMessage>An instance of product with reference &apos;${r}&apos; is already present in the database.</duplicateMessage></import>`
              )
              .join("")}</importDuplicates></importResult>`
          )
        })
      })
      await new Promise<void>((r) => stub.listen(0, "127.0.0.1", r))
      try {
        await configureOrderflow(api, admin, { api: { endpoint: `http://127.0.0.1:${(stub.address() as AddressInfo).port}/orderflow` } })
        const summary = await run()
        expect(summary).toMatchObject({ claimed: 7, exported: 0, duplicates: 7, failed: 0 })
        const r = await row("TEE-S")
        expect(r.status).toBe("exported")
        expect(r.exported_at).toBeTruthy()
        const [record] = await orderflow().listOrderflowExports({ operation: "product_export" }, { relations: ["lines"] })
        expect(record).toMatchObject({ status: "success", duplicate_count: 7 })
        expect(record.lines.find((l: any) => l.reference === "TEE-S")).toMatchObject({
          outcome: "duplicate",
          message: "An instance of product with reference 'TEE-S' is already present in the database.",
        })
      } finally {
        await new Promise((r) => stub.close(r))
      }
    })

    it("fails lines with OrderFlow's message, retries them with back-off, then keeps them failed and alerts", async () => {
      await configureOrderflow(api, admin, { api: { channel: "missing_channel" }, retry: { maxAttempts: 2, baseDelaySeconds: 60 } })
      const first = await run()
      expect(first).toMatchObject({ claimed: 7, failed: 7, exported: 0 })
      const failed = await row("TEE-S")
      expect(failed).toMatchObject({ status: "failed", attempts: 1, last_error: CHANNEL_FAILURE })
      expect(new Date(failed.next_attempt_at).getTime()).toBeGreaterThan(Date.now())
      const [record] = await orderflow().listOrderflowExports({ operation: "product_export" }, { relations: ["lines"] })
      expect(record).toMatchObject({ status: "failed", failure_count: 7, http_status: 200 })
      expect(record.lines[0]).toMatchObject({ outcome: "failure", message: CHANNEL_FAILURE })

      // Not due yet: nothing is sent.
      expect(await run()).toMatchObject({ claimed: 0 })
      // Due: sent again, fails again, attempts used up -> failed for good, with an alert.
      const second = await run(FUTURE(90))
      expect(second).toMatchObject({ claimed: 7, failed: 7 })
      expect(await row("TEE-S")).toMatchObject({ status: "failed", attempts: 2, next_attempt_at: null, last_error: CHANNEL_FAILURE })
      expect(await run(FUTURE(600))).toMatchObject({ claimed: 0 })
      const feed = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" })
      // One alert for the one cause, however many SKUs it failed.
      const titles = feed.map((n: any) => n.data?.title).filter((t: string) => t?.includes("could not be exported"))
      expect(titles).toEqual(["OrderFlow: 7 products could not be exported"])
      const alert = feed.find((n: any) => n.data?.title === titles[0])
      expect(alert?.data?.description).toContain("TEE-S")
      expect(alert?.data?.description).toContain(CHANNEL_FAILURE)

      // Fixed and reset by the admin: exported.
      await configureOrderflow(api, admin, { api: { channel: "medusa" } })
      const tee = seeded.products.find((p) => p.handle === "classic-tee")!
      const reset = await api.post("/admin/orderflow/products/reset", { product_ids: [tee.id] }, admin)
      expect(reset.data.reset).toBe(3)
      expect(await row("TEE-S")).toMatchObject({ status: "pending", attempts: 0, last_error: null })
      expect(await run()).toMatchObject({ claimed: 3, exported: 3 })
      expect(simProduct("TEE-S")).toBeTruthy()
    })

    describe("whole-call failures put the batch back to pending with back-off, attempts untouched: nothing lost, nothing sent twice", () => {
      // Answered failures last for every call of the run: its halves (poison isolation) fail too.
      const cases: Array<[string, () => Promise<void>, RegExp]> = [
        ["HTTP 503", async () => void sim.control.setFaults({ next: [{ fault: "error", status: 503, path: "importitems", count: 50 }] }), /503/],
        ["an HTML page", async () => void sim.control.setFaults({ next: [{ fault: "html", path: "importitems", count: 50 }] }), /importResult|HTML|html/],
        ["a malformed reply", async () => void sim.control.setFaults({ next: [{ fault: "malformed", path: "importitems", count: 50, applied: false }] }), /not usable XML|importResult/],
        ["a timeout", async () => void sim.control.setFaults({ next: [{ fault: "timeout", path: "importitems", timeoutMs: 8000 }] }), /no answer from OrderFlow within 5000 ms/],
        ["a dropped connection", async () => void sim.control.setFaults({ next: [{ fault: "drop", path: "importitems" }] }), /network error/],
        ["OrderFlow down", async () => void (await configureOrderflow(api, admin, { api: { endpoint: "http://127.0.0.1:9/orderflow" } })), /network error/],
        ["an <error> document", async () => void (await configureOrderflow(api, admin, { api: { organisation: "nowhere" } })), /OrderFlow returned an error: .*not authorised to access organisation .nowhere/],
      ]
      it.each(cases)("%s", async (_name, inject, message) => {
        await inject()
        const failed = await run()
        expect(failed).toMatchObject({ claimed: 7, exported: 0, failed: 0, missing: 7 })
        expect(failed.error).toMatch(message)
        for (const sku of STOCKED) {
          const r = await row(sku)
          expect(r).toMatchObject({ status: "pending", attempts: 0 })
          expect(r.last_error).toMatch(/^request failed: /)
          expect(new Date(r.next_attempt_at).getTime()).toBeGreaterThan(Date.now())
        }
        const [record] = await orderflow().listOrderflowExports({ operation: "product_export" })
        expect(record.status).toBe("failed")
        expect(record.error).toMatch(message)
        // Not due: nothing is sent before the back-off.
        expect(await run()).toMatchObject({ claimed: 0 })

        sim.control.clearFaults()
        await configureOrderflow(api, admin, { api: { endpoint: sim.baseUrl, organisation: "demo" } })
        const retried = await run(FUTURE(90))
        expect(retried).toMatchObject({ claimed: 7, exported: 7 })
        for (const sku of STOCKED) expect((await row(sku)).status).toBe("exported")
        // Each SKU is in exactly one successful document.
        const ok = importDocuments().filter((d) => !d.fault && d.responseBody?.includes("<importResult"))
        expect(ok).toHaveLength(1)
        for (const sku of STOCKED) expect(ok[0].body.split(`externalReference="${sku}"`)).toHaveLength(2)
      })
    })

    it("leaves items missing from the importResult pending, charged an attempt, and sends them again after their back-off", async () => {
      sim.control.setFaults({ next: [{ fault: "omit", path: "importitems", omit: ["TEE-M"] }] })
      const summary = await run()
      expect(summary).toMatchObject({ claimed: 7, exported: 6, missing: 1 })
      expect(await row("TEE-M")).toMatchObject({ status: "pending", exported_at: null, attempts: 1 })
      expect((await row("TEE-M")).last_error).toMatch(/not mentioned in OrderFlow's importResult/)
      expect((await row("TEE-S")).status).toBe("exported")
      expect(await run()).toMatchObject({ claimed: 0 }) // not due yet
      const next = await run(FUTURE(90))
      expect(next).toMatchObject({ claimed: 1, exported: 1 })
      expect(importDocuments()[1].body.match(/<import /g)).toHaveLength(1)
      expect((await row("TEE-M")).status).toBe("exported")
    })

    it("exports products on request and answers per SKU (manual export)", async () => {
      const tee = seeded.products.find((p) => p.handle === "classic-tee")!
      const wrap = seeded.products.find((p) => p.handle === "gift-wrapping")!
      const res = await api.post("/admin/orderflow/products/export", { product_ids: [tee.id, wrap.id, kit.productId] }, admin)
      expect(res.status).toBe(200)
      expect(res.data.summary).toMatchObject({ sent: 4, exported: 4, failed: 0, skipped: 2 })
      const byRef = Object.fromEntries(res.data.items.map((i: any) => [i.reference, [i.outcome, i.status, i.message]]))
      expect(byRef).toEqual({
        "TEE-S": ["success", "exported", "Successfully Exported"],
        "TEE-M": ["success", "exported", "Successfully Exported"],
        "TEE-L": ["success", "exported", "Successfully Exported"],
        "MUG-LID": ["success", "exported", "Successfully Exported"],
        "GIFT-WRAP": ["skipped", "skipped", "inventory not managed by Medusa (virtual or digital item)"],
        "GIFT-SET": ["skipped", "skipped", "inventory kit: sent as its components TEE-S, MUG-LID ×2"],
      })
      expect(res.data.export_ids).toHaveLength(1)
      expect(simProduct("TEE-L")).toBeTruthy()
      expect(simProduct("HOOD-S")).toBeUndefined()
      expect((await row("HOOD-S")).status).toBe("pending")

      const bad = await api.post("/admin/orderflow/products/export", { product_ids: [] }, { ...admin, validateStatus: () => true })
      expect(bad.status).toBe(400)
      const unknown = await api.post("/admin/orderflow/products/export", { ids: ["x"] }, { ...admin, validateStatus: () => true })
      expect(unknown.status).toBe(400)
    })

    it("resets products to pending, by product or all at once", async () => {
      await run()
      const hoodie = seeded.products.find((p) => p.handle === "harbour-hoodie")!
      const one = await api.post("/admin/orderflow/products/reset", { product_ids: [hoodie.id] }, admin)
      expect(one.data).toMatchObject({ reset: 2 })
      expect((await row("HOOD-S")).status).toBe("pending")
      expect((await row("TEE-S")).status).toBe("exported")

      // A row lost altogether is recreated by reset-all (it sweeps for SKUs without a row).
      const lost = await row("TEE-L")
      await orderflow().softDeleteOrderflowExportItems([lost.id])
      const all = await api.post("/admin/orderflow/products/reset", { all: true }, admin)
      expect(all.data).toMatchObject({ reset: 6, queued: 1 })
      for (const sku of STOCKED) expect((await row(sku)).status).toBe("pending")
      expect((await rows({ status: "skipped" })).length).toBe(4)

      const bad = await api.post("/admin/orderflow/products/reset", { all: true, product_ids: [hoodie.id] }, { ...admin, validateStatus: () => true })
      expect(bad.status).toBe(400)
    })

    it("switches a deleted product's SKUs off in OrderFlow (activated=false)", async () => {
      await run()
      const hoodie = seeded.products.find((p) => p.handle === "harbour-hoodie")!
      await api.delete(`/admin/products/${hoodie.id}`, admin)
      await waitFor(async () => (await row("HOOD-S")).activated === false, { what: "HOOD-S deactivated" })
      expect(await row("HOOD-M")).toMatchObject({ status: "pending", activated: false })
      const summary = await run()
      expect(summary).toMatchObject({ claimed: 2, exported: 2 })
      expect(simProduct("HOOD-S")).toMatchObject({ activated: false, description: "Harbour Hoodie - S" })
      const block = /<import [^>]*externalReference="HOOD-M">[\s\S]*?<\/import>/.exec(importDocuments()[1].body)![0]
      expect(block).toContain("activated=false")
      expect((await row("HOOD-M")).status).toBe("exported")
    })

    it("catches a change whose event was lost (the sweep)", async () => {
      await run()
      // Written straight through the product module: no workflow, so no event.
      const teeL = variantBySku(seeded, "TEE-L")
      await getContainer().resolve(Modules.PRODUCT).updateProductVariants(teeL.id, { title: "L Tall" })
      // A negative check (no event, so nothing may happen): there is nothing to poll for.
      await new Promise((r) => setTimeout(r, 300))
      expect((await row("TEE-L")).status).toBe("exported")

      const summary = await run(FUTURE(5))
      expect(summary.sweep).toMatchObject({ mode: "since", queued: 1 })
      expect(summary).toMatchObject({ claimed: 1, exported: 1 })
      expect(simProduct("TEE-L")!.description).toBe("Classic Tee - L Tall")
      // The sweep does not queue what it has already seen.
      expect((await run(FUTURE(10))).sweep).toMatchObject({ queued: 0 })
    })

    it("does not queue a product again when the inventory import writes its stock", async () => {
      await run()
      const before = await row("TEE-S")
      await configureOrderflow(api, admin, { inventoryImport: { enabled: true } })
      const push = await api.post("/orderflow/inventory", inventoryMessage(501, [{ sku: "TEE-S", qty: 7, seq: 9001 }]), inboundHeaders())
      expect(push.status).toBe(200)
      const imported = await runOperation(getContainer(), "inventory_import")
      expect(imported.summary).toMatchObject({ applied: 1 })
      // A negative check: give a (wrong) subscriber the time to queue it; the sweep below checks again.
      await new Promise((r) => setTimeout(r, 500))
      const after = await row("TEE-S")
      expect(after).toMatchObject({ status: "exported" })
      expect(new Date(after.changed_at).getTime()).toBe(new Date(before.changed_at).getTime())
      const summary = await run(FUTURE(5))
      expect(summary).toMatchObject({ claimed: 0 })
      expect(summary.sweep.queued).toBe(0)
    })

    it("sends an image only when asked: thumbnail, else the placeholder, else the line fails", async () => {
      const tee = seeded.products.find((p) => p.handle === "classic-tee")!
      await api.post(`/admin/products/${tee.id}`, { thumbnail: "https://cdn.example.com/tee.png" }, admin)
      await waitFor(async () => (await row("TEE-S")).status === "pending" && (await row("TEE-S")).changed_at, { what: "tee re-queued" })
      await configureOrderflow(api, admin, { productExport: { includeImage: true } })
      const summary = await run()
      expect(summary).toMatchObject({ claimed: 7, exported: 3, failed: 4 })
      expect(simProduct("TEE-S")!.fields.imageReference).toBe("https://cdn.example.com/tee.png")
      const mug = await row("00123-MUG")
      expect(mug.status).toBe("failed")
      expect(mug.last_error).toMatch(/no image .*no placeholder image/)

      await configureOrderflow(api, admin, { productExport: { placeholderImage: "https://cdn.example.com/placeholder.png" } })
      expect(await run(FUTURE(90))).toMatchObject({ claimed: 4, exported: 4 })
      expect(simProduct("00123-MUG")!.fields.imageReference).toBe("https://cdn.example.com/placeholder.png")
    })

    it("lets the merchant add fields through the productExportFields hook", async () => {
      const tee = seeded.products.find((p) => p.handle === "classic-tee")!
      await api.post(`/admin/products/${tee.id}`, { metadata: { orderflow_season: "summer" } }, admin)
      await waitFor(async () => (await row("TEE-S")).status === "pending", { what: "tee pending" })
      await run()
      expect(simProduct("TEE-S")!.fields.userDefined1).toBe("summer")
      expect(simProduct("HOOD-S")!.fields.userDefined1).toBeUndefined()
    })

    it("keeps any title intact: markup, ]]>, = and line breaks", async () => {
      const tee = seeded.products.find((p) => p.handle === "classic-tee")!
      const title = "Tee <b>&amp; \"co\"</b> ]]> a=b\nsecond line"
      await api.post(`/admin/products/${tee.id}`, { title }, admin)
      await waitFor(async () => (await row("TEE-S")).status === "pending", { what: "tee pending" })
      expect(await run()).toMatchObject({ exported: 7, failed: 0 })
      expect(simProduct("TEE-S")!.description).toBe(`${title} - S`)
      expect(importDocuments()[0].body).toContain("description=Tee &lt;b&gt;&amp;amp; \"co\"&lt;/b&gt; ]]&gt; a=b[BR]second line - S")
    })

    it("sends a product again when it changes while its batch is in flight", async () => {
      // OrderFlow answers slowly; the product is edited while its SKUs are Queued.
      sim.control.setFaults({ inbound: { latencyMs: 2500, path: "importitems" } })
      const running = run()
      await waitFor(async () => (await row("HOOD-S")).status === "queued", { what: "HOOD-S queued" })
      const hoodie = seeded.products.find((p) => p.handle === "harbour-hoodie")!
      await api.post(`/admin/products/${hoodie.id}`, { title: "Harbour Hoodie Mk2" }, admin)
      await waitFor(async () => new Date((await row("HOOD-S")).changed_at).getTime() > new Date((await row("HOOD-S")).queued_at ?? 0).getTime(), {
        what: "the change recorded on the queued row",
      })
      expect((await row("HOOD-S")).status).toBe("queued")
      expect(await running).toMatchObject({ claimed: 7, exported: 7 })
      // OrderFlow got the old title; the row goes back to pending, not to exported.
      expect(simProduct("HOOD-S")!.description).toBe("Harbour Hoodie - S")
      expect(await row("HOOD-S")).toMatchObject({ status: "pending" })
      expect((await row("TEE-S")).status).toBe("exported")
      sim.control.clearFaults()
      expect(await run()).toMatchObject({ claimed: 2, exported: 2 })
      expect(simProduct("HOOD-S")!.description).toBe("Harbour Hoodie Mk2 - S")
    })

    it("takes back items stranded in Queued by a crash once their lease has passed", async () => {
      const stranded = await row("TEE-S")
      await orderflow().updateOrderflowExportItems({ id: stranded.id, status: "queued", queued_at: new Date(Date.now() - 11 * 60_000) })
      const summary = await run()
      expect(summary).toMatchObject({ released: 1, claimed: 7, exported: 7 })
      expect((await row("TEE-S")).status).toBe("exported")
    })
  },
})
