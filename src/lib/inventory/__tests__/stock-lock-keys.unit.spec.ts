import { stockLockKey, stockLockKeys, STOCK_LOCK_STRIPES } from "../stock-lock-keys"

describe("stock lock keys", () => {
  it("names the same level with the same key in every call (stable hash, not per process)", () => {
    expect(stockLockKey({ sku: "SKU-1", location_id: "sloc_a" })).toBe(stockLockKey({ sku: "SKU-1", location_id: "sloc_a" }))
    // A fixed value (FNV-1a of "SKU-1\0sloc_a" mod 256): a changed hash would let two versions of the plugin in one cluster miss each other's locks.
    expect(stockLockKey({ sku: "SKU-1", location_id: "sloc_a" })).toBe("orderflow:stock:181")
    expect(stockLockKey({ sku: "A", location_id: "L" }, 1000)).toMatch(/^orderflow:stock:\d{3}$/)
  })

  it("tells the SKU and location apart (the separator cannot be forged by concatenation)", () => {
    const keys = new Set<string>()
    for (let i = 0; i < 200; i++) keys.add(stockLockKey({ sku: `SKU-${i}`, location_id: "sloc_a" }))
    // 200 levels over 256 stripes spread widely: far more than a handful of keys.
    expect(keys.size).toBeGreaterThan(100)
    expect(stockLockKey({ sku: "AB", location_id: "C" })).not.toBe(stockLockKey({ sku: "A", location_id: "BC" }))
  })

  it("returns unique keys in ascending order, the order they are always acquired in", () => {
    const levels = Array.from({ length: 3000 }, (_, i) => ({ sku: `SKU-${i % 700}`, location_id: i % 2 ? "sloc_a" : "sloc_b" }))
    const keys = stockLockKeys(levels)
    expect(keys.length).toBeLessThanOrEqual(STOCK_LOCK_STRIPES)
    expect(new Set(keys).size).toBe(keys.length)
    expect([...keys].sort()).toEqual(keys)
    // zero-padded, so text order is stripe order
    const stripes = keys.map((k) => Number(k.split(":").pop()))
    expect([...stripes].sort((a, b) => a - b)).toEqual(stripes)
    for (const level of levels.slice(0, 50)) expect(keys).toContain(stockLockKey(level))
  })

  it("gives no keys for no levels", () => {
    expect(stockLockKeys([])).toEqual([])
  })
})
