import { batchInventoryItemLevelsWorkflow } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { prepareInventoryImportStep, PrepareInventoryImportInput, PreparedInventoryImport } from "./prepare-inventory-import-step"
import { recordInventoryImportStep } from "./record-inventory-import-step"

/**
 * Applies one stored inventory message (seed 000 "Inventory Import"):
 * plan (stale check, site mapping, availability), write the stock levels
 * through Medusa's own batch workflow (events and compensation included),
 * then record the import and the sequence ids.
 */
export const importInventoryWorkflow = createWorkflow(
  "orderflow-import-inventory",
  (input: PrepareInventoryImportInput) => {
    const plan = prepareInventoryImportStep(input)
    const levels = transform({ plan }, ({ plan }: { plan: PreparedInventoryImport }) => ({
      create: plan.levelWrites
        .filter((w) => w.create)
        .map((w) => ({ inventory_item_id: w.inventory_item_id, location_id: w.location_id, stocked_quantity: w.stocked_quantity })),
      update: plan.levelWrites
        .filter((w) => !w.create)
        .map((w) => ({ inventory_item_id: w.inventory_item_id, location_id: w.location_id, stocked_quantity: w.stocked_quantity })),
    }))
    batchInventoryItemLevelsWorkflow.runAsStep({ input: levels })
    const message = transform({ input }, ({ input }) => ({
      request_id: input.request_id,
      message_seq_id: input.update.messageSeqId,
    }))
    const summary = recordInventoryImportStep({
      request_id: message.request_id,
      message_seq_id: message.message_seq_id,
      plan,
    })
    return new WorkflowResponse(summary)
  }
)
