import type { InventoryLine } from "../../inbound/types"
import {
  planInventoryImportGroup,
  InventoryFacts,
  InventoryPlanSettings,
  levelKey,
  planInventoryImport,
  resolveLocation,
  attributeCartUnits,
  seenByOrderflow,
  seqKey,
  targetQuantities,
  unsentOrderUnits,
} from "../inventory-plan"

const now = new Date("2026-11-23T12:00:00Z")
const LOC = "sloc_main"
const LOC2 = "sloc_second"

const settings = (over: Partial<InventoryPlanSettings> = {}): InventoryPlanSettings => ({
  negativeAsZero: true,
  adjustInventory: "none",
  unsentOrderStatuses: ["pending"],
  unsentOrderCutoffDays: 7,
  locations: { DEFAULT: LOC, SECOND: LOC2 },
  defaultLocationId: LOC,
  ...over,
})

const line = (i: number, sku: string, qty: number, seq: number, extra: Partial<InventoryLine> = {}): InventoryLine => ({
  index: i,
  sku,
  qty,
  seq,
  source: null,
  lastOrderExported: null,
  ...extra,
})

const facts = (over: Partial<InventoryFacts> = {}): InventoryFacts => ({
  itemsBySku: new Map([
    ["A", "iitem_a"],
    ["00123", "iitem_zero"],
  ]),
  levels: new Map([[levelKey("iitem_a", LOC), { stocked: 50, reserved: 5 }]]),
  sequences: new Map(),
  reservations: [],
  cartUnits: new Map(),
  existingLocationIds: new Set([LOC, LOC2]),
  ...over,
})

describe("planInventoryImport", () => {
  it("sets stocked so that available equals OrderFlow's figure, adding back reservations", () => {
    const plan = planInventoryImport([line(0, "A", 10, 100)], facts(), settings(), now)
    expect(plan.levelWrites).toEqual([{ inventory_item_id: "iitem_a", location_id: LOC, stocked_quantity: 15, create: false, previous_stocked_quantity: 50 }])
    expect(plan.sequenceWrites).toEqual([{ sku: "A", location_id: LOC, seq_id: 100 }])
    expect(plan.lines[0]).toMatchObject({ outcome: "applied", appliedQty: 10, reservedQty: 5, previousSeq: null })
  })

  it("creates the level when the item has none at the location", () => {
    const plan = planInventoryImport([line(0, "00123", 7, 3)], facts(), settings(), now)
    expect(plan.levelWrites).toEqual([{ inventory_item_id: "iitem_zero", location_id: LOC, stocked_quantity: 7, create: true, previous_stocked_quantity: null }])
  })

  it("discards a line whose sequence is not newer, naming both ids", () => {
    const plan = planInventoryImport(
      [line(0, "A", 10, 100), line(1, "00123", 4, 7)],
      facts({ sequences: new Map([[seqKey("A", LOC), 120], [seqKey("00123", LOC), 7]]) }),
      settings(),
      now
    )
    expect(plan.lines.map((l) => l.outcome)).toEqual(["stale", "stale"])
    expect(plan.lines[0].message).toBe("stale: sequence 100 is not newer than the applied sequence 120")
    expect(plan.lines[0].previousSeq).toBe(120)
    expect(plan.levelWrites).toEqual([])
    expect(plan.sequenceWrites).toEqual([])
  })

  it("keeps the highest sequence when a SKU repeats in one message", () => {
    const plan = planInventoryImport([line(0, "A", 1, 10), line(1, "A", 2, 30), line(2, "A", 3, 20)], facts(), settings(), now)
    expect(plan.lines.map((l) => l.outcome)).toEqual(["stale", "applied", "stale"])
    expect(plan.lines[0].message).toBe("superseded within this message by sequence 30 (line 2)")
    expect(plan.levelWrites).toHaveLength(1)
    expect(plan.levelWrites[0].stocked_quantity).toBe(2 + 5)
  })

  it("reports unknown SKUs and still applies the rest", () => {
    const plan = planInventoryImport([line(0, "NOPE", 1, 1), line(1, "A", 2, 2)], facts(), settings(), now)
    expect(plan.lines[0]).toMatchObject({ outcome: "unknown_sku", inventoryItemId: null })
    expect(plan.lines[0].message).toMatch(/SKU "NOPE" is not stocked in Medusa/)
    expect(plan.lines[1].outcome).toBe("applied")
  })

  it("maps sites to locations and fails unknown sites clearly", () => {
    const plan = planInventoryImport(
      [line(0, "A", 4, 1, { source: "SECOND" }), line(1, "A", 5, 1, { source: "MOON" })],
      facts(),
      settings(),
      now
    )
    expect(plan.lines[0]).toMatchObject({ outcome: "applied", locationId: LOC2 })
    expect(plan.levelWrites[0]).toMatchObject({ location_id: LOC2, stocked_quantity: 4, create: true })
    expect(plan.lines[1]).toMatchObject({ outcome: "failed", locationId: null })
    expect(plan.lines[1].message).toMatch(/unknown OrderFlow site "MOON"/)
  })

  it("fails lines mapped to a stock location that does not exist", () => {
    const plan = planInventoryImport(
      [line(0, "A", 4, 1, { source: "GHOST" })],
      facts(),
      settings({ locations: { GHOST: "sloc_gone" } }),
      now
    )
    expect(plan.lines[0]).toMatchObject({ outcome: "failed", locationId: null })
    expect(plan.lines[0].message).toBe(
      'stock location sloc_gone (for site "GHOST") does not exist: fix the mapping in Settings → OrderFlow'
    )
    expect(plan.levelWrites).toEqual([])
  })

  it("applies negative figures as 0 unless negative quantities are allowed", () => {
    const off = planInventoryImport([line(0, "A", -3, 1)], facts(), settings(), now)
    expect(off.lines[0].appliedQty).toBe(0)
    expect(off.levelWrites[0].stocked_quantity).toBe(5)
    expect(off.lines[0].message).toMatch(/negative applied as 0/)
    const on = planInventoryImport([line(0, "A", -3, 1)], facts(), settings({ negativeAsZero: false }), now)
    expect(on.lines[0].appliedQty).toBe(-3)
    expect(on.levelWrites[0].stocked_quantity).toBe(2)
  })

  it("subtracts unsent orders and active carts when configured", () => {
    const reservations = [
      // exported before OrderFlow's figure: already counted there
      { inventoryItemId: "iitem_a", locationId: LOC, quantity: 2, order: { id: "o1", status: "pending", createdAt: "2026-11-22T10:00:00Z", exportedAt: "2026-11-23T09:00:00Z" } },
      // not exported yet
      { inventoryItemId: "iitem_a", locationId: LOC, quantity: 3, order: { id: "o2", status: "pending", createdAt: "2026-11-23T11:00:00Z", exportedAt: null } },
    ]
    const f = facts({ reservations, cartUnits: new Map([[levelKey("iitem_a", LOC), 4]]) })
    const l = line(0, "A", 20, 9, { lastOrderExported: "2026-11-23T10:00:00.000Z" })
    const none = planInventoryImport([l], f, settings(), now)
    expect(none.lines[0]).toMatchObject({ appliedQty: 20, unsentOrderQty: 0, activeCartQty: 0 })
    const unsent = planInventoryImport([l], f, settings({ adjustInventory: "unsent_orders" }), now)
    expect(unsent.lines[0]).toMatchObject({ appliedQty: 17, unsentOrderQty: 3, activeCartQty: 0 })
    expect(unsent.levelWrites[0].stocked_quantity).toBe(17 + 5)
    const carts = planInventoryImport([l], f, settings({ adjustInventory: "unsent_orders_and_active_carts" }), now)
    expect(carts.lines[0]).toMatchObject({ appliedQty: 13, unsentOrderQty: 3, activeCartQty: 4 })
  })
})

describe("unsentOrderUnits", () => {
  const s = { adjustInventory: "unsent_orders" as const, unsentOrderStatuses: ["pending"], unsentOrderCutoffDays: 7 }
  const r = (quantity: number, order: any) => ({ inventoryItemId: "i", locationId: LOC, quantity, order })

  it("counts orders exported after OrderFlow's last order, and not those before", () => {
    const rs = [
      r(1, { id: "a", status: "pending", createdAt: "2026-11-23T08:00:00Z", exportedAt: "2026-11-23T09:00:00Z" }),
      r(2, { id: "b", status: "pending", createdAt: "2026-11-23T08:00:00Z", exportedAt: "2026-11-23T11:00:00Z" }),
    ]
    expect(unsentOrderUnits(rs, "i", LOC, "2026-11-23T10:00:00Z", s, now)).toBe(2)
    // Without lastOrderExported every exported order counts as seen.
    expect(unsentOrderUnits(rs, "i", LOC, null, s, now)).toBe(0)
  })

  it("compares export times with lastOrderExported to the second, as OrderFlow states it", () => {
    const rs = [r(4, { id: "a", status: "pending", createdAt: "2026-11-23T08:00:00Z", exportedAt: "2026-11-23T10:00:00.400Z" })]
    expect(unsentOrderUnits(rs, "i", LOC, "2026-11-23T10:00:00.000Z", s, now)).toBe(0)
    expect(unsentOrderUnits(rs, "i", LOC, "2026-11-23T09:59:59.000Z", s, now)).toBe(4)
  })

  it("ignores orders outside the cutoff, in other statuses, other items/locations, or without an order", () => {
    const rs = [
      r(5, { id: "old", status: "pending", createdAt: "2026-11-10T08:00:00Z", exportedAt: null }),
      r(6, { id: "done", status: "completed", createdAt: "2026-11-23T08:00:00Z", exportedAt: null }),
      { inventoryItemId: "other", locationId: LOC, quantity: 7, order: { id: "x", status: "pending", createdAt: "2026-11-23T08:00:00Z", exportedAt: null } },
      { inventoryItemId: "i", locationId: LOC2, quantity: 8, order: { id: "y", status: "pending", createdAt: "2026-11-23T08:00:00Z", exportedAt: null } },
      r(9, null),
      r(1, { id: "ok", status: "pending", createdAt: "2026-11-23T08:00:00Z", exportedAt: null }),
    ]
    expect(unsentOrderUnits(rs, "i", LOC, null, s, now)).toBe(1)
  })
})

describe("seenByOrderflow (the lag bound)", () => {
  it("needs an export before min(lastOrderExported ?? received, received)", () => {
    const received = "2026-11-23T10:00:00.000Z"
    // No lastOrderExported (the SOAP forms): the receipt time is the bound.
    expect(seenByOrderflow("2026-11-23T09:59:59.999Z", null, received)).toBe(true)
    expect(seenByOrderflow("2026-11-23T10:00:00.000Z", null, received)).toBe(false)
    expect(seenByOrderflow("2026-11-23T10:05:00.000Z", null, received)).toBe(false)
    // lastOrderExported earlier than receipt: it is the bound.
    expect(seenByOrderflow("2026-11-23T09:00:00.000Z", "2026-11-23T09:30:00.000Z", received)).toBe(true)
    expect(seenByOrderflow("2026-11-23T09:45:00.000Z", "2026-11-23T09:30:00.000Z", received)).toBe(false)
    // lastOrderExported later than receipt (clock skew): receipt still bounds.
    expect(seenByOrderflow("2026-11-23T10:01:00.000Z", "2026-11-23T10:30:00.000Z", received)).toBe(false)
    expect(seenByOrderflow(null, "2026-11-23T10:30:00.000Z", received)).toBe(false)
  })

  it("counts an order exported between receipt and processing as unsent", () => {
    const rs = [
      { inventoryItemId: "i", locationId: LOC, quantity: 2, order: { id: "a", status: "pending", createdAt: "2026-11-23T08:00:00Z", exportedAt: "2026-11-23T11:30:00Z" } },
    ]
    const s = { adjustInventory: "unsent_orders" as const, unsentOrderStatuses: ["pending"], unsentOrderCutoffDays: 7 }
    expect(unsentOrderUnits(rs, "i", LOC, null, s, now, "2026-11-23T11:00:00Z")).toBe(2)
    expect(unsentOrderUnits(rs, "i", LOC, null, s, now, "2026-11-23T11:45:00Z")).toBe(0)
    const group = planInventoryImportGroup(
      [{ requestId: "r1", messageSeqId: 1, lines: [line(0, "A", 10, 100)], receivedAt: "2026-11-23T11:00:00Z" }],
      facts({ reservations: rs.map((r) => ({ ...r, inventoryItemId: "iitem_a" })) }),
      settings({ adjustInventory: "unsent_orders" }),
      now
    )
    expect(group.messages[0].lines[0]).toMatchObject({ unsentOrderQty: 2, appliedQty: 8 })
  })
})

describe("attributeCartUnits (carts per location)", () => {
  const channels = new Map([["sc_1", [LOC, LOC2]], ["sc_2", [LOC2]]])
  const levels = [
    { inventoryItemId: "i", locationId: LOC, available: 2 },
    { inventoryItemId: "i", locationId: LOC2, available: 10 },
  ]

  it("attributes a line wholly to the first channel location with enough available, like Medusa's reservation", () => {
    const out = attributeCartUnits([{ inventoryItemId: "i", salesChannelId: "sc_1", units: 4 }], channels, levels)
    expect([...out]).toEqual([[levelKey("i", LOC2), 4]])
    const small = attributeCartUnits([{ inventoryItemId: "i", salesChannelId: "sc_1", units: 2 }], channels, levels)
    expect([...small]).toEqual([[levelKey("i", LOC), 2]])
  })

  it("falls back to the first level when none has enough, and never counts a line at two locations", () => {
    const out = attributeCartUnits(
      [
        { inventoryItemId: "i", salesChannelId: "sc_1", units: 50 },
        { inventoryItemId: "i", salesChannelId: "sc_2", units: 3 },
        { inventoryItemId: "i", salesChannelId: null, units: 1 },
      ],
      channels,
      levels
    )
    expect(out.get(levelKey("i", LOC))).toBe(50 + 1)
    expect(out.get(levelKey("i", LOC2))).toBe(3)
    const total = [...out.values()].reduce((a, b) => a + b, 0)
    expect(total).toBe(54)
  })

  it("uses the channel's first location when the item has no level there, and skips a channel without locations", () => {
    const out = attributeCartUnits(
      [
        { inventoryItemId: "j", salesChannelId: "sc_2", units: 2 },
        { inventoryItemId: "j", salesChannelId: "sc_none", units: 5 },
      ],
      channels,
      levels
    )
    expect([...out]).toEqual([[levelKey("j", LOC2), 2]])
  })

  it("plans each location with only the cart units attributed to it", () => {
    const cartUnits = attributeCartUnits([{ inventoryItemId: "iitem_a", salesChannelId: "sc_1", units: 4 }], channels, [
      { inventoryItemId: "iitem_a", locationId: LOC, available: 10 },
      { inventoryItemId: "iitem_a", locationId: LOC2, available: 10 },
    ])
    const plan = planInventoryImport(
      [line(0, "A", 10, 1, { source: "DEFAULT" }), line(1, "A", 10, 1, { source: "SECOND" })],
      facts({ cartUnits }),
      settings({ adjustInventory: "unsent_orders_and_active_carts" }),
      now
    )
    expect(plan.lines.map((l) => [l.locationId, l.activeCartQty, l.appliedQty])).toEqual([
      [LOC, 4, 6],
      [LOC2, 0, 10],
    ])
  })
})

describe("helpers", () => {
  it("targetQuantities clamps only the sellable part", () => {
    expect(targetQuantities({ received: 3, unsent: 5, carts: 0, reserved: 4, allowNegative: false })).toEqual({ available: 0, stocked: 4 })
    expect(targetQuantities({ received: 3, unsent: 5, carts: 0, reserved: 4, allowNegative: true })).toEqual({ available: -2, stocked: 2 })
  })
  it("resolveLocation needs a default for lines without a site", () => {
    expect(resolveLocation(null, { locations: {}, defaultLocationId: null })).toEqual({
      error: "no stock location for lines without a site: set a default stock location in Settings → OrderFlow",
    })
  })
})

describe("planInventoryImportGroup", () => {
  it("plans messages in order, each seeing the sequence ids and stock of the earlier ones", () => {
    const group = planInventoryImportGroup(
      [
        { requestId: "r1", messageSeqId: 1, lines: [line(0, "A", 10, 100), line(1, "00123", 3, 5)] },
        { requestId: "r2", messageSeqId: 2, lines: [line(0, "A", 99, 90)] },
        { requestId: "r3", messageSeqId: 3, lines: [line(0, "A", 12, 110)] },
      ],
      facts(),
      settings(),
      now
    )
    expect(group.messages.map((m) => m.lines.map((l) => l.outcome))).toEqual([["applied", "applied"], ["stale"], ["applied"]])
    expect(group.messages[1].lines[0]).toMatchObject({ previousSeq: 100 })
    expect(group.messages[2].lines[0]).toMatchObject({ previousSeq: 100, appliedQty: 12 })
    // One write per item and location, the last one; the mug's level is still created.
    expect(group.levelWrites).toEqual([
      { inventory_item_id: "iitem_a", location_id: LOC, stocked_quantity: 17, create: false, previous_stocked_quantity: 50 },
      { inventory_item_id: "iitem_zero", location_id: LOC, stocked_quantity: 3, create: true, previous_stocked_quantity: null },
    ])
    expect(group.sequenceWrites).toEqual([
      { sku: "A", location_id: LOC, seq_id: 110 },
      { sku: "00123", location_id: LOC, seq_id: 5 },
    ])
  })

  it("keeps a level created by an earlier message a create when a later one updates it", () => {
    const group = planInventoryImportGroup(
      [
        { requestId: "r1", messageSeqId: 1, lines: [line(0, "00123", 3, 5)] },
        { requestId: "r2", messageSeqId: 2, lines: [line(0, "00123", 8, 6)] },
      ],
      facts(),
      settings(),
      now
    )
    expect(group.levelWrites).toEqual([{ inventory_item_id: "iitem_zero", location_id: LOC, stocked_quantity: 8, create: true, previous_stocked_quantity: null }])
    expect(group.messages[1].lines[0]).toMatchObject({ previousSeq: 5, outcome: "applied" })
  })

  it("keeps the figure read before the group's first write as the one to restore when several messages write a level", () => {
    const group = planInventoryImportGroup(
      [
        { requestId: "r1", messageSeqId: 1, lines: [line(0, "A", 10, 100)] },
        { requestId: "r2", messageSeqId: 2, lines: [line(0, "A", 20, 101)] },
      ],
      facts(),
      settings(),
      now
    )
    expect(group.levelWrites).toEqual([{ inventory_item_id: "iitem_a", location_id: LOC, stocked_quantity: 25, create: false, previous_stocked_quantity: 50 }])
  })
})
