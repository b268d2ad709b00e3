import type { OrderChangeKind } from "../../types/statuses"
import { roundMoney, toAmount, toDate } from "./format"
import { mapOrder, MapOrderContext, MappedOrder } from "./map-order"
import { planOrderLines } from "./order-lines"
import type { SourceLineItem, SourceOrder, SourceVariant } from "./source"

// Claims and exchanges (issue 13). Medusa adds a claim's replacement items and
// an exchange's new items to the original order as line items of their own
// (order_claim.additional_items, order_exchange.additional_items). OrderFlow
// gets them as an order of their own, `<original reference>-C1` / `-X1`, so
// that a warehouse which already holds (or despatched) the original order
// ships them on their own; the original order's document never carries them.

/** A confirmed claim or exchange, with its outbound (new) items only. */
export type SourceOrderChange = {
  id: string
  kind: OrderChangeKind
  order_id: string
  created_at: string | Date
  canceled_at?: string | Date | null
  /** The line items it ships, with the quantity it ships of each. */
  items: Array<{ item_id: string; quantity: number }>
}

/** The orderAttribute naming the order a claim or exchange belongs to. */
export const ORIGINAL_ORDER_ATTRIBUTE = "originalOrder"
/** The orderAttribute saying whether it is a claim or an exchange. */
export const ORDER_CHANGE_ATTRIBUTE = "orderChange"

/** `<ref>-C<n>` for the n-th claim of an order sent, `<ref>-X<n>` for the n-th exchange. */
export function changeReference(orderReference: string, kind: OrderChangeKind, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a ${kind} number starts at 1, got ${n}`)
  return `${orderReference}-${kind === "claim" ? "C" : "X"}${n}`
}

/** The original order's reference from a claim's or exchange's (`1001-X2` → `1001`). */
export function originalReferenceOf(reference: string): string {
  return reference.replace(/-[CX][1-9][0-9]*$/, "")
}

/**
 * The outbound items of a claim or exchange as Medusa returns them: an
 * exchange's additional_items are all new items; a claim's hold both the
 * claimed items and the replacements, told apart by is_additional_item.
 */
export function outboundItems(
  kind: OrderChangeKind,
  items: ReadonlyArray<{ item_id?: string | null; quantity?: unknown; is_additional_item?: boolean | null } | null> | null | undefined
): Array<{ item_id: string; quantity: number }> {
  const out = new Map<string, number>()
  for (const i of items ?? []) {
    if (!i?.item_id) continue
    if (kind === "claim" && i.is_additional_item !== true) continue
    const quantity = toAmount(i.quantity as never)
    if (quantity > 0) out.set(i.item_id, (out.get(i.item_id) ?? 0) + quantity)
  }
  return [...out].map(([item_id, quantity]) => ({ item_id, quantity }))
}

function scaled(item: SourceLineItem, quantity: number): SourceLineItem {
  const ordered = toAmount(item.quantity)
  const share = ordered > 0 ? Math.min(quantity, ordered) / ordered : 1
  return {
    ...item,
    quantity: Math.min(quantity, ordered || quantity),
    total: roundMoney(toAmount(item.total) * share),
    tax_total: roundMoney(toAmount(item.tax_total) * share),
  }
}

/**
 * The original order without the items that travel in claims and exchanges
 * of their own: its lines and its totals (the order total Medusa shows after
 * an exchange includes the new items, which this order does not send).
 */
export function withoutChangeItems(source: SourceOrder, itemIds: ReadonlySet<string>): SourceOrder {
  if (!itemIds.size) return source
  const removed = (source.items ?? []).filter((i) => itemIds.has(i.id))
  if (!removed.length) return source
  const sum = (f: (i: SourceLineItem) => number) => removed.reduce((s, i) => s + f(i), 0)
  return {
    ...source,
    items: (source.items ?? []).filter((i) => !itemIds.has(i.id)),
    total: roundMoney(toAmount(source.total) - sum((i) => toAmount(i.total))),
    tax_total: roundMoney(toAmount(source.tax_total) - sum((i) => toAmount(i.tax_total))),
  }
}

/**
 * The order OrderFlow gets for a claim or exchange: the original's
 * addresses, contact, channel and payment, only the change's outbound items
 * (at the change's quantities), totals of those items and no shipping charge
 * (what the customer pays for a claim or exchange is settled in Medusa, not
 * by the warehouse). Replacements Medusa prices at 0 are sent at 0.
 */
export function changeOrderSource(source: SourceOrder, change: SourceOrderChange): SourceOrder {
  const wanted = new Map(change.items.map((i) => [i.item_id, i.quantity]))
  const items = (source.items ?? []).filter((i) => wanted.has(i.id)).map((i) => scaled(i, wanted.get(i.id)!))
  const total = roundMoney(items.reduce((s, i) => s + toAmount(i.total), 0))
  const tax = roundMoney(items.reduce((s, i) => s + toAmount(i.tax_total), 0))
  return {
    ...source,
    created_at: change.created_at,
    items,
    total,
    tax_total: tax,
    shipping_total: 0,
    shipping_tax_total: 0,
    discount_total: 0,
    shipping_methods: (source.shipping_methods ?? []).map((m) => ({ ...m, adjustments: [] })),
  }
}

/** mapOrder of the change's order, with the link back to the original order. */
export function mapOrderChange(
  source: SourceOrder,
  change: SourceOrderChange,
  ctx: MapOrderContext & { originalReference: string }
): MappedOrder {
  const missing = change.items.filter((i) => !(source.items ?? []).some((l) => l.id === i.item_id))
  const mapped = mapOrder(changeOrderSource(source, change), ctx)
  if (missing.length) mapped.problems.push(`${change.kind} items ${missing.map((i) => i.item_id).join(", ")} are not on order #${source.display_id}`)
  mapped.order.attributes.unshift(
    { name: ORIGINAL_ORDER_ATTRIBUTE, title: "Original order", value: ctx.originalReference },
    { name: ORDER_CHANGE_ATTRIBUTE, title: change.kind === "claim" ? "Claim" : "Exchange", value: change.kind }
  )
  return mapped
}

/** The original order's export row, as far as deciding on its claims and exchanges goes. */
export type OriginalOrderRow = {
  reference: string
  status: string
  skip_reason: string | null
  cancel_status: string | null
  exported_at: Date | string | null
}

export type ChangeVerdict =
  | { action: "ignore"; reason: string }
  | { action: "queue" }
  | { action: "skip"; reason: string }

/**
 * Whether a confirmed claim or exchange goes to OrderFlow. Nothing to ship
 * (a refund-only claim): no row at all. Its order never sent to OrderFlow
 * (not exported, skipped, withdrawn, cancelled): recorded as skipped with the
 * reason, so it is visible. Otherwise it is queued with the orders.
 */
export function assessOrderChange(
  change: SourceOrderChange,
  order: SourceOrder | null,
  variants: ReadonlyMap<string, SourceVariant>,
  original: OriginalOrderRow | null
): ChangeVerdict {
  if (toDate(change.canceled_at)) return { action: "ignore", reason: `the ${change.kind} is cancelled` }
  if (!change.items.length) return { action: "ignore", reason: `the ${change.kind} ships no new items` }
  if (!order) return { action: "ignore", reason: "its order does not exist" }
  const items = changeOrderSource(order, change).items ?? []
  const { lines, problems } = planOrderLines(items, variants)
  if (!lines.length && !problems.length) return { action: "skip", reason: "no items shipped from stock (only digital or non-inventory items)" }
  const label = `order #${order.display_id}`
  if (order.status === "canceled" || toDate(order.canceled_at)) return { action: "skip", reason: `${label} is cancelled` }
  if (!original) return { action: "skip", reason: `${label} was never sent to OrderFlow` }
  if (original.status === "skipped") return { action: "skip", reason: `${label} was not sent to OrderFlow (${original.skip_reason ?? "skipped"})` }
  if (original.cancel_status === "withdrawn" || (original.status === "cancelled" && !original.exported_at)) {
    return { action: "skip", reason: `${label} was withdrawn before it reached OrderFlow` }
  }
  return { action: "queue" }
}
