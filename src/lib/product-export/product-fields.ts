import type { ImportItem, ImportValue } from "../xml/imports-document"

// One stock-keeping unit as an OrderFlow product import item (seed 002,
// "Product Import" / "Product Update"). Always `operation="merge"`: OrderFlow
// creates the product when it is new and updates it otherwise, so a re-send
// after a lost reply is harmless (seed 003: retries rely on idempotency).
// Field order follows the documented example. Only fields seed 002 documents
// are sent by default (a strict OrderFlow fails an item with any other);
// barcode and dimensions, which Medusa has and the seed does not list, only
// with the extendedFields setting. The mapping table in the README section
// "Product export" describes the same rules for merchants.

export type ExportedVariant = {
  id: string
  title: string | null
  sku: string | null
  barcode: string | null
  ean: string | null
  upc: string | null
  weight: number | null
  length: number | null
  width: number | null
  height: number | null
  thumbnail: string | null
  product: {
    id: string
    title: string
    thumbnail: string | null
    weight: number | null
    length: number | null
    width: number | null
    height: number | null
  }
  /** The variant's price in the store's default currency, as Medusa calculates it for the default region. */
  price: { amount: number; tax_inclusive: boolean; currency_code: string } | null
  /** The region's tax rate for this product (percent), or null when the store has no tax set up for it. */
  tax: { rate: number; code: string | null } | null
}

export type ExportedInventoryItem = {
  id: string
  sku: string | null
  title: string | null
  description: string | null
  weight: number | null
  length: number | null
  width: number | null
  height: number | null
  thumbnail: string | null
}

export type ProductUnitFacts = {
  /** The export item row (its id is what the engine settles). */
  export_item_id: string
  /** The reference the row was queued under. */
  reference: string
  /** false once the product was deleted or is no longer stocked (OrderFlow: activated=false). */
  activated: boolean
  /** The inventory item, or null when it no longer exists in Medusa. */
  item: ExportedInventoryItem | null
  /**
   * The variant this item *is* (a variant stocking exactly one unit of it),
   * or null for a component only sold inside kits: then the item's own data is used.
   */
  variant: ExportedVariant | null
}

export type ProductMappingOptions = {
  /** The OrderFlow channel the products belong to (settings api.channel); left out when empty. */
  channel: string
  /** Include Image Field (seed 000). */
  includeImage: boolean
  /** The default image used when a product has none; with includeImage and no image at all the line fails. */
  placeholderImage: string
  /**
   * Also send barcode, length, width, height and dimensionUnits: not among
   * seed 002's product import fields, so only for an OrderFlow known to take them.
   */
  extendedFields: boolean
  /** Medusa stores bare numbers; these name their units for OrderFlow. */
  weightUnits: string
  dimensionUnits: string
}

export const DEFAULT_MAPPING_OPTIONS: ProductMappingOptions = {
  channel: "",
  includeImage: false,
  placeholderImage: "",
  extendedFields: false,
  weightUnits: "grams",
  dimensionUnits: "centimetres",
}

export type MappedProduct = { ok: true; item: ImportItem } | { ok: false; message: string }

const DEFAULT_VARIANT_TITLE = /^default( variant| title| option)?$/i

/** "Classic Tee - M"; a variant title that says nothing ("Default", the product title again) is left out. */
export function productDescription(productTitle: string, variantTitle: string | null): string {
  const product = productTitle.trim()
  const variant = (variantTitle ?? "").trim()
  if (!variant || DEFAULT_VARIANT_TITLE.test(variant) || variant.toLowerCase() === product.toLowerCase()) return product
  if (!product) return variant
  return `${product} - ${variant}`
}

/** Decimal places of a currency (2 for GBP, 0 for JPY), from the platform's ICU data. */
export function currencyDigits(currencyCode: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currencyCode.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    return 2
  }
}

export type PriceFields = { priceNet: string | null; priceGross: string | null; tax: string | null }

/**
 * Net, gross and tax of one unit, in minor units so that net + tax = gross
 * exactly. A tax-inclusive price is the gross; otherwise it is the net.
 * Without a tax rate only the side the price states is known.
 */
export function priceFields(amount: number, taxInclusive: boolean, ratePercent: number | null, currencyCode: string): PriceFields {
  const digits = currencyDigits(currencyCode)
  const factor = 10 ** digits
  const minor = Math.round(Number((amount * factor).toPrecision(15)))
  const write = (m: number) => (m / factor).toFixed(digits)
  if (ratePercent === null) {
    return taxInclusive ? { priceNet: null, priceGross: write(minor), tax: null } : { priceNet: write(minor), priceGross: null, tax: null }
  }
  if (taxInclusive) {
    const net = Math.round(minor / (1 + ratePercent / 100))
    return { priceNet: write(net), priceGross: write(minor), tax: write(minor - net) }
  }
  const tax = Math.round(Number(((minor * ratePercent) / 100).toPrecision(15)))
  return { priceNet: write(minor), priceGross: write(minor + tax), tax: write(tax) }
}

const firstNumber = (...values: Array<number | null | undefined>): number | null => {
  for (const v of values) if (v !== null && v !== undefined && Number.isFinite(Number(v))) return Number(v)
  return null
}
const firstText = (...values: Array<string | null | undefined>): string | null => {
  for (const v of values) if (typeof v === "string" && v.trim() !== "") return v.trim()
  return null
}

/** The `<import>` item for one unit, or why it cannot be sent. */
export function mapProductUnit(facts: ProductUnitFacts, options: ProductMappingOptions = DEFAULT_MAPPING_OPTIONS): MappedProduct {
  const reference = facts.item?.sku?.trim() || facts.reference
  const fields: Array<[string, ImportValue]> = [["externalReference", reference]]
  const item = facts.item
  const variant = facts.variant
  const live = facts.activated && item !== null

  if (!live) {
    // Deactivation: OrderFlow keeps the product and its history; only say it is gone.
    fields.push(["description", item ? firstText(item.title, item.description) : null])
    fields.push(["channel", options.channel || null], ["type", "default"], ["activated", false])
    return { ok: true, item: { type: "product", operation: "merge", externalReference: reference, fields } }
  }

  const description = variant
    ? productDescription(variant.product.title, variant.title)
    : firstText(item.title, item.description) ?? reference
  fields.push(["description", description])
  if (options.extendedFields) fields.push(["barcode", variant ? firstText(variant.barcode, variant.ean, variant.upc) : null])

  const weight = variant ? firstNumber(variant.weight, variant.product.weight, item.weight) : firstNumber(item.weight)
  fields.push(["weight", weight], ["weightUnits", weight === null ? null : options.weightUnits])
  if (options.extendedFields) {
    const dims = (["length", "width", "height"] as const).map(
      (k) => [k, variant ? firstNumber(variant[k], variant.product[k], item[k]) : firstNumber(item[k])] as [string, number | null]
    )
    fields.push(...dims)
    fields.push(["dimensionUnits", dims.some(([, v]) => v !== null) ? options.dimensionUnits : null])
  }

  if (options.includeImage) {
    const image = firstText(variant?.thumbnail, variant?.product.thumbnail, item.thumbnail, options.placeholderImage)
    if (!image) {
      return {
        ok: false,
        message:
          "Include image is on, but the product has no image and no placeholder image is configured (Settings → OrderFlow → Product export)",
      }
    }
    fields.push(["imageReference", image])
  }

  if (variant?.price) {
    const { amount, tax_inclusive, currency_code } = variant.price
    const price = priceFields(amount, tax_inclusive, variant.tax ? variant.tax.rate : null, currency_code)
    fields.push(["priceNet", price.priceNet], ["priceGross", price.priceGross], ["tax", price.tax])
    // No taxCode: OrderFlow's tax codes are its own reference data (seed 002
    // writes T1, T2) and it fails an item with a code it does not know, while
    // Medusa's tax rate codes are whatever the merchant typed ("VAT"). The
    // amounts above carry the tax; a merchant whose codes match adds taxCode
    // with the productExportFields hook. The order export sends none either.
    fields.push(["currency", currency_code.toUpperCase()])
  }

  fields.push(["channel", options.channel || null], ["type", "default"], ["activated", true])
  return { ok: true, item: { type: "product", operation: "merge", externalReference: reference, fields } }
}
