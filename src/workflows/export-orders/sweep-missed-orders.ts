import { FilterableOrderProps, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { knownOrderIds } from "./load-order-facts"
import { queueOrdersForExportWorkflow } from "./queue-orders-for-export"

/**
 * How far back the sweep looks. Medusa events can be lost (a crash between a
 * workflow's commit and its subscriber); the export job then finds the order
 * on one of its next runs. Orders placed or paid longer ago than this whose
 * events were lost are found by a backfill.
 */
export const SWEEP_LOOKBACK_MS = 72 * 60 * 60 * 1000
const PAGE = 1000
const QUEUE_CHUNK = 200

export type SweepResult = { candidates: number; unknown: number; queued: number; skipped: number }

/**
 * The safety net of the `order.placed` and `payment.captured` subscribers:
 * orders placed, or paid, since max(exportFrom, now - 72 h) that have no
 * export row are assessed and queued like an event would have. Reads ids
 * only, in pages; the assessment runs for orders with no row (new ones, and
 * those not paid yet).
 */
export async function sweepMissedOrders(container: MedusaContainer, { exportFrom, now }: { exportFrom: Date; now: Date }): Promise<SweepResult> {
  const since = new Date(Math.max(exportFrom.getTime(), now.getTime() - SWEEP_LOOKBACK_MS))
  const orderModule = container.resolve(Modules.ORDER)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const candidates = new Set<string>()
  // Ids only, straight from the order module (no Query join): this runs on
  // every export run over up to 72 hours of orders.
  const filters = { created_at: { $gte: since.toISOString() }, status: { $nin: ["draft", "canceled", "archived"] } } as unknown as FilterableOrderProps
  for (let skip = 0; ; skip += PAGE) {
    const page = await orderModule.listOrders(filters, { select: ["id"], take: PAGE, skip, order: { created_at: "ASC", id: "ASC" } })
    for (const o of page) candidates.add(o.id)
    if (page.length < PAGE) break
  }
  // Orders paid in the window, placed earlier (their payment.captured was lost).
  const { data: payments } = await query.graph({
    entity: "payment",
    fields: ["id", "payment_collection.order.id"],
    filters: { captured_at: { $gte: since.toISOString() } },
  })
  for (const p of payments as Array<{ payment_collection?: { order?: { id?: string } | null } | null }>) {
    const id = p.payment_collection?.order?.id
    if (id) candidates.add(id)
  }
  const known = await knownOrderIds(container, [...candidates])
  const unknown = [...candidates].filter((id) => !known.has(id))
  const result: SweepResult = { candidates: candidates.size, unknown: unknown.length, queued: 0, skipped: 0 }
  for (let i = 0; i < unknown.length; i += QUEUE_CHUNK) {
    const { result: queued } = await queueOrdersForExportWorkflow(container).run({
      input: { order_ids: unknown.slice(i, i + QUEUE_CHUNK), source: "sweep" },
    })
    result.queued += queued.queued.length
    result.skipped += queued.skipped.length
  }
  return result
}
