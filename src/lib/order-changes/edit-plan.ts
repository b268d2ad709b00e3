import { excerpt, OrderflowApiError } from "../errors"
import { interpretImportReply } from "../xml/import-result"
import type { PlannedLine } from "../order-export/order-lines"

// What an order edit made after export means for OrderFlow (seed 002, "Order
// Line Cancellation" and Order Import `reinsert`). OrderFlow cannot update
// an order in place: a line can be cancelled (never the last one, not when
// two lines carry the same product), or, from OrderFlow 4.3.3, the whole
// order can be re-imported with operation `reinsert` ("cancel (if
// necessary) an existing order and reinsert a new order with the same
// reference ... if the order cannot be cancelled, then the import will be
// rejected and the order will be left unchanged"). Anything else cannot be
// told to the warehouse: the change is blocked.

/** One OrderFlow line as sent: the Medusa line item (thirdPartyReference) and the SKU (productReference). */
export type OrderflowLine = Pick<PlannedLine, "lineItemId" | "sku" | "quantity">

export type LineCancellation = { productReference: string; thirdPartyReference: string }

export type OrderEditPlan =
  | { kind: "none"; reason: string }
  | { kind: "cancel_lines"; lines: LineCancellation[]; reason: string }
  | { kind: "reinsert"; reason: string }
  | { kind: "blocked"; reason: string }

/** The first OrderFlow release that takes `operation="reinsert"` (seed 002, Order Import). */
export const REINSERT_SINCE = "4.3.3"

/** Compares dotted release numbers ("4.3.3" < "4.3.10" < "4.4"); a non-numeric part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.trim().split(".").map((p) => Number.parseInt(p, 10) || 0)
  const pb = b.trim().split(".").map((p) => Number.parseInt(p, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return Math.sign(d)
  }
  return 0
}

export function supportsReinsert(orderflowVersion: string): boolean {
  return compareVersions(orderflowVersion, REINSERT_SINCE) >= 0
}

const key = (l: OrderflowLine) => `${l.lineItemId}\u0000${l.sku}`

/**
 * The OrderFlow calls that make OrderFlow's copy of the order match the
 * edited order, from the lines as OrderFlow has them (`before`) and as they
 * will be (`after`), both from planOrderLines. Line cancellation is used only
 * where it expresses the edit exactly and atomically: one whole line gone,
 * its product on no other line, at least one line left, nothing else
 * changed. Everything else is a reinsert, or blocked below 4.3.3.
 */
export function planOrderEdit({
  before,
  after,
  contactChanged = false,
  orderflowVersion,
}: {
  before: ReadonlyArray<OrderflowLine>
  after: ReadonlyArray<OrderflowLine>
  contactChanged?: boolean
  orderflowVersion: string
}): OrderEditPlan {
  const was = new Map(before.map((l) => [key(l), l]))
  const will = new Map(after.map((l) => [key(l), l]))
  const removed = before.filter((l) => !will.has(key(l)))
  const added = after.filter((l) => !was.has(key(l)))
  const changed = after.filter((l) => was.has(key(l)) && was.get(key(l))!.quantity !== l.quantity)
  const reinsertOr = (why: string): OrderEditPlan =>
    supportsReinsert(orderflowVersion)
      ? { kind: "reinsert", reason: why }
      : {
          kind: "blocked",
          reason: `${why}; this needs OrderFlow's reinsert, available from OrderFlow ${REINSERT_SINCE} (Settings → OrderFlow says ${orderflowVersion || "no version"})`,
        }

  if (!removed.length && !added.length && !changed.length) {
    return contactChanged ? reinsertOr("the delivery or invoice details changed") : { kind: "none", reason: "nothing the warehouse ships changed" }
  }
  if (!after.length) {
    return { kind: "blocked", reason: "the edit leaves nothing for the warehouse to ship; cancel the order instead" }
  }
  const what = [
    removed.length ? `${removed.length} line(s) removed` : "",
    added.length ? `${added.length} line(s) added` : "",
    changed.length ? `${changed.length} quantity change(s)` : "",
    contactChanged ? "delivery or invoice details changed" : "",
  ]
    .filter(Boolean)
    .join(", ")
  if (added.length || changed.length || contactChanged) return reinsertOr(what)
  if (removed.length > 1) {
    // Several line cancellations are several calls: a refusal half-way would
    // leave OrderFlow with some lines gone. A reinsert is all or nothing.
    if (supportsReinsert(orderflowVersion)) return { kind: "reinsert", reason: what }
  }
  const skuCount = new Map<string, number>()
  for (const l of before) skuCount.set(l.sku, (skuCount.get(l.sku) ?? 0) + 1)
  const shared = removed.find((l) => (skuCount.get(l.sku) ?? 0) > 1)
  if (shared) return reinsertOr(`${what}; product ${shared.sku} is on more than one OrderFlow line, which line cancellation cannot tell apart`)
  return {
    kind: "cancel_lines",
    lines: removed.map((l) => ({ productReference: l.sku, thirdPartyReference: l.lineItemId })),
    reason: what,
  }
}

export type ReinsertOutcome = { kind: "done" } | { kind: "refused"; message: string } | { kind: "retry"; message: string }

/**
 * The answer to a reinsert import: the order in importSuccesses (or
 * importDuplicates, which a reinsert never produces but means OrderFlow has
 * it) is done; an importFailures line or an `<error>` document is OrderFlow
 * refusing (packed, despatched, invalid); anything else (HTTP error, HTML,
 * nothing) says nothing and may be tried again.
 */
export function interpretReinsertReply(reply: { status: number; body: string }, reference: string): ReinsertOutcome {
  let result: ReturnType<typeof interpretImportReply>
  try {
    result = interpretImportReply(reply)
  } catch (err) {
    if (err instanceof OrderflowApiError && err.status !== 401 && err.status !== 403) {
      const exception = err.error.exception ? ` (${err.error.exception.replace(/^.*\./, "")})` : ""
      return { kind: "refused", message: `${err.error.message}${exception}` }
    }
    return { kind: "retry", message: (err as Error).message }
  }
  const failure = result.failures.find((f) => f.externalReference === reference)
  if (failure) return { kind: "refused", message: failure.message || failure.detail || "OrderFlow rejected the reinsert" }
  if ([...result.successes, ...result.duplicates].some((s) => s.externalReference === reference)) return { kind: "done" }
  return { kind: "retry", message: `OrderFlow's answer does not mention order ${reference}: ${excerpt(reply.body)}` }
}
