// Strict mode: the documented properties of seed 002's product and order
// imports (import-fields.ts), checked over HTTP as the plugin meets them.

import { DOCUMENTED_IMPORT_FIELDS, strictImportProblem } from "../import-fields"
import { startSimulator, type Simulator } from "../index"
import { parseProperties } from "../properties"
import { parseImportsDocument } from "../xml"
import { fixture, importOrders, importProducts, parseXml, squash } from "./helpers"

const CODES = { taxCodes: ["T1", "T2"] }

/** Every property of every complete <import> of a seed 002 example document. */
function exampleItems(name: string) {
  return parseImportsDocument(fixture(name))
    .map((item) => ({ type: item.attributes.type as "product" | "order", ...parseProperties(item.text) }))
    .filter((item) => item.invalidLines.length === 0)
}

describe("the documented import fields (seed 002)", () => {
  it("contain every property of the seed's product, product update, order and merge examples", () => {
    const items = ["product-import.xml", "product-update.xml", "order-import.xml", "order-merge-products.xml"].flatMap(exampleItems)
    expect(items.length).toBeGreaterThanOrEqual(5)
    for (const item of items) expect([item.type, strictImportProblem(item.type, item.values, CODES)]).toEqual([item.type, undefined])
  })

  it("leave out what the seed does not list, such as dimensions, barcode and an order-level externalReference", () => {
    const names = new Set(DOCUMENTED_IMPORT_FIELDS.map((f) => `${f.scope}:${f.name}`))
    for (const missing of ["product:dimensionUnits", "product:length", "product:barcode", "order:externalReference", "orderLine:colour"]) {
      expect(names.has(missing)).toBe(false)
    }
    for (const present of ["product:taxCode", "order:deliveryCountryCode", "shipment:countryCode", "orderLine:thirdPartyReference", "orderAttribute:orderItem"]) {
      expect(names.has(present)).toBe(true)
    }
  })
})

describe("strict mode (the default of startSimulator)", () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organisation: "supershop", channel: "MYCHANNEL", seed: 7 })
    sim.control.seed({ products: [{ sku: "DVD-BELOVED", stock: 100 }] })
  })
  afterAll(() => sim.close())

  const product = (ref: string, extra: string) =>
    `<imports>\n  <import type="product" operation="merge" externalReference="${ref}">\n    externalReference=${ref}\n    description=Product ${ref}\n${extra}  </import>\n</imports>`
  const order = (ref: string, extra: string) =>
    `<imports>\n  <import type="order" operation="insert" externalReference="${ref}">\n    placed=2026-11-30 10:00:00\n    currency=GBP\n    deliveryCountryCode=GB\n` +
    `    orderLine.1.product.externalReference=DVD-BELOVED\n    orderLine.1.quantity=1\n    orderLine.1.shipment=entity:shipment\n${extra}  </import>\n</imports>`

  async function productFailure(ref: string, extra: string): Promise<string | undefined> {
    const r = parseXml((await importProducts(sim, product(ref, extra), "supershop")).body).importResult
    return r.importFailures.import ? squash(r.importFailures.import[0].failureMessage) : undefined
  }
  async function orderFailure(ref: string, extra: string): Promise<string | undefined> {
    const r = parseXml((await importOrders(sim, order(ref, extra), "MYCHANNEL")).body).importResult
    return r.importFailures.import ? squash(r.importFailures.import[0].failureMessage) : undefined
  }

  it("is on, with seed 002's tax codes", () => {
    expect(sim.options).toMatchObject({ strict: true, taxCodes: ["T1", "T2"] })
  })

  it("fails an undocumented product field, naming it, and stores nothing", async () => {
    expect(await productFailure("P-DIM", "    length=10\n    dimensionUnits=centimetres\n")).toBe(
      "Unknown property 'length': not a documented product import field (strict mode)"
    )
    expect(sim.state.products.has("P-DIM")).toBe(false)
    expect(await productFailure("P-BAR", "    barcode=5012345678900\n")).toBe("Unknown property 'barcode': not a documented product import field (strict mode)")
  })

  it("fails an undocumented order, order line or embedded product field, naming it with its prefix", async () => {
    expect(await orderFailure("O-UND1", "    orderLine.1.colour=red\n")).toBe(
      "Unknown property 'orderLine.1.colour': not a documented order import field (strict mode)"
    )
    expect(await orderFailure("O-UND2", "    giftMessage=Happy birthday\n")).toBe("Unknown property 'giftMessage': not a documented order import field (strict mode)")
    expect(await orderFailure("O-UND3", "    product.1.externalReference=NEW\n    product.1.description=New\n    product.1.dimensionUnits=cm\n")).toBe(
      "Unknown property 'product.1.dimensionUnits': not a documented order import field (strict mode)"
    )
    expect(sim.state.orders.size).toBe(0)
    expect(sim.state.products.has("NEW")).toBe(false)
  })

  it("fails a date not written yyyy-MM-dd HH:mm:ss, naming the field", async () => {
    expect(await orderFailure("O-DATE1", "    authorised=2026-11-30\n")).toBe("Invalid date '2026-11-30' for property 'authorised' (expected yyyy-MM-dd HH:mm:ss)")
    expect(await orderFailure("O-DATE2", "    authorised=2026-11-30T10:00:00Z\n")).toBe(
      "Invalid date '2026-11-30T10:00:00Z' for property 'authorised' (expected yyyy-MM-dd HH:mm:ss)"
    )
    expect(await orderFailure("O-DATE3", "    shipment.earliestShipDate=2026-02-30\n")).toBe("Invalid date '2026-02-30' for property 'shipment.earliestShipDate' (expected yyyy-MM-dd)")
    expect(sim.state.orders.size).toBe(0)
  })

  it("fails a non-numeric price or quantity, naming the field", async () => {
    expect(await productFailure("P-PRICE", "    priceNet=ten\n")).toBe("Invalid number 'ten' for property 'priceNet'")
    expect(await productFailure("P-QOO", "    quantityOnOrder=2.5\n")).toBe("Invalid number '2.5' for property 'quantityOnOrder' (expected a whole number)")
    expect(await orderFailure("O-PRICE", "    orderLine.1.unitPriceGross=1,50\n")).toBe("Invalid number '1,50' for property 'orderLine.1.unitPriceGross'")
    expect(await orderFailure("O-QTY", "    shipment.itemCount=one\n")).toBe("Invalid number 'one' for property 'shipment.itemCount' (expected a whole number)")
    expect(sim.state.products.has("P-PRICE")).toBe(false)
  })

  it("fails an unknown code (tax, currency, country, type, state, entity reference), naming the field", async () => {
    expect(await productFailure("P-TAX", "    taxCode=VAT\n")).toBe("Unknown code 'VAT' for property 'taxCode' (expected one of the tax codes OrderFlow knows: T1, T2)")
    expect(await productFailure("P-CUR", "    currency=POUNDS\n")).toBe("Unknown code 'POUNDS' for property 'currency' (expected an ISO 4217 currency code)")
    expect(await productFailure("P-TYPE", "    type=bundle\n")).toBe("Unknown code 'bundle' for property 'type' (expected one of default, temporary)")
    expect(await orderFailure("O-CTRY1", "    invoiceCountryCode=gb\n")).toBe(
      "Unknown code 'gb' for property 'invoiceCountryCode' (expected an ISO 3166-1 alpha-2 country code)"
    )
    expect(await orderFailure("O-CTRY2", "    shipment.countryCode=XX\n")).toBe(
      "Unknown code 'XX' for property 'shipment.countryCode' (expected an ISO 3166-1 alpha-2 country code)"
    )
    expect(await orderFailure("O-STATE", "    orderLine.1.state=shipped\n")).toBe(
      "Unknown code 'shipped' for property 'orderLine.1.state' (expected one of created, allocated, picked, out-of-stock, packed)"
    )
    expect(await orderFailure("O-REF", "    shipment.orderItem=order\n")).toBe("Invalid reference 'order' for property 'shipment.orderItem' (expected entity:order)")
    expect(sim.state.orders.size).toBe(0)
  })

  it("accepts a fully documented product and order, the seed's UK and ISO GB alike, empty values included", async () => {
    expect(
      await productFailure(
        "P-OK",
        "    weight=180\n    weightUnits=grams\n    priceNet=20.00\n    priceGross=24.00\n    tax=4.00\n    taxCode=T1\n    currency=GBP\n    userDefined1=\n    type=default\n    activated=true\n"
      )
    ).toBeUndefined()
    expect(sim.state.products.get("P-OK")!.fields.taxCode).toBe("T1")
    expect(
      await orderFailure(
        "O-OK",
        "    authorised=2026-11-30 10:00:05\n    invoiceCountryCode=UK\n    totalPriceGross=12.00\n    shipment.earliestShipDate=\n" +
          "    orderLine.1.totalTaxCode=T2\n    orderLine.1.thirdPartyReference=ordli_1\n    orderAttribute.1.name=a\n    orderAttribute.1.value=b\n    orderAttribute.1.orderItem=entity:order\n"
      )
    ).toBeUndefined()
    expect(sim.state.orders.has("O-OK")).toBe(true)
  })

  it("accepts undocumented fields again when switched off, and lists its table on the control API", async () => {
    const listing = (await (await fetch(`${sim.url}/_sim/import-fields`)).json()) as any
    expect(listing.strict).toBe(true)
    expect(listing.fields).toContainEqual({ scope: "orderLine", name: "quantity", check: { kind: "integer" } })
    expect(listing.codes.taxCode).toEqual(["T1", "T2"])
    sim.control.configure({ strict: false, taxCodes: ["VAT"] })
    try {
      expect(await productFailure("P-LAX", "    barcode=5012345678900\n    authorised=whenever\n")).toBeUndefined()
      expect(sim.state.products.get("P-LAX")!.fields.barcode).toBe("5012345678900")
    } finally {
      sim.control.configure({ strict: true, taxCodes: ["T1", "T2"] })
    }
  })
})
