import { paymentState } from "./eligibility"
import { formatMoney, MAX_LONG_TEXT, multiLine, oneLine, roundMoney, toAmount, toDate } from "./format"
import { planOrderLines, PlannedLine } from "./order-lines"
import type { SourceAddress, SourceOrder, SourceShippingOption, SourceVariant } from "./source"

// Medusa order → the values of one OrderFlow order import (seed 002, "Order
// Import"). Everything is decided here; order-document.ts only writes it.

export type ExportAddress = {
  /** addressLine1..6, packed without gaps (address_1, address_2, city, province). */
  lines: string[]
  countryCode: string
  postCode: string
  contactName: string
  emailAddress: string
  phone: string
  companyName: string
}

export type ExportOrder = {
  reference: string
  placedAt: Date
  authorisedAt: Date | null
  channel: string
  currency: string
  totals: { net: number; gross: number; tax: number }
  shipping: { net: number; gross: number; tax: number }
  customerComment: string
  paymentTransactionInfo: string
  delivery: ExportAddress
  invoice: ExportAddress
  shipment: { externalReference: string; deliverySuggestionCode: string; deliverySuggestionName: string; deliveryInstruction: string }
  lines: PlannedLine[]
  attributes: Array<{ name: string; title: string; value: string }>
  /** SKUs embedded as product.N definitions (the merge repair); empty normally. */
  products: Array<{ sku: string; description: string }>
}

export type MapOrderContext = {
  reference: string
  /** The OrderFlow channel (settings.api.channel). */
  channel: string
  variants: ReadonlyMap<string, SourceVariant>
  shippingOptions: ReadonlyMap<string, SourceShippingOption>
  /** Order metadata keys sent as orderAttribute.N (settings.orderExport.orderAttributes). */
  orderAttributes: ReadonlyArray<string>
  /** SKUs to embed as product definitions (merge), or none. */
  embedSkus?: ReadonlySet<string>
}

export type MappedOrder = { order: ExportOrder; problems: string[] }

/** Order metadata keys read for the customer comment and the delivery instruction, first found wins. */
export const CUSTOMER_COMMENT_KEYS = ["customer_comment", "comment", "note"] as const
export const DELIVERY_INSTRUCTION_KEYS = ["delivery_instruction", "delivery_instructions"] as const

const ADDRESS_LINES = 6

export function mapAddress(address: SourceAddress | null | undefined, email: string | null | undefined): ExportAddress {
  const a = address ?? {}
  const lines = [a.address_1, a.address_2, a.city, a.province].map((l) => oneLine(l)).filter((l) => l !== "")
  return {
    lines: [...lines, ...Array(ADDRESS_LINES).fill("")].slice(0, ADDRESS_LINES),
    // ISO 3166-1 alpha-2 as Medusa holds it, upper-cased ("GB"; the guide's example shows "UK").
    countryCode: oneLine(a.country_code, 2).toUpperCase(),
    postCode: oneLine(a.postal_code, 32),
    contactName: oneLine([a.first_name, a.last_name].map((n) => oneLine(n)).filter(Boolean).join(" ")),
    emailAddress: oneLine(email),
    phone: oneLine(a.phone, 64),
    companyName: oneLine(a.company),
  }
}

function hasAddress(address: SourceAddress | null | undefined): boolean {
  return !!address && [address.address_1, address.address_2, address.city, address.postal_code].some((v) => oneLine(v) !== "")
}

function metadataText(metadata: Record<string, unknown> | null | undefined, keys: ReadonlyArray<string>): string {
  for (const key of keys) {
    const value = metadata?.[key]
    if (value !== undefined && value !== null && value !== "") return multiLine(value)
  }
  return ""
}

function promotionCodes(order: SourceOrder): string[] {
  const codes = [
    ...(order.items ?? []).flatMap((i) => i.adjustments ?? []),
    ...(order.shipping_methods ?? []).flatMap((m) => m.adjustments ?? []),
  ]
    .map((a) => oneLine(a?.code))
    .filter((c) => c !== "")
  return [...new Set(codes)]
}

export function mapOrder(source: SourceOrder, ctx: MapOrderContext): MappedOrder {
  const problems: string[] = []
  const placedAt = toDate(source.created_at)
  if (!placedAt) problems.push("the order has no creation date")
  const payment = paymentState(source)
  const { lines, problems: lineProblems } = planOrderLines(source.items ?? [], ctx.variants)
  problems.push(...lineProblems)
  if (!lines.length && !lineProblems.length) problems.push("no items shipped from stock (only digital or non-inventory items)")

  // A delivery address is what the warehouse cannot do without; the invoice
  // address falls back to it (and only in that direction).
  if (!hasAddress(source.shipping_address)) problems.push("the order has no delivery address")
  const delivery = mapAddress(source.shipping_address, source.email)
  const invoice = mapAddress(hasAddress(source.billing_address) ? source.billing_address : source.shipping_address, source.email)

  const method = (source.shipping_methods ?? [])[0]
  const option = method?.shipping_option_id ? ctx.shippingOptions.get(method.shipping_option_id) : undefined

  const total = roundMoney(toAmount(source.total))
  const tax = roundMoney(toAmount(source.tax_total))
  const shippingGross = roundMoney(toAmount(source.shipping_total))
  const shippingTax = roundMoney(toAmount(source.shipping_tax_total))

  const attributes: ExportOrder["attributes"] = []
  const codes = promotionCodes(source)
  const discount = roundMoney(toAmount(source.discount_total))
  if (codes.length) attributes.push({ name: "promotionCodes", title: "Promotion codes", value: oneLine(codes.join(", "), MAX_LONG_TEXT) })
  if (codes.length || discount !== 0) attributes.push({ name: "discountTotal", title: "Discount total", value: formatMoney(discount) })
  for (const key of ctx.orderAttributes) {
    const value = source.metadata?.[key]
    if (value === undefined || value === null || value === "") continue
    attributes.push({ name: oneLine(key, 64), title: oneLine(key, 64), value: multiLine(value) })
  }

  const embed = ctx.embedSkus ?? new Set<string>()
  const products: ExportOrder["products"] = []
  for (const line of lines) {
    if (embed.has(line.sku) && !products.some((p) => p.sku === line.sku)) {
      products.push({ sku: line.sku, description: line.description || line.sku })
    }
  }

  return {
    problems,
    order: {
      reference: ctx.reference,
      placedAt: placedAt ?? new Date(0),
      authorisedAt: payment.authorisedAt,
      channel: oneLine(ctx.channel),
      currency: oneLine(source.currency_code, 3).toUpperCase(),
      totals: { gross: total, tax, net: roundMoney(total - tax) },
      shipping: { gross: shippingGross, tax: shippingTax, net: roundMoney(shippingGross - shippingTax) },
      customerComment: metadataText(source.metadata, CUSTOMER_COMMENT_KEYS),
      paymentTransactionInfo: oneLine(payment.paymentIds.join(", ")),
      delivery,
      invoice,
      shipment: {
        // One shipment per order; "-1" keeps it apart from order references.
        externalReference: `${ctx.reference}-1`,
        deliverySuggestionCode: oneLine(option?.type?.code),
        deliverySuggestionName: oneLine(method?.name || option?.name || option?.type?.label),
        deliveryInstruction: metadataText(source.metadata, DELIVERY_INSTRUCTION_KEYS),
      },
      lines,
      attributes,
      products,
    },
  }
}
