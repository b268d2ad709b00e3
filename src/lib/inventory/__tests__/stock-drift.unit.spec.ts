import { levelKey, planInventoryImport, type InventoryFacts, type InventoryPlanSettings, type PlannedLine } from "../inventory-plan"
import { chunksOf, parseInventoryPull } from "../inventory-pull"
import { looksReinitialised } from "../reinitialised-push"
import { compareStock, pulledAsLines } from "../stock-drift"

const LOC = "sloc_main"
const LOC2 = "sloc_second"
const now = new Date("2026-11-23T12:00:00Z")

const settings: InventoryPlanSettings = {
  negativeAsZero: true,
  adjustInventory: "unsent_orders",
  unsentOrderStatuses: ["pending"],
  unsentOrderCutoffDays: 7,
  locations: { DEFAULT: LOC, SECOND: LOC2 },
  defaultLocationId: LOC,
}

const facts = (over: Partial<InventoryFacts> = {}): InventoryFacts => ({
  itemsBySku: new Map([
    ["A", "iitem_a"],
    ["B", "iitem_b"],
  ]),
  levels: new Map([
    [levelKey("iitem_a", LOC), { stocked: 12, reserved: 2 }],
    [levelKey("iitem_b", LOC), { stocked: 7, reserved: 0 }],
  ]),
  sequences: new Map(),
  reservations: [],
  cartUnits: new Map(),
  existingLocationIds: new Set([LOC, LOC2]),
  ...over,
})

describe("parseInventoryPull", () => {
  it("reads seed 002's example: SKU, site, inventoryId and available (negative kept)", () => {
    const xml = `<inventory>
<product inventoryId="615" externalReference="DVD-BLDRNDC" site="global" total="1" allocated="1" available="-1" frozen="0" inspection="0"/>
<product inventoryId="616" externalReference="DVD-BLDRNDC" site="DEFAULT" total="1" allocated="1" available="-1" frozen="0"/>
<product inventoryId="617" externalReference="DVD-BLDRNDC" site="SECOND" total="0" allocated="0" available="0" frozen="0"/>
</inventory>`
    expect(parseInventoryPull(xml)).toEqual([
      { sku: "DVD-BLDRNDC", site: "global", inventoryId: 615, available: -1 },
      { sku: "DVD-BLDRNDC", site: "DEFAULT", inventoryId: 616, available: -1 },
      { sku: "DVD-BLDRNDC", site: "SECOND", inventoryId: 617, available: 0 },
    ])
  })

  it("keeps a SKU with leading zeros as text and reads an empty inventory as no rows", () => {
    expect(parseInventoryPull(`<inventory><product inventoryId="1" externalReference="00123" site="DEFAULT" available="4"/></inventory>`)[0].sku).toBe("00123")
    expect(parseInventoryPull("<inventory/>")).toEqual([])
  })

  it("refuses a document whose available is not a whole number, naming the SKU", () => {
    expect(() => parseInventoryPull(`<inventory><product inventoryId="1" externalReference="A" available="x"/></inventory>`)).toThrow(
      'OrderFlow inventory pull: product 1 (A): available must be a whole number, got "x"'
    )
  })
})

describe("chunksOf", () => {
  it("splits 5 SKUs into chunks of 2 and refuses a zero size", () => {
    expect(chunksOf(["a", "b", "c", "d", "e"], 2)).toEqual([["a", "b"], ["c", "d"], ["e"]])
    expect(() => chunksOf(["a"], 0)).toThrow("chunk size must be a positive integer, got 0")
  })
})

describe("compareStock", () => {
  const plan = (rows: Parameters<typeof pulledAsLines>[0], f = facts()) => planInventoryImport(pulledAsLines(rows, now), f, settings, now).lines

  it("reports a SKU whose Medusa available differs from OrderFlow's figure, and counts the equal one as matching", () => {
    const result = compareStock(
      plan([
        { sku: "A", site: "DEFAULT", inventoryId: 40, available: 10 },
        { sku: "B", site: "DEFAULT", inventoryId: 41, available: 3 },
      ]),
      facts().levels
    )
    expect(result.matching).toBe(1)
    expect(result.differences).toEqual([
      { sku: "B", site: "DEFAULT", location_id: LOC, inventory_item_id: "iitem_b", orderflow_qty: 3, orderflow_inventory_id: 41, expected_qty: 3, actual_qty: 7 },
    ])
  })

  it("expects OrderFlow's figure less the units of unsent orders, as the import would set it", () => {
    const f = facts({
      reservations: [
        { inventoryItemId: "iitem_a", locationId: LOC, quantity: 2, order: { id: "order_1", status: "pending", createdAt: "2026-11-23T11:00:00Z", exportedAt: null } },
      ],
    })
    // OrderFlow says 12, the unsent order holds 2: the import would make 10 available, which is what Medusa has.
    const result = compareStock(plan([{ sku: "A", site: "DEFAULT", inventoryId: 40, available: 12 }], f), f.levels)
    expect(result).toEqual({ differences: [], matching: 1, skipped: 0 })
  })

  it("compares against 0 where Medusa has no level, and skips SKUs Medusa does not stock and unmapped sites", () => {
    const result = compareStock(
      plan([
        { sku: "A", site: "SECOND", inventoryId: 50, available: 4 },
        { sku: "UNKNOWN", site: "DEFAULT", inventoryId: 51, available: 4 },
        { sku: "B", site: "NOWHERE", inventoryId: 52, available: 4 },
      ]),
      facts().levels
    )
    expect(result.skipped).toBe(2)
    expect(result.differences.map((d) => [d.sku, d.location_id, d.expected_qty, d.actual_qty])).toEqual([["A", LOC2, 4, 0]])
  })

  it("plans a pulled figure whose record id equals the applied one as applied only with reapply", () => {
    const f = facts({ sequences: new Map([["A\u0000" + LOC, 40]]) })
    const lines = pulledAsLines([{ sku: "A", site: "DEFAULT", inventoryId: 40, available: 3 }], now)
    expect(planInventoryImport(lines, f, settings, now).lines[0].outcome).toBe("stale")
    expect(planInventoryImport(lines, f, settings, now, { reapply: true }).lines[0].outcome).toBe("applied")
    const older = pulledAsLines([{ sku: "A", site: "DEFAULT", inventoryId: 39, available: 3 }], now)
    expect(planInventoryImport(older, f, settings, now, { reapply: true }).lines[0].outcome).toBe("stale")
  })
})

describe("looksReinitialised", () => {
  const lines = (pairs: Array<[number, number | null]>): Pick<PlannedLine, "seq" | "previousSeq">[] => pairs.map(([seq, previousSeq]) => ({ seq, previousSeq }))

  it("is true when every line with a stored id is below it and there are enough of them", () => {
    expect(looksReinitialised(lines([[1, 500], [2, 501], [3, null]]), 2)).toBe(true)
  })

  it("is false when one line is at or above its stored id, or too few lines have one", () => {
    expect(looksReinitialised(lines([[1, 500], [501, 501]]), 2)).toBe(false)
    expect(looksReinitialised(lines([[1, 500], [600, 501]]), 2)).toBe(false)
    expect(looksReinitialised(lines([[1, 500], [2, null]]), 2)).toBe(false)
  })
})
