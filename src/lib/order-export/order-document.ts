import { buildImportsDocument, ImportItem, ImportValue } from "../xml/imports-document"
import { formatMoney, formatOrderflowDateTime } from "./format"
import type { ExportAddress, ExportOrder } from "./map-order"

// Writes one order as an `<import type="order">` item, field names exactly as
// in seed 002's Order Import example. Escaping, `[BR]` for line breaks and
// forbidden characters are buildImportsDocument's job: every value here is a
// plain string, so no data can break the document or add a key.

export type OrderDocumentOptions = {
  /** `insert` normally; `merge` when product definitions are embedded (seed 002, "Merging orders with product definitions"). */
  operation: "insert" | "merge" | "reinsert"
  /** IANA time zone for placed/authorised; UTC when empty. */
  timeZone?: string | null
}

type Field = readonly [string, ImportValue]

function addressFields(prefix: "delivery" | "invoice", a: ExportAddress): Field[] {
  return [
    ...a.lines.map((line, i): Field => [`${prefix}AddressLine${i + 1}`, line]),
    [`${prefix}CountryCode`, a.countryCode],
    [`${prefix}PostCode`, a.postCode],
    [`${prefix}ContactName`, a.contactName],
    [`${prefix}EmailAddress`, a.emailAddress],
    [`${prefix}DayPhoneNumber`, a.phone],
    [`${prefix}CompanyName`, a.companyName],
  ]
}

export function orderImportItem(order: ExportOrder, { operation, timeZone }: OrderDocumentOptions): ImportItem {
  const productIndex = new Map(order.products.map((p, i) => [p.sku, i + 1]))
  const fields: Field[] = [
    ["state", "created"],
    ["validated", "true"],
    ["paymentTransactionInfo", order.paymentTransactionInfo],
    ["customerComment", order.customerComment],
    ["totalPriceNet", formatMoney(order.totals.net)],
    ["totalPriceGross", formatMoney(order.totals.gross)],
    ["totalTax", formatMoney(order.totals.tax)],
    ["shippingPriceNet", formatMoney(order.shipping.net)],
    ["shippingPriceGross", formatMoney(order.shipping.gross)],
    ["shippingTax", formatMoney(order.shipping.tax)],
    ["currency", order.currency],
    ["placed", formatOrderflowDateTime(order.placedAt, timeZone)],
    ["authorised", order.authorisedAt ? formatOrderflowDateTime(order.authorisedAt, timeZone) : ""],
    ["channel", order.channel],
    ...addressFields("delivery", order.delivery),
    ...addressFields("invoice", order.invoice),
  ]
  order.products.forEach((p, i) => {
    const n = i + 1
    fields.push(
      [`product.${n}.externalReference`, p.sku],
      [`product.${n}.description`, p.description],
      [`product.${n}.type`, "default"],
      [`product.${n}.activated`, "true"]
    )
  })
  fields.push(
    ["shipment.externalReference", order.shipment.externalReference],
    ["shipment.deliveryInstruction", order.shipment.deliveryInstruction],
    ["shipment.deliverySuggestionCode", order.shipment.deliverySuggestionCode],
    ["shipment.deliverySuggestionName", order.shipment.deliverySuggestionName],
    ["shipment.orderItem", "entity:order"]
  )
  order.lines.forEach((line, i) => {
    const n = i + 1
    const embedded = productIndex.get(line.sku)
    const unit = (total: number) => formatMoney(line.quantity ? total / line.quantity : 0)
    fields.push(
      embedded ? [`orderLine.${n}.product`, `entity:product.${embedded}`] : [`orderLine.${n}.product.externalReference`, line.sku],
      [`orderLine.${n}.quantity`, String(line.quantity)],
      [`orderLine.${n}.state`, "created"],
      [`orderLine.${n}.totalPriceNet`, formatMoney(line.totalNet)],
      [`orderLine.${n}.totalPriceGross`, formatMoney(line.totalGross)],
      [`orderLine.${n}.totalTax`, formatMoney(line.totalTax)],
      [`orderLine.${n}.unitPriceNet`, unit(line.totalNet)],
      [`orderLine.${n}.unitPriceGross`, unit(line.totalGross)],
      [`orderLine.${n}.unitTax`, unit(line.totalTax)],
      [`orderLine.${n}.thirdPartyReference`, line.lineItemId],
      [`orderLine.${n}.shipment`, "entity:shipment"]
    )
  })
  order.attributes.forEach((a, i) => {
    const n = i + 1
    fields.push(
      [`orderAttribute.${n}.name`, a.name],
      [`orderAttribute.${n}.title`, a.title],
      [`orderAttribute.${n}.value`, a.value],
      [`orderAttribute.${n}.orderItem`, "entity:order"]
    )
  })
  return { type: "order", operation, externalReference: order.reference, fields }
}

/** The `<imports>` document for these orders, each with its own operation. */
export function buildOrderImportsDocument(orders: ReadonlyArray<{ order: ExportOrder; operation: "insert" | "merge" | "reinsert" }>, timeZone?: string | null): string {
  return buildImportsDocument(orders.map(({ order, operation }) => orderImportItem(order, { operation, timeZone })))
}
