import { outcomesFor } from "../line-outcome"

const o = (externalReference: string, message: string | null = null) => ({
  type: "product",
  operation: "merge",
  externalReference,
  message,
  detail: message ? `${message} (detail)` : null,
  queryTime: null,
})

describe("outcomesFor", () => {
  it("maps successes, duplicates and failures by reference and flags unmentioned items as missing", () => {
    const out = outcomesFor(
      [
        { id: "1", reference: "A" },
        { id: "2", reference: "B" },
        { id: "3", reference: "C" },
        { id: "4", reference: "D" },
      ],
      { successes: [o("A")], duplicates: [o("B", "An instance of product with reference 'B' is already present")], failures: [o("C", "Unable to find any entity")] }
    )
    expect(out.map((x) => [x.reference, x.outcome])).toEqual([
      ["A", "success"],
      ["B", "duplicate"],
      ["C", "failure"],
      ["D", "missing"],
    ])
    expect(out[0].message).toBe("Successfully Exported")
    expect(out[2]).toMatchObject({ message: "Unable to find any entity", detail: "Unable to find any entity (detail)" })
    expect(out[3].message).toMatch(/not mentioned/)
  })

  it("lets a failure win over a success for the same reference", () => {
    const out = outcomesFor([{ id: "1", reference: "A" }], { successes: [o("A")], duplicates: [], failures: [o("A", "bad")] })
    expect(out[0].outcome).toBe("failure")
  })
})

describe("outcomesFor reference matching", () => {
  it("matches an echo that differs only in surrounding whitespace or letter case, unless two sent references collide that way", () => {
    const result = { successes: [o(" sku-a "), o("SKU-B")], failures: [], duplicates: [] }
    expect(outcomesFor([{ id: "1", reference: "SKU-A" }], result).map((x) => x.outcome)).toEqual(["success"])
    const colliding = [{ id: "1", reference: "sku-b" }, { id: "2", reference: "Sku-B" }]
    expect(outcomesFor(colliding, result).map((x) => x.outcome)).toEqual(["missing", "missing"])
    expect(outcomesFor([{ id: "3", reference: "SKU-C" }], result).map((x) => x.outcome)).toEqual(["missing"])
  })
})
