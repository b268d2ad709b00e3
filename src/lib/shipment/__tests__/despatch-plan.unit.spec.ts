import type { DespatchNotification } from "../../inbound/types"
import { despatchParts, displayIdFromReference, OrderFacts, planDespatch, trackingUrl } from "../despatch-plan"

const despatch = (lines: Array<[string, number]>): DespatchNotification => ({
  messageSeqId: 1,
  orderIncrementId: "1001",
  lines: lines.map(([sku, qty], index) => ({ index, sku, qty })),
  trackingNumbers: ["TT1"],
  courierName: "royalmail",
  serviceName: "TPN01",
  comment: null,
  email: false,
  includeComment: false,
  dateShipped: null,
  source: null,
  format: "json",
})

const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: "order_1",
  displayId: 1001,
  status: "pending",
  exported: true,
  lines: [
    { id: "li_tee", sku: "TEE-M", title: "Tee M", quantity: 3, fulfilled: 0, manageInventory: true, requiresShipping: true, components: [{ sku: "TEE-M", required: 1 }] },
    { id: "li_mug", sku: "MUG", title: "Mug", quantity: 1, fulfilled: 0, manageInventory: true, requiresShipping: true, components: [{ sku: "MUG", required: 1 }] },
    { id: "li_wrap", sku: "GIFT-WRAP", title: "Gift wrap", quantity: 1, fulfilled: 0, manageInventory: false, requiresShipping: true, components: [] },
  ],
  ...over,
})

describe("planDespatch", () => {
  it("a partial despatch fulfils what it carries and leaves the order open", () => {
    const plan = planDespatch(despatch([["TEE-M", 2]]), order(), "1001")
    expect(plan).toMatchObject({ kind: "apply", items: [{ id: "li_tee", quantity: 2 }], completesOrder: false })
    expect(plan.lines).toEqual([{ sku: "TEE-M", qty: 2, lineItemId: "li_tee", lineQuantity: 2, outcome: "shipped", message: "2 × Tee M" }])
  })

  it("the despatch that ships the rest completes the order, taking items the warehouse does not hold along", () => {
    const after = order()
    after.lines[0].fulfilled = 2
    const plan = planDespatch(despatch([["TEE-M", 1], ["MUG", 1]]), after, "1001")
    expect(plan).toMatchObject({
      kind: "apply",
      completesOrder: true,
      items: [
        { id: "li_tee", quantity: 1 },
        { id: "li_mug", quantity: 1 },
        { id: "li_wrap", quantity: 1 },
      ],
    })
  })

  it("fails the units beyond what is left to ship, line by line, and still applies the lines that fit", () => {
    const plan = planDespatch(despatch([["TEE-M", 4], ["MUG", 1]]), order(), "1001")
    expect(plan).toMatchObject({ kind: "apply", items: [{ id: "li_tee", quantity: 3 }, { id: "li_mug", quantity: 1 }, { id: "li_wrap", quantity: 1 }] })
    expect(plan.message).toBe('order #1001 is now fully shipped; over-shipment: 1 more of "TEE-M" than is left to ship failed')
    expect(plan.lines.filter((l) => l.outcome === "failed")).toEqual([
      { sku: "TEE-M", qty: 1, lineItemId: null, lineQuantity: null, outcome: "failed", message: 'over-shipment: 1 more of "TEE-M" than is left to ship on order #1001' },
    ])
    expect(plan.lines.filter((l) => l.outcome === "shipped").map((l) => [l.sku, l.qty])).toEqual([["TEE-M", 3], ["MUG", 1]])
  })

  it("rejects a despatch of which nothing fits as an over-shipment, naming the SKU", () => {
    const after = order()
    after.lines[0].fulfilled = 3
    const plan = planDespatch(despatch([["TEE-M", 2]]), after, "1001")
    expect(plan).toMatchObject({
      kind: "rejected",
      message: 'over-shipment: despatch exceeds what is left to ship on order #1001: 2 more of "TEE-M" than is left to ship; nothing was applied',
    })
    expect(plan.lines).toEqual([{ sku: "TEE-M", qty: 2, lineItemId: null, lineQuantity: null, outcome: "failed", message: 'over-shipment: 2 more of "TEE-M" than is left to ship on order #1001' }])
  })

  it("a new despatch for an order already fully shipped is an over-shipment, not a duplicate", () => {
    const shipped = order()
    shipped.lines[0].fulfilled = 3
    shipped.lines[1].fulfilled = 1
    const plan = planDespatch(despatch([["TEE-M", 1]]), shipped, "1001")
    expect(plan).toMatchObject({ kind: "rejected", message: 'over-shipment: order #1001 was already fully shipped: 1 more of "TEE-M" than is left to ship; nothing was applied' })
    expect(plan.lines[0]).toMatchObject({ outcome: "failed" })
  })

  it("rejects unknown orders, unknown SKUs, cancelled and never-exported orders with clear reasons", () => {
    expect(planDespatch(despatch([["TEE-M", 1]]), null, "9999").message).toBe('no order with reference "9999" in this store')
    expect(planDespatch(despatch([["NOPE", 1]]), order(), "1001").message).toBe('SKU "NOPE" is not on order #1001')
    expect(planDespatch(despatch([["GIFT-WRAP", 1]]), order(), "1001").message).toBe('SKU "GIFT-WRAP" is not on order #1001')
    expect(planDespatch(despatch([["TEE-M", 1]]), order({ status: "canceled" }), "1001").message).toMatch(/is cancelled in Medusa/)
    expect(planDespatch(despatch([["TEE-M", 1]]), order({ exported: false }), "1001").message).toMatch(/was never exported to OrderFlow/)
  })

  it("maps a kit's component SKUs back to the kit line by component quantities", () => {
    const kit = order({
      lines: [
        { id: "li_kit", sku: "BUNDLE", title: "Tee + Mug bundle", quantity: 2, fulfilled: 0, manageInventory: true, requiresShipping: true,
          components: [{ sku: "TEE-M", required: 2 }, { sku: "MUG", required: 1 }] },
        { id: "li_tee", sku: "TEE-M", title: "Tee M", quantity: 1, fulfilled: 0, manageInventory: true, requiresShipping: true, components: [{ sku: "TEE-M", required: 1 }] },
      ],
    })
    const plan = planDespatch(despatch([["TEE-M", 5], ["MUG", 2]]), kit, "1001")
    expect(plan).toMatchObject({ kind: "apply", completesOrder: true, items: [{ id: "li_kit", quantity: 2 }, { id: "li_tee", quantity: 1 }] })
    expect(plan.kind === "apply" && plan.kitProgress).toEqual([])
  })
})

describe("planDespatch of kits shipped by component", () => {
  const kitOrder = (quantity: number, components: Array<{ sku: string; required: number }>, progress?: Record<string, number>, fulfilled = 0): OrderFacts =>
    order({
      lines: [{ id: "li_kit", sku: "BUNDLE", title: "Bundle", quantity, fulfilled, manageInventory: true, requiresShipping: true, components, progress }],
    })
  const ab = [{ sku: "A", required: 1 }, { sku: "B", required: 1 }]

  it("a parcel with component A only fulfils nothing and records A as the kit line's progress", () => {
    const plan = planDespatch(despatch([["A", 1]]), kitOrder(1, ab), "1001")
    expect(plan).toMatchObject({ kind: "apply", items: [], completesOrder: false, kitProgress: [{ lineItemId: "li_kit", close: false, add: [{ sku: "A", quantity: 1 }] }] })
    expect(plan.message).toBe("kit components recorded on order #1001; no whole kit unit complete yet")
    expect(plan.lines).toEqual([expect.objectContaining({ sku: "A", qty: 1, lineItemId: "li_kit", lineQuantity: 0, outcome: "shipped" })])
  })

  it("the parcel with the last component fulfils the kit, closes its progress and completes the order", () => {
    const plan = planDespatch(despatch([["B", 1]]), kitOrder(1, ab, { A: 1 }), "1001")
    expect(plan).toMatchObject({ kind: "apply", items: [{ id: "li_kit", quantity: 1 }], completesOrder: true, kitProgress: [{ lineItemId: "li_kit", close: true, add: [] }] })
  })

  it("a 2-pack (one component needed twice) shipped one unit at a time: the first is progress, the second fulfils the pack", () => {
    const pack = [{ sku: "SOCK", required: 2 }]
    const first = planDespatch(despatch([["SOCK", 1]]), kitOrder(1, pack), "1001")
    expect(first).toMatchObject({ kind: "apply", items: [], kitProgress: [{ lineItemId: "li_kit", close: false, add: [{ sku: "SOCK", quantity: 1 }] }] })
    const second = planDespatch(despatch([["SOCK", 1]]), kitOrder(1, pack, { SOCK: 1 }), "1001")
    expect(second).toMatchObject({ kind: "apply", items: [{ id: "li_kit", quantity: 1 }], completesOrder: true, kitProgress: [{ close: true, add: [] }] })
  })

  it("component units beyond a completed kit unit are carried as progress towards the next", () => {
    const plan = planDespatch(despatch([["A", 2], ["B", 1]]), kitOrder(2, ab, { B: 0 }), "1001")
    expect(plan).toMatchObject({ items: [{ id: "li_kit", quantity: 1 }], completesOrder: false, kitProgress: [{ lineItemId: "li_kit", close: false, add: [{ sku: "A", quantity: 1 }] }] })
    const carried = planDespatch(despatch([["A", 1], ["B", 1]]), kitOrder(2, ab, { A: 1 }), "1001")
    expect(carried).toMatchObject({ items: [{ id: "li_kit", quantity: 1 }], kitProgress: [{ close: true, add: [{ sku: "A", quantity: 1 }] }] })
  })

  it("components beyond what the kit line still needs are an over-shipment", () => {
    const plan = planDespatch(despatch([["A", 2]]), kitOrder(1, ab), "1001")
    expect(plan).toMatchObject({ kind: "apply", items: [], kitProgress: [{ add: [{ sku: "A", quantity: 1 }] }] })
    expect(plan.lines.filter((l) => l.outcome === "failed").map((l) => [l.sku, l.qty])).toEqual([["A", 1]])
    const full = planDespatch(despatch([["A", 1]]), kitOrder(1, ab, { A: 1 }), "1001")
    expect(full).toMatchObject({ kind: "rejected", message: expect.stringMatching(/^over-shipment: despatch exceeds what is left to ship on order #1001: 1 more of "A"/) })
  })
})

describe("planDespatch of an order with an exchange sent as its own order", () => {
  // 3 × TEE-M and a mug were ordered and shipped; an exchange sends one more TEE-M (a new line, li_x).
  const exchanged = (): OrderFacts => {
    const o = order()
    o.lines.forEach((l) => (l.fulfilled = l.quantity))
    o.lines.push({ id: "li_x", sku: "TEE-M", title: "Tee M", quantity: 1, fulfilled: 0, manageInventory: true, requiresShipping: true, components: [{ sku: "TEE-M", required: 1 }] })
    return o
  }
  const originalScope = { lineIds: ["li_tee", "li_mug", "li_wrap"], label: "order #1001" }

  it("fulfils the exchange's despatch on the exchange's line, even with the same SKU on the original, and completes the order", () => {
    const plan = planDespatch(despatch([["TEE-M", 1]]), { ...exchanged(), scope: { lineIds: ["li_x"], label: "exchange 1001-X1" } }, "1001-X1")
    expect(plan).toMatchObject({ kind: "apply", items: [{ id: "li_x", quantity: 1 }], completesOrder: true, message: "exchange 1001-X1 is now fully shipped" })
  })

  it("never places the original order's despatch on the exchange's line: a second despatch of it is an over-shipment", () => {
    const plan = planDespatch(despatch([["TEE-M", 1]]), { ...exchanged(), scope: originalScope }, "1001")
    expect(plan).toMatchObject({ kind: "rejected", message: 'over-shipment: order #1001 was already fully shipped: 1 more of "TEE-M" than is left to ship; nothing was applied' })
  })

  it("does not complete the Medusa order when the original ships while the exchange's line is still open", () => {
    const o = order()
    o.lines.push({ id: "li_x", sku: "TEE-M", title: "Tee M", quantity: 1, fulfilled: 0, manageInventory: true, requiresShipping: true, components: [{ sku: "TEE-M", required: 1 }] })
    const plan = planDespatch(despatch([["TEE-M", 3], ["MUG", 1]]), { ...o, scope: originalScope }, "1001")
    expect(plan).toMatchObject({
      kind: "apply",
      completesOrder: false,
      items: [{ id: "li_tee", quantity: 3 }, { id: "li_mug", quantity: 1 }, { id: "li_wrap", quantity: 1 }],
      message: "order #1001 is now fully shipped",
    })
  })

  it("rejects a SKU the exchange does not ship, naming the exchange", () => {
    const plan = planDespatch(despatch([["MUG", 1]]), { ...exchanged(), scope: { lineIds: ["li_x"], label: "exchange 1001-X1" } }, "1001-X1")
    expect(plan).toMatchObject({ kind: "rejected", message: 'SKU "MUG" is not on exchange 1001-X1' })
  })
})

describe("helpers", () => {
  it("splits a despatch into one part per stock location, each line where its units are reserved", () => {
    const reservations = [
      { line_item_id: "li_tee", location_id: "sloc_north", quantity: 3 },
      { line_item_id: "li_mug", location_id: "sloc_south", quantity: 1 },
      { line_item_id: "li_cap", location_id: "sloc_north", quantity: 1 },
    ]
    const tee = { id: "li_tee", quantity: 2 }
    const mug = { id: "li_mug", quantity: 1 }
    const cap = { id: "li_cap", quantity: 1 }
    expect(despatchParts([mug], reservations)).toEqual([{ location_id: "sloc_south", items: [mug] }])
    // Sorted by location id, whatever the order of the lines.
    expect(despatchParts([mug, tee, cap], reservations)).toEqual([
      { location_id: "sloc_north", items: [tee, cap] },
      { location_id: "sloc_south", items: [mug] },
    ])
  })

  it("puts a line reserved at two locations where most of its units are, and unreserved lines with the first part", () => {
    const reservations = [
      { line_item_id: "li_tee", location_id: "sloc_b", quantity: 1 },
      { line_item_id: "li_tee", location_id: "sloc_a", quantity: 2 },
      { line_item_id: "li_mug", location_id: "sloc_c", quantity: 1 },
    ]
    const tee = { id: "li_tee", quantity: 3 }
    const gift = { id: "li_gift", quantity: 1 }
    expect(despatchParts([gift, tee], reservations)).toEqual([{ location_id: "sloc_a", items: [tee, gift] }])
    // Ties go to the smaller location id.
    expect(despatchParts([tee], [{ line_item_id: "li_tee", location_id: "sloc_z", quantity: 1 }, { line_item_id: "li_tee", location_id: "sloc_y", quantity: 1 }])[0].location_id).toBe("sloc_y")
  })

  it("uses the message's site for the whole parcel, and falls back to any reservation, then the default location", () => {
    const reservations = [{ line_item_id: "li_tee", location_id: "sloc_north", quantity: 1 }]
    const tee = { id: "li_tee", quantity: 1 }
    const gone = { id: "li_gone", quantity: 1 }
    expect(despatchParts([tee, gone], reservations, { siteLocation: "sloc_site" })).toEqual([{ location_id: "sloc_site", items: [tee, gone] }])
    expect(despatchParts([gone], reservations, { fallback: "sloc_default" })).toEqual([{ location_id: "sloc_north", items: [gone] }])
    expect(despatchParts([gone], [], { fallback: "sloc_default" })).toEqual([{ location_id: "sloc_default", items: [gone] }])
    expect(despatchParts([], reservations)).toEqual([])
  })

  it("builds tracking URLs from per-courier templates", () => {
    expect(trackingUrl({ royalmail: "https://track.example/{trackingNumber}" }, "royalmail", "TT 1")).toBe("https://track.example/TT%201")
    expect(trackingUrl({}, "dhl", "X")).toBe("")
  })
  it("reads the display id from the exported reference", () => {
    expect(displayIdFromReference("WEB-1001", "WEB-")).toBe(1001)
    expect(displayIdFromReference("1001", "WEB-")).toBeNull()
    expect(displayIdFromReference("1001", "")).toBe(1001)
    expect(displayIdFromReference("10x1", "")).toBeNull()
  })
})
