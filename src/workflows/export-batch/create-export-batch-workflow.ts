import { createWorkflow, StepFunction, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { BuiltDocument } from "../../lib/export/settle-plan"
import type { ExportItemRow } from "../../modules/orderflow/service"
import type { ExportEntityType, OperationName, OperationTrigger } from "../../types"
import { operationWorkflow } from "../common/operation"
import { sendAlertsStep } from "../send-alert"
import { callOrderflowImportsStep } from "./call-orderflow-imports-step"
import { claimExportItemsStep } from "./claim-export-items-step"
import { settleExportStep } from "./settle-export-step"

export type ExportBatchInput = {
  trigger: OperationTrigger
  /** Manual export: exactly these export item ids, due or not. */
  ids?: string[]
  /** Default: the operation's configured batch size. */
  batch_size?: number
  /** ISO instant the run stands for (the scheduler's tick); the clock when absent. */
  now?: string
}

/**
 * A build step: turns the claimed rows into one `<imports>` document. It must
 * not throw for a bad item (reject it with the reason) and should not throw
 * at all: a batch whose build throws is compensated (its items go back to
 * pending) without counting an attempt.
 */
export type BuildExportDocumentStep = StepFunction<{ items: ExportItemRow[] }, BuiltDocument>

/**
 * One batch of an export operation (seed 000 "Magento Workflow": Pending ->
 * Queued -> Exported), the same for products and orders: claim due items
 * (leased) → build one `<imports>` document (entity-specific) → call
 * OrderFlow, last, since it cannot be undone → settle every item from the
 * importResult and record the call → alert on what failed for good.
 */
export function createExportBatchWorkflow(spec: {
  id: string
  entityType: ExportEntityType
  operation: OperationName
  buildStep: BuildExportDocumentStep
}) {
  // Stored like the operations: each batch's claim, build, call and settle
  // steps (with the documents) can be read at Settings → Workflows.
  return createWorkflow(operationWorkflow(spec.id), (input: ExportBatchInput) => {
    const claimInput = transform({ input }, ({ input }) => ({ entity_type: spec.entityType, ids: input.ids, batch_size: input.batch_size, now: input.now }))
    const claimed = claimExportItemsStep(claimInput)
    const built = spec.buildStep(transform({ claimed }, ({ claimed }) => ({ items: claimed.items })))
    const call = callOrderflowImportsStep(
      transform({ built }, ({ built }) => ({ entity_type: spec.entityType, document: built.sent.length ? built.document : null }))
    )
    const settled = settleExportStep(
      transform({ input, claimed, built, call }, ({ input, claimed, built, call }) => ({
        entity_type: spec.entityType,
        operation: spec.operation,
        trigger: input.trigger,
        claimed: { items: claimed.items, released: claimed.released },
        built,
        call,
      }))
    )
    sendAlertsStep(transform({ settled }, ({ settled }) => settled.alerts))
    return new WorkflowResponse(transform({ settled }, ({ settled }) => settled.result))
  })
}

export type { BuiltDocument }
