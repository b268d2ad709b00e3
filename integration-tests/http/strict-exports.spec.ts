import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { XMLParser } from "fast-xml-parser"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { startSimulator, type Simulator } from "orderflow-simulator"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, orderflowService } from "../helpers/orderflow"
import { capturePayment, createCart, storeHeaders } from "../helpers/store"

jest.setTimeout(240_000)

// Issue 16: the plugin's product and order exports pass the simulator's
// strict mode, which answers a property seed 002 does not document, a
// malformed value or an unknown code with an importFailures line (as a strict
// OrderFlow would). Everything goes through HTTP: the admin API runs the
// operations, the store API places the order.

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", parseTagValue: false, isArray: (name) => name === "import" })

/** The importResult answered to one request: successes and failures by reference. */
function resultOf(responseBody: string | undefined) {
  const r = parser.parse(responseBody ?? "").importResult
  expect(r).toBeDefined()
  const refs = (section: any) => ((section?.import ?? []) as any[]).map((i) => i["@externalReference"])
  const failures = ((r.importFailures?.import ?? []) as any[]).map((i) => [i["@externalReference"], String(i.failureMessage).replace(/\s+/g, " ").trim()])
  return { successes: refs(r.importSuccesses), failures, duplicates: refs(r.importDuplicates) }
}

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let sim: Simulator
    let admin: any

    const service = () => orderflowService(getContainer())
    const productRows = () => service().listOrderflowExportItems({ entity_type: "product" }, { take: null }) as Promise<any[]>
    const importDocuments = (route: string) => sim.control.documents({ path: route }).filter((d) => d.method === "POST")
    const run = async (operation: "product_export" | "order_export") => {
      const res = await api.post(`/admin/orderflow/operations/${operation}/run`, {}, admin)
      expect(res.data.run).toMatchObject({ ran: true, status: "success" })
      return res.data.run.summary
    }

    beforeAll(async () => {
      // No strict option: what every integration test gets from startSimulator.
      sim = await startSimulator({ port: 0, user: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", seed: 16, log: false })
      seeded = await seedDemoStore(getContainer())
      await waitFor(async () => (await productRows()).filter((r) => r.status === "pending").length >= 6, { what: "product export rows for the seeded catalog" })
    })

    afterAll(async () => {
      await sim?.close()
    })

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", timeoutSeconds: 5 },
        productExport: { batchSize: 200 },
        orderExport: { enabled: true, orderAttributes: ["gift_note"], timezone: "Europe/London" },
        retry: { maxAttempts: 3, baseDelaySeconds: 60, maxDelaySeconds: 600 },
      })
    })

    it("runs the simulator in strict mode by default, with seed 002's tax codes", async () => {
      expect(sim.options).toMatchObject({ strict: true, taxCodes: ["T1", "T2"] })
      const listing = (await (await fetch(`${sim.url}/_sim/import-fields`)).json()) as any
      expect(listing.strict).toBe(true)
    })

    it("exports every product variant through the strict simulator: all successes, no importFailures", async () => {
      const pending = (await productRows()).filter((r) => r.status === "pending").map((r) => r.reference).sort()
      expect(pending).toEqual(expect.arrayContaining(["TEE-S", "TEE-M", "TEE-L", "HOOD-S", "HOOD-M", "00123-MUG"]))
      const summary = await run("product_export")
      expect(summary).toMatchObject({ claimed: pending.length, exported: pending.length, failed: 0 })

      const [doc] = importDocuments("/remotewarehouse/imports/importitems.xml")
      expect(doc.status).toBe(200)
      const result = resultOf(doc.responseBody)
      expect(result.failures).toEqual([])
      expect(result.successes.sort()).toEqual(pending)
      // Prices, weight and currency went through; what seed 002 does not list did not.
      expect(doc.body).toContain("    priceGross=24.00\n")
      expect(doc.body).not.toMatch(/barcode=|dimensionUnits=|taxCode=/)
      expect(sim.state.products.get("TEE-S")).toMatchObject({ description: "Classic Tee - S", activated: true })
      expect(sim.state.products.get("TEE-S")!.fields).toMatchObject({ weight: "180", weightUnits: "grams", priceNet: "20.00", tax: "4.00", currency: "GBP" })
    })

    it("fails the barcode line in strict mode when the merchant turns on extendedFields, and the plugin reports it per SKU", async () => {
      const tee = seeded.products.find((p) => p.handle === "classic-tee")!
      const exportTee = async () => {
        const res = await api.post("/admin/orderflow/products/export", { product_ids: [tee.id] }, admin)
        expect(res.status).toBe(200)
        return Object.fromEntries(res.data.items.map((i: any) => [i.reference, [i.outcome, i.message]]))
      }
      await configureOrderflow(api, admin, { productExport: { extendedFields: true } })
      const strictFailure = await exportTee()
      expect(strictFailure["TEE-S"]).toEqual(["failure", expect.stringContaining("Unknown property 'barcode': not a documented product import field (strict mode)")])
      const sent = importDocuments("/remotewarehouse/imports/importitems.xml").at(-1)!
      expect(sent.body).toContain("    barcode=5012345678900\n")
      expect(resultOf(sent.responseBody).failures).toContainEqual(["TEE-S", "Unknown property 'barcode': not a documented product import field (strict mode)"])

      // Off again (the default): the same SKUs go through.
      await configureOrderflow(api, admin, { productExport: { extendedFields: false } })
      const passed = await exportTee()
      expect(passed).toEqual({
        "TEE-S": ["success", "Successfully Exported"],
        "TEE-M": ["success", "Successfully Exported"],
        "TEE-L": ["success", "Successfully Exported"],
      })
      expect(resultOf(importDocuments("/remotewarehouse/imports/importitems.xml").at(-1)!.responseBody).failures).toEqual([])
    })

    it("exports an order with a promotion, shipping, both addresses and an attribute through the strict simulator without importFailures", async () => {
      const promotion = await api.post(
        "/admin/promotions",
        {
          code: "STRICT10",
          type: "standard",
          status: "active",
          application_method: { type: "percentage", target_type: "order", allocation: "across", value: 10, currency_code: "gbp" },
        },
        admin
      )
      expect(promotion.status).toBe(200)

      // The shopper's path through the store API, with the promotion code.
      const opts = storeHeaders(seeded)
      const cart = await createCart(api, seeded, [
        { sku: "TEE-M", quantity: 2 },
        { sku: "00123-MUG", quantity: 1 },
      ])
      await api.post(`/store/carts/${cart.id}/promotions`, { promo_codes: ["STRICT10"] }, opts)
      await api.post(`/store/carts/${cart.id}`, { metadata: { gift_note: "Happy birthday,\nlove from us" } }, opts)
      await api.post(`/store/carts/${cart.id}/shipping-methods`, { option_id: seeded.shippingOptionIds[0] }, opts)
      const {
        data: { payment_collection },
      } = await api.post("/store/payment-collections", { cart_id: cart.id }, opts)
      await api.post(`/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" }, opts)
      const { data } = await api.post(`/store/carts/${cart.id}/complete`, {}, opts)
      expect(data.type).toBe("order")
      const order = data.order
      expect(Number(order.discount_total)).toBeGreaterThan(0)
      await capturePayment(api, admin, order.id)
      await waitFor(
        async () => ((await service().listOrderflowExportItems({ entity_type: "order", entity_id: order.id }))[0]?.status === "pending" ? true : null),
        { what: "order pending" }
      )

      const summary = await run("order_export")
      expect(summary).toMatchObject({ exported: 1, failed: 0 })
      const [doc] = importDocuments("/remoteorder/imports/importitems.xml")
      expect(doc.status).toBe(200)
      const result = resultOf(doc.responseBody)
      expect(result.failures).toEqual([])
      expect(result.successes).toHaveLength(1)

      // What strict mode checked: dates, amounts, the ISO country code, the discount and attribute lines.
      expect(doc.body).toMatch(/\n    placed=\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\n/)
      expect(doc.body).toMatch(/\n    authorised=\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\n/)
      expect(doc.body).toContain("    deliveryCountryCode=GB\n")
      expect(doc.body).toContain("    invoiceCountryCode=GB\n")
      expect(doc.body).toMatch(/\n    shippingPriceGross=\d+\.\d{2}\n/)
      const simOrder = sim.state.orders.get(result.successes[0])!
      expect(simOrder.attributes).toEqual(
        expect.arrayContaining([
          { name: "promotionCodes", title: "Promotion codes", value: "STRICT10" },
          expect.objectContaining({ name: "discountTotal" }),
          { name: "gift_note", title: "gift_note", value: "Happy birthday,\nlove from us" },
        ])
      )
      expect(simOrder.fields).toMatchObject({ deliveryPostCode: "IP12 1AX", invoiceContactName: "Phil Zoio", currency: "GBP" })
      expect(simOrder.shipments[0].lines.map((l) => [l.product, l.quantity]).sort()).toEqual([
        ["00123-MUG", 1],
        ["TEE-M", 2],
      ])
    })
  },
})
