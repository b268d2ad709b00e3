import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ProductQueuePlan } from "../../lib/product-export"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"

const RESTORED_FIELDS = [
  "id",
  "entity_id",
  "reference",
  "variant_id",
  "product_id",
  "status",
  "skip_reason",
  "activated",
  "attempts",
  "next_attempt_at",
  "changed_at",
  "last_error",
] as const

type Snapshot = { previous: Record<string, unknown>[]; inserted: string[]; removed: string[] }

/**
 * Writes the plan: rows upserted to pending (a row in flight keeps `queued`
 * and is re-sent after it settles, see markExportPending), skip rows with
 * their reason, obsolete skip rows removed. The compensation puts back the
 * rows as they were and removes the ones it inserted.
 */
export const markProductsPendingStep = createStep(
  "orderflow-mark-products-pending",
  async (plan: ProductQueuePlan, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const entityIds = plan.upsert.map((r) => r.entity_id)
    const before = entityIds.length
      ? await orderflow.listOrderflowExportItems({ entity_type: "product", entity_id: entityIds }, { select: [...RESTORED_FIELDS], take: null })
      : []
    const now = new Date()
    await orderflow.markExportPending(
      plan.upsert.map((r) => ({ entity_type: "product" as const, ...r })),
      { now }
    )
    if (plan.remove.length) await orderflow.softDeleteOrderflowExportItems(plan.remove)
    const known = new Set(before.map((r) => r.entity_id))
    const snapshot: Snapshot = {
      previous: before.map((r) => ({ ...r })),
      inserted: entityIds.filter((id) => !known.has(id)),
      removed: plan.remove,
    }
    return new StepResponse(
      {
        pending: plan.upsert.filter((r) => !r.skip_reason).length,
        skipped: plan.upsert.filter((r) => r.skip_reason).length,
        removed: plan.remove.length,
      },
      snapshot
    )
  },
  async (snapshot, { container }) => {
    if (!snapshot) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    if (snapshot.inserted.length) {
      const rows = await orderflow.listOrderflowExportItems({ entity_type: "product", entity_id: snapshot.inserted }, { select: ["id"], take: null })
      if (rows.length) await orderflow.deleteOrderflowExportItems(rows.map((r) => r.id))
    }
    if (snapshot.previous.length) await orderflow.updateOrderflowExportItems(snapshot.previous as any)
    if (snapshot.removed.length) await orderflow.restoreOrderflowExportItems(snapshot.removed)
  }
)
