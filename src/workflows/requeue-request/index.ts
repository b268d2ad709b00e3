import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"

/** Makes a pending or failed inbound message due now, with fresh attempts. */
export const requeueRequestStep = createStep(
  "orderflow-requeue-request",
  async ({ id }: { id: string }, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const before = await orderflow.retrieveOrderflowRequest(id, {
      select: ["id", "status", "attempts", "next_attempt_at", "error", "processed_at"],
    })
    await orderflow.updateOrderflowRequests({ id, status: "pending", attempts: 0, next_attempt_at: null, processed_at: null })
    return new StepResponse({ id }, before)
  },
  async (before, { container }) => {
    if (!before) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.updateOrderflowRequests({
      id: before.id,
      status: before.status,
      attempts: before.attempts,
      next_attempt_at: before.next_attempt_at,
      processed_at: before.processed_at,
    })
  }
)

export const requeueRequestWorkflow = createWorkflow("orderflow-requeue-request", (input: { id: string }) => {
  const result = requeueRequestStep(input)
  return new WorkflowResponse(result)
})
