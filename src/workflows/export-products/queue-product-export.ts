import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { loadProductQueueFactsStep, QueueProductExportInput } from "./load-product-queue-facts-step"
import { markProductsPendingStep } from "./mark-products-pending-step"

export type { QueueProductExportInput }

/**
 * Puts the SKUs of changed products/variants into the export queue (seed 000,
 * "Magento Workflow": created or modified -> Pending): read what the plan
 * needs and plan it, then write the rows.
 */
export const queueProductExportWorkflow = createWorkflow(
  "orderflow-queue-product-export",
  (input: QueueProductExportInput) => {
    const plan = loadProductQueueFactsStep(input)
    const result = markProductsPendingStep(plan)
    return new WorkflowResponse(result)
  }
)
