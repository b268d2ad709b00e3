import type { AppliedReturn } from "./applied-returns"

// How an applied return from OrderFlow becomes a receipt of a Medusa return
// (seed 002, "Applied Returns Per Time Period"): it is matched to a return
// we sent for the same order whose lines cover its SKUs, and each line is
// received into stock or as damaged according to the condition OrderFlow
// recorded (the condition we sent when OrderFlow left it empty).

export type RestockAction = "restock" | "damaged"

/** One line of a return we sent, as recorded. */
export type SentReturnLine = {
  /** The Medusa order line item id (what Medusa's receive workflows take). */
  item_id: string
  sku: string
  quantity: number
  /** The condition we sent for the line. */
  condition: string
}

/** A return we sent and OrderFlow has not applied yet. */
export type OpenReturn = {
  record_id: string
  return_id: string
  order_id: string
  lines: SentReturnLine[]
}

export type ReceiveLine = {
  item_id: string
  sku: string
  quantity: number
  condition: string
  action: RestockAction
}

export type ReceivePlan =
  | { kind: "receive"; record_id: string; return_id: string; order_id: string; lines: ReceiveLine[] }
  | { kind: "unmatched"; reason: string }

/**
 * What an OrderFlow condition means for stock; an unknown condition counts as
 * damaged (not sellable until someone looks at it).
 */
export function restockActionFor(condition: string, mapping: Readonly<Record<string, RestockAction>>): RestockAction {
  const found = mapping[condition] ?? Object.entries(mapping).find(([k]) => k.toLowerCase() === condition.toLowerCase())?.[1]
  return found ?? "damaged"
}

/** Quantities per SKU of an applied return. */
function appliedQuantities(applied: AppliedReturn): Map<string, number> {
  const bySku = new Map<string, number>()
  for (const line of applied.lines) bySku.set(line.productReference, (bySku.get(line.productReference) ?? 0) + line.quantity)
  return bySku
}

function covers(candidate: OpenReturn, wanted: Map<string, number>): boolean {
  for (const [sku, quantity] of wanted) {
    const sent = candidate.lines.filter((l) => l.sku === sku).reduce((n, l) => n + l.quantity, 0)
    if (sent < quantity) return false
  }
  return true
}

/**
 * Picks the open return (oldest first, as given) whose lines cover every SKU
 * and quantity of the applied return, and splits each applied line over that
 * return's items. An applied return without lines, or one no open return
 * covers, is unmatched.
 */
export function planReceipt(
  applied: AppliedReturn,
  candidates: readonly OpenReturn[],
  mapping: Readonly<Record<string, RestockAction>>
): ReceivePlan {
  if (!applied.lines.length) return { kind: "unmatched", reason: `OrderFlow return ${applied.id} has no lines` }
  if (!candidates.length) {
    const ref = applied.orderReference || applied.originatingOrderReference || "(none)"
    return { kind: "unmatched", reason: `no open return sent for order reference ${ref}` }
  }
  const wanted = appliedQuantities(applied)
  const match = candidates.find((c) => covers(c, wanted))
  if (!match) {
    const skus = [...wanted].map(([sku, q]) => `${sku}×${q}`).join(", ")
    return { kind: "unmatched", reason: `no open return of the order covers ${skus}` }
  }
  const left = new Map(match.lines.map((l) => [l.item_id, l.quantity]))
  const lines: ReceiveLine[] = []
  for (const a of applied.lines) {
    let quantity = a.quantity
    for (const sent of match.lines) {
      if (quantity === 0) break
      if (sent.sku !== a.productReference) continue
      const take = Math.min(quantity, left.get(sent.item_id) ?? 0)
      if (take === 0) continue
      left.set(sent.item_id, (left.get(sent.item_id) ?? 0) - take)
      quantity -= take
      const condition = a.returnCondition || sent.condition
      lines.push({ item_id: sent.item_id, sku: sent.sku, quantity: take, condition, action: restockActionFor(condition, mapping) })
    }
  }
  return { kind: "receive", record_id: match.record_id, return_id: match.return_id, order_id: match.order_id, lines }
}

/** Sums received lines per item and action: what Medusa's receive / dismiss workflows take. */
export function receiveItems(lines: readonly ReceiveLine[], action: RestockAction): Array<{ id: string; quantity: number }> {
  const byItem = new Map<string, number>()
  for (const l of lines) if (l.action === action) byItem.set(l.item_id, (byItem.get(l.item_id) ?? 0) + l.quantity)
  return [...byItem].map(([id, quantity]) => ({ id, quantity }))
}

/**
 * The pull window (seed 002: `to` is exclusive): from the last successful
 * pull's `to` minus the overlap, else from the first return sent (minus the
 * overlap), else now minus the overlap; to now (rounded up to the next whole second).
 */
export function pullWindow(args: { now: Date; overlapMinutes: number; lastTo: Date | null; firstSentAt: Date | null }): { from: Date; to: Date } {
  const overlap = args.overlapMinutes * 60_000
  // OrderFlow's dates have whole seconds and `to` is exclusive: rounding up
  // keeps a return completed earlier in this very second inside the window.
  const to = new Date(Math.ceil(args.now.getTime() / 1000) * 1000 + (args.now.getTime() % 1000 === 0 ? 1000 : 0))
  const base = args.lastTo ?? args.firstSentAt ?? args.now
  const from = new Date(Math.min(base.getTime() - overlap, args.now.getTime()))
  return { from, to }
}
