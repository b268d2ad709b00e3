import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { runOperationStep } from "../run-operation/run-operation"
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

/**
 * "Process now" (POST /admin/orderflow/requests/:id/process): the message is
 * made due with fresh attempts, then its operation runs at once. If the run
 * cannot even start, the message's previous state is restored.
 */
export const processRequestNowWorkflow = createWorkflow(
  "orderflow-process-request-now",
  (input: { id: string; operation: "inventory_import" | "shipment_import" }) => {
    requeueRequestStep(transform({ input }, ({ input }) => ({ id: input.id })))
    const run = runOperationStep(transform({ input }, ({ input }) => ({ operation: input.operation, trigger: "manual" as const })))
    return new WorkflowResponse(run)
  }
)
