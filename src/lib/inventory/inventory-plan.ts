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
 */

export type AdjustInventory = "none" | "unsent_orders" | "unsent_orders_and_active_carts"

export type InventoryPlanSettings = {
  allowNegativeQuantities: boolean
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
  /** inventory item id -> units in active carts (already cut off by age). */
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
 * Units of the item at the location that OrderFlow had not counted when it
 * computed its figure: reservations of orders in an "unsent" status, placed
 * within the cutoff, that were not exported or were exported after
 * `lastOrderExported` (absent: every exported order counts as seen).
 */
export function unsentOrderUnits(
  reservations: ReservationFact[],
  inventoryItemId: string,
  locationId: string,
  lastOrderExported: string | null,
  settings: Pick<InventoryPlanSettings, "adjustInventory" | "unsentOrderStatuses" | "unsentOrderCutoffDays">,
  now: Date
): number {
  if (settings.adjustInventory === "none") return 0
  const cutoff = now.getTime() - settings.unsentOrderCutoffDays * DAY_MS
  const seenUntil = lastOrderExported ? Date.parse(lastOrderExported) : null
  let units = 0
  for (const r of reservations) {
    if (r.inventoryItemId !== inventoryItemId || r.locationId !== locationId || !r.order) continue
    const o = r.order
    if (!settings.unsentOrderStatuses.includes(o.status)) continue
    if (Date.parse(o.createdAt) < cutoff) continue
    // OrderFlow states lastOrderExported to the second: compare at that precision.
    const exportedAt = o.exportedAt ? Math.floor(Date.parse(o.exportedAt) / 1000) * 1000 : null
    const seenByOrderflow = exportedAt !== null && (seenUntil === null || exportedAt <= seenUntil)
    if (!seenByOrderflow) units += r.quantity
  }
  return units
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
  { reapply = false }: { reapply?: boolean } = {}
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
    const unsent = unsentOrderUnits(facts.reservations, itemId, location.locationId, line.lastOrderExported, settings, now)
    const carts =
      settings.adjustInventory === "unsent_orders_and_active_carts" ? facts.cartUnits.get(itemId) ?? 0 : 0
    const target = targetQuantities({
      received: line.qty,
      unsent,
      carts,
      reserved,
      allowNegative: settings.allowNegativeQuantities,
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
          (!settings.allowNegativeQuantities && line.qty - unsent - carts < 0 ? ", negative applied as 0" : "") +
          ")"
    levelWrites.push({
      inventory_item_id: itemId,
      location_id: location.locationId,
      stocked_quantity: target.stocked,
      create: !level,
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
  messages: ReadonlyArray<{ requestId: string; messageSeqId: number; lines: InventoryLine[]; reapply?: boolean }>,
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
    const plan = planInventoryImport(message.lines, { ...facts, sequences, levels }, settings, now, { reapply: message.reapply })
    plans.push({ ...plan, requestId: message.requestId, messageSeqId: message.messageSeqId })
    for (const w of plan.levelWrites) {
      const key = levelKey(w.inventory_item_id, w.location_id)
      const earlier = writes.get(key)
      writes.set(key, { ...w, create: earlier ? earlier.create : w.create })
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
