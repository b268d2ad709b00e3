import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, defaultCurrencies, MEDUSA_EPSILON } from "@medusajs/framework/utils"
import { withOrderTotals, type SourceOrder, type SourceShippingOption, type SourceVariant } from "../../lib/order-export"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"

// Loading what the order export reads, through Medusa's Query. Every loader
// takes a whole set of ids and issues a fixed number of queries for it
// (chunked at CHUNK ids): no per-order loops, so a batch of 100 orders costs
// the same number of round trips as a batch of 1. An empty set issues none
// (an empty filter would match every row).

const CHUNK = 500

/**
 * What the order's totals are computed from (lib/order-export/order-totals.ts).
 * Query is never asked for `total`, `items.total` & co.: any of them makes
 * the order module decorate each order with all its totals in BigNumber
 * objects, most of an export batch's time (issue 17). The raw_ values are
 * the stored decimals Medusa computes from (all 20 significant digits).
 */
export const TOTALS_INPUT_FIELDS = [
  // The order item (detail) holds the quantity and, when the price was
  // changed after placing, the unit price; the order module reads these over
  // the line item's. Naming one detail field stops it from loading them all,
  // so each is named.
  "items.detail.quantity",
  "items.detail.raw_quantity",
  "items.detail.unit_price",
  "items.detail.raw_unit_price",
  "items.detail.raw_return_received_quantity",
  "items.detail.raw_return_dismissed_quantity",
  "items.unit_price",
  "items.raw_unit_price",
  "items.raw_quantity",
  "items.is_tax_inclusive",
  "items.tax_lines.rate",
  "items.tax_lines.raw_rate",
  "items.adjustments.amount",
  "items.adjustments.raw_amount",
  "items.adjustments.is_tax_inclusive",
  "shipping_methods.amount",
  "shipping_methods.raw_amount",
  "shipping_methods.is_tax_inclusive",
  "shipping_methods.tax_lines.rate",
  "shipping_methods.tax_lines.raw_rate",
  "shipping_methods.adjustments.amount",
  "shipping_methods.adjustments.raw_amount",
  "shipping_methods.adjustments.is_tax_inclusive",
  "credit_lines.amount",
  "credit_lines.raw_amount",
]

/** What deciding eligibility needs (the total, against the captured amount, is computed from TOTALS_INPUT_FIELDS). */
const ELIGIBILITY_FIELDS = [
  "id",
  "display_id",
  "status",
  "created_at",
  "canceled_at",
  "currency_code",
  ...TOTALS_INPUT_FIELDS,
  "items.id",
  "items.title",
  "items.variant_id",
  "items.variant_sku",
  "items.quantity",
  "items.requires_shipping",
  "items.is_giftcard",
  "payment_collections.status",
  "payment_collections.amount",
  "payment_collections.captured_amount",
  "payment_collections.completed_at",
  "payment_collections.payments.id",
  "payment_collections.payments.captured_at",
  "payment_collections.payments.canceled_at",
]

const ADDRESS_FIELDS = ["first_name", "last_name", "company", "address_1", "address_2", "city", "province", "postal_code", "country_code", "phone"]

/** Everything the order import document carries. */
export const EXPORT_FIELDS = [
  ...ELIGIBILITY_FIELDS,
  "email",
  "metadata",
  "items.product_title",
  "items.variant_title",
  "items.adjustments.code",
  ...ADDRESS_FIELDS.map((f) => `shipping_address.${f}`),
  ...ADDRESS_FIELDS.map((f) => `billing_address.${f}`),
  "shipping_methods.name",
  "shipping_methods.shipping_option_id",
  "shipping_methods.adjustments.code",
  "payment_collections.payments.provider_id",
]

export const VARIANT_FIELDS = ["id", "sku", "title", "manage_inventory", "inventory_items.required_quantity", "inventory_items.inventory.sku", "inventory_items.inventory.title"]

export type OrderFacts = {
  orders: Map<string, SourceOrder>
  variants: Map<string, SourceVariant>
  shippingOptions: Map<string, SourceShippingOption>
}

/** Medusa's own epsilon (MEDUSA_EPSILON, read by Medusa at start-up); `.numeric` would round the epsilon itself to 0. */
const EPSILON = MEDUSA_EPSILON.bigNumber?.toNumber() ?? 0.0001

/** The order with its totals, computed as Medusa's order module computes them (order-totals.ts). */
function withTotals(order: SourceOrder): SourceOrder {
  const digits = defaultCurrencies[(order.currency_code ?? "").toUpperCase()]?.decimal_digits
  return withOrderTotals(order, { currencyDigits: digits ?? 2, epsilon: EPSILON })
}

function chunks<T>(values: T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size))
  return out
}

async function graph<T>(container: MedusaContainer, entity: string, fields: string[], ids: string[]): Promise<T[]> {
  if (!ids.length) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const out: T[] = []
  for (const part of chunks([...new Set(ids)])) {
    const { data } = await query.graph({ entity, fields, filters: { id: part } })
    out.push(...(data as T[]))
  }
  return out
}

/**
 * Orders with their items' variants (and the variants' inventory items, for
 * kits) and, with `forExport`, addresses, totals, shipping methods and their
 * options, promotions and payments: 3 (or 4 with shipping options) Query
 * calls per chunk of 500 orders.
 */
export async function loadOrderFacts(container: MedusaContainer, orderIds: string[], { forExport = false } = {}): Promise<OrderFacts> {
  const orders = (await graph<SourceOrder>(container, "order", forExport ? EXPORT_FIELDS : ELIGIBILITY_FIELDS, orderIds)).map(withTotals)
  const variantIds = orders.flatMap((o) => (o.items ?? []).map((i) => i.variant_id).filter((id): id is string => !!id))
  const optionIds = forExport
    ? orders.flatMap((o) => (o.shipping_methods ?? []).map((m) => m.shipping_option_id).filter((id): id is string => !!id))
    : []
  const [variants, options] = await Promise.all([
    graph<SourceVariant>(container, "product_variant", VARIANT_FIELDS, variantIds),
    graph<SourceShippingOption>(container, "shipping_option", ["id", "name", "type.code", "type.label"], optionIds),
  ])
  return {
    orders: new Map(orders.map((o) => [o.id, o])),
    variants: new Map(variants.map((v) => [v.id, v])),
    shippingOptions: new Map(options.map((o) => [o.id, o])),
  }
}

/** Variants (with their inventory items, for kits) by id: what planOrderLines needs for items not loaded with an order. */
export async function loadVariants(container: MedusaContainer, variantIds: string[]): Promise<Map<string, SourceVariant>> {
  const variants = await graph<SourceVariant>(container, "product_variant", VARIANT_FIELDS, variantIds)
  return new Map(variants.map((v) => [v.id, v]))
}

export type KnownOrderRow = {
  id: string
  entity_id: string
  reference: string
  status: string
  exported_at: Date | null
  skip_reason: string | null
  cancel_status: string | null
  attempts: number
  last_error: string | null
}

/** The export rows of these orders, by order id. */
export async function loadExportRows(container: MedusaContainer, orderIds: string[]): Promise<Map<string, KnownOrderRow>> {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const out = new Map<string, KnownOrderRow>()
  for (const part of chunks([...new Set(orderIds)], 1000)) {
    const rows = await orderflow.listOrderflowExportItems(
      { entity_type: "order", entity_id: part },
      {
        select: ["id", "entity_id", "reference", "status", "exported_at", "skip_reason", "cancel_status", "attempts", "last_error"],
        take: null,
      }
    )
    for (const row of rows) out.set(row.entity_id, row as unknown as KnownOrderRow)
  }
  return out
}

/** Which of these orders have an export row (any state). */
export async function knownOrderIds(container: MedusaContainer, orderIds: string[]): Promise<Set<string>> {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const out = new Set<string>()
  for (const part of chunks([...new Set(orderIds)], 2000)) {
    const rows = await orderflow.listOrderflowExportItems({ entity_type: "order", entity_id: part }, { select: ["entity_id"], take: null })
    for (const row of rows) out.add(row.entity_id)
  }
  return out
}

/** Orders of the given payments (payment.captured carries a payment id). */
export async function orderIdsOfPayments(container: MedusaContainer, paymentIds: string[]): Promise<string[]> {
  const payments = await graph<{ payment_collection?: { order?: { id?: string } | null } | null }>(
    container,
    "payment",
    ["id", "payment_collection.order.id"],
    paymentIds
  )
  return [...new Set(payments.map((p) => p.payment_collection?.order?.id).filter((id): id is string => !!id))]
}

/** SKUs among `skus` that product export has delivered to OrderFlow. */
export async function exportedProductSkus(container: MedusaContainer, skus: string[]): Promise<Set<string>> {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const out = new Set<string>()
  for (const part of chunks([...new Set(skus)], 1000)) {
    const rows = await orderflow.listOrderflowExportItems(
      { entity_type: "product", reference: part, status: "exported" },
      { select: ["reference"], take: null }
    )
    for (const row of rows) out.add(row.reference)
  }
  return out
}
