import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService, { MarkExportPendingInput } from "../../modules/orderflow/service"
import type { AssessedOrders } from "./assess-orders-step"

export type QueuedOrders = {
  /** Orders newly queued (pending). */
  queued: string[]
  /** Orders newly recorded as skipped: nothing in them is shipped from stock. */
  skipped: string[]
}

/**
 * Queues eligible orders that have no export row yet (pending), and records
 * paid orders with nothing shipped from stock as skipped, with the reason.
 * insertOnly: an order OrderFlow may already have is never re-queued here,
 * whatever its state (DESIGN §5; OrderFlow would answer importDuplicates).
 * The compensation deletes exactly the rows this step inserted.
 */
export const queueOrdersForExportStep = createStep(
  "orderflow-queue-orders-for-export",
  async ({ assessments }: AssessedOrders, { container }) => {
    const rows: MarkExportPendingInput[] = []
    for (const a of assessments) {
      if (a.existing || !a.reference) continue
      if (a.eligible) {
        rows.push({ entity_type: "order", entity_id: a.order_id, reference: a.reference })
      } else if (a.code === "no_stock_items") {
        rows.push({ entity_type: "order", entity_id: a.order_id, reference: a.reference, skip_reason: a.reason })
      }
    }
    if (!rows.length) return new StepResponse<QueuedOrders, { ids: string[]; at: string } | null>({ queued: [], skipped: [] }, null)
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const now = new Date()
    await orderflow.markExportPending(rows, { now, insertOnly: true })
    // Rows that existed already (a concurrent event) were left alone; only
    // those created now are ours.
    const created = await orderflow.listOrderflowExportItems(
      { entity_type: "order", entity_id: rows.map((r) => r.entity_id), created_at: now },
      { select: ["id", "entity_id", "status"], take: null }
    )
    return new StepResponse<QueuedOrders, { ids: string[]; at: string } | null>(
      {
        queued: created.filter((r) => r.status === "pending").map((r) => r.entity_id),
        skipped: created.filter((r) => r.status === "skipped").map((r) => r.entity_id),
      },
      { ids: created.map((r) => r.id), at: now.toISOString() }
    )
  },
  async (inserted: { ids: string[]; at: string } | null | undefined, { container }) => {
    if (!inserted?.ids.length) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.deleteOrderflowExportItems(inserted.ids)
  }
)
