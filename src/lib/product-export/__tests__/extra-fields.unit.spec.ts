import { ImportItem } from "../../xml/imports-document"
import { applyExtraFields } from "../extra-fields"
import { buildProductDocument } from "../product-document"

const item = (reference: string): ImportItem => ({
  type: "product",
  operation: "merge",
  externalReference: reference,
  fields: [
    ["externalReference", reference],
    ["description", "A tee"],
    ["barcode", "123"],
    ["type", "default"],
    ["activated", true],
  ],
})

describe("applyExtraFields (the productExportFields hook's result)", () => {
  it("replaces fields in place, appends new ones and removes those set to null", () => {
    const { items, rejected } = applyExtraFields([item("A"), item("B")], {
      A: { description: "Better tee", userDefined1: "summer", costNet: 7.5, barcode: null },
      UNKNOWN: { userDefined1: "ignored" },
    })
    expect(rejected).toEqual([])
    expect(items[0].fields).toEqual([
      ["externalReference", "A"],
      ["description", "Better tee"],
      ["barcode", null],
      ["type", "default"],
      ["activated", true],
      ["userDefined1", "summer"],
      ["costNet", 7.5],
    ])
    expect(items[1]).toEqual(item("B"))
  })

  it("leaves items alone when the hook returned nothing", () => {
    expect(applyExtraFields([item("A")], undefined)).toEqual({ items: [item("A")], rejected: [] })
  })

  it.each([
    [{ A: { "bad key": "x" } }, 'productExportFields hook: invalid field name "bad key"'],
    [{ A: { externalReference: "B" } }, "productExportFields hook: externalReference cannot be changed by the productExportFields hook"],
    [{ A: { weight: Number.NaN } }, "productExportFields hook: field weight must be a finite number"],
    [{ A: { tags: ["x"] } }, "productExportFields hook: field tags must be a string, number, boolean or null, got array"],
    [{ A: "userDefined1=x" }, "productExportFields hook: the entry must be an object of field → value"],
  ])("fails only the line an invalid entry is for (%j)", (extra, message) => {
    const { items, rejected } = applyExtraFields([item("A"), item("B")], extra)
    expect(rejected).toEqual([{ reference: "A", message }])
    expect(items.map((i) => i.externalReference)).toEqual(["B"])
  })

  it("fails every line when the hook does not return an object keyed by SKU", () => {
    expect(applyExtraFields([item("A")], ["A"]).rejected).toEqual([{ reference: "A", message: "the productExportFields hook must return an object keyed by SKU" }])
  })

  it("writes the extra fields into the document, escaped like any other value", () => {
    const built = buildProductDocument(
      { mapped: [{ export_item_id: "ofexi_a", reference: "A", item: item("A") }], rejected: [] },
      { A: { userDefined1: "<5 & =6\nok" } }
    )
    expect(built.document).toContain("    userDefined1=&lt;5 &amp; =6[BR]ok\n")
    expect(built.sent).toEqual([{ id: "ofexi_a", reference: "A" }])
  })
})
