import { parseImportsDocument } from "orderflow-simulator/xml"
import { parseProperties } from "orderflow-simulator/properties"
import { DEFAULT_TAX_CODES, strictImportProblem } from "orderflow-simulator/import-fields"
import { buildOrderImportsDocument, mapOrder, MapOrderContext, orderImportItem, SourceOrder, SourceVariant } from ".."
import { readFixture } from "../../__tests__/fixture"
import { buildImportsDocument } from "../../xml/imports-document"

// The order as Medusa's Query returns it after a cart with 2 × TEE-M and a
// gift wrap (not a stock item) was completed and its payment captured; the
// values are those of a real run against the demo store (20% VAT).
function order(overrides: Partial<SourceOrder> = {}): SourceOrder {
  return {
    id: "order_01",
    display_id: 1001,
    status: "pending",
    created_at: "2026-11-23T11:08:36.913Z",
    canceled_at: null,
    email: "shopper@example.com",
    currency_code: "gbp",
    metadata: null,
    total: 57.54,
    tax_total: 9.59,
    shipping_total: 5.94,
    shipping_tax_total: 0.99,
    discount_total: 0,
    items: [
      {
        id: "ordli_tee",
        title: "Classic Tee",
        product_title: "Classic Tee",
        variant_title: "M",
        variant_id: "variant_tee_m",
        variant_sku: "TEE-M",
        quantity: 2,
        requires_shipping: true,
        total: 48,
        tax_total: 8,
        adjustments: [],
      },
      {
        id: "ordli_wrap",
        title: "Gift Wrapping",
        product_title: "Gift Wrapping",
        variant_title: "Default",
        variant_id: "variant_wrap",
        variant_sku: "GIFT-WRAP",
        quantity: 1,
        requires_shipping: true,
        total: 3.6,
        tax_total: 0.6,
        adjustments: [],
      },
    ],
    shipping_address: {
      first_name: "Phil",
      last_name: "Zoio",
      company: "OrderFlow",
      address_1: "Granvilla",
      address_2: "Melton Hill",
      city: "Woodbridge",
      province: "Suffolk",
      postal_code: "IP12 1AX",
      country_code: "gb",
      phone: "01394 384181",
    },
    billing_address: {
      first_name: "Charlie",
      last_name: "Armor",
      company: "OrderFlow",
      address_1: "2 Manor Cottages",
      address_2: "",
      city: "Chippenham",
      province: null,
      postal_code: "SN15 5ND",
      country_code: "gb",
      phone: "01249 750564",
    },
    shipping_methods: [{ name: "Express Delivery", shipping_option_id: "so_express", adjustments: [] }],
    payment_collections: [
      {
        id: "pay_col_1",
        status: "completed",
        amount: 57.54,
        captured_amount: 57.54,
        completed_at: "2026-11-23T11:08:37.242Z",
        payments: [{ id: "pay_01", provider_id: "pp_system_default", captured_at: "2026-11-23T11:08:37.224Z" }],
      },
    ],
    ...overrides,
  }
}

const VARIANTS = new Map<string, SourceVariant>([
  ["variant_tee_m", { id: "variant_tee_m", sku: "TEE-M", manage_inventory: true, inventory_items: [{ required_quantity: 1, inventory: { sku: "TEE-M", title: "M" } }] }],
  ["variant_wrap", { id: "variant_wrap", sku: "GIFT-WRAP", manage_inventory: false, inventory_items: [] }],
  [
    "variant_kit",
    {
      id: "variant_kit",
      sku: "KIT-TEE-MUG",
      manage_inventory: true,
      inventory_items: [
        { required_quantity: 2, inventory: { sku: "TEE-S", title: "Classic Tee S" } },
        { required_quantity: 1, inventory: { sku: "00123-MUG", title: "Enamel Mug" } },
      ],
    },
  ],
])

function context(overrides: Partial<MapOrderContext> = {}): MapOrderContext {
  return {
    reference: "WEB1001",
    channel: "medusa",
    variants: VARIANTS,
    shippingOptions: new Map([["so_express", { id: "so_express", name: "Express Delivery", type: { code: "express", label: "Express" } }]]),
    orderAttributes: [],
    ...overrides,
  }
}

function documentFor(source: SourceOrder, ctx: Partial<MapOrderContext> = {}, timeZone?: string, operation: "insert" | "merge" = "insert") {
  const { order: mapped, problems } = mapOrder(source, context(ctx))
  return { problems, xml: buildImportsDocument([orderImportItem(mapped, { operation, timeZone })]) }
}

/** What OrderFlow (the simulator's reader) sees in the document: reference → key → value. */
function read(xml: string): Array<{ type?: string; operation?: string; externalReference?: string; values: Map<string, string>; invalid: string[] }> {
  return parseImportsDocument(xml).map((item) => {
    const { values, invalidLines } = parseProperties(item.text)
    return { ...item.attributes, values, invalid: invalidLines }
  })
}

describe("order import document", () => {
  it("writes the full order exactly, with field names of seed 002's example", () => {
    const { xml, problems } = documentFor(order())
    expect(problems).toEqual([])
    expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<imports>
  <import type="order" operation="insert" externalReference="WEB1001">
    state=created
    validated=true
    paymentTransactionInfo=pay_01
    customerComment=
    totalPriceNet=47.95
    totalPriceGross=57.54
    totalTax=9.59
    shippingPriceNet=4.95
    shippingPriceGross=5.94
    shippingTax=0.99
    currency=GBP
    placed=2026-11-23 11:08:36
    authorised=2026-11-23 11:08:37
    channel=medusa
    deliveryAddressLine1=Granvilla
    deliveryAddressLine2=Melton Hill
    deliveryAddressLine3=Woodbridge
    deliveryAddressLine4=Suffolk
    deliveryAddressLine5=
    deliveryAddressLine6=
    deliveryCountryCode=GB
    deliveryPostCode=IP12 1AX
    deliveryContactName=Phil Zoio
    deliveryEmailAddress=shopper@example.com
    deliveryDayPhoneNumber=01394 384181
    deliveryCompanyName=OrderFlow
    invoiceAddressLine1=2 Manor Cottages
    invoiceAddressLine2=Chippenham
    invoiceAddressLine3=
    invoiceAddressLine4=
    invoiceAddressLine5=
    invoiceAddressLine6=
    invoiceCountryCode=GB
    invoicePostCode=SN15 5ND
    invoiceContactName=Charlie Armor
    invoiceEmailAddress=shopper@example.com
    invoiceDayPhoneNumber=01249 750564
    invoiceCompanyName=OrderFlow
    shipment.externalReference=WEB1001-1
    shipment.deliveryInstruction=
    shipment.deliverySuggestionCode=express
    shipment.deliverySuggestionName=Express Delivery
    shipment.orderItem=entity:order
    orderLine.1.product.externalReference=TEE-M
    orderLine.1.quantity=2
    orderLine.1.state=created
    orderLine.1.totalPriceNet=40.00
    orderLine.1.totalPriceGross=48.00
    orderLine.1.totalTax=8.00
    orderLine.1.unitPriceNet=20.00
    orderLine.1.unitPriceGross=24.00
    orderLine.1.unitTax=4.00
    orderLine.1.thirdPartyReference=ordli_tee
    orderLine.1.shipment=entity:shipment
  </import>
</imports>
`)
  })

  it("sends the comment, instruction, promotion codes and configured metadata, in a time zone", () => {
    const source = order({
      metadata: { customer_comment: "Ring twice\nthen wait", delivery_instruction: "Leave with neighbour", gift_message: "Happy birthday!", unused: "x" },
      discount_total: 4.8,
      items: [{ ...order().items![0], total: 43.2, tax_total: 7.2, adjustments: [{ code: "SUMMER10", amount: 4 }] }],
      shipping_methods: [{ name: "Express Delivery", shipping_option_id: "so_express", adjustments: [{ code: "SUMMER10" }, { code: "FREESHIP" }] }],
    })
    const { xml } = documentFor(source, { orderAttributes: ["gift_message", "missing_key"] }, "Europe/London")
    const [item] = read(xml)
    expect(item.invalid).toEqual([])
    const v = item.values
    expect(v.get("customerComment")).toBe("Ring twice\nthen wait")
    expect(xml).toContain("    customerComment=Ring twice[BR]then wait\n")
    expect(v.get("shipment.deliveryInstruction")).toBe("Leave with neighbour")
    // 23 November: London is on GMT, so the same wall time as UTC...
    expect(v.get("placed")).toBe("2026-11-23 11:08:36")
    expect(xml).toContain(`    orderAttribute.1.name=promotionCodes
    orderAttribute.1.title=Promotion codes
    orderAttribute.1.value=SUMMER10, FREESHIP
    orderAttribute.1.orderItem=entity:order
    orderAttribute.2.name=discountTotal
    orderAttribute.2.title=Discount total
    orderAttribute.2.value=4.80
    orderAttribute.2.orderItem=entity:order
    orderAttribute.3.name=gift_message
    orderAttribute.3.title=gift_message
    orderAttribute.3.value=Happy birthday!
    orderAttribute.3.orderItem=entity:order
  </import>`)
    expect(v.has("orderAttribute.4.name")).toBe(false)
    expect(v.get("orderLine.1.totalPriceGross")).toBe("43.20")
    expect(v.get("orderLine.1.unitPriceGross")).toBe("21.60")
  })

  it("formats dates in the configured time zone (summer time) and UTC by default", () => {
    const summer = order({ created_at: "2026-07-01T23:30:00.000Z" })
    expect(read(documentFor(summer, {}, "Europe/London").xml)[0].values.get("placed")).toBe("2026-07-02 00:30:00")
    expect(read(documentFor(summer, {}, "America/New_York").xml)[0].values.get("placed")).toBe("2026-07-01 19:30:00")
    expect(read(documentFor(summer).xml)[0].values.get("placed")).toBe("2026-07-01 23:30:00")
  })

  it("keeps hostile text inside its value: no new key, no broken XML, no injected import", () => {
    const hostile = `x</import><import type="order" operation="insert" externalReference="EVIL">\norderLine.9.quantity=999\r\n]]>&amp;<!DOCTYPE x [<!ENTITY a "b">]>\u0000\u0007`
    const source = order({
      email: `"evil"@example.com`,
      metadata: { customer_comment: hostile, delivery_instruction: "a=b\nshipment.state=despatched" },
      shipping_address: { ...order().shipping_address!, first_name: hostile, address_1: "Flat 1\nstate=cancelled", company: "A & B <Ltd>" },
    })
    const { xml } = documentFor(source)
    const items = read(xml)
    expect(items).toHaveLength(1)
    const [item] = items
    expect(item.externalReference).toBe("WEB1001")
    expect(item.invalid).toEqual([])
    const v = item.values
    expect(v.has("orderLine.9.quantity")).toBe(false)
    expect(v.get("state")).toBe("created")
    expect(v.has("shipment.state")).toBe(false)
    expect(v.get("customerComment")).toBe(
      `x</import><import type="order" operation="insert" externalReference="EVIL">\norderLine.9.quantity=999\n]]>&amp;<!DOCTYPE x [<!ENTITY a "b">]>`
    )
    expect(v.get("shipment.deliveryInstruction")).toBe("a=b\nshipment.state=despatched")
    // One-line fields fold line breaks to spaces.
    expect(v.get("deliveryAddressLine1")).toBe("Flat 1 state=cancelled")
    expect(v.get("deliveryCompanyName")).toBe("A & B <Ltd>")
    expect(v.get("deliveryContactName")).toBe(
      `x</import><import type="order" operation="insert" externalReference="EVIL"> orderLine.9.quantity=999 ]]>&amp;<!DOCTYPE x [<!ENTITY a "b">]> Zoio`
    )
    expect(xml).not.toContain("<!DOCTYPE")
    expect(xml).not.toContain("\u0000")
  })

  it("cuts very long text and keeps non-ASCII names intact", () => {
    const long = "Ø".repeat(5000)
    const source = order({
      metadata: { customer_comment: `${"é".repeat(3000)}` },
      shipping_address: { ...order().shipping_address!, first_name: "Zoë", last_name: "Łukasiewicz-Ünal 山田 🚚", address_1: long, city: "Göteborg" },
    })
    const v = read(documentFor(source).xml)[0].values
    expect(v.get("deliveryContactName")).toBe("Zoë Łukasiewicz-Ünal 山田 🚚")
    expect(v.get("deliveryAddressLine1")).toBe("Ø".repeat(255))
    expect(v.get("deliveryAddressLine3")).toBe("Göteborg")
    expect(v.get("customerComment")).toBe("é".repeat(2000))
    // An emoji cut in half would be an unpaired surrogate.
    const emoji = read(documentFor(order({ shipping_address: { ...order().shipping_address!, company: "a" + "🚚".repeat(200) } })).xml)[0].values
    expect(emoji.get("deliveryCompanyName")).toBe("a" + "🚚".repeat(127))
  })

  it("reports a missing delivery address, falls back to it for the invoice, and still writes a valid document", () => {
    const noDelivery = documentFor(order({ shipping_address: null }))
    expect(noDelivery.problems).toEqual(["the order has no delivery address"])
    const v1 = read(noDelivery.xml)[0].values
    expect([1, 2, 3, 4, 5, 6].map((n) => v1.get(`deliveryAddressLine${n}`))).toEqual(["", "", "", "", "", ""])
    expect(v1.get("deliveryCountryCode")).toBe("")

    const noBilling = documentFor(order({ billing_address: null }))
    expect(noBilling.problems).toEqual([])
    const v2 = read(noBilling.xml)[0].values
    expect(v2.get("invoiceAddressLine1")).toBe("Granvilla")
    expect(v2.get("invoiceContactName")).toBe("Phil Zoio")

    // Gaps are packed: address_2 and province empty.
    const gaps = documentFor(order({ shipping_address: { ...order().shipping_address!, address_2: "  ", province: "" } }))
    const v3 = read(gaps.xml)[0].values
    expect([1, 2, 3, 4].map((n) => v3.get(`deliveryAddressLine${n}`))).toEqual(["Granvilla", "Woodbridge", "", ""])
  })

  it("sends zero values as 0.00 and an order without payment data with an empty authorised date", () => {
    const source = order({
      total: 0,
      tax_total: 0,
      shipping_total: 0,
      shipping_tax_total: 0,
      payment_collections: [],
      items: [{ ...order().items![0], total: 0, tax_total: 0 }],
    })
    const { xml, problems } = documentFor(source)
    expect(problems).toEqual([])
    const v = read(xml)[0].values
    for (const key of ["totalPriceNet", "totalPriceGross", "totalTax", "shippingPriceNet", "shippingPriceGross", "shippingTax", "orderLine.1.unitPriceGross", "orderLine.1.totalTax"]) {
      expect([key, v.get(key)]).toEqual([key, "0.00"])
    }
    expect(v.get("authorised")).toBe("")
    expect(v.get("paymentTransactionInfo")).toBe("")
  })

  it("expands a kit into one line per component with the component quantity; the kit price rides on the first", () => {
    const source = order({
      items: [
        {
          id: "ordli_kit",
          title: "Tee and mug",
          product_title: "Tee and mug",
          variant_title: "Kit",
          variant_id: "variant_kit",
          variant_sku: "KIT-TEE-MUG",
          quantity: 3,
          requires_shipping: true,
          total: 90,
          tax_total: 15,
        },
      ],
    })
    const { xml, problems } = documentFor(source)
    expect(problems).toEqual([])
    expect(xml).toContain(`    orderLine.1.product.externalReference=TEE-S
    orderLine.1.quantity=6
    orderLine.1.state=created
    orderLine.1.totalPriceNet=75.00
    orderLine.1.totalPriceGross=90.00
    orderLine.1.totalTax=15.00
    orderLine.1.unitPriceNet=12.50
    orderLine.1.unitPriceGross=15.00
    orderLine.1.unitTax=2.50
    orderLine.1.thirdPartyReference=ordli_kit
    orderLine.1.shipment=entity:shipment
    orderLine.2.product.externalReference=00123-MUG
    orderLine.2.quantity=3
    orderLine.2.state=created
    orderLine.2.totalPriceNet=0.00
    orderLine.2.totalPriceGross=0.00
    orderLine.2.totalTax=0.00
    orderLine.2.unitPriceNet=0.00
    orderLine.2.unitPriceGross=0.00
    orderLine.2.unitTax=0.00
    orderLine.2.thirdPartyReference=ordli_kit
    orderLine.2.shipment=entity:shipment
`)
  })

  it("writes 150 lines, numbered without gaps", () => {
    const items = Array.from({ length: 150 }, (_, i) => ({ ...order().items![0], id: `ordli_${i}`, quantity: i + 1, total: (i + 1) * 24, tax_total: (i + 1) * 4 }))
    const { xml } = documentFor(order({ items }))
    const v = read(xml)[0].values
    expect(v.get("orderLine.150.quantity")).toBe("150")
    expect(v.get("orderLine.150.totalPriceGross")).toBe("3600.00")
    expect(v.get("orderLine.150.thirdPartyReference")).toBe("ordli_149")
    expect(v.has("orderLine.151.quantity")).toBe(false)
  })

  it("embeds product definitions with merge, and the lines refer to them as entities (seed 002, Merging orders)", () => {
    const source = order({
      items: [
        order().items![0],
        { ...order().items![0], id: "ordli_mug", title: "Enamel Mug", product_title: "Enamel Mug", variant_title: "Default", variant_id: "variant_mug", variant_sku: "00123-MUG", quantity: 1, total: 11.4, tax_total: 1.9 },
      ],
    })
    const variants = new Map(VARIANTS)
    variants.set("variant_mug", { id: "variant_mug", sku: "00123-MUG", manage_inventory: true, inventory_items: [{ required_quantity: 1, inventory: { sku: "00123-MUG", title: "Default" } }] })
    const { xml } = documentFor(source, { variants, embedSkus: new Set(["00123-MUG"]) }, undefined, "merge")
    expect(xml).toContain(`<import type="order" operation="merge" externalReference="WEB1001">`)
    expect(xml).toContain(`    invoiceCompanyName=OrderFlow
    product.1.externalReference=00123-MUG
    product.1.description=Enamel Mug
    product.1.type=default
    product.1.activated=true
    shipment.externalReference=WEB1001-1
`)
    expect(xml).toContain("    orderLine.1.product.externalReference=TEE-M\n")
    expect(xml).toContain("    orderLine.2.product=entity:product.1\n")
  })

  it("writes several orders in one document, each with its own operation", () => {
    const a = mapOrder(order(), context()).order
    const b = mapOrder(order({ id: "order_02" }), context({ reference: "WEB1002", embedSkus: new Set(["TEE-M"]) })).order
    const xml = buildOrderImportsDocument([
      { order: a, operation: "insert" },
      { order: b, operation: "merge" },
    ])
    expect(read(xml).map((i) => [i.externalReference, i.operation])).toEqual([
      ["WEB1001", "insert"],
      ["WEB1002", "merge"],
    ])
  })
})

describe("field names", () => {
  // Keys of seed 002's Order Import example, with indices generalised.
  const general = (key: string) => key.replace(/\.\d+\./g, ".N.")
  const seedKeys = new Set(
    readFixture("seed-002-order-import-request.xml")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /^[A-Za-z][\w.]*=/.test(l))
      .map((l) => general(l.slice(0, l.indexOf("="))))
  )
  // seed 002 "Referring to Products": product.N.* definitions and orderLine.N.product=entity:product.N.
  for (const k of ["product.N.externalReference", "product.N.description", "product.N.type", "product.N.activated", "orderLine.N.product"]) seedKeys.add(k)

  it("writes only fields named in seed 002, plus orderLine.N.thirdPartyReference", () => {
    const { order: mapped } = mapOrder(
      order({ metadata: { gift: "x" }, items: [{ ...order().items![0], adjustments: [{ code: "X" }] }] }),
      context({ orderAttributes: ["gift"], embedSkus: new Set(["TEE-M"]) })
    )
    const written = orderImportItem(mapped, { operation: "merge" }).fields.map(([k]) => general(k))
    // thirdPartyReference: the order line's reference in the seed's line
    // cancellation and shipment queries; not in the import example.
    expect([...new Set(written.filter((k) => !seedKeys.has(k)))]).toEqual(["orderLine.N.thirdPartyReference"])
  })

  it("passes the strict simulator's check (documented fields, yyyy-MM-dd HH:mm:ss dates, numbers, ISO codes) with attributes, discounts and embedded products", () => {
    const { order: mapped } = mapOrder(
      order({ metadata: { gift: "x", customer_comment: "Ring\ntwice" }, items: [{ ...order().items![0], adjustments: [{ code: "SUMMER10" }] }], discount_total: 4.8 }),
      context({ orderAttributes: ["gift"], embedSkus: new Set(["TEE-M"]) })
    )
    const [item] = read(buildOrderImportsDocument([{ order: mapped, operation: "merge" }], "Europe/London"))
    expect(item.values.get("orderAttribute.1.name")).toBe("promotionCodes")
    expect(strictImportProblem("order", item.values, { taxCodes: DEFAULT_TAX_CODES })).toBeUndefined()
  })
})
