import { MedusaContainer } from "@medusajs/framework/types"
import {
  buildOrderImportsDocument,
  changeOrderSource,
  ExportOrder,
  isUnknownProductFailure,
  mapOrder,
  mapOrderChange,
  originalReferenceOf,
  planOrderLines,
  SourceOrder,
  toDate,
  unknownProductReferences,
  withoutChangeItems,
} from "../../lib/order-export"
import { OrderflowSettings } from "../../lib/settings"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService, { ExportItemRow } from "../../modules/orderflow/service"
import type { BuiltDocument } from "../../lib/export/settle-plan"
import { loadOrderChanges } from "./load-order-changes"
import { exportedProductSkus, loadOrderFacts } from "./load-order-facts"

/**
 * The build of the order export batch (build-order-document-step.ts, in the engine of src/workflows/export-batch):
 * loads the claimed orders in a fixed number of queries (load-order-facts.ts),
 * maps each (lib/order-export) and writes one `<imports>` document.
 *
 * - An order that failed before because OrderFlow did not know one of its
 *   products (its last_error) is sent with `merge` and product.N definitions
 *   when `orderExport.sendMissingProducts` is on (seed 002, "Merging orders
 *   with product definitions"): the SKUs OrderFlow named, and those product
 *   export has not delivered.
 * - An order that cannot be sent as it is (no delivery address, a line
 *   without SKU, a fractional quantity...) is rejected with the reason: it
 *   fails without a call and is retried with back-off, so fixing the order
 *   in Medusa is enough.
 * - A claim or exchange (a row with order_id) is its order restricted to
 *   the claim's or exchange's new items, with an originalOrder attribute;
 *   an order's own document never carries those items (issue 13).
 * - An order cancelled in Medusa since it was queued is rejected and its
 *   cancellation requested, so the next run withdraws it (never sent).
 */
export async function buildOrderExportDocument(
  container: MedusaContainer,
  settings: OrderflowSettings,
  items: ExportItemRow[]
): Promise<BuiltDocument> {
  // A claim or exchange row (order_id set) is sent as an order of its own, built from its Medusa order.
  const orderIdOf = (i: ExportItemRow) => i.order_id ?? i.entity_id
  const orderIds = [...new Set(items.map(orderIdOf))]
  const [facts, changes] = await Promise.all([
    loadOrderFacts(container, orderIds, { forExport: true }),
    loadOrderChanges(container, orderIds, "order_id"),
  ])
  const changeById = new Map(changes.map((c) => [c.id, c]))
  // The items every claim and exchange of an order ships: never in the order's own document.
  const changeItems = new Map<string, Set<string>>()
  for (const c of changes) {
    const set = changeItems.get(c.order_id) ?? new Set<string>()
    c.items.forEach((i) => set.add(i.item_id))
    changeItems.set(c.order_id, set)
  }
  const sourceOf = (item: ExportItemRow): SourceOrder | null => {
    const order = facts.orders.get(orderIdOf(item))
    if (!order) return null
    if (!item.order_id) return withoutChangeItems(order, changeItems.get(order.id) ?? new Set())
    const change = changeById.get(item.entity_id)
    return change ? changeOrderSource(order, change) : null
  }
  const repairing = settings.orderExport.sendMissingProducts ? items.filter((i) => isUnknownProductFailure(i.last_error)) : []
  let delivered = new Set<string>()
  if (repairing.length) {
    const skus = repairing.flatMap((i) => {
      const order = sourceOf(i)
      return order ? planOrderLines(order.items ?? [], facts.variants).lines.map((l) => l.sku) : []
    })
    delivered = await exportedProductSkus(container, skus)
  }
  const repairIds = new Set(repairing.map((i) => i.id))

  const built: BuiltDocument = { document: null, sent: [], rejected: [] }
  const orders: Array<{ order: ExportOrder; operation: "insert" | "merge" }> = []
  const cancelled: string[] = []
  for (const item of items) {
    const source = facts.orders.get(orderIdOf(item))
    const change = item.order_id ? changeById.get(item.entity_id) : undefined
    if (!source || (item.order_id && !change)) {
      const what = item.order_id ? `${item.change_kind ?? "claim or exchange"} ${item.entity_id} of order ${item.order_id}` : `order ${item.entity_id}`
      built.rejected.push({ id: item.id, reference: item.reference, message: `${what} no longer exists in Medusa` })
      continue
    }
    if (source.status === "canceled" || toDate(source.canceled_at) || toDate(change?.canceled_at)) {
      cancelled.push(item.id)
      built.rejected.push({ id: item.id, reference: item.reference, message: "cancelled in Medusa before it was sent; it will be withdrawn" })
      continue
    }
    try {
      let embedSkus: Set<string> | undefined
      if (repairIds.has(item.id)) {
        const named = unknownProductReferences(item.last_error)
        const lines = planOrderLines(sourceOf(item)?.items ?? [], facts.variants).lines
        embedSkus = new Set(lines.map((l) => l.sku).filter((sku) => named.includes(sku) || !delivered.has(sku)))
      }
      const ctx = {
        reference: item.reference,
        channel: settings.api.channel,
        variants: facts.variants,
        shippingOptions: facts.shippingOptions,
        orderAttributes: settings.orderExport.orderAttributes,
        embedSkus,
      }
      const { order, problems } = change
        ? mapOrderChange(source, change, { ...ctx, originalReference: originalReferenceOf(item.reference) })
        : mapOrder(withoutChangeItems(source, changeItems.get(source.id) ?? new Set()), ctx)
      if (problems.length) {
        built.rejected.push({ id: item.id, reference: item.reference, message: `not sent: ${problems.join("; ")}` })
        continue
      }
      orders.push({ order, operation: order.products.length ? "merge" : "insert" })
      built.sent.push({ id: item.id, reference: item.reference })
    } catch (e) {
      built.rejected.push({ id: item.id, reference: item.reference, message: `could not map the order: ${(e as Error).message}` })
    }
  }
  if (orders.length) built.document = buildOrderImportsDocument(orders, settings.api.timeZone)
  if (cancelled.length) {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.updateOrderflowExportItems(
      cancelled.map((id) => ({ id, cancel_status: "pending", cancel_attempts: 0, cancel_next_attempt_at: null, cancel_error: null }))
    )
  }
  return built
}
