import { failureAlertKey, failureCause } from "../failure-cause"

describe("failureCause", () => {
  it("keeps the site name, which is the cause, and drops the line's SKU", () => {
    expect(failureCause('SKU "TEE-M" is not stocked in Medusa', ["TEE-M"])).toBe('SKU "…" is not stocked in Medusa')
    expect(failureCause('unknown OrderFlow site "LEEDS2": map it to a stock location', ["TEE-M"])).toBe(
      'unknown OrderFlow site "LEEDS2": map it to a stock location'
    )
  })

  it("gives two despatches of different orders hitting the same fault the same cause", () => {
    const a = failureCause('despatch exceeds what is left to ship on order #12: 2 more of "TEE-M" than can be placed', ["TEE-M", "WEB12"])
    const b = failureCause('despatch exceeds what is left to ship on order #907: 14 more of "MUG" than can be placed', ["MUG", "WEB907"])
    expect(a).toBe(b)
    expect(failureCause('no order with reference "WEB12" in this store', ["WEB12"])).toBe('no order with reference "…" in this store')
  })

  it("keeps digits that are part of a name (sloc_01H…, SITE2)", () => {
    expect(failureCause("stock location sloc_01HX9 (for site \"SITE2\") does not exist", [])).toBe(
      'stock location sloc_01HX9 (for site "SITE2") does not exist'
    )
  })
})

describe("failureAlertKey", () => {
  it("is the same for one cause whenever it happens and differs by cause and operation", () => {
    const key = failureAlertKey("inventory", 'unknown OrderFlow site "X"')
    expect(key).toMatch(/^lines:inventory:[0-9a-f]{16}$/)
    expect(failureAlertKey("inventory", 'unknown OrderFlow site "X"')).toBe(key)
    expect(failureAlertKey("inventory", 'unknown OrderFlow site "Y"')).not.toBe(key)
    expect(failureAlertKey("shipment", 'unknown OrderFlow site "X"')).not.toBe(key)
  })
})
