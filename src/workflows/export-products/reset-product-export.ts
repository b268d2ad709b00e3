import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { operationWorkflow } from "../common/operation"
import { sweepAllProductsStep } from "./sweep-product-changes"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"

const KEPT = ["id", "status", "attempts", "next_attempt_at", "last_error", "changed_at"] as const

/**
 * The admin's "Reset Export Status (OF)" for the whole catalog (seed 000,
 * "Export Types", bulk): every product row that is not in flight or skipped
 * goes back to pending with its attempts cleared. The compensation puts the
 * previous states back.
 */
export const resetAllProductExportStep = createStep(
  "orderflow-reset-all-product-export",
  async (_: Record<string, never>, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const before = await orderflow.listOrderflowExportItems(
      { entity_type: "product", status: ["pending", "exported", "failed"] },
      { select: [...KEPT], take: null }
    )
    const reset = await orderflow.resetExportItems({ entity_type: "product", now: new Date() })
    return new StepResponse({ reset }, before.map((r) => ({ ...r })))
  },
  async (before, { container }) => {
    if (!before?.length) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.updateOrderflowExportItems(before as any)
  }
)

/**
 * Reset all (POST /admin/orderflow/products/reset with `all`): every row back
 * to pending, then a full sweep queues the products that have no row yet.
 */
export const resetAllProductExportWorkflow = createWorkflow(operationWorkflow("orderflow-reset-all-product-export"), () => {
  const result = resetAllProductExportStep({})
  const sweep = sweepAllProductsStep({ since: null })
  return new WorkflowResponse(transform({ result, sweep }, ({ result, sweep }) => ({ reset: result.reset, queued: sweep.queued })))
})
