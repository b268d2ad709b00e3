import { batchInventoryItemLevelsWorkflow } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { prepareInventoryImportStep, PrepareInventoryImportInput, PreparedInventoryImport } from "./prepare-inventory-import-step"
import { recordInventoryImportStep } from "./record-inventory-import-step"

/**
 * Applies stored inventory messages (seed 000 "Inventory Import"), one or a
 * group in messageSeqId order: plan (stale check, site mapping,
 * availability), write the stock levels through Medusa's own batch workflow
 * (events and compensation included), then record the imports and the
 * sequence ids.
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
    const outcomes = recordInventoryImportStep(plan)
    return new WorkflowResponse(outcomes)
  }
)

export type { InventoryImportSettings } from "./prepare-inventory-import-step"
export type { InventoryImportOutcome } from "./record-inventory-import-step"
