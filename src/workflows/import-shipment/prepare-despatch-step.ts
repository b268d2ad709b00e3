import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { despatchParcelKey, isPolledDespatchKey, isRepeatableDespatchKey, type DespatchNotification } from "../../lib/inbound"
import { stockLockKeys } from "../../lib/inventory/stock-lock-keys"
import { DespatchPlan, despatchParts, displayIdFromReference, OrderFacts, planDespatch, trackingUrl } from "../../lib/shipment/despatch-plan"
import { MedusaContainer } from "@medusajs/framework/types"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { loadOrderChanges } from "../export-orders/load-order-changes"

export type ShipmentImportSettings = {
  referencePrefix: string
  notifyCustomer: boolean
  completeOrders: boolean
  trackingUrlTemplates: Record<string, string>
  /** OrderFlow site -> stock location (shared with inventory import). */
  locations: Record<string, string>
  defaultLocationId: string | null
}

export type ImportShipmentInput = {
  request_id: string
  dedupe_key: string
  notification: DespatchNotification
  settings: ShipmentImportSettings
  /** The claimant of the request (the run that claimed it); the record checks it still is. Absent: no check. */
  claimed_by?: string | null
}

/** One fulfilment of a despatch: its stock location's lines, and what is done of it. */
export type PreparedPart = {
  location_id: string | null
  items: Array<{ id: string; quantity: number }>
  /** Made by an earlier run of this despatch (a crash, or an earlier part): reused, never made twice. */
  fulfillment_id: string | null
  shipped: boolean
}

export type PreparedDespatch = {
  plan: DespatchPlan
  started_at: string
  order_reference: string
  /** One part per stock location the despatched lines are reserved at (src/lib/shipment despatchParts). */
  parts: PreparedPart[]
  /** The part this run fulfils or ships (the first not done), or -1 when every part is done. */
  current: number
  /** Parts after the current one still to do: the despatch is applied part by part, one run each, and recorded by the last. */
  more_parts: boolean
  labels: Array<{ tracking_number: string; tracking_url: string; label_url: string }>
  shipped_at: string | null
  no_notification: boolean
  metadata: Record<string, unknown>
  /** The despatch record of this message already exists (a message processed with errors, run again). */
  despatch_recorded: boolean
  /** Stock levels the current part's fulfilment changes (stocked and reserved), locked against inventory import while it is made. */
  lock_keys: string[]
}

/**
 * Which lines of the Medusa order the despatched OrderFlow order covers: a
 * claim's or exchange's new items only, or, for the original order, all but
 * those; null (all lines) when the order has no claims or exchanges.
 */
async function despatchScope(
  container: MedusaContainer,
  order: { id: string; display_id: number; version?: number | null; items?: Array<{ id: string }> },
  row: { entity_id: string; order_id?: string | null; change_kind?: string | null } | null,
  reference: string
): Promise<OrderFacts["scope"]> {
  // A claim or exchange has outbound items only once confirmed, and confirming
  // any order change raises the order's version (fulfilments do not): an order
  // still at its first version has none, and its two lookups are skipped.
  if (!row?.order_id && Number(order.version ?? 2) <= 1) return null
  const changes = await loadOrderChanges(container, [order.id], "order_id")
  if (row?.order_id) {
    const change = changes.find((c) => c.id === row.entity_id)
    return { lineIds: change ? change.items.map((i) => i.item_id) : [], label: `${row.change_kind ?? "claim or exchange"} ${reference}` }
  }
  const theirs = new Set(changes.flatMap((c) => c.items.map((i) => i.item_id)))
  if (!theirs.size) return null
  return { lineIds: (order.items ?? []).map((i) => i.id).filter((id) => !theirs.has(id)), label: `order #${order.display_id}` }
}

/**
 * The request that already applied this despatch's parcel, when this one is
 * the same parcel heard of another way (see despatchDedupeKey): a polled
 * shipment is a twin of any applied request with its parcel key; a push, of
 * a polled one; a despatch with neither number nor ship date, of an earlier
 * one with the same content, unless the order has room for all of it (then
 * it is a second parcel). `twins`: the applied requests with its parcel key, oldest first.
 */
function appliedTwin(
  twins: Array<{ id: string; dedupe_key: string }>,
  { dedupe_key, plan }: { dedupe_key: string; plan: DespatchPlan }
): string | null {
  if (!twins.length) return null
  if (isPolledDespatchKey(dedupe_key)) return twins[0].id
  const polled = twins.find((t) => isPolledDespatchKey(t.dedupe_key))
  if (polled) return polled.id
  const fitsWhole = plan.kind === "apply" && plan.lines.every((l) => l.outcome === "shipped")
  if (isRepeatableDespatchKey(dedupe_key) && !fitsWhole) return twins.find((t) => isRepeatableDespatchKey(t.dedupe_key))?.id ?? null
  return null
}

/** The words marking a despatch that waits for its order's export to be confirmed (a wait, not a fault). */
export const EXPORT_NOT_CONFIRMED = "not confirmed yet"

/**
 * Finds the order by the reference we exported, maps the despatched SKUs to
 * its lines (pure plan) and works out where, how and when it shipped.
 * Read-only, so no compensation.
 */
export const prepareDespatchStep = createStep(
  "orderflow-prepare-despatch",
  async ({ dedupe_key, notification, settings, request_id }: ImportShipmentInput, { container }) => {
    if (!notification || !Array.isArray(notification.lines)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Stored despatch message ${request_id} is unreadable`)
    }
    const started = new Date()
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const reference = notification.orderIncrementId
    // The export row sent under exactly this reference: an order, or a claim or
    // exchange sent as an order of its own (`1001-X1`, issue 13). Failing that,
    // the display id read from the reference with today's prefix (an order the
    // export has no row for: the plan says why it cannot be applied).
    // Our own tables' part of it, in one round trip: the export row, kit progress, applied twins, the despatch record.
    const context = await orderflow.getDespatchContext({
      request_id,
      reference: reference || null,
      parcel_key: despatchParcelKey(notification),
      message_seq_id: notification.messageSeqId,
    })
    const byReference = reference ? context.export_item : null
    const displayId = byReference ? null : displayIdFromReference(reference, settings.referencePrefix)
    // display_id is a number; the generated query types declare every filter as text.
    const orderFilter: Record<string, unknown> | null = byReference
      ? { id: byReference.order_id ?? byReference.entity_id }
      : displayId !== null
        ? { display_id: displayId }
        : null

    let facts: OrderFacts | null = null
    // Fulfilments this very despatch made in earlier runs: the parts of a multi-location parcel done before, or a crash after one.
    let own: Array<{ id: string; location_id: string | null; shipped: boolean; items: Array<{ id: string; quantity: number }> }> = []
    let reservations: Array<{ line_item_id: string | null; location_id: string; quantity: unknown }> = []
    // Open kit component rows of the order: the kit lines' progress, and the parcels whose tracking the completing fulfilment carries.
    let openKit: Array<{ line_item_id: string; sku: string; quantity: number; tracking_numbers: unknown }> = []
    if (orderFilter) {
      const { data: orders } = await query.graph({
        entity: "order",
        fields: [
          "id", "display_id", "status", "version",
          "items.id", "items.title", "items.variant_sku", "items.quantity", "items.requires_shipping",
          "items.detail.quantity", "items.detail.fulfilled_quantity",
          "items.variant.manage_inventory",
          "items.variant.inventory_items.required_quantity",
          "items.variant.inventory_items.inventory.sku",
          "fulfillments.id", "fulfillments.metadata", "fulfillments.shipped_at", "fulfillments.canceled_at",
        ],
        filters: orderFilter,
      })
      const order: any = orders[0]
      if (order) {
        const [exportItem] = byReference
          ? [byReference]
          : await orderflow.listOrderflowExportItems({ entity_type: "order", entity_id: order.id }, { select: ["status", "exported_at"], take: 1 })
        const scope = await despatchScope(container, order, byReference ?? null, reference)
        if (exportItem && !exportItem.exported_at && exportItem.status !== "skipped") {
          // Sent (or being sent) but not confirmed yet: a call that timed out after
          // OrderFlow stored the order is confirmed by its retry's duplicate answer,
          // and OrderFlow may despatch before that. Thrown, so the message is
          // retried with back-off rather than rejected for good.
          throw new MedusaError(
            MedusaError.Types.NOT_ALLOWED,
            `${scope?.label ?? `order #${order.display_id}`} is being exported to OrderFlow but ${EXPORT_NOT_CONFIRMED} (${exportItem.status}); the despatch is retried once it is`
          )
        }
        const mine = (order.fulfillments ?? []).filter((f: any) => !f.canceled_at && f.metadata?.orderflow_despatch_key === dedupe_key)
        if (mine.length) {
          // Rare (a multi-location parcel, or a crash after a fulfilment was made): only then are their items loaded.
          const fulfillments = await container
            .resolve(Modules.FULFILLMENT)
            .listFulfillments({ id: mine.map((f: any) => f.id) }, { relations: ["items"] })
          own = fulfillments.map((f: any) => ({
            id: f.id,
            location_id: f.location_id ?? null,
            shipped: !!f.shipped_at,
            items: (f.items ?? []).map((i: any) => ({ id: i.line_item_id, quantity: Number(i.quantity) })),
          }))
        }
        // Read with the export row when the reference found it (the order is that row's); else by the order found.
        openKit = byReference
          ? context.open_kit
          : await orderflow.listOrderflowKitComponents(
              { order_id: order.id, fulfillment_id: null },
              { select: ["line_item_id", "sku", "quantity", "tracking_numbers"], take: null }
            )
        const progressOf = (lineId: string) => {
          const rows = openKit.filter((r) => r.line_item_id === lineId)
          if (!rows.length) return undefined
          const progress: Record<string, number> = {}
          for (const r of rows) progress[r.sku] = (progress[r.sku] ?? 0) + Number(r.quantity)
          return progress
        }
        facts = {
          id: order.id,
          displayId: order.display_id,
          status: order.status,
          exported: !!exportItem?.exported_at,
          scope,
          lines: (order.items ?? []).map((i: any) => ({
            id: i.id,
            sku: i.variant_sku ?? null,
            title: i.title,
            // The ordered quantity lives on the order item (detail); the line has none of its own here.
            quantity: Number(i.detail?.quantity ?? i.quantity ?? 0),
            fulfilled: Number(i.detail?.fulfilled_quantity ?? 0),
            // A variant deleted after export: the line's stored SKU is what was sent (a stock line, one unit each).
            manageInventory: i.variant ? !!i.variant.manage_inventory : !!i.variant_sku,
            requiresShipping: i.requires_shipping !== false,
            components: i.variant
              ? (i.variant.inventory_items ?? [])
                  .filter((ii: any) => ii.inventory?.sku)
                  .map((ii: any) => ({ sku: ii.inventory.sku, required: Number(ii.required_quantity ?? 1) }))
              : i.variant_sku
                ? [{ sku: i.variant_sku, required: 1 }]
                : [],
            progress: progressOf(i.id),
          })),
        }
        // Where the order's items are reserved: the fulfilment is made where the shipped lines are, when the message names no (known) site.
        const namedSite = notification.source ? settings.locations[notification.source] : null
        if (!namedSite) reservations = (await container
          .resolve(Modules.INVENTORY)
          .listReservationItems({ line_item_id: facts.lines.map((l) => l.id) }, { select: ["line_item_id", "location_id", "quantity"] })) as any
      }
    }

    let plan: DespatchPlan
    // Kit progress this very message recorded before (a run again of a message processed with errors).
    const kitBefore = !!facts && context.kit_before
    const [earlier] =
      facts && (own.length || kitBefore)
        ? await orderflow.listOrderflowImports({ request_id }, { relations: ["lines"], order: { created_at: "DESC" }, take: 1 })
        : []
    if (facts && earlier) {
      // Applied and recorded before ("Process now" on a message processed with errors): ship what is not
      // shipped yet, never fulfil or count kit components twice; its failed lines stay failed.
      plan = {
        kind: "apply",
        orderId: facts.id,
        items: [],
        kitProgress: [],
        completesOrder: facts.lines.every((l) => !l.manageInventory || l.quantity === l.fulfilled),
        message: own.length ? "despatch applied earlier (fulfillment found), recorded now" : "despatch applied earlier (kit components recorded), recorded now",
        lines: earlier.lines?.length
          ? [...earlier.lines]
              // As planned: applied lines first, then the failed ones in the message's order.
              .sort((a: any, b: any) =>
                Number(a.outcome === "failed") - Number(b.outcome === "failed") ||
                notification.lines.findIndex((l) => l.sku === a.sku) - notification.lines.findIndex((l) => l.sku === b.sku))
              .map((l: any) => ({
              sku: l.sku,
              qty: Number(l.received_qty ?? 0),
              lineItemId: l.line_item_id ?? null,
              lineQuantity: l.applied_qty ?? null,
              outcome: l.outcome === "failed" ? ("failed" as const) : ("shipped" as const),
              message: l.message ?? "applied earlier",
            }))
          : notification.lines.map((l) => ({ sku: l.sku, qty: l.qty, lineItemId: null, lineQuantity: null, outcome: "shipped" as const, message: "applied earlier" })),
      }
    } else {
      // Fulfilments this despatch made before its record (earlier parts, or a crash) are taken out of the
      // order's fulfilled units, so the plan is the one the first run made: the same lines, kit units and
      // kit components carried over, whichever run finishes it.
      if (facts && own.length) {
        const mineOf = new Map<string, number>()
        for (const f of own) for (const i of f.items) mineOf.set(i.id, (mineOf.get(i.id) ?? 0) + i.quantity)
        facts = { ...facts, lines: facts.lines.map((l) => ({ ...l, fulfilled: l.fulfilled - (mineOf.get(l.id) ?? 0) })) }
      }
      plan = planDespatch(notification, facts, reference)
    }

    // One parcel heard of twice (README "Shipment import", dedupe): a polled shipment whose parcel a push
    // applied, a push of a parcel the poll applied, or a repeat of a despatch with neither number nor ship
    // date that the order has no room for. Filed a duplicate of the request that applied it, quietly.
    const twin = own.length || kitBefore ? null : appliedTwin(context.twins, { dedupe_key, plan })
    if (twin) {
      const message = `the same parcel (order, units, tracking, ship date) was already applied by request ${twin}`
      plan = {
        kind: "duplicate",
        orderId: facts?.id ?? null,
        duplicateOf: twin,
        message,
        lines: notification.lines.map((l) => ({ sku: l.sku, qty: l.qty, lineItemId: null, lineQuantity: null, outcome: "duplicate", message })),
      }
    }

    // Identity is type + message number (DESIGN.md section 3): a re-push of an applied message with other
    // content (its dedupe key differs, so it was stored as a new request) is recorded and alerted, never applied.
    if (plan.kind !== "duplicate" && notification.messageSeqId !== null && !own.length && !kitBefore) {
      const applied = context.same_seq_applied
      if (applied) {
        const message = `despatch message ${notification.messageSeqId} was already applied (request ${applied}); this re-push has different content and is not applied again`
        plan = { kind: "rejected", orderId: facts?.id ?? null, message, lines: notification.lines.map((l) => ({ sku: l.sku, qty: l.qty, lineItemId: null, lineQuantity: null, outcome: "failed", message })) }
      }
    }

    let siteLocation: string | null = null
    if (notification.source) {
      siteLocation = settings.locations[notification.source] ?? null
      if (!siteLocation && plan.kind === "apply" && !own.length) {
        const message = `unknown OrderFlow site "${notification.source}": map it to a stock location in Settings → OrderFlow`
        plan = { kind: "rejected", orderId: plan.orderId, message, lines: plan.lines.map((l) => ({ ...l, outcome: "failed", message })) }
      }
    }

    // The parts made before come first as they are; what is left of the plan is split by stock location.
    const parts: PreparedPart[] = own.map((f) => ({ location_id: f.location_id, items: f.items, fulfillment_id: f.id, shipped: f.shipped }))
    if (plan.kind === "apply" && !earlier) {
      const done = new Map<string, number>()
      for (const f of own) for (const i of f.items) done.set(i.id, (done.get(i.id) ?? 0) + i.quantity)
      const left = plan.items.map((i) => ({ id: i.id, quantity: i.quantity - (done.get(i.id) ?? 0) })).filter((i) => i.quantity > 0)
      for (const part of despatchParts(left, reservations, { siteLocation, fallback: settings.defaultLocationId })) {
        parts.push({ ...part, fulfillment_id: null, shipped: false })
      }
    }
    const current = parts.findIndex((p) => !p.fulfillment_id || !p.shipped)
    const more_parts = current >= 0 && parts.slice(current + 1).some((p) => !p.fulfillment_id || !p.shipped)

    // The current part's fulfilment lowers stocked and reserved of every stock component of its lines, at its location.
    const part = current >= 0 && !parts[current].fulfillment_id ? parts[current] : null
    const fulfilled = new Set(part ? part.items.map((i) => i.id) : [])
    const lockKeys =
      part?.location_id && facts
        ? stockLockKeys(
            facts.lines
              .filter((l) => fulfilled.has(l.id) && l.manageInventory)
              .flatMap((l) => l.components.map((c) => ({ sku: c.sku, location_id: part.location_id! })))
          )
        : []

    // The fulfilment completing kit units carries the tracking of the earlier parcels of those kits too.
    const closing = new Set(plan.kind === "apply" ? plan.kitProgress.filter((k) => k.close).map((k) => k.lineItemId) : [])
    const earlierParcels = openKit
      .filter((r) => closing.has(r.line_item_id))
      .flatMap((r) => (Array.isArray(r.tracking_numbers) ? (r.tracking_numbers as string[]) : []))
    const trackingNumbers = [...new Set([...notification.trackingNumbers, ...earlierParcels])]
    const labels = trackingNumbers.map((n) => ({
      tracking_number: n,
      tracking_url: trackingUrl(settings.trackingUrlTemplates, notification.courierName, n),
      label_url: "",
    }))
    return new StepResponse<PreparedDespatch>({
      plan,
      started_at: started.toISOString(),
      order_reference: reference,
      parts,
      current,
      more_parts,
      labels,
      shipped_at: notification.dateShipped,
      no_notification: !(notification.email && settings.notifyCustomer),
      metadata: {
        orderflow_despatch_key: dedupe_key,
        orderflow_request_id: request_id,
        orderflow_courier: notification.courierName,
        orderflow_service: notification.serviceName,
        orderflow_comment: notification.comment,
        orderflow_include_comment: notification.includeComment,
        // What a store's shipment.created subscriber shows the customer (README "Shipment import").
        orderflow_customer_comment: notification.includeComment && notification.comment ? notification.comment : null,
      },
      lock_keys: lockKeys,
      despatch_recorded: context.despatch_recorded,
    })
  }
)
