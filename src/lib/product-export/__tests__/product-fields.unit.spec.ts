import { DEFAULT_TAX_CODES, strictImportProblem } from "orderflow-simulator/import-fields"
import { parseProperties } from "orderflow-simulator/properties"
import { parseImportsDocument } from "orderflow-simulator/xml"
import { buildProductDocument, mapProductUnits } from "../product-document"
import { DEFAULT_MAPPING_OPTIONS, ExportedVariant, priceFields, productDescription, ProductMappingOptions, ProductUnitFacts } from "../product-fields"

const options: ProductMappingOptions = { ...DEFAULT_MAPPING_OPTIONS, channel: "medusa" }

const teeVariant = (over: Partial<ExportedVariant> = {}): ExportedVariant => ({
  id: "variant_1",
  title: "S",
  sku: "TEE-S",
  barcode: "5012345678900",
  ean: null,
  upc: null,
  weight: 180,
  length: null,
  width: null,
  height: null,
  thumbnail: null,
  product: { id: "prod_1", title: "Classic Tee", thumbnail: null, weight: null, length: null, width: null, height: null },
  price: { amount: 20, tax_inclusive: false, currency_code: "gbp" },
  tax: { rate: 20, code: "VAT" },
  ...over,
})

const unit = (over: Partial<ProductUnitFacts> = {}): ProductUnitFacts => ({
  export_item_id: "ofexi_1",
  reference: "TEE-S",
  activated: true,
  item: { id: "iitem_1", sku: "TEE-S", title: "Classic Tee S", description: null, weight: null, length: null, width: null, height: null, thumbnail: null },
  variant: teeVariant(),
  ...over,
})

const documentOf = (units: ProductUnitFacts[], opts = options, extra?: unknown) => buildProductDocument(mapProductUnits(units, opts), extra)

describe("product import document", () => {
  it("writes a variant as a merge item with seed 002's fields only, in the documented order: no barcode, dimensions or taxCode", () => {
    const built = documentOf([unit({ variant: teeVariant({ length: 30, width: 20, height: 0 }) })])
    expect(built.sent).toEqual([{ id: "ofexi_1", reference: "TEE-S" }])
    expect(built.rejected).toEqual([])
    expect(built.document).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<imports>
  <import type="product" operation="merge" externalReference="TEE-S">
    externalReference=TEE-S
    description=Classic Tee - S
    weight=180
    weightUnits=grams
    priceNet=20.00
    priceGross=24.00
    tax=4.00
    currency=GBP
    channel=medusa
    type=default
    activated=true
  </import>
</imports>
`)
  })

  it("adds barcode and dimensions only with the extendedFields setting", () => {
    const built = documentOf([unit({ variant: teeVariant({ length: 30, width: 20, height: 0 }) })], { ...options, extendedFields: true })
    expect(built.document).toContain(
      "    description=Classic Tee - S\n    barcode=5012345678900\n    weight=180\n    weightUnits=grams\n    length=30\n    width=20\n    height=0\n    dimensionUnits=centimetres\n    priceNet=20.00\n"
    )
    expect(built.document).not.toContain("taxCode")
  })

  it("passes the strict simulator's check of seed 002's product fields for a live, a kit-only and a deactivated SKU", () => {
    const lid = { id: "iitem_2", sku: "LID", title: "Lid", description: null, weight: 40, length: 5, width: 5, height: 1, thumbnail: null }
    const built = documentOf(
      [
        unit({ variant: teeVariant({ length: 30, thumbnail: "https://cdn/t.png" }) }),
        unit({ export_item_id: "ofexi_2", reference: "LID", item: lid, variant: null }),
        unit({ export_item_id: "ofexi_3", reference: "GONE", activated: false, item: null, variant: null }),
      ],
      { ...options, includeImage: true, placeholderImage: "https://cdn/p.png" }
    )
    const items = parseImportsDocument(built.document!)
    expect(items).toHaveLength(3)
    for (const item of items) {
      const problem = strictImportProblem("product", parseProperties(item.text).values, { taxCodes: DEFAULT_TAX_CODES })
      expect([item.attributes.externalReference, problem]).toEqual([item.attributes.externalReference, undefined])
    }
  })

  it("writes a kit component from its inventory item, without a price, and no channel line when none is set", () => {
    const built = documentOf(
      [
        unit({
          export_item_id: "ofexi_lid",
          reference: "MUG-LID",
          item: { id: "iitem_lid", sku: "MUG-LID", title: "Enamel mug lid", description: null, weight: 40, length: null, width: null, height: null, thumbnail: null },
          variant: null,
        }),
      ],
      { ...options, channel: "" }
    )
    expect(built.document).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<imports>
  <import type="product" operation="merge" externalReference="MUG-LID">
    externalReference=MUG-LID
    description=Enamel mug lid
    weight=40
    weightUnits=grams
    type=default
    activated=true
  </import>
</imports>
`)
  })

  it("switches a deleted SKU off with a minimal item", () => {
    const built = documentOf([unit({ activated: false, item: null, variant: null, reference: "HOOD-S" })])
    expect(built.document).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<imports>
  <import type="product" operation="merge" externalReference="HOOD-S">
    externalReference=HOOD-S
    channel=medusa
    type=default
    activated=false
  </import>
</imports>
`)
  })

  it("keeps zero as a value: a free item, zero weight and a zero tax rate", () => {
    const built = documentOf([unit({ variant: teeVariant({ weight: 0, price: { amount: 0, tax_inclusive: false, currency_code: "gbp" }, tax: { rate: 0, code: "ZERO" } }) })])
    expect(built.document).toContain("    weight=0\n    weightUnits=grams\n")
    expect(built.document).toContain("    priceNet=0.00\n    priceGross=0.00\n    tax=0.00\n    currency=GBP\n")
  })

  it("escapes any title so that it cannot break the document, keeping = and line breaks as [BR]", () => {
    const built = documentOf(
      [
        unit({
          variant: teeVariant({
            title: "XL\r\nTall",
            product: { ...teeVariant().product, title: 'Tee <b>&amp; "co"</b> ]]> a=b' },
            barcode: null,
            ean: "4006381333931",
          }),
        }),
      ],
      { ...options, extendedFields: true }
    )
    expect(built.document).toContain('    description=Tee &lt;b&gt;&amp;amp; "co"&lt;/b&gt; ]]&gt; a=b - XL[BR]Tall\n')
    expect(built.document).toContain("    barcode=4006381333931\n")
    expect(built.document).not.toContain("]]>")
  })

  it("uses the item's SKU when it changed after the row was queued", () => {
    const built = documentOf([unit({ reference: "OLD-SKU" })])
    expect(built.sent).toEqual([{ id: "ofexi_1", reference: "TEE-S" }])
    expect(built.document).toContain('externalReference="TEE-S"')
  })

  describe("include image (seed 000: no image and no default image fails the export)", () => {
    const withImage = { ...options, includeImage: true }
    it("sends the variant thumbnail, else the product's", () => {
      expect(documentOf([unit({ variant: teeVariant({ thumbnail: "https://cdn/v.png" }) })], withImage).document).toContain("    imageReference=https://cdn/v.png\n")
      const productOnly = teeVariant({ product: { ...teeVariant().product, thumbnail: "https://cdn/p.png" } })
      expect(documentOf([unit({ variant: productOnly })], withImage).document).toContain("    imageReference=https://cdn/p.png\n")
    })
    it("falls back to the placeholder, else fails the line with a clear message", () => {
      expect(documentOf([unit()], { ...withImage, placeholderImage: "https://cdn/none.png" }).document).toContain(
        "    imageReference=https://cdn/none.png\n"
      )
      const failed = documentOf([unit()], withImage)
      expect(failed.document).toBeNull()
      expect(failed.sent).toEqual([])
      expect(failed.rejected).toEqual([
        {
          id: "ofexi_1",
          reference: "TEE-S",
          message:
            "Include image is on, but the product has no image and no placeholder image is configured (Settings → OrderFlow → Product export)",
        },
      ])
    })
    it("leaves imageReference out when include image is off", () => {
      expect(documentOf([unit({ variant: teeVariant({ thumbnail: "https://cdn/v.png" }) })]).document).not.toContain("imageReference")
    })
  })

  it("sends a SKU once per document; the second row waits for the next batch", () => {
    const built = documentOf([unit(), unit({ export_item_id: "ofexi_2" })])
    expect(built.sent).toEqual([{ id: "ofexi_1", reference: "TEE-S" }])
    expect(built.rejected).toEqual([])
    expect(built.document!.match(/<import /g)).toHaveLength(1)
  })
})

describe("productDescription", () => {
  it.each([
    ["Classic Tee", "M", "Classic Tee - M"],
    ["Enamel Mug", "Default", "Enamel Mug"],
    ["Enamel Mug", "Default variant", "Enamel Mug"],
    ["Enamel Mug", "enamel mug", "Enamel Mug"],
    ["Enamel Mug", null, "Enamel Mug"],
    ["", "Blue", "Blue"],
  ])("%s + %s → %s", (product, variant, expected) => {
    expect(productDescription(product, variant)).toBe(expected)
  })
})

describe("priceFields", () => {
  it("derives gross and tax from a tax-exclusive price", () => {
    expect(priceFields(20, false, 20, "gbp")).toEqual({ priceNet: "20.00", priceGross: "24.00", tax: "4.00" })
    expect(priceFields(9.99, false, 17.5, "GBP")).toEqual({ priceNet: "9.99", priceGross: "11.74", tax: "1.75" })
  })
  it("derives net and tax from a tax-inclusive price, so that net + tax = gross", () => {
    expect(priceFields(20, true, 20, "gbp")).toEqual({ priceNet: "16.67", priceGross: "20.00", tax: "3.33" })
    expect(priceFields(0.01, true, 20, "eur")).toEqual({ priceNet: "0.01", priceGross: "0.01", tax: "0.00" })
  })
  it("uses the currency's decimals", () => {
    expect(priceFields(1500, false, 10, "jpy")).toEqual({ priceNet: "1500", priceGross: "1650", tax: "150" })
    expect(priceFields(1.2345, false, 0, "kwd")).toEqual({ priceNet: "1.235", priceGross: "1.235", tax: "0.000" })
  })
  it("sends only the side it knows when there is no tax rate", () => {
    expect(priceFields(20, false, null, "gbp")).toEqual({ priceNet: "20.00", priceGross: null, tax: null })
    expect(priceFields(20, true, null, "gbp")).toEqual({ priceNet: null, priceGross: "20.00", tax: null })
  })
  it("is not fooled by binary fractions", () => {
    expect(priceFields(1.005, false, 0, "gbp").priceNet).toBe("1.01")
    expect(priceFields(0.1 + 0.2, false, 0, "gbp").priceNet).toBe("0.30")
  })
})
