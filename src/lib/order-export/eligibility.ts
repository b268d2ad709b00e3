import { formatMoney, toAmount, toDate } from "./format"
import { planOrderLines } from "./order-lines"
import type { SourceOrder, SourceVariant } from "./source"

// When an order may go to OrderFlow (seed 000, "Order Export": "Once orders
// have been invoiced in Magento, they are eligible for export"; "Orders which
// are 'Pending' or 'Cancelled' will not be eligible"). In Medusa terms: the
// order is placed (not a draft, not archived), not cancelled, paid — its
// payment captured, see paymentState — and it has at least one item shipped
// from stock. The checks run in that order, so the reason given is the first
// one that fails; an order whose only problem is that nothing in it is
// shipped from stock is recorded as skipped (visible), never sent.

export type IneligibleCode =
  | "draft"
  | "archived"
  | "canceled"
  | "before_export_from"
  | "not_paid"
  | "partly_paid"
  | "no_stock_items"

export type Eligibility =
  | { eligible: true }
  | { eligible: false; code: IneligibleCode; reason: string }

/** Cents of tolerance between captured and due amounts (rounding across payment providers). */
const TOLERANCE = 0.005

export type PaymentState = {
  paid: boolean
  /** Amount captured over the order's live payment collections. */
  captured: number
  /** What the order costs (its total). */
  due: number
  /** When the payment was complete: the collection's completed_at, else the last capture. */
  authorisedAt: Date | null
  /** Captured payments, for paymentTransactionInfo. */
  paymentIds: string[]
  /** Something was authorised but nothing captured yet. */
  authorisedOnly: boolean
}

/**
 * "Paid" means captured (the guide's "invoiced"): the amount captured over
 * the order's payment collections that are not cancelled covers the order
 * total. A partial capture does not make an order paid: the warehouse would
 * ship goods not yet paid for. An order whose total is 0 needs no capture.
 */
export function paymentState(order: SourceOrder): PaymentState {
  const live = (order.payment_collections ?? []).filter((c) => c && c.status !== "canceled")
  const captured = live.reduce((sum, c) => sum + toAmount(c.captured_amount), 0)
  const due = toAmount(order.total)
  const payments = live.flatMap((c) => c.payments ?? []).filter((p) => p && !p.canceled_at)
  const capturedPayments = payments.filter((p) => toDate(p.captured_at))
  const completed = live.map((c) => toDate(c.completed_at)).filter((d): d is Date => !!d)
  const captures = capturedPayments.map((p) => toDate(p.captured_at)!).filter(Boolean)
  const latest = (dates: Date[]) => (dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null)
  const paid = due <= TOLERANCE || captured + TOLERANCE >= due
  return {
    paid,
    captured,
    due,
    authorisedAt: latest(completed) ?? latest(captures),
    paymentIds: capturedPayments.map((p) => p.id),
    authorisedOnly: captured <= TOLERANCE && live.some((c) => c.status === "authorized" || c.status === "partially_authorized"),
  }
}

export type AssessOptions = {
  /** Orders placed before this are exported only through backfill or manual export. */
  exportFrom?: Date | null
}

export function assessOrder(
  order: SourceOrder,
  variants: ReadonlyMap<string, SourceVariant>,
  { exportFrom = null }: AssessOptions = {}
): Eligibility {
  const no = (code: IneligibleCode, reason: string): Eligibility => ({ eligible: false, code, reason })
  if (order.status === "draft") return no("draft", "a draft order, not placed yet")
  if (order.status === "canceled" || toDate(order.canceled_at)) return no("canceled", "cancelled")
  if (order.status === "archived") return no("archived", "archived")
  const placed = toDate(order.created_at)
  if (exportFrom && placed && placed.getTime() < exportFrom.getTime()) {
    return no("before_export_from", `placed before order export was enabled (${exportFrom.toISOString()}); use a backfill to export it`)
  }
  const payment = paymentState(order)
  if (!payment.paid) {
    const currency = (order.currency_code || "").toUpperCase()
    if (payment.captured > TOLERANCE) {
      return no("partly_paid", `not paid: only ${formatMoney(payment.captured)} of ${formatMoney(payment.due)} ${currency} captured`)
    }
    return no("not_paid", payment.authorisedOnly ? "not paid: payment authorised but not captured" : "not paid")
  }
  const { lines, problems } = planOrderLines(order.items ?? [], variants)
  if (!lines.length && !problems.length) {
    return no("no_stock_items", "no items shipped from stock (only digital or non-inventory items)")
  }
  return { eligible: true }
}
