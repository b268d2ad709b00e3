import { assessOrder, formatMoney, formatOrderflowDateTime, isUnknownProductFailure, orderReference, paymentState, planOrderLines, SourceOrder, SourceVariant, unknownProductReferences } from ".."

const TEE: SourceVariant = { id: "v_tee", sku: "TEE-M", manage_inventory: true, inventory_items: [{ required_quantity: 1, inventory: { sku: "TEE-M" } }] }
const WRAP: SourceVariant = { id: "v_wrap", sku: "GIFT-WRAP", manage_inventory: false, inventory_items: [] }
const EBOOK: SourceVariant = { id: "v_ebook", sku: "EBOOK", manage_inventory: true, inventory_items: [{ required_quantity: 1, inventory: { sku: "EBOOK" } }] }
const VARIANTS = new Map([TEE, WRAP, EBOOK].map((v) => [v.id, v]))

const paid = { status: "completed", amount: 30, captured_amount: 30, completed_at: "2026-01-02T10:00:00Z", payments: [{ id: "pay_1", captured_at: "2026-01-02T09:59:59Z" }] }

function order(overrides: Partial<SourceOrder> = {}): SourceOrder {
  return {
    id: "order_1",
    display_id: 7,
    status: "pending",
    created_at: "2026-01-02T09:00:00Z",
    currency_code: "gbp",
    total: 30,
    items: [{ id: "li_1", variant_id: "v_tee", quantity: 1, requires_shipping: true, total: 24, tax_total: 4 }],
    payment_collections: [paid],
    ...overrides,
  }
}

describe("assessOrder", () => {
  it("accepts a placed, captured order with a stock item", () => {
    expect(assessOrder(order(), VARIANTS)).toEqual({ eligible: true })
  })

  it("gives the first reason that applies, in the spec's order", () => {
    expect(assessOrder(order({ status: "draft" }), VARIANTS)).toMatchObject({ code: "draft" })
    expect(assessOrder(order({ status: "canceled" }), VARIANTS)).toMatchObject({ code: "canceled", reason: "cancelled" })
    expect(assessOrder(order({ canceled_at: "2026-01-03T00:00:00Z" }), VARIANTS)).toMatchObject({ code: "canceled" })
    expect(assessOrder(order({ status: "archived" }), VARIANTS)).toMatchObject({ code: "archived" })
    expect(assessOrder(order(), VARIANTS, { exportFrom: new Date("2026-01-02T09:00:01Z") })).toMatchObject({
      code: "before_export_from",
      reason: "placed before order export was enabled (2026-01-02T09:00:01.000Z); use a backfill to export it",
    })
    expect(assessOrder(order(), VARIANTS, { exportFrom: new Date("2026-01-02T09:00:00Z") })).toEqual({ eligible: true })
  })

  it("calls an authorised-only or unpaid order not paid, and a partial capture partly paid", () => {
    const authorised = { status: "authorized", amount: 30, captured_amount: 0, payments: [{ id: "pay_1", captured_at: null }] }
    expect(assessOrder(order({ payment_collections: [authorised] }), VARIANTS)).toEqual({
      eligible: false,
      code: "not_paid",
      reason: "not paid: payment authorised but not captured",
    })
    expect(assessOrder(order({ payment_collections: [] }), VARIANTS)).toMatchObject({ code: "not_paid", reason: "not paid" })
    expect(assessOrder(order({ payment_collections: [{ ...authorised, captured_amount: 10 }] }), VARIANTS)).toMatchObject({
      code: "partly_paid",
      reason: "not paid: only 10.00 of 30.00 GBP captured",
    })
    // A cancelled collection does not count, a second completed one does.
    const cancelled = { ...paid, status: "canceled" }
    expect(assessOrder(order({ payment_collections: [cancelled] }), VARIANTS)).toMatchObject({ code: "not_paid" })
    expect(assessOrder(order({ payment_collections: [cancelled, paid] }), VARIANTS)).toEqual({ eligible: true })
  })

  it("needs no capture for a zero total, and tolerates rounding under half a cent", () => {
    expect(assessOrder(order({ total: 0, payment_collections: [] }), VARIANTS)).toEqual({ eligible: true })
    expect(assessOrder(order({ payment_collections: [{ ...paid, captured_amount: 29.996 }] }), VARIANTS)).toEqual({ eligible: true })
    expect(assessOrder(order({ payment_collections: [{ ...paid, captured_amount: 29.99 }] }), VARIANTS)).toMatchObject({ code: "partly_paid" })
  })

  it("skips orders of only digital or non-inventory items", () => {
    const items = [
      { id: "li_wrap", variant_id: "v_wrap", quantity: 1, total: 3 },
      { id: "li_ebook", variant_id: "v_ebook", quantity: 1, requires_shipping: false, total: 5 },
      { id: "li_custom", variant_id: null, quantity: 1, total: 1 },
    ]
    expect(assessOrder(order({ items }), VARIANTS)).toEqual({
      eligible: false,
      code: "no_stock_items",
      reason: "no items shipped from stock (only digital or non-inventory items)",
    })
    expect(assessOrder(order({ items: [...items, { id: "li_tee", variant_id: "v_tee", quantity: 1, total: 24 }] }), VARIANTS)).toEqual({ eligible: true })
  })
})

describe("paymentState", () => {
  it("dates authorisation at the collection's completion and lists captured payments", () => {
    const state = paymentState(order({ payment_collections: [paid, { status: "completed", amount: 5, captured_amount: 5, completed_at: "2026-01-05T00:00:00Z", payments: [{ id: "pay_2", captured_at: "2026-01-04T00:00:00Z" }, { id: "pay_3", captured_at: null }] }] }))
    expect(state.paid).toBe(true)
    expect(state.authorisedAt?.toISOString()).toBe("2026-01-05T00:00:00.000Z")
    expect(state.paymentIds).toEqual(["pay_1", "pay_2"])
  })
})

describe("planOrderLines", () => {
  it("refuses fractional quantities and SKU-less components with a reason naming the item", () => {
    const noSku: SourceVariant = { id: "v_nosku", sku: null, manage_inventory: true, inventory_items: [{ required_quantity: 1, inventory: { sku: null } }] }
    const { lines, problems } = planOrderLines(
      [
        { id: "li_1", title: "Rope", variant_id: "v_tee", variant_sku: "TEE-M", quantity: 1.5, total: 1 },
        { id: "li_2", title: "Mystery", variant_id: "v_nosku", quantity: 1, total: 1 },
        { id: "li_3", title: "Removed", variant_id: "v_tee", quantity: 0, total: 0 },
      ],
      new Map([...VARIANTS, ["v_nosku", noSku]])
    )
    expect(lines).toEqual([])
    expect(problems).toEqual([
      `item "Rope" (TEE-M) has quantity 1.5; OrderFlow takes whole units`,
      `item "Mystery" has no SKU; OrderFlow needs one per line`,
    ])
  })

  it("falls back to the variant SKU when the inventory item has none", () => {
    const v: SourceVariant = { id: "v_x", sku: "X-1", manage_inventory: true, inventory_items: [{ required_quantity: 1, inventory: { sku: "" } }] }
    expect(planOrderLines([{ id: "li", variant_id: "v_x", quantity: 2, total: 10, tax_total: 0 }], new Map([["v_x", v]])).lines[0]).toMatchObject({ sku: "X-1", quantity: 2 })
  })
})

describe("values", () => {
  it("formats money with two places, rounding half away from zero", () => {
    expect([12, 0, -0, 1.005, 2.675, 0.125, -3.456, 1e-9, 123456789.129].map(formatMoney)).toEqual([
      "12.00",
      "0.00",
      "0.00",
      "1.01",
      "2.68",
      "0.13",
      "-3.46",
      "0.00",
      "123456789.13",
    ])
  })

  it("formats dates as yyyy-MM-dd HH:mm:ss, never with T, midnight as 00", () => {
    expect(formatOrderflowDateTime(new Date("2026-03-01T00:00:05Z"))).toBe("2026-03-01 00:00:05")
    expect(formatOrderflowDateTime(new Date("2026-03-29T00:30:00Z"), "Europe/London")).toBe("2026-03-29 00:30:00")
    expect(formatOrderflowDateTime(new Date("2026-03-29T01:30:00Z"), "Europe/London")).toBe("2026-03-29 02:30:00")
    expect(formatOrderflowDateTime(new Date("2026-01-01T12:00:00Z"), "Asia/Kolkata")).toBe("2026-01-01 17:30:00")
    expect(() => formatOrderflowDateTime(new Date("x"))).toThrow(RangeError)
  })

  it("reads unknown-product failures and builds references", () => {
    const message = "Unable to find any entity associated with identifier: ref:product:SKU-9"
    expect(unknownProductReferences(message)).toEqual(["SKU-9"])
    expect(isUnknownProductFailure(message)).toBe(true)
    expect(isUnknownProductFailure("Unable to find any entity associated with identifier: ref:channel:x")).toBe(false)
    expect(isUnknownProductFailure(null)).toBe(false)
    expect(orderReference("WEB-", 12)).toBe("WEB-12")
    expect(orderReference("", 12)).toBe("12")
  })
})

describe("items whose product variant was deleted", () => {
  const gone = { id: "li_gone", variant_id: "v_deleted", variant_sku: "HOOD-S", product_title: "Hoodie", variant_title: "S", quantity: 2, requires_shipping: true, total: 50, tax_total: 10 }

  it("are sent from the line item's stored SKU and title, with its totals", () => {
    expect(planOrderLines([gone], VARIANTS)).toEqual({
      lines: [{ lineItemId: "li_gone", sku: "HOOD-S", description: "Hoodie - S", quantity: 2, totalGross: 50, totalTax: 10, totalNet: 40 }],
      problems: [],
      nonStockItems: 0,
    })
    expect(assessOrder(order({ items: [gone] }), VARIANTS)).toEqual({ eligible: true })
  })

  it("make the order fail with a reason when no SKU was stored, instead of skipping it", () => {
    const noSku = { ...gone, variant_sku: null, title: "Hoodie S" }
    const planned = planOrderLines([noSku], VARIANTS)
    expect(planned.lines).toEqual([])
    expect(planned.problems).toEqual([
      'item "Hoodie S": its product variant was deleted and the line item has no stored SKU, so OrderFlow cannot be told what to ship',
    ])
    // Eligible: the export then rejects it with that reason (never a silent no_stock_items skip).
    expect(assessOrder(order({ items: [noSku] }), VARIANTS)).toEqual({ eligible: true })
  })

  it("are still left out when the line item says it is not shipped (digital, gift card) or was removed", () => {
    expect(planOrderLines([{ ...gone, requires_shipping: false }], VARIANTS)).toMatchObject({ lines: [], problems: [] })
    expect(planOrderLines([{ ...gone, is_giftcard: true }], VARIANTS)).toMatchObject({ lines: [], problems: [] })
    expect(planOrderLines([{ ...gone, quantity: 0 }], VARIANTS)).toMatchObject({ lines: [], problems: [] })
  })
})
