import { MedusaContainer } from "@medusajs/framework/types"
import {
  buildOrderImportsDocument,
  ExportOrder,
  isUnknownProductFailure,
  mapOrder,
  planOrderLines,
  toDate,
  unknownProductReferences,
} from "../../lib/order-export"
import { OrderflowSettings } from "../../lib/settings"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService, { ExportItemRow } from "../../modules/orderflow/service"
import type { BuiltDocument } from "../../lib/export/settle-plan"
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
 * - An order cancelled in Medusa since it was queued is rejected and its
 *   cancellation requested, so the next run withdraws it (never sent).
 */
export async function buildOrderExportDocument(
  container: MedusaContainer,
  settings: OrderflowSettings,
  items: ExportItemRow[]
): Promise<BuiltDocument> {
  const facts = await loadOrderFacts(container, items.map((i) => i.entity_id), { forExport: true })
  const repairing = settings.orderExport.sendMissingProducts ? items.filter((i) => isUnknownProductFailure(i.last_error)) : []
  let delivered = new Set<string>()
  if (repairing.length) {
    const skus = repairing.flatMap((i) => {
      const order = facts.orders.get(i.entity_id)
      return order ? planOrderLines(order.items ?? [], facts.variants).lines.map((l) => l.sku) : []
    })
    delivered = await exportedProductSkus(container, skus)
  }
  const repairIds = new Set(repairing.map((i) => i.id))

  const built: BuiltDocument = { document: null, sent: [], rejected: [] }
  const orders: Array<{ order: ExportOrder; operation: "insert" | "merge" }> = []
  const cancelled: string[] = []
  for (const item of items) {
    const source = facts.orders.get(item.entity_id)
    if (!source) {
      built.rejected.push({ id: item.id, reference: item.reference, message: `order ${item.entity_id} no longer exists in Medusa` })
      continue
    }
    if (source.status === "canceled" || toDate(source.canceled_at)) {
      cancelled.push(item.id)
      built.rejected.push({ id: item.id, reference: item.reference, message: "cancelled in Medusa before it was sent; it will be withdrawn" })
      continue
    }
    try {
      let embedSkus: Set<string> | undefined
      if (repairIds.has(item.id)) {
        const named = unknownProductReferences(item.last_error)
        const lines = planOrderLines(source.items ?? [], facts.variants).lines
        embedSkus = new Set(lines.map((l) => l.sku).filter((sku) => named.includes(sku) || !delivered.has(sku)))
      }
      const { order, problems } = mapOrder(source, {
        reference: item.reference,
        channel: settings.api.channel,
        variants: facts.variants,
        shippingOptions: facts.shippingOptions,
        orderAttributes: settings.orderExport.orderAttributes,
        embedSkus,
      })
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
  if (orders.length) built.document = buildOrderImportsDocument(orders, settings.orderExport.timezone)
  if (cancelled.length) {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.updateOrderflowExportItems(
      cancelled.map((id) => ({ id, cancel_status: "pending", cancel_attempts: 0, cancel_next_attempt_at: null, cancel_error: null }))
    )
  }
  return built
}
