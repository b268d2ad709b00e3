import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { resolveLocation } from "../../lib/inventory/inventory-plan"
import { stockLockKeys } from "../../lib/inventory/stock-lock-keys"
import { acquireStockLocksStep, releaseStockLocksStep } from "../common/stock-locks"
import { prepareInventoryImportStep, PrepareInventoryImportInput } from "./prepare-inventory-import-step"
import { recordInventoryImportStep } from "./record-inventory-import-step"
import { writeInventoryLevelsStep } from "./write-inventory-levels-step"

/** Every (SKU, stock location) the messages write, named as shipment import names them too. */
function levelLockKeys({ input }: { input: PrepareInventoryImportInput }) {
  return {
    keys: stockLockKeys(
      input.messages.flatMap((m) =>
        (Array.isArray(m.update?.lines) ? m.update.lines : []).flatMap((l) => {
          const location = resolveLocation(l.source, input.settings)
          return "locationId" in location ? [{ sku: l.sku, location_id: location.locationId }] : []
        })
      )
    ),
  }
}

/**
 * Applies stored inventory messages (seed 000 "Inventory Import"), one or a
 * group in messageSeqId order: lock the stock levels they write, plan (stale
 * check against the stored sequence ids, site mapping, availability from
 * `reserved`, all read inside the lock; only SKU → inventory item may come
 * from `input.items`, read ahead, see loadInventoryFacts), write the stock
 * levels through Medusa's inventory module in one call per group
 * (writeInventoryLevelsStep: compensated from the figures the plan read; it
 * queues the inventory-level events Medusa's batch level workflow emits,
 * released only if the run succeeds), record the imports and the sequence
 * ids, release. Five steps, passing positional rows: the engine copies each
 * step's input. The lock is shared with shipment
 * import, so with any number of workers a late older message can never
 * overwrite a newer figure, and no fulfilment can change `reserved` between
 * the read and the write.
 */
export const importInventoryWorkflow = createWorkflow(
  "orderflow-import-inventory",
  (input: PrepareInventoryImportInput) => {
    const locks = acquireStockLocksStep(transform({ input }, levelLockKeys))
    const plan = prepareInventoryImportStep(input)
    writeInventoryLevelsStep(plan)
    const outcomes = recordInventoryImportStep(plan)
    releaseStockLocksStep(locks)
    return new WorkflowResponse(outcomes)
  }
)

export type { InventoryImportSettings } from "./prepare-inventory-import-step"
export type { InventoryImportOutcome } from "./record-inventory-import-step"
