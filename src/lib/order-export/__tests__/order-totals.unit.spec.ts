import { computeOrderTotals, mapOrder, paymentState, SourceLineItem, SourceOrder, SourceShippingMethod, SourceVariant, withOrderTotals } from ".."

// Expected values are worked by hand from Medusa 2's rules (see the comment
// at the top of order-totals.ts); integration-tests/http/order-export-totals.spec.ts
// compares the same function with the order module on real orders.

const VAT = [{ rate: 20 }]

function item(id: string, overrides: Partial<SourceLineItem> = {}): SourceLineItem {
  return { id, variant_id: `v_${id}`, quantity: 1, unit_price: 10, tax_lines: VAT, ...overrides }
}

function order(items: SourceLineItem[], shipping: SourceShippingMethod[] = [], overrides: Partial<SourceOrder> = {}): SourceOrder {
  return { id: "order_1", display_id: 1, status: "pending", created_at: "2026-01-02T09:00:00Z", currency_code: "gbp", items, shipping_methods: shipping, ...overrides }
}

describe("computeOrderTotals", () => {
  it("adds tax to tax-exclusive prices per line and multiplies by quantities above 1", () => {
    const totals = computeOrderTotals(
      order(
        [item("li_1", { unit_price: 20 }), item("li_2", { unit_price: 45, quantity: 2 }), item("li_3", { unit_price: 9.5, quantity: 3 })],
        [{ amount: 4.95, tax_lines: VAT }]
      )
    )
    expect(totals.items.get("li_1")).toEqual({ total: 24, tax_total: 4 })
    expect(totals.items.get("li_2")).toEqual({ total: 108, tax_total: 18 })
    expect(totals.items.get("li_3")).toEqual({ total: 34.2, tax_total: 5.7 })
    expect(totals).toMatchObject({ total: 172.14, tax_total: 28.69, shipping_total: 5.94, shipping_tax_total: 0.99, discount_total: 0 })
  })

  it("takes the tax out of tax-inclusive prices and shipping instead of adding it", () => {
    const totals = computeOrderTotals(order([item("li_1", { unit_price: 12, quantity: 2, is_tax_inclusive: true })], [{ amount: 6, is_tax_inclusive: true, tax_lines: VAT }]))
    expect(totals.items.get("li_1")).toEqual({ total: 24, tax_total: 4 })
    expect(totals).toMatchObject({ total: 30, tax_total: 5, shipping_total: 6, shipping_tax_total: 1 })
  })

  it("sums several tax lines of one item and keeps the gross of a tax-inclusive price exact", () => {
    // 100 / 1.15 = 86.95652173913043478261 (20 places); tax 13.04347826086956521739…; total 100.0000000000000000000015.
    const totals = computeOrderTotals(order([item("li_1", { unit_price: 100, is_tax_inclusive: true, tax_lines: [{ rate: 5 }, { rate: 10 }] })]))
    expect(totals.items.get("li_1")).toEqual({ total: 100, tax_total: 13.043478260869565 })
    expect(totals.total).toBe(100)
  })

  it("taxes what is left after a line discount, spread per unit over the quantity", () => {
    // 3 × 10 = 30 net, 5 off (not tax-inclusive): 25 net, 5 tax, 30 gross; the discount removed 5 + 1 tax.
    const exclusive = computeOrderTotals(order([item("li_1", { quantity: 3, adjustments: [{ code: "FIVE", amount: 5 }] })]))
    expect(exclusive.items.get("li_1")).toEqual({ total: 30, tax_total: 5 })
    expect(exclusive).toMatchObject({ total: 30, tax_total: 5, discount_total: 6 })
    // The same discount given tax-inclusive (6 with 20% in it) is 5 before tax: the same totals.
    const inclusive = computeOrderTotals(order([item("li_1", { quantity: 3, adjustments: [{ code: "SIX", amount: 6, is_tax_inclusive: true }] })]))
    expect(inclusive).toMatchObject({ total: 30, tax_total: 5, discount_total: 6 })
  })

  it("discounts a tax-inclusive price before taxing it", () => {
    // 12 incl. 20% = 10 net; 2.40 incl. off = 2 net: 8 net, 1.60 tax, 9.60 gross.
    const totals = computeOrderTotals(order([item("li_1", { unit_price: 12, is_tax_inclusive: true, adjustments: [{ amount: 2.4, is_tax_inclusive: true }] })]))
    expect(totals.items.get("li_1")).toEqual({ total: 9.6, tax_total: 1.6 })
    expect(totals.discount_total).toBe(2.4)
  })

  it("removes shipping tax with a shipping discount and counts the discount with its tax", () => {
    const totals = computeOrderTotals(order([item("li_1")], [{ amount: 4.95, tax_lines: VAT, adjustments: [{ code: "FREESHIP", amount: 4.95 }] }]))
    expect(totals).toMatchObject({ shipping_total: 0, shipping_tax_total: 0, total: 12, tax_total: 2, discount_total: 5.94 })
  })

  it("charges no tax on an item or shipping without tax lines or at a zero rate", () => {
    const totals = computeOrderTotals(
      order([item("li_1", { unit_price: 15, quantity: 2, tax_lines: [], adjustments: [{ amount: 3 }] }), item("li_2", { tax_lines: [{ rate: 0 }] })], [{ amount: 3.5 }])
    )
    expect(totals.items.get("li_1")).toEqual({ total: 27, tax_total: 0 })
    expect(totals.items.get("li_2")).toEqual({ total: 10, tax_total: 0 })
    expect(totals).toMatchObject({ total: 40.5, tax_total: 0, shipping_total: 3.5, shipping_tax_total: 0 })
  })

  it("does not charge returned units of an item", () => {
    const totals = computeOrderTotals(order([item("li_1", { quantity: 3, detail: { return_received_quantity: 1, return_dismissed_quantity: 0 } })]))
    expect(totals.items.get("li_1")).toEqual({ total: 24, tax_total: 4 })
  })

  it("takes credit lines off the order total unless they sum to less than the currency's smallest unit", () => {
    const items = [item("li_1")]
    expect(computeOrderTotals(order(items, [], { credit_lines: [{ amount: 2 }] })).total).toBe(10)
    expect(computeOrderTotals(order(items, [], { credit_lines: [{ amount: 0.005 }] }), { currencyDigits: 2 }).total).toBe(12)
    expect(computeOrderTotals(order(items, [], { currency_code: "jpy", credit_lines: [{ amount: 0.5 }] }), { currencyDigits: 0 }).total).toBe(12)
    expect(computeOrderTotals(order(items, [], { currency_code: "kwd", credit_lines: [{ amount: 0.5 }] }), { currencyDigits: 3 }).total).toBe(11.5)
  })

  it("computes from the stored raw values when they are loaded, not from their rounded numbers", () => {
    const totals = computeOrderTotals(
      order([item("li_1", { unit_price: 10, raw_unit_price: { value: "10.005" }, tax_lines: [{ rate: 20, raw_rate: { value: "17.5" } }] })])
    )
    // 10.005 × 1.175 = 11.755875
    expect(totals.items.get("li_1")).toEqual({ total: 11.755875, tax_total: 1.750875 })
  })

  it("refuses an amount it cannot read instead of counting it as 0", () => {
    expect(() => computeOrderTotals(order([item("li_1", { unit_price: "ten" })]))).toThrow('not a decimal: "ten"')
  })
})

describe("withOrderTotals", () => {
  const TEE: SourceVariant = { id: "v_li_1", sku: "TEE-M", manage_inventory: true, inventory_items: [{ required_quantity: 1, inventory: { sku: "TEE-M" } }] }
  const address = { address_1: "Granvilla", city: "Woodbridge", postal_code: "IP12 1AX", country_code: "gb" }

  it("rounds a half cent of tax the way the document writes Medusa's figure (9.99 incl. 20%: 1.665 → 1.67, net 8.32)", () => {
    const source = withOrderTotals(order([item("li_1", { unit_price: 9.99, is_tax_inclusive: true })], [], { shipping_address: address }))
    const { order: mapped, problems } = mapOrder(source, { reference: "1", channel: "medusa", variants: new Map([[TEE.id, TEE]]), shippingOptions: new Map(), orderAttributes: [] })
    expect(problems).toEqual([])
    expect(mapped.lines).toEqual([expect.objectContaining({ lineItemId: "li_1", totalGross: 9.99, totalTax: 1.67, totalNet: 8.32 })])
    expect(mapped.totals).toEqual({ gross: 9.99, tax: 1.67, net: 8.32 })
  })

  it("fills the order's and items' totals without changing the order it was given", () => {
    const input = order([item("li_1", { quantity: 2 })], [{ amount: 5, tax_lines: VAT }])
    const before = JSON.stringify(input)
    const filled = withOrderTotals(input)
    expect(JSON.stringify(input)).toBe(before)
    expect(filled).toMatchObject({ total: 30, tax_total: 5, shipping_total: 6, shipping_tax_total: 1, discount_total: 0, items: [{ id: "li_1", total: 24, tax_total: 4 }] })
  })

  it("gives the eligibility check the total to compare with the captured amount", () => {
    const paid = (captured: number) => [{ status: "completed", captured_amount: captured, payments: [{ id: "pay_1", captured_at: "2026-01-02T10:00:00Z" }] }]
    const items = [item("li_1", { unit_price: 9.5, quantity: 3 })]
    const shipping = [{ amount: 4.95, tax_lines: VAT }]
    expect(paymentState(withOrderTotals(order(items, shipping, { payment_collections: paid(40.14) })))).toMatchObject({ due: 40.14, paid: true })
    expect(paymentState(withOrderTotals(order(items, shipping, { payment_collections: paid(40.13) })))).toMatchObject({ due: 40.14, paid: false })
  })

  it("zeroes amounts within the epsilon it is given (the store's MEDUSA_EPSILON), 0.0001 by default", () => {
    const tiny = order([item("li_1", { unit_price: 0.005, tax_lines: [] })])
    expect(computeOrderTotals(tiny).total).toBe(0.005)
    expect(computeOrderTotals(tiny, { epsilon: 0.01 })).toMatchObject({ total: 0, items: new Map([["li_1", { total: 0, tax_total: 0 }]]) })
  })
})
