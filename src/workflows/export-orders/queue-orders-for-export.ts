import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { OrderAssessment } from "./assess-orders"
import { AssessedOrders, assessOrdersForExportStep, QueueOrdersInput } from "./assess-orders-step"
import { ensureExportFromStep } from "./ensure-export-from-step"
import { QueuedOrders, queueOrdersForExportStep } from "./queue-orders-step"

export type QueueOrdersResult = {
  ignored: string | null
  assessments: OrderAssessment[]
  queued: string[]
  skipped: string[]
}

function toResult({ assessed, queued }: { assessed: AssessedOrders; queued: QueuedOrders }): QueueOrdersResult {
  return { ignored: assessed.ignored, assessments: assessed.assessments, queued: queued.queued, skipped: queued.skipped }
}

/**
 * Marks eligible orders Pending for export (seed 000 "Magento Workflow": an
 * order becomes Pending, then Queued, then Exported). Run by the
 * `order.placed` and `payment.captured` subscribers, by the export job's
 * sweep for events that were lost, by manual export and by backfill:
 * make sure the exportFrom boundary is set, assess (read-only), then queue.
 */
export const queueOrdersForExportWorkflow = createWorkflow("orderflow-queue-orders-for-export", (input: QueueOrdersInput) => {
  const state = ensureExportFromStep({})
  const assessed = assessOrdersForExportStep({ input, state })
  const queued = queueOrdersForExportStep(assessed)
  return new WorkflowResponse(transform({ assessed, queued }, toResult))
})

export type { QueueOrdersInput }
