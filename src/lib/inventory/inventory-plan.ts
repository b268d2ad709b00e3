import type { InventoryLine } from "../inbound/types"

/**
 * What applying one inventory message means, decided without touching the
 * database (seed 000 "Inventory Import", "Handling Inventory Duplicates",
 * "Unsent Orders and Active Quotes"). The workflow loads the facts, this
 * decides, the workflow writes.
 *
 * Availability invariant: after applying a line, Medusa's available quantity
 * at the location (stocked − reserved) equals OrderFlow's figure, minus the
 * units of orders OrderFlow had not counted yet, minus (optionally) units in
 * active carts. OrderFlow's figure already excludes the orders it has, so
 * their reservations are added back rather than subtracted twice:
 *   stocked = max(0?, received − unsent − carts) + reserved
 * where carts are the active-cart units attributed to this location
 * (attributeCartUnits): each cart's units count at the one location Medusa
 * would reserve them at, never at every location a message updates.
 */

export type AdjustInventory = "none" | "unsent_orders" | "unsent_orders_and_active_carts"

export type InventoryPlanSettings = {
  /** Negative results are applied as 0 (the guide's "Allow Negative Quantities" = Yes). */
  negativeAsZero: boolean
  adjustInventory: AdjustInventory
  unsentOrderStatuses: string[]
  unsentOrderCutoffDays: number
  /** OrderFlow site -> stock location id. */
  locations: Record<string, string>
  /** For lines without a site; null when none can be chosen. */
  defaultLocationId: string | null
}

/** A reservation of the item at a location, with the order it belongs to (if any). */
export type ReservationFact = {
  inventoryItemId: string
  locationId: string
  quantity: number
  order: { id: string; status: string; createdAt: string; exportedAt: string | null } | null
}

export type InventoryFacts = {
  /** SKU -> inventory item id (only SKUs Medusa knows). */
  itemsBySku: Map<string, string>
  /** levelKey(item, location) -> current level. Absent: no level there yet. */
  levels: Map<string, { stocked: number; reserved: number }>
  /** seqKey(sku, location) -> last applied sequence id. */
  sequences: Map<string, number>
  reservations: ReservationFact[]
  /** levelKey(item, location) -> units in active carts that location would fulfil (already cut off by age; see attributeCartUnits). */
  cartUnits: Map<string, number>
  /** Stock locations that exist; a mapping to any other fails the line. */
  existingLocationIds: Set<string>
}

export type LineOutcome = "applied" | "stale" | "unknown_sku" | "failed"

export type PlannedLine = {
  index: number
  sku: string
  source: string | null
  locationId: string | null
  inventoryItemId: string | null
  receivedQty: number
  seq: number
  previousSeq: number | null
  unsentOrderQty: number | null
  activeCartQty: number | null
  reservedQty: number | null
  /** The available (sellable) quantity set at the location. */
  appliedQty: number | null
  outcome: LineOutcome
  message: string
}

export type LevelWrite = {
  inventory_item_id: string
  location_id: string
  stocked_quantity: number
  /** No level exists at the location yet: create it. */
  create: boolean
  /**
   * The level's stocked quantity as read (inside the stock lock) before this
   * plan, null for a create: what the write's compensation restores, so it
   * needs no before-image read of its own.
   */
  previous_stocked_quantity: number | null
}

export type SequenceWrite = { sku: string; location_id: string; seq_id: number }

export type InventoryPlan = {
  lines: PlannedLine[]
  levelWrites: LevelWrite[]
  sequenceWrites: SequenceWrite[]
}

export const levelKey = (inventoryItemId: string, locationId: string) => `${inventoryItemId}\u0000${locationId}`
export const seqKey = (sku: string, locationId: string) => `${sku}\u0000${locationId}`

const DAY_MS = 86_400_000

/** The stock location a line is for, or why there is none. */
export function resolveLocation(
  source: string | null,
  settings: Pick<InventoryPlanSettings, "locations" | "defaultLocationId">
): { locationId: string } | { error: string } {
  if (source === null) {
    return settings.defaultLocationId
      ? { locationId: settings.defaultLocationId }
      : { error: "no stock location for lines without a site: set a default stock location in Settings → OrderFlow" }
  }
  const mapped = settings.locations[source]
  if (mapped) return { locationId: mapped }
  return { error: `unknown OrderFlow site "${source}": map it to a stock location in Settings → OrderFlow` }
}

/**
 * Whether OrderFlow's figure can include an order first accepted at
 * `exportedAt` (seed 000 "Unsent Orders and Active Quotes"): only if it was
 * exported before min(lastOrderExported ?? received, received), where
 * `received` is when the store stored the message. lastOrderExported covers
 * the guide's first two lags (OrderFlow computing and sending its figure);
 * the time the message was received covers the third (the store processing
 * it later), and is the only bound when OrderFlow sends no lastOrderExported
 * (the SOAP forms never do): an order exported after the message arrived
 * cannot be in its figure. lastOrderExported is stated to the second, so the
 * export time is compared at that precision; the receipt time to the
 * millisecond, an export in the same instant counting as not seen (the
 * cautious side: a unit withheld until the next push, never oversold).
 */
export function seenByOrderflow(exportedAt: string | null, lastOrderExported: string | null, receivedAt: string | null): boolean {
  if (!exportedAt) return false
  const exported = Date.parse(exportedAt)
  if (receivedAt !== null && !(exported < Date.parse(receivedAt))) return false
  if (lastOrderExported !== null && !(Math.floor(exported / 1000) * 1000 <= Date.parse(lastOrderExported))) return false
  return true
}

/**
 * Units of the item at the location that OrderFlow had not counted when it
 * computed its figure: reservations of orders in an "unsent" status, placed
 * within the cutoff, that OrderFlow had not seen (seenByOrderflow).
 */
export function unsentOrderUnits(
  reservations: ReservationFact[],
  inventoryItemId: string,
  locationId: string,
  lastOrderExported: string | null,
  settings: Pick<InventoryPlanSettings, "adjustInventory" | "unsentOrderStatuses" | "unsentOrderCutoffDays">,
  now: Date,
  receivedAt: string | null = null
): number {
  if (settings.adjustInventory === "none") return 0
  const cutoff = now.getTime() - settings.unsentOrderCutoffDays * DAY_MS
  let units = 0
  for (const r of reservations) {
    if (r.inventoryItemId !== inventoryItemId || r.locationId !== locationId || !r.order) continue
    const o = r.order
    if (!settings.unsentOrderStatuses.includes(o.status)) continue
    if (Date.parse(o.createdAt) < cutoff) continue
    if (!seenByOrderflow(o.exportedAt, lastOrderExported, receivedAt)) units += r.quantity
  }
  return units
}

/** Units of one inventory item wanted by one active cart line (a kit's component: line quantity × required quantity). */
export type CartDemand = { inventoryItemId: string; salesChannelId: string | null; units: number }

/** A stock level of an item, in the order Medusa lists the item's levels (creation order). */
export type CartLevelFact = { inventoryItemId: string; locationId: string; available: number }

/**
 * The location each cart's units would be reserved at, summed per
 * levelKey(item, location). Medusa 2.21 reserves a completed cart's line
 * (core-flows prepareConfirmInventoryInput + reserveInventoryStep) wholly at
 * ONE location: among the stock locations of the cart's sales channel, the
 * first that has the line's units available (stocked − reserved), else the
 * first with a level of the item, else the first of the channel's locations;
 * it never splits a line. A line is attributed the same way here, against
 * the levels as they are now, so its units are withheld at one location only.
 * A cart without a sales channel may use any location that has a level.
 */
export function attributeCartUnits(
  demands: ReadonlyArray<CartDemand>,
  channelLocations: ReadonlyMap<string, ReadonlyArray<string>>,
  levels: ReadonlyArray<CartLevelFact>
): Map<string, number> {
  const levelsByItem = new Map<string, CartLevelFact[]>()
  for (const l of levels) {
    const list = levelsByItem.get(l.inventoryItemId)
    if (list) list.push(l)
    else levelsByItem.set(l.inventoryItemId, [l])
  }
  const out = new Map<string, number>()
  for (const d of demands) {
    if (!(d.units > 0)) continue
    const channel = d.salesChannelId === null ? null : channelLocations.get(d.salesChannelId) ?? []
    const candidates = (levelsByItem.get(d.inventoryItemId) ?? []).filter((l) => channel === null || channel.includes(l.locationId))
    const location =
      candidates.find((l) => l.available >= d.units)?.locationId ?? candidates[0]?.locationId ?? (channel && channel.length ? channel[0] : null)
    if (location === null) continue
    const key = levelKey(d.inventoryItemId, location)
    out.set(key, (out.get(key) ?? 0) + d.units)
  }
  return out
}

/** Sellable quantity and the stocked quantity that yields it. */
export function targetQuantities(input: {
  received: number
  unsent: number
  carts: number
  reserved: number
  allowNegative: boolean
}): { available: number; stocked: number } {
  const raw = input.received - input.unsent - input.carts
  const available = input.allowNegative ? raw : Math.max(0, raw)
  return { available, stocked: available + input.reserved }
}

/**
 * `reapply`: a message built from OrderFlow's own pulled figure (the drift
 * report's "accept") carries the record id OrderFlow reports now; when it
 * equals the applied one, the figure is the same record read again and is
 * applied again (Medusa's level was changed behind the plugin's back). A
 * lower id is still stale, so an accept never overwrites a newer push.
 */
export function planInventoryImport(
  lines: InventoryLine[],
  facts: InventoryFacts,
  settings: InventoryPlanSettings,
  now: Date,
  /**
   * receivedAt: when the store stored the message (ISO), the lag bound of seenByOrderflow (null: no such bound).
   * reapply: a drift report's accepted figure, applied again at an equal sequence id.
   */
  { receivedAt = null, reapply = false }: { receivedAt?: string | null; reapply?: boolean } = {}
): InventoryPlan {
  const planned: PlannedLine[] = []
  const base = (line: InventoryLine): PlannedLine => ({
    index: line.index,
    sku: line.sku,
    source: line.source,
    locationId: null,
    inventoryItemId: null,
    receivedQty: line.qty,
    seq: line.seq,
    previousSeq: null,
    unsentOrderQty: null,
    activeCartQty: null,
    reservedQty: null,
    appliedQty: null,
    outcome: "failed",
    message: "",
  })

  // Within one message the highest sequence per SKU and location wins
  // (ties: the first line); the others are stale like any older update.
  const winners = new Map<string, InventoryLine>()
  const resolved = lines.map((line) => {
    const location = resolveLocation(line.source, settings)
    if ("locationId" in location) {
      const key = seqKey(line.sku, location.locationId)
      const best = winners.get(key)
      if (!best || line.seq > best.seq) winners.set(key, line)
    }
    return { line, location }
  })

  const levelWrites: LevelWrite[] = []
  const sequenceWrites: SequenceWrite[] = []
  for (const { line, location } of resolved) {
    const p = base(line)
    planned.push(p)
    if ("error" in location) {
      p.message = location.error
      continue
    }
    if (!facts.existingLocationIds.has(location.locationId)) {
      p.message = `stock location ${location.locationId} (for ${line.source === null ? "lines without a site" : `site "${line.source}"`}) does not exist: fix the mapping in Settings → OrderFlow`
      continue
    }
    p.locationId = location.locationId
    const itemId = facts.itemsBySku.get(line.sku) ?? null
    p.inventoryItemId = itemId
    const key = seqKey(line.sku, location.locationId)
    const previous = facts.sequences.get(key) ?? null
    p.previousSeq = previous
    const winner = winners.get(key)!
    if (winner !== line) {
      p.outcome = "stale"
      p.message = `superseded within this message by sequence ${winner.seq} (line ${winner.index + 1})`
      continue
    }
    if (!itemId) {
      p.outcome = "unknown_sku"
      p.message = `SKU "${line.sku}" is not stocked in Medusa (no inventory item with this SKU)`
      continue
    }
    if (previous !== null && (line.seq < previous || (line.seq === previous && !reapply))) {
      p.outcome = "stale"
      p.message = `stale: sequence ${line.seq} is not newer than the applied sequence ${previous}`
      continue
    }
    const level = facts.levels.get(levelKey(itemId, location.locationId))
    const reserved = level?.reserved ?? 0
    const unsent = unsentOrderUnits(facts.reservations, itemId, location.locationId, line.lastOrderExported, settings, now, receivedAt)
    const carts =
      settings.adjustInventory === "unsent_orders_and_active_carts" ? facts.cartUnits.get(levelKey(itemId, location.locationId)) ?? 0 : 0
    const target = targetQuantities({
      received: line.qty,
      unsent,
      carts,
      reserved,
      allowNegative: !settings.negativeAsZero,
    })
    p.unsentOrderQty = unsent
    p.activeCartQty = carts
    p.reservedQty = reserved
    p.appliedQty = target.available
    p.outcome = "applied"
    p.message =
      target.available === line.qty
        ? `available set to ${target.available}`
        : `available set to ${target.available} (received ${line.qty}` +
          (unsent ? `, ${unsent} on unsent orders` : "") +
          (carts ? `, ${carts} in active carts` : "") +
          (settings.negativeAsZero && line.qty - unsent - carts < 0 ? ", negative applied as 0" : "") +
          ")"
    levelWrites.push({
      inventory_item_id: itemId,
      location_id: location.locationId,
      stocked_quantity: target.stocked,
      create: !level,
      previous_stocked_quantity: level ? level.stocked : null,
    })
    sequenceWrites.push({ sku: line.sku, location_id: location.locationId, seq_id: line.seq })
  }
  return { lines: planned, levelWrites, sequenceWrites }
}

export type MessagePlan = InventoryPlan & { requestId: string; messageSeqId: number }

export type GroupPlan = {
  messages: MessagePlan[]
  /** One write per item and location: the last message's (a create stays a create). */
  levelWrites: LevelWrite[]
  /** One write per SKU and location: the highest sequence applied. */
  sequenceWrites: SequenceWrite[]
}

/**
 * Plans several messages applied one after the other (messageSeqId order),
 * as if each had been written before the next was planned: a later message
 * sees the sequence ids and stock the earlier ones set. Lets the workflow
 * write a group of messages with one call instead of one per message.
 */
export function planInventoryImportGroup(
  messages: ReadonlyArray<{ requestId: string; messageSeqId: number; lines: InventoryLine[]; receivedAt?: string | null; reapply?: boolean }>,
  facts: InventoryFacts,
  settings: InventoryPlanSettings,
  now: Date
): GroupPlan {
  const sequences = new Map(facts.sequences)
  const levels = new Map(facts.levels)
  const writes = new Map<string, LevelWrite>()
  const seqWrites = new Map<string, SequenceWrite>()
  const plans: MessagePlan[] = []
  for (const message of messages) {
    const plan = planInventoryImport(message.lines, { ...facts, sequences, levels }, settings, now, { receivedAt: message.receivedAt ?? null, reapply: message.reapply })
    plans.push({ ...plan, requestId: message.requestId, messageSeqId: message.messageSeqId })
    for (const w of plan.levelWrites) {
      const key = levelKey(w.inventory_item_id, w.location_id)
      const earlier = writes.get(key)
      // A create stays a create, and the figure to restore is the one before the group's first write.
      writes.set(key, earlier ? { ...w, create: earlier.create, previous_stocked_quantity: earlier.previous_stocked_quantity } : w)
      const reserved = levels.get(key)?.reserved ?? 0
      levels.set(key, { stocked: w.stocked_quantity, reserved })
    }
    for (const q of plan.sequenceWrites) {
      const key = seqKey(q.sku, q.location_id)
      sequences.set(key, q.seq_id)
      seqWrites.set(key, q)
    }
  }
  return { messages: plans, levelWrites: [...writes.values()], sequenceWrites: [...seqWrites.values()] }
}
