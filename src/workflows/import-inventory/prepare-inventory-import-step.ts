import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { InventoryUpdate } from "../../lib/inbound"
import {
  attributeCartUnits,
  CartDemand,
  GroupPlan,
  InventoryFacts,
  InventoryPlanSettings,
  levelKey,
  PlannedLine,
  planInventoryImportGroup,
  ReservationFact,
  resolveLocation,
  seqKey,
} from "../../lib/inventory/inventory-plan"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import { loadChangeExportRows, loadOrderChanges } from "../export-orders/load-order-changes"
import OrderflowModuleService from "../../modules/orderflow/service"

export type InventoryImportSettings = InventoryPlanSettings & { activeCartCutoffDays: number }

export type PrepareInventoryImportInput = {
  /**
   * Stored messages, in messageSeqId order, with when each was stored (ISO;
   * an order exported after it cannot be in its figure). Absent: no such bound.
   */
  messages: Array<{ request_id: string; update: InventoryUpdate; received_at?: string | null }>
  settings: InventoryImportSettings
  /** The claimant of the requests (the run that claimed them); the record checks it still is. Absent: no check. */
  claimed_by?: string | null
  /**
   * [SKU, inventory item id] of the messages' SKUs Medusa knows, read before
   * the stock locks were taken (applyInventoryMessagesStep reads the next
   * group's while the current group writes). Absent: read here. See
   * loadInventoryFacts for why reading them outside the lock is safe.
   */
  items?: Array<[sku: string, inventory_item_id: string]>
}

/**
 * A level to write: [inventory item, stock location, stocked quantity, the
 * stocked quantity read inside the lock before it (null: no level yet, it is
 * created)]. Positional, like PlannedLineRow: the workflow engine copies every
 * step's input property by property, and 5,000 small arrays copy in well under
 * a millisecond where 5,000 objects take tens.
 */
export type LevelWriteRow = [inventory_item_id: string, location_id: string, stocked_quantity: number, previous_stocked_quantity: number | null]

/** A planned line as the record step needs it (see plannedLineRow / fromPlannedLineRow). */
export type PlannedLineRow = [
  sku: string,
  source: string | null,
  location_id: string | null,
  inventory_item_id: string | null,
  received_qty: number,
  seq: number,
  previous_seq: number | null,
  unsent_order_qty: number | null,
  active_cart_qty: number | null,
  reserved_qty: number | null,
  applied_qty: number | null,
  outcome: PlannedLine["outcome"],
  message: string,
]

export const plannedLineRow = (l: PlannedLine): PlannedLineRow => [
  l.sku,
  l.source,
  l.locationId,
  l.inventoryItemId,
  l.receivedQty,
  l.seq,
  l.previousSeq,
  l.unsentOrderQty,
  l.activeCartQty,
  l.reservedQty,
  l.appliedQty,
  l.outcome,
  l.message,
]

export const fromPlannedLineRow = ([sku, source, locationId, inventoryItemId, receivedQty, seq, previousSeq, unsentOrderQty, activeCartQty, reservedQty, appliedQty, outcome, message]: PlannedLineRow) => ({
  sku,
  source,
  locationId,
  inventoryItemId,
  receivedQty,
  seq,
  previousSeq,
  unsentOrderQty,
  activeCartQty,
  reservedQty,
  appliedQty,
  outcome,
  message,
})

/**
 * What the later steps need of the plan, and nothing more (the engine copies
 * a step's whole input for each step that takes it): the level writes, and
 * for the record the planned lines per message and the sequence ids to store.
 */
export type PreparedInventoryImport = {
  writes: LevelWriteRow[]
  messages: Array<{ request_id: string; message_seq_id: number; lines: PlannedLineRow[] }>
  /** [sku, stock location, sequence id]: the highest applied per SKU and location. */
  sequences: Array<[sku: string, location_id: string, seq_id: number]>
  started_at: string
  claimed_by: string | null
}

const DAY_MS = 86_400_000

/**
 * Loads what the plan needs for a group of messages (loadInventoryFacts)
 * and plans them. Read-only, so no compensation.
 */
export const prepareInventoryImportStep = createStep(
  "orderflow-prepare-inventory-import",
  async ({ messages, settings, claimed_by = null, items }: PrepareInventoryImportInput, { container }) => {
    const started = new Date()
    for (const m of messages) {
      if (!m.update || !Array.isArray(m.update.lines) || !Number.isInteger(m.update.messageSeqId)) {
        // Only a damaged row can get here (intake validated the message).
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Stored inventory message ${m.request_id} is unreadable`)
      }
    }
    const now = new Date()
    const facts = await loadInventoryFacts(container, messages.flatMap((m) => m.update.lines), settings, now, items)

    const plan = planInventoryImportGroup(
      messages.map((m) => ({
        requestId: m.request_id,
        messageSeqId: m.update.messageSeqId,
        lines: m.update.lines,
        receivedAt: m.received_at ? new Date(m.received_at).toISOString() : null,
        reapply: m.update.reapply === true,
      })),
      facts,
      settings,
      now
    )
    return new StepResponse<PreparedInventoryImport>(compactPlan(plan, started, claimed_by))
  }
)

function compactPlan(plan: GroupPlan, started: Date, claimed_by: string | null): PreparedInventoryImport {
  return {
    writes: plan.levelWrites.map((w): LevelWriteRow => [w.inventory_item_id, w.location_id, w.stocked_quantity, w.create ? null : w.previous_stocked_quantity ?? 0]),
    messages: plan.messages.map((m) => ({ request_id: m.requestId, message_seq_id: m.messageSeqId, lines: m.lines.map(plannedLineRow) })),
    sequences: plan.sequenceWrites.map((q): [string, string, number] => [q.sku, q.location_id, q.seq_id]),
    started_at: started.toISOString(),
    claimed_by,
  }
}

/**
 * Loads what the plan needs for the lines, in a fixed number of queries
 * whatever their size (no per-SKU or per-message loops): inventory items by
 * SKU, their levels, the last applied sequence ids, the stock locations,
 * and, when inventory is adjusted, the reservations with their orders and
 * the units in active carts. Shared by the import and the drift report, so
 * both adjust OrderFlow's figure the same way.
 *
 * `knownItems`: the SKUs' inventory items, read by the caller before it took
 * the stock locks (readInventoryItemsBySku). Everything that decides a
 * figure or whether it may be written is still read here, inside the lock:
 * the sequence ids (the stale guard), the levels (stocked and `reserved`,
 * create or update, the figure the compensation restores), the
 * reservations and carts. Only SKU → item id may be older, and a stale one
 * is harmless: an item created since makes its line `unknown_sku` (nothing
 * written, no sequence id stored, so the next push applies it, as if the
 * message had been applied a moment earlier); an item deleted since gets
 * its figure on a level nobody sells from, or its write fails the group,
 * which is then retried message by message, each reading its items afresh
 * here. (Item changes never took the stock lock, so the same windows exist
 * between a read inside the lock and the write; the look-up ahead only
 * widens them by one group's run.) The item id only names which level the
 * figure goes to; it never lets a figure through the sequence guard, so two
 * instances still cannot apply a stale or repeated figure.
 */
export async function loadInventoryFacts(
  container: MedusaContainer,
  lines: ReadonlyArray<InventoryUpdate["lines"][number]>,
  settings: InventoryImportSettings,
  now: Date,
  knownItems?: ReadonlyArray<[string, string]>
): Promise<InventoryFacts> {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const inventory = container.resolve(Modules.INVENTORY)
  const skus = [...new Set(lines.map((l) => l.sku))]
  const locationIds = [
    ...new Set(
      lines.map((l) => resolveLocation(l.source, settings)).flatMap((r) => ("locationId" in r ? [r.locationId] : []))
    ),
  ]
  const [existingLocations, items] = await Promise.all([
    locationIds.length
      ? container.resolve(Modules.STOCK_LOCATION).listStockLocations({ id: locationIds }, { select: ["id"], take: null })
      : Promise.resolve([]),
    knownItems ? Promise.resolve(knownItems.map(([sku, id]) => ({ sku, id }))) : readInventoryItemsBySku(container, skus).then((r) => r.map(([sku, id]) => ({ sku, id }))),
  ])
  const itemIds = items.map((i) => i.id)
  const [levels, sequences] = await Promise.all([
    itemIds.length && locationIds.length
      ? inventory.listInventoryLevels(
          { inventory_item_id: itemIds, location_id: locationIds },
          { select: ["inventory_item_id", "location_id", "stocked_quantity", "reserved_quantity"], take: null }
        )
      : Promise.resolve([]),
    orderflow.getInventorySequences(skus, locationIds),
  ])

  const facts: InventoryFacts = {
    itemsBySku: new Map(items.map((i) => [i.sku as string, i.id])),
    levels: new Map(
      levels.map((l) => [
        levelKey(l.inventory_item_id, l.location_id),
        { stocked: Number(l.stocked_quantity), reserved: Number(l.reserved_quantity) },
      ])
    ),
    sequences: new Map(sequences.map((q) => [seqKey(q.sku, q.location_id), Number(q.seq_id)])),
    reservations: [],
    cartUnits: new Map(),
    existingLocationIds: new Set(existingLocations.map((l) => l.id)),
  }

  if (settings.adjustInventory !== "none" && itemIds.length && locationIds.length) {
    facts.reservations = await loadReservationFacts(container, itemIds, locationIds)
  }
  if (settings.adjustInventory === "unsent_orders_and_active_carts" && itemIds.length) {
    facts.cartUnits = await loadActiveCartUnits(container, itemIds, new Date(now.getTime() - settings.activeCartCutoffDays * DAY_MS))
  }

  return facts
}

/** [SKU, inventory item id] for the SKUs Medusa knows (one read through the inventory module). */
export async function readInventoryItemsBySku(container: MedusaContainer, skus: string[]): Promise<Array<[string, string]>> {
  if (!skus.length) return []
  const items = await container.resolve(Modules.INVENTORY).listInventoryItems({ sku: skus }, { select: ["id", "sku"], take: null })
  return items.map((i): [string, string] => [i.sku as string, i.id])
}

/** Reservations of the items at the locations, each with its order's status, age and export time. */
async function loadReservationFacts(container: any, itemIds: string[], locationIds: string[]): Promise<ReservationFact[]> {
  const inventory = container.resolve(Modules.INVENTORY)
  const reservations = await inventory.listReservationItems(
    { inventory_item_id: itemIds, location_id: locationIds },
    { select: ["inventory_item_id", "location_id", "quantity", "line_item_id"], take: null }
  )
  const lineItemIds = [...new Set(reservations.map((r: any) => r.line_item_id).filter(Boolean))] as string[]
  type OrderFact = { id: string; status: string; createdAt: string; exportedAt: string | null }
  const orderByLineItem = new Map<string, OrderFact>()
  if (lineItemIds.length) {
    const orderModule = container.resolve(Modules.ORDER)
    const orderItems = await orderModule.listOrderItems({ item_id: lineItemIds }, { select: ["order_id", "item_id"], take: null })
    const orderIds = [...new Set(orderItems.map((oi: any) => oi.order_id))] as string[]
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const [orders, exported] = orderIds.length
      ? await Promise.all([
          orderModule.listOrders({ id: orderIds }, { select: ["id", "status", "created_at"], take: null }),
          orderflow.listOrderflowExportItems({ entity_type: "order", entity_id: orderIds }, { select: ["entity_id", "exported_at", "unconfirmed_sent_at", "send_started_at"], take: null }),
        ])
      : [[], []]
    // An order sent in a call that went unanswered (timeout) may be in OrderFlow's
    // figure already: counted as sent from then. If OrderFlow did not get it after
    // all, its figure drops when it does and it pushes again, which corrects the
    // level; counting it as unsent instead leaves the level low with nothing to
    // correct it when OrderFlow had it. The same holds for a call still in
    // flight, or one whose run died during it (send_started_at).
    const sentAt = (e: any) => e.exported_at ?? e.unconfirmed_sent_at ?? e.send_started_at ?? null
    const exportedAt = new Map(exported.map((e: any) => [e.entity_id, sentAt(e) ? new Date(sentAt(e)).toISOString() : null]))
    const orderById = new Map<string, OrderFact>(
      orders.map((o: any): [string, OrderFact] => [
        o.id,
        { id: o.id, status: o.status, createdAt: new Date(o.created_at).toISOString(), exportedAt: exportedAt.get(o.id) ?? null },
      ])
    )
    for (const oi of orderItems) {
      const order = orderById.get(oi.order_id)
      if (order) orderByLineItem.set(oi.item_id, order)
    }
    // A claim's or exchange's new items travel in an order of their own
    // (`1001-X1`): unsent until that one is sent, whatever the original's state.
    const changes = await loadOrderChanges(container, orderIds, "order_id")
    if (changes.length) {
      const rows = await loadChangeExportRows(container, changes.map((c) => c.id))
      const changeSentAt = new Map(rows.map((r) => [r.entity_id, sentAt(r) ? new Date(sentAt(r)).toISOString() : null]))
      for (const c of changes) {
        const order = orderById.get(c.order_id)
        if (!order) continue
        // Medusa completes an order at its last despatch, before any claim: its claim's or exchange's
        // items still to ship are held for it like those of a pending order.
        const status = c.canceled_at ? "canceled" : order.status === "completed" ? "pending" : order.status
        const fact: OrderFact = { ...order, status, createdAt: new Date(c.created_at).toISOString(), exportedAt: changeSentAt.get(c.id) ?? null }
        for (const i of c.items) if (orderByLineItem.has(i.item_id)) orderByLineItem.set(i.item_id, fact)
      }
    }
  }
  return reservations.map((r: any) => ({
    inventoryItemId: r.inventory_item_id,
    locationId: r.location_id,
    quantity: Number(r.quantity),
    order: r.line_item_id ? orderByLineItem.get(r.line_item_id) ?? null : null,
  }))
}

/**
 * Units of each inventory item in carts not yet completed and updated since
 * the cutoff (the guide's "active quotes"), per the stock location that would
 * fulfil them (attributeCartUnits: the location Medusa would reserve at on
 * completion, among the cart's sales channel's locations). A variant built
 * from several items (a kit) counts each component with its required quantity.
 */
async function loadActiveCartUnits(container: any, itemIds: string[], since: Date): Promise<Map<string, number>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: links } = await query.graph({
    entity: "product_variant_inventory_item",
    fields: ["variant_id", "inventory_item_id", "required_quantity"],
    filters: { inventory_item_id: itemIds },
  })
  if (!links.length) return new Map()
  const cart = container.resolve(Modules.CART)
  const variantIds = [...new Set(links.map((l: any) => l.variant_id))]
  const lines = await cart.listLineItems(
    { variant_id: variantIds, cart: { completed_at: null, updated_at: { $gte: since } } },
    { select: ["variant_id", "quantity", "cart_id"], take: null }
  )
  if (!lines.length) return new Map()
  const cartIds = [...new Set(lines.map((l: any) => l.cart_id))]
  const carts = await cart.listCarts({ id: cartIds }, { select: ["id", "sales_channel_id"], take: null })
  const channelOf = new Map<string, string | null>(carts.map((c: any) => [c.id, c.sales_channel_id ?? null]))
  const channelIds = [...new Set(carts.map((c: any) => c.sales_channel_id).filter(Boolean))] as string[]
  const channelLocations = new Map<string, string[]>()
  if (channelIds.length) {
    const { data: channels } = await query.graph({ entity: "sales_channel", fields: ["id", "stock_locations.id"], filters: { id: channelIds } })
    for (const c of channels) channelLocations.set(c.id, (c.stock_locations ?? []).filter(Boolean).map((l: any) => l.id))
  }
  // Every level of the items (not only the message's locations): the cart may
  // be fulfilled elsewhere, and then nothing is withheld here. Ordered by id
  // (creation order), the order Medusa's query lists an item's levels in.
  const levels = await container.resolve(Modules.INVENTORY).listInventoryLevels(
    { inventory_item_id: itemIds },
    { select: ["id", "inventory_item_id", "location_id", "stocked_quantity", "reserved_quantity"], order: { id: "ASC" }, take: null }
  )
  const componentsOf = new Map<string, Array<{ itemId: string; required: number }>>()
  for (const link of links) {
    const list = componentsOf.get(link.variant_id) ?? []
    list.push({ itemId: link.inventory_item_id, required: Number(link.required_quantity ?? 1) })
    componentsOf.set(link.variant_id, list)
  }
  const demands: CartDemand[] = lines.flatMap((l: any) =>
    (componentsOf.get(l.variant_id) ?? []).map((c) => ({
      inventoryItemId: c.itemId,
      salesChannelId: channelOf.get(l.cart_id) ?? null,
      units: Number(l.quantity) * c.required,
    }))
  )
  return attributeCartUnits(
    demands,
    channelLocations,
    levels.map((l: any) => ({
      inventoryItemId: l.inventory_item_id,
      locationId: l.location_id,
      available: Number(l.stocked_quantity) - Number(l.reserved_quantity),
    }))
  )
}
