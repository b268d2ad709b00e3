import type { DespatchNotification } from "../inbound/types"

/**
 * What one despatch notification means for a Medusa order (seed 000
 * "Shipment Import"), decided without touching the database. Each despatch
 * is applied exactly once and on its own: partial despatches arriving out of
 * order are all applied (never "superseded", unlike stock figures). Units
 * beyond what is left to ship (an over-shipment, also of an order already
 * fully shipped) fail line by line with the reason while the units that fit
 * are applied; a message of which nothing fits is rejected and changes
 * nothing. A true re-delivery never reaches the plan: it is a duplicate at
 * the door (src/lib/inbound dedupe key).
 */

export type OrderLineFact = {
  id: string
  /** The variant's SKU as on the line. */
  sku: string | null
  title: string
  quantity: number
  fulfilled: number
  /** false for items Medusa does not stock (not sent to OrderFlow). */
  manageInventory: boolean
  requiresShipping: boolean
  /**
   * The inventory items the variant is made of. One item needed once: a
   * plain SKU (OrderFlow despatches the line's own SKU). Otherwise a kit:
   * OrderFlow despatches the components.
   */
  components: Array<{ sku: string; required: number }>
  /**
   * Kits: component units already despatched towards kit units not yet
   * fulfilled (parcels that completed no whole kit), by component SKU.
   */
  progress?: Record<string, number>
}

export type OrderFacts = {
  id: string
  displayId: number
  status: string
  exported: boolean
  lines: OrderLineFact[]
  /**
   * The lines OrderFlow's order covers, when it is not the whole Medusa order:
   * a claim or exchange sent as its own order (`<ref>-X1`) covers its new
   * items only, and the original order everything but those. A SKU on both
   * is fulfilled on the line of the order OrderFlow despatched. Absent: all lines.
   */
  scope?: { lineIds: string[]; label: string } | null
}

export type PlannedDespatchLine = {
  sku: string
  qty: number
  lineItemId: string | null
  /** Units of the order line this SKU accounts for (kits: kit units). */
  lineQuantity: number | null
  outcome: "shipped" | "failed" | "duplicate"
  message: string
}

/** Component progress of a kit line to write: its open rows closed first when `close`, then these quantities added. */
export type KitProgressWrite = { lineItemId: string; close: boolean; add: Array<{ sku: string; quantity: number }> }

export type DespatchPlan =
  | {
      kind: "apply"
      orderId: string
      /** Order line -> quantity to fulfil (kit lines in kit units); empty when the parcel only adds kit progress. */
      items: Array<{ id: string; quantity: number }>
      /** Kit lines whose component progress changes (README "Shipment import", kits). */
      kitProgress: KitProgressWrite[]
      /** Every stock line fully shipped after this despatch. */
      completesOrder: boolean
      lines: PlannedDespatchLine[]
      message: string
    }
  | { kind: "rejected"; orderId: string | null; lines: PlannedDespatchLine[]; message: string }
  /** The parcel was already applied through another message (a push and a poll of one shipment): nothing is done. */
  | { kind: "duplicate"; orderId: string | null; duplicateOf: string; lines: PlannedDespatchLine[]; message: string }

const isKit = (l: OrderLineFact) => l.components.length > 1 || (l.components.length === 1 && l.components[0].required !== 1)
const stockSkuOf = (l: OrderLineFact) => (l.components.length === 1 ? l.components[0].sku : l.sku)

export function planDespatch(notification: DespatchNotification, order: OrderFacts | null, reference: string): DespatchPlan {
  const demand = new Map<string, number>()
  for (const l of notification.lines) demand.set(l.sku, (demand.get(l.sku) ?? 0) + l.qty)
  const failedLines = (message: string): PlannedDespatchLine[] =>
    [...demand].map(([sku, qty]) => ({ sku, qty, lineItemId: null, lineQuantity: null, outcome: "failed", message }))
  const reject = (message: string, orderId: string | null = order?.id ?? null): DespatchPlan => ({
    kind: "rejected",
    orderId,
    lines: failedLines(message),
    message,
  })

  if (!order) return reject(`no order with reference "${reference}" in this store`, null)
  const label = order.scope?.label ?? `order #${order.displayId}`
  if (order.status === "canceled") return reject(`order #${order.displayId} is cancelled in Medusa; the despatch was not applied`)
  if (!order.exported) return reject(`${label} was never exported to OrderFlow; check the reference prefix and the order export`)

  const inScope = order.scope ? new Set(order.scope.lineIds) : null
  const allStockLines = order.lines.filter((l) => l.manageInventory && l.components.length > 0)
  const stockLines = inScope ? allStockLines.filter((l) => inScope.has(l.id)) : allStockLines
  const knownSkus = new Set(stockLines.flatMap((l) => (isKit(l) ? l.components.map((c) => c.sku) : [stockSkuOf(l)!])))
  const unknown = [...demand.keys()].filter((sku) => !knownSkus.has(sku))
  if (unknown.length) {
    return reject(`SKU ${unknown.map((s) => `"${s}"`).join(", ")} is not on ${label}`)
  }

  const left = new Map(demand)
  const take = new Map<string, number>()
  const planned: PlannedDespatchLine[] = []
  const remainingOf = (l: OrderLineFact) => l.quantity - l.fulfilled
  // Kits first: whole kit units from the components shipped before (progress) and in this parcel.
  const kitLines = stockLines.filter(isKit)
  const progressOf = (l: OrderLineFact, sku: string) => l.progress?.[sku] ?? 0
  const kitState = new Map<string, { units: number; progress: Map<string, number>; added: Map<string, number> }>()
  for (const line of kitLines) {
    const progress = new Map(line.components.map((c) => [c.sku, progressOf(line, c.sku)]))
    const state = { units: 0, progress, added: new Map<string, number>() }
    kitState.set(line.id, state)
    const units = Math.min(remainingOf(line), ...line.components.map((c) => Math.floor((progress.get(c.sku)! + (left.get(c.sku) ?? 0)) / c.required)))
    if (units <= 0) continue
    state.units = units
    take.set(line.id, units)
    for (const c of line.components) {
      const use = Math.max(0, units * c.required - progress.get(c.sku)!)
      progress.set(c.sku, progress.get(c.sku)! + use - units * c.required)
      left.set(c.sku, (left.get(c.sku) ?? 0) - use)
      if (use > 0) planned.push({ sku: c.sku, qty: use, lineItemId: line.id, lineQuantity: units, outcome: "shipped", message: `${units} × ${line.title} (kit)` })
    }
  }
  for (const line of stockLines.filter((l) => !isKit(l))) {
    const sku = stockSkuOf(line)!
    const units = Math.min(remainingOf(line), left.get(sku) ?? 0)
    if (units <= 0) continue
    take.set(line.id, units)
    left.set(sku, (left.get(sku) ?? 0) - units)
    planned.push({ sku, qty: units, lineItemId: line.id, lineQuantity: units, outcome: "shipped", message: `${units} × ${line.title}` })
  }
  // Components that make no whole kit unit yet: recorded as the kit line's progress, up to what is left of it.
  for (const line of kitLines) {
    const state = kitState.get(line.id)!
    const openUnits = remainingOf(line) - state.units
    for (const c of line.components) {
      const room = openUnits * c.required - state.progress.get(c.sku)!
      const add = Math.min(room, left.get(c.sku) ?? 0)
      if (add <= 0) continue
      state.progress.set(c.sku, state.progress.get(c.sku)! + add)
      state.added.set(c.sku, add)
      left.set(c.sku, (left.get(c.sku) ?? 0) - add)
      planned.push({
        sku: c.sku,
        qty: add,
        lineItemId: line.id,
        lineQuantity: 0,
        outcome: "shipped",
        message: `${add} of "${c.sku}" towards ${line.title} (kit): ${state.progress.get(c.sku)} of ${c.required} per kit shipped, waiting for the other components`,
      })
    }
  }
  const kitProgress: KitProgressWrite[] = []
  for (const line of kitLines) {
    const state = kitState.get(line.id)!
    // A kit line that completes units closes its open progress and carries what is left over; otherwise the parcel's components are added.
    const add = (state.units > 0 ? [...state.progress] : [...state.added]).filter(([, q]) => q > 0).map(([sku, quantity]) => ({ sku, quantity }))
    const hadProgress = line.components.some((c) => progressOf(line, c.sku) > 0)
    if ((state.units > 0 && hadProgress) || add.length) kitProgress.push({ lineItemId: line.id, close: state.units > 0 && hadProgress, add })
  }
  const progressed = kitLines.some((l) => kitState.get(l.id)!.added.size > 0)

  // Over-shipment: units beyond what is left to ship fail, line by line; what fits is still applied.
  const over = [...left].filter(([, q]) => q > 0)
  const overLines: PlannedDespatchLine[] = over.map(([sku, q]) => ({
    sku,
    qty: q,
    lineItemId: null,
    lineQuantity: null,
    outcome: "failed",
    message: `over-shipment: ${q} more of "${sku}" than is left to ship on ${label}`,
  }))
  const overText = over.map(([sku, q]) => `${q} more of "${sku}" than is left to ship`).join("; ")
  if (over.length && take.size === 0 && !progressed) {
    const fullyShipped = stockLines.every((l) => remainingOf(l) === 0)
    const message = fullyShipped
      ? `over-shipment: ${label} was already fully shipped: ${overText}; nothing was applied`
      : `over-shipment: despatch exceeds what is left to ship on ${label}: ${overText}; nothing was applied`
    return { kind: "rejected", orderId: order.id, message, lines: overLines }
  }

  const shipsAll = (lines: OrderLineFact[]) => lines.every((l) => remainingOf(l) - (take.get(l.id) ?? 0) === 0)
  const completesScope = shipsAll(stockLines)
  const items = [...take].map(([id, quantity]) => ({ id, quantity }))
  if (completesScope) {
    // Items the warehouse does not hold travel with the last parcel of their order, so it can complete.
    for (const l of order.lines) {
      if (inScope && !inScope.has(l.id)) continue
      if (!l.manageInventory && l.requiresShipping && remainingOf(l) > 0) items.push({ id: l.id, quantity: remainingOf(l) })
    }
  }
  // The Medusa order completes when nothing is left to ship on it, whichever of its OrderFlow orders shipped last.
  const fulfilling = new Set(items.map((i) => i.id))
  const completesOrder =
    shipsAll(allStockLines) &&
    order.lines.every((l) => l.manageInventory || !l.requiresShipping || remainingOf(l) === 0 || fulfilling.has(l.id))
  return {
    kind: "apply",
    orderId: order.id,
    items,
    kitProgress,
    completesOrder,
    lines: [...planned, ...overLines],
    message:
      (completesScope ? `${label} is now fully shipped` : take.size ? `partial despatch of ${label}` : `kit components recorded on ${label}; no whole kit unit complete yet`) +
      (over.length ? `; over-shipment: ${overText} failed` : ""),
  }
}

/** The part of a despatch fulfilled at one stock location: one Medusa fulfilment. */
export type DespatchPart = { location_id: string | null; items: Array<{ id: string; quantity: number }> }

/**
 * Where each line of a despatch is fulfilled, as one part (one Medusa
 * fulfilment) per stock location, so that every unit leaves the stock level
 * it was reserved at (Medusa's fulfilment takes stocked and reserved units
 * at the fulfilment's location).
 *
 * - The message names a site (`source`): the whole parcel left that site's
 *   location (`siteLocation`); one part.
 * - Otherwise each line goes to the location holding most of its reserved
 *   units (ties: the smaller location id). Lines with no reservation (items
 *   the warehouse does not hold, a deleted variant's line) travel with the
 *   first part; if no shipped line has a reservation, the order's any
 *   reservation's location, else `fallback`.
 *
 * Parts come sorted by location id, so a despatch applied part by part
 * (and resumed after a crash) always takes them in the same order.
 */
export function despatchParts(
  items: Array<{ id: string; quantity: number }>,
  reservations: Array<{ line_item_id: string | null; location_id: string; quantity: unknown }>,
  { siteLocation = null, fallback = null }: { siteLocation?: string | null; fallback?: string | null } = {}
): DespatchPart[] {
  if (!items.length) return []
  if (siteLocation) return [{ location_id: siteLocation, items }]
  const unitsAt = new Map<string, Map<string, number>>()
  for (const r of reservations) {
    if (!r.line_item_id) continue
    const at = unitsAt.get(r.line_item_id) ?? new Map<string, number>()
    at.set(r.location_id, (at.get(r.location_id) ?? 0) + Number(r.quantity ?? 0))
    unitsAt.set(r.line_item_id, at)
  }
  const byLocation = new Map<string, Array<{ id: string; quantity: number }>>()
  const unplaced: Array<{ id: string; quantity: number }> = []
  for (const item of items) {
    const at = unitsAt.get(item.id)
    const location = at ? [...at].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0][0] : null
    if (!location) {
      unplaced.push(item)
      continue
    }
    byLocation.set(location, [...(byLocation.get(location) ?? []), item])
  }
  const parts: DespatchPart[] = [...byLocation]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([location_id, lineItems]) => ({ location_id, items: lineItems }))
  if (!unplaced.length) return parts
  if (parts.length) {
    parts[0] = { ...parts[0], items: [...parts[0].items, ...unplaced] }
    return parts
  }
  return [{ location_id: reservations[0]?.location_id ?? fallback, items: unplaced }]
}

/** Tracking URL for a courier from the configured templates ({trackingNumber} is replaced). */
export function trackingUrl(templates: Record<string, string>, courier: string | null, trackingNumber: string): string {
  const template = courier ? templates[courier] ?? templates[courier.toLowerCase()] : undefined
  return template ? template.split("{trackingNumber}").join(encodeURIComponent(trackingNumber)) : ""
}

/** The order's display id from the reference sent to OrderFlow (prefix + display id), or null. */
export function displayIdFromReference(reference: string, prefix: string): number | null {
  if (prefix && !reference.startsWith(prefix)) return null
  const rest = reference.slice(prefix.length)
  return /^[1-9][0-9]{0,9}$/.test(rest) ? Number(rest) : null
}
