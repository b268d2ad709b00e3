import { oneLine, roundMoney, toAmount } from "./format"
import type { SourceLineItem, SourceVariant } from "./source"

// Which items of an order the warehouse ships, and as which OrderFlow lines.
// Seed 002, Product Import: "Virtual products that are not associated with
// physical items of stock in the warehouse should not be sent", and bundles
// are sent as their individual SKUs. In Medusa terms an item is shipped from
// stock when its variant manages inventory (has inventory items) and the item
// requires shipping and is not a gift card (as in product export). A variant
// made of several inventory items, or of one with a required quantity above
// 1, is a kit: one line per component SKU, with the item quantity times the
// component quantity. An item whose variant was deleted after the order was
// placed is sent from what its line item stored (variant_sku, titles); with
// no stored SKU it is a problem that fails the order, never a silent skip.

export type PlannedLine = {
  /** The Medusa line item this line comes from (sent as thirdPartyReference). */
  lineItemId: string
  sku: string
  /** For an embedded product definition (merge repair). */
  description: string
  quantity: number
  totalNet: number
  totalGross: number
  totalTax: number
}

export type PlannedLines = {
  lines: PlannedLine[]
  /** Why the order cannot be sent as it is (empty when it can). */
  problems: string[]
  /** Items left out because nothing of them is shipped from stock. */
  nonStockItems: number
}

/** True when some of this item leaves the warehouse. */
export function isStockItem(item: SourceLineItem, variant: SourceVariant | undefined): boolean {
  if (item.requires_shipping === false || item.is_giftcard === true) return false
  if (!item.variant_id || !variant) return false
  if (variant.manage_inventory === false) return false
  return (variant.inventory_items ?? []).some((link) => !!link)
}

/**
 * True for an item whose product variant was deleted in Medusa after the
 * order was placed: the line item still names it (variant_id) and keeps
 * what was bought (variant_sku, titles), but the variant and its inventory
 * are gone. Such an item still leaves the warehouse unless the line item
 * itself says it is not shipped; it is sent from its stored SKU.
 */
export function isDeletedVariantItem(item: SourceLineItem, variant: SourceVariant | undefined): boolean {
  if (item.requires_shipping === false || item.is_giftcard === true) return false
  return !!item.variant_id && !variant
}

function itemLabel(item: SourceLineItem): string {
  const sku = item.variant_sku ? ` (${item.variant_sku})` : ""
  return `"${oneLine(item.title || item.product_title || item.id, 80)}"${sku}`
}

/** "Classic Tee - M"; the variant title is left out when it adds nothing ("Default", "Default variant"). */
export function productDescription(item: SourceLineItem): string {
  const product = oneLine(item.product_title || item.title || "")
  const variant = oneLine(item.variant_title || "")
  const plain = !variant || /^default( variant| title)?$/i.test(variant) || variant === product
  return oneLine(plain ? product || variant : product ? `${product} - ${variant}` : variant)
}

export function planOrderLines(items: ReadonlyArray<SourceLineItem>, variants: ReadonlyMap<string, SourceVariant>): PlannedLines {
  const lines: PlannedLine[] = []
  const problems: string[] = []
  let nonStockItems = 0
  for (const item of items) {
    const variant = item.variant_id ? variants.get(item.variant_id) : undefined
    if (isDeletedVariantItem(item, variant)) {
      const quantity = toAmount(item.quantity)
      if (quantity === 0) continue
      const sku = oneLine(item.variant_sku || "")
      if (!sku) {
        problems.push(`item ${itemLabel(item)}: its product variant was deleted and the line item has no stored SKU, so OrderFlow cannot be told what to ship`)
        continue
      }
      if (!Number.isInteger(quantity) || quantity < 0) {
        problems.push(`item ${itemLabel(item)} has quantity ${quantity}; OrderFlow takes whole units`)
        continue
      }
      // What was bought, as the line item recorded it (a deleted kit is sent as its own SKU: its components are gone too).
      const gross = roundMoney(toAmount(item.total))
      const tax = roundMoney(toAmount(item.tax_total))
      lines.push({ lineItemId: item.id, sku, description: productDescription(item), quantity, totalGross: gross, totalTax: tax, totalNet: roundMoney(gross - tax) })
      continue
    }
    if (!isStockItem(item, variant)) {
      nonStockItems++
      continue
    }
    const quantity = toAmount(item.quantity)
    if (quantity === 0) continue // removed by an order edit: nothing to ship
    if (!Number.isInteger(quantity) || quantity < 0) {
      problems.push(`item ${itemLabel(item)} has quantity ${quantity}; OrderFlow takes whole units`)
      continue
    }
    const components = (variant!.inventory_items ?? []).filter((c): c is NonNullable<typeof c> => !!c)
    const single = components.length === 1 && toAmount(components[0].required_quantity ?? 1) === 1
    const gross = roundMoney(toAmount(item.total))
    const tax = roundMoney(toAmount(item.tax_total))
    components.forEach((component, index) => {
      const perUnit = toAmount(component.required_quantity ?? 1)
      const sku = oneLine(component.inventory?.sku || (single ? variant!.sku || item.variant_sku : "") || "")
      if (!sku) {
        problems.push(`item ${itemLabel(item)} has no SKU${single ? "" : ` for kit component ${index + 1}`}; OrderFlow needs one per line`)
        return
      }
      if (!Number.isInteger(perUnit) || perUnit <= 0) {
        problems.push(`item ${itemLabel(item)}: kit component ${sku} needs ${perUnit} per unit; OrderFlow takes whole units`)
        return
      }
      // A kit's price belongs to the kit, not to a component: the first
      // component line carries the item's totals, the others 0, so that the
      // lines still add up to the order.
      const first = index === 0
      lines.push({
        lineItemId: item.id,
        sku,
        description: single ? productDescription(item) : oneLine(component.inventory?.title || sku),
        quantity: quantity * perUnit,
        totalGross: first ? gross : 0,
        totalTax: first ? tax : 0,
        totalNet: first ? roundMoney(gross - tax) : 0,
      })
    })
  }
  return { lines, problems, nonStockItems }
}
