import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ExportItemRow } from "../../modules/orderflow/service"
import type { ExportEntityType } from "../../types"
import { currentSettings, laterOf, orderflowService } from "../common/settings"

/** How long an item may stay queued before a crashed run's items are taken back. */
export const EXPORT_LEASE_MS = 10 * 60 * 1000

export type ClaimExportItemsInput = {
  entity_type: ExportEntityType
  /** Manual export: exactly these export item ids, due or not. */
  ids?: string[]
  /** Default: the operation's configured batch size. */
  batch_size?: number
  /** The run's stamp; the claim uses the later of it and the clock (see laterOf). */
  now?: string
}

export type ClaimedExportItems = { items: ExportItemRow[]; released: number; claimed_at: string }

/**
 * Pending -> Queued (seed 000 "Magento Workflow"): gives back the items of a
 * crashed run whose lease expired, then takes up to a batch of due items in
 * the order they changed (`FOR UPDATE SKIP LOCKED`, so two runs never take
 * the same item). Compensation puts what this claim took back to pending,
 * untouched, when a later step fails before settling.
 */
export const claimExportItemsStep = createStep(
  "orderflow-claim-export-items",
  async (input: ClaimExportItemsInput, { container }) => {
    const orderflow = orderflowService(container)
    let limit = input.batch_size
    if (!limit) {
      const settings = await currentSettings(container)
      limit = input.entity_type === "product" ? settings.productExport.batchSize : settings.orderExport.batchSize
    }
    // Stamped after whatever queued rows before this step (the sweep): a
    // claim stamped earlier would take those rows for "changed while in flight".
    const now = laterOf(input.now, new Date())
    const { items, released } = await orderflow.claimExportItems({
      entity_type: input.entity_type,
      limit,
      now,
      leaseMs: EXPORT_LEASE_MS,
      ids: input.ids,
    })
    return new StepResponse<ClaimedExportItems, string[]>(
      { items, released, claimed_at: now.toISOString() },
      items.map((i) => i.id)
    )
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    await orderflowService(container).updateOrderflowExportItems({
      selector: { id: ids, status: "queued" },
      data: { status: "pending", queued_at: null },
    })
  }
)
