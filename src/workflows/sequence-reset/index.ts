import { createStep, createWorkflow, StepResponse, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { SequenceResetScope } from "../../types"
import { orderflowService } from "../common/settings"
import { REINITIALISED_INCIDENT_KEY } from "../import-inventory/inventory-import-operation"

export type ResetInventorySequencesInput = {
  /** Both absent: every stored id (after OrderFlow's Initialize button). */
  sku?: string
  location_id?: string
  by: string | null
  reason?: string | null
}

export type ResetInventorySequencesResult = { reset_id: string; scope: SequenceResetScope; cleared: number; closed_incidents: number }

/**
 * Clears the stored sequence ids and records the reset in its history, in
 * one transaction. Compensation puts the cleared ids back (never lowering
 * one a message applied since) and removes the history row.
 */
export const resetInventorySequencesStep = createStep(
  "orderflow-reset-inventory-sequences",
  async (input: ResetInventorySequencesInput, { container }) => {
    const done = await orderflowService(container).resetInventorySequences({
      sku: input.sku,
      location_id: input.location_id,
      by: input.by,
      reason: input.reason ?? null,
    })
    return new StepResponse({ reset_id: done.reset_id, scope: done.scope, cleared: done.cleared.length }, { reset_id: done.reset_id, cleared: done.cleared })
  },
  async (undo, { container }) => {
    if (undo) await orderflowService(container).restoreInventorySequences(undo)
  }
)

/** A reset of every id is the fix for a re-initialised OrderFlow: its incident closes (a later re-initialisation opens a new one). */
export const closeReinitialisedIncidentStep = createStep("orderflow-close-reinitialised-incident", async (by: string | null, { container }) => {
  const closed = await orderflowService(container).closeIncidents([REINITIALISED_INCIDENT_KEY], { now: new Date(), by: by ?? "sequence reset" })
  return new StepResponse(closed.length)
})

/**
 * Sequence reset (issue 15; seed 000 "Handling Inventory Duplicates"): the
 * stored per-SKU/location ids named are cleared, so the next stock update
 * for them is applied whatever its id.
 */
export const resetInventorySequencesWorkflow = createWorkflow("orderflow-reset-inventory-sequences", (input: ResetInventorySequencesInput) => {
  const reset = resetInventorySequencesStep(input)
  const closed = when("orderflow-reset-all-closes-reinitialised", { reset }, ({ reset }) => reset.scope === "all").then(() =>
    closeReinitialisedIncidentStep(input.by)
  )
  return new WorkflowResponse(
    transform({ reset, closed }, ({ reset, closed }): ResetInventorySequencesResult => ({ ...reset, closed_incidents: closed ?? 0 }))
  )
})
