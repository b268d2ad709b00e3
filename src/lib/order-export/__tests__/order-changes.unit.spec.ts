import { parseImportsDocument } from "orderflow-simulator/xml"
import { parseProperties } from "orderflow-simulator/properties"
import {
  assessOrderChange,
  buildOrderImportsDocument,
  changeReference,
  mapOrder,
  mapOrderChange,
  MapOrderContext,
  originalReferenceOf,
  outboundItems,
  SourceOrder,
  SourceOrderChange,
  SourceVariant,
  withoutChangeItems,
} from ".."

// An order of 2 × TEE-M (48.00 incl. 8.00 VAT) that was exchanged: one TEE-M
// comes back, one TEE-L (24.00 incl. 4.00 VAT) goes out, added by Medusa as a
// line item of the same order; the order total now includes it.
function order(overrides: Partial<SourceOrder> = {}): SourceOrder {
  return {
    id: "order_01",
    display_id: 1001,
    status: "pending",
    created_at: "2026-11-23T11:08:36.913Z",
    email: "shopper@example.com",
    currency_code: "gbp",
    metadata: null,
    total: 81.54,
    tax_total: 13.59,
    shipping_total: 5.94,
    shipping_tax_total: 0.99,
    discount_total: 0,
    items: [
      { id: "ordli_tee_m", title: "Classic Tee", product_title: "Classic Tee", variant_title: "M", variant_id: "variant_tee_m", variant_sku: "TEE-M", quantity: 2, total: 48, tax_total: 8 },
      { id: "ordli_tee_l", title: "Classic Tee", product_title: "Classic Tee", variant_title: "L", variant_id: "variant_tee_l", variant_sku: "TEE-L", quantity: 1, total: 24, tax_total: 4 },
    ],
    shipping_address: { first_name: "Phil", last_name: "Zoio", address_1: "Granvilla", city: "Woodbridge", postal_code: "IP12 1AX", country_code: "gb" },
    shipping_methods: [{ name: "Standard Delivery", shipping_option_id: "so_std", adjustments: [] }],
    payment_collections: [{ status: "completed", amount: 57.54, captured_amount: 57.54, completed_at: "2026-11-23T11:08:37.242Z", payments: [{ id: "pay_01", captured_at: "2026-11-23T11:08:37.224Z" }] }],
    ...overrides,
  }
}

const tee = (sku: string): SourceVariant => ({ id: `variant_${sku.toLowerCase().replace("-", "_")}`, sku, manage_inventory: true, inventory_items: [{ required_quantity: 1, inventory: { sku } }] })
const VARIANTS = new Map<string, SourceVariant>([
  ["variant_tee_m", tee("TEE-M")],
  ["variant_tee_l", tee("TEE-L")],
  ["variant_wrap", { id: "variant_wrap", sku: "GIFT-WRAP", manage_inventory: false, inventory_items: [] }],
])

const exchange: SourceOrderChange = {
  id: "oexc_01",
  kind: "exchange",
  order_id: "order_01",
  created_at: "2026-11-30T09:00:00.000Z",
  items: [{ item_id: "ordli_tee_l", quantity: 1 }],
}

const context = (overrides: Partial<MapOrderContext> = {}): MapOrderContext => ({
  reference: "1001",
  channel: "medusa",
  variants: VARIANTS,
  shippingOptions: new Map([["so_std", { id: "so_std", name: "Standard", type: { code: "standard", label: "Standard" } }]]),
  orderAttributes: [],
  ...overrides,
})

const read = (xml: string) =>
  parseImportsDocument(xml).map((item) => ({ externalReference: item.attributes.externalReference, values: parseProperties(item.text).values }))

describe("claims and exchanges as orders of their own", () => {
  it("names them <order ref>-C<n> and -X<n>, and refuses a number below 1", () => {
    expect(changeReference("WEB1001", "claim", 1)).toBe("WEB1001-C1")
    expect(changeReference("1001", "exchange", 2)).toBe("1001-X2")
    expect(() => changeReference("1001", "exchange", 0)).toThrow(RangeError)
    expect(originalReferenceOf("WEB-X1-X2")).toBe("WEB-X1")
    expect(originalReferenceOf("1001")).toBe("1001")
  })

  it("takes a claim's replacement items only (is_additional_item), an exchange's new items all", () => {
    const claimItems = [
      { item_id: "ordli_tee_m", quantity: 1, is_additional_item: false },
      { item_id: "ordli_new", quantity: 2, is_additional_item: true },
    ]
    expect(outboundItems("claim", claimItems)).toEqual([{ item_id: "ordli_new", quantity: 2 }])
    expect(outboundItems("exchange", [{ item_id: "ordli_tee_l", quantity: "1" }, null])).toEqual([{ item_id: "ordli_tee_l", quantity: 1 }])
    expect(outboundItems("claim", null)).toEqual([])
  })

  it("sends the exchange's new item alone, with the original's address, the item's totals, no shipping, and the originalOrder attribute", () => {
    const { order: mapped, problems } = mapOrderChange(order(), exchange, { ...context({ reference: "1001-X1" }), originalReference: "1001" })
    expect(problems).toEqual([])
    const [doc] = read(buildOrderImportsDocument([{ order: mapped, operation: "insert" }]))
    expect(doc.externalReference).toBe("1001-X1")
    const v = doc.values
    expect(v.get("orderLine.1.product.externalReference")).toBe("TEE-L")
    expect(v.get("orderLine.1.quantity")).toBe("1")
    expect(v.has("orderLine.2.product.externalReference")).toBe(false)
    expect([v.get("totalPriceGross"), v.get("totalTax"), v.get("totalPriceNet")]).toEqual(["24.00", "4.00", "20.00"])
    expect([v.get("shippingPriceGross"), v.get("shippingTax")]).toEqual(["0.00", "0.00"])
    expect(v.get("deliveryPostCode")).toBe("IP12 1AX")
    expect(v.get("shipment.externalReference")).toBe("1001-X1-1")
    expect(v.get("placed")).toBe("2026-11-30 09:00:00")
    expect([v.get("orderAttribute.1.name"), v.get("orderAttribute.1.value")]).toEqual(["originalOrder", "1001"])
    expect([v.get("orderAttribute.2.name"), v.get("orderAttribute.2.value")]).toEqual(["orderChange", "exchange"])
  })

  it("sends a replacement Medusa priced at 0 at 0, at the claim's quantity", () => {
    const source = order({
      items: [
        ...order().items!,
        { id: "ordli_repl", title: "Classic Tee", variant_id: "variant_tee_m", variant_sku: "TEE-M", quantity: 1, total: 0, tax_total: 0 },
      ],
    })
    const claim: SourceOrderChange = { ...exchange, id: "claim_01", kind: "claim", items: [{ item_id: "ordli_repl", quantity: 1 }] }
    const { order: mapped } = mapOrderChange(source, claim, { ...context({ reference: "1001-C1" }), originalReference: "1001" })
    expect(mapped.lines.map((l) => [l.lineItemId, l.sku, l.quantity, l.totalGross])).toEqual([["ordli_repl", "TEE-M", 1, 0]])
    expect(mapped.totals).toEqual({ gross: 0, tax: 0, net: 0 })
    expect(mapped.attributes[1]).toEqual({ name: "orderChange", title: "Claim", value: "claim" })
  })

  it("keeps the exchange's items out of the original order's own document, lines and totals", () => {
    const { order: mapped } = mapOrder(withoutChangeItems(order(), new Set(["ordli_tee_l"])), context())
    expect(mapped.lines.map((l) => [l.sku, l.quantity])).toEqual([["TEE-M", 2]])
    expect(mapped.totals).toEqual({ gross: 57.54, tax: 9.59, net: 47.95 })
    // Without any change items the order is untouched.
    expect(withoutChangeItems(order(), new Set())).toEqual(order())
  })

  it("reports change items the order no longer has instead of sending an empty order", () => {
    const { problems } = mapOrderChange(order(), { ...exchange, items: [{ item_id: "ordli_gone", quantity: 1 }] }, { ...context(), originalReference: "1001" })
    expect(problems.join("; ")).toMatch(/exchange items ordli_gone are not on order #1001/)
  })

  describe("whether it goes to OrderFlow", () => {
    const sent = { reference: "1001", status: "exported", skip_reason: null, cancel_status: null, exported_at: new Date() }
    it("queues it when its order is exported or on its way (pending, queued, failed)", () => {
      expect(assessOrderChange(exchange, order(), VARIANTS, sent)).toEqual({ action: "queue" })
      expect(assessOrderChange(exchange, order(), VARIANTS, { ...sent, status: "pending", exported_at: null })).toEqual({ action: "queue" })
    })
    it("records it as skipped, with the reason, when its order never reached OrderFlow", () => {
      expect(assessOrderChange(exchange, order(), VARIANTS, null)).toEqual({ action: "skip", reason: "order #1001 was never sent to OrderFlow" })
      expect(assessOrderChange(exchange, order(), VARIANTS, { ...sent, status: "skipped", skip_reason: "no items shipped from stock", exported_at: null })).toEqual({
        action: "skip",
        reason: "order #1001 was not sent to OrderFlow (no items shipped from stock)",
      })
      expect(assessOrderChange(exchange, order(), VARIANTS, { ...sent, status: "cancelled", cancel_status: "withdrawn", exported_at: null })).toMatchObject({ action: "skip" })
      expect(assessOrderChange(exchange, order({ status: "canceled" }), VARIANTS, sent)).toEqual({ action: "skip", reason: "order #1001 is cancelled" })
    })
    it("skips one whose new items are not shipped from stock, and ignores one with nothing to ship or cancelled", () => {
      const wrap = order({ items: [{ id: "ordli_wrap", variant_id: "variant_wrap", variant_sku: "GIFT-WRAP", quantity: 1, total: 3, tax_total: 0.5 }] })
      expect(assessOrderChange({ ...exchange, items: [{ item_id: "ordli_wrap", quantity: 1 }] }, wrap, VARIANTS, sent)).toMatchObject({ action: "skip" })
      expect(assessOrderChange({ ...exchange, items: [] }, order(), VARIANTS, sent)).toMatchObject({ action: "ignore" })
      expect(assessOrderChange({ ...exchange, canceled_at: "2026-11-30T10:00:00Z" }, order(), VARIANTS, sent)).toMatchObject({ action: "ignore" })
    })
  })
})
