import { createStep, createWorkflow, StepFunction, StepResponse, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { BuiltDocument } from "../../lib/export/settle-plan"
import type { ExportItemRow } from "../../modules/orderflow/service"
import type { ExportEntityType, OperationName, OperationTrigger } from "../../types"
import { raiseIncidentsStep } from "../incidents"
import { callOrderflowImportsStep } from "./call-orderflow-imports-step"
import { claimExportItemsStep } from "./claim-export-items-step"
import { ExportBatchResult, settleExportStep } from "./settle-export-step"

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

export type ExportBatchSpec = {
  entityType: ExportEntityType
  operation: OperationName
  buildStep: BuildExportDocumentStep
}

/**
 * One batch of an export operation (seed 000 "Magento Workflow": Pending ->
 * Queued -> Exported), the same for products and orders: claim due items
 * (leased) → build one `<imports>` document (entity-specific) → call
 * OrderFlow, last, since it cannot be undone → settle every item from the
 * importResult and record the call → alert on what failed for good.
 *
 * Before claiming, the endpoint's state decides what the run may send (a
 * batch; one probe item while the circuit is open; nothing while blocked or
 * between probes); a batch OrderFlow fails as a whole is sent again in
 * halves to isolate the item that causes it (lib/export/isolate.ts).
 *
 * Composed inside a workflow by createExportBatchWorkflow; the operation
 * workflows run that workflow from one step (exportBatchStep), so the stored
 * operation execution carries the batch's figures, not its documents (which
 * the export history keeps) — serialising them at every checkpoint of a stored
 * execution doubled the cost of a batch.
 */
export function exportBatchSteps(spec: ExportBatchSpec, input: WorkflowData<ExportBatchInput>): WorkflowData<ExportBatchResult> {
  const claimInput = transform({ input }, ({ input }) => ({
    entity_type: spec.entityType,
    operation: spec.operation,
    trigger: input.trigger,
    ids: input.ids,
    batch_size: input.batch_size,
    now: input.now,
  }))
  const claimed = claimExportItemsStep(claimInput)
  // The engine copies every step's input, and a transform's input and output
  // again: the claimed rows go to the build and to settling as they are (one
  // copy each), and transforms take only what is small.
  const built = spec.buildStep(claimed)
  const call = callOrderflowImportsStep(
    transform({ built, claimed }, ({ built, claimed }) => ({
      entity_type: spec.entityType,
      document: built.sent.length ? built.document : null,
      sent: built.sent,
      claimed_by: claimed.claimed_by,
      isolate: claimed.gate.isolate,
    }))
  )
  const settled = settleExportStep({
    entity_type: spec.entityType,
    operation: spec.operation,
    trigger: input.trigger,
    claimed,
    built,
    calls: call.calls,
  })
  raiseIncidentsStep(transform({ settled }, ({ settled }) => settled.incidents))
  return transform({ settled }, ({ settled }) => settled.result)
}

/** The batch as a workflow (not stored: the export history keeps its documents). */
export function createExportBatchWorkflow(spec: ExportBatchSpec & { id: string }) {
  return createWorkflow(spec.id, (input: WorkflowData<ExportBatchInput>) => new WorkflowResponse(exportBatchSteps(spec, input)))
}

export type ExportBatchSummary = Omit<ExportBatchResult, "outcomes"> & { failures: ExportBatchResult["outcomes"] }

/**
 * A step of an operation workflow that runs one batch and returns its figures
 * and at most 20 failures (every item's outcome is in the export history).
 */
export function createExportBatchStep(id: string, workflow: ReturnType<typeof createExportBatchWorkflow>) {
  return createStep(id, async (input: ExportBatchInput, { container }) => {
    const { result } = await workflow(container).run({ input })
    const { outcomes, ...counts } = result
    return new StepResponse<ExportBatchSummary>({ ...counts, failures: outcomes.filter((o) => o.outcome === "failure").slice(0, 20) })
  })
}

export type { BuiltDocument }
