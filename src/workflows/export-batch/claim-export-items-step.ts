import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { retryPolicyFrom } from "../../lib/export/retry-schedule"
import type { DeadExportItem, ExportItemRow } from "../../modules/orderflow/service"
import type { ExportEntityType } from "../../types"
import { currentSettings, laterOf, orderflowService } from "../common/settings"
import { newClaimant } from "../inbound-queue/claim-requests-step"

/**
 * How long a claimed item stays with a run that may have died. The run
 * renews it every third of that until it settles, so the lease bounds how
 * soon a killed worker's items are sent again, not how long a batch may take.
 */
export const EXPORT_LEASE_MS = 60 * 1000

const renewals = new Map<string, NodeJS.Timeout>()

/** Stops renewing a claim's lease (settled, or handed back). */
export function stopExportClaimRenewal(claimedBy: string) {
  const timer = renewals.get(claimedBy)
  if (timer) clearInterval(timer)
  renewals.delete(claimedBy)
}

function renewExportClaimUntilSettled(container: any, ids: string[], claimedBy: string) {
  if (!ids.length) return
  const orderflow = orderflowService(container)
  const timer = setInterval(() => {
    const now = new Date()
    orderflow.renewExportClaims({ ids, claimedBy, until: new Date(now.getTime() + EXPORT_LEASE_MS), now }).catch(() => {
      // The next renewal, or the settle's owner check, deals with it.
    })
  }, EXPORT_LEASE_MS / 3)
  timer.unref?.()
  renewals.set(claimedBy, timer)
}

export type ClaimExportItemsInput = {
  entity_type: ExportEntityType
  /** Manual export: exactly these export item ids, due or not. */
  ids?: string[]
  /** Default: the operation's configured batch size. */
  batch_size?: number
  /** The run's stamp; the claim uses the later of it and the clock (see laterOf). */
  now?: string
}

export type ClaimedExportItems = {
  items: ExportItemRow[]
  released: number
  /** Items of dead runs failed for good: their claims used up the retry policy. */
  dead: DeadExportItem[]
  claimed_at: string
  claimed_by: string
}

/**
 * Pending -> Queued (seed 000 "Magento Workflow"): gives back the items of a
 * crashed run whose lease passed (the dead claim counts as an attempt; at
 * the retry maximum the item is failed for good and alerted), then takes up
 * to a batch of due items in the order they changed (`FOR UPDATE SKIP
 * LOCKED`, so two runs never take the same item), leased to this run and
 * renewed until settleExportStep. Compensation puts what this claim took
 * back to pending, untouched, when a later step fails before settling.
 */
export const claimExportItemsStep = createStep(
  "orderflow-claim-export-items",
  async (input: ClaimExportItemsInput, { container }) => {
    const orderflow = orderflowService(container)
    const settings = await currentSettings(container)
    let limit = input.batch_size
    if (!limit) {
        limit = input.entity_type === "product" ? settings.productExport.batchSize : settings.orderExport.batchSize
    }
    // Stamped after whatever queued rows before this step (the sweep): a
    // claim stamped earlier would take those rows for "changed while in flight".
    const now = laterOf(input.now, new Date())
    const claimedBy = newClaimant()
    const { items, released, dead } = await orderflow.claimExportItems({
      entity_type: input.entity_type,
      limit,
      now,
      leaseMs: EXPORT_LEASE_MS,
      ids: input.ids,
      claimedBy,
      maxAttempts: retryPolicyFrom(settings).maxAttempts,
    })
    renewExportClaimUntilSettled(container, items.map((i) => i.id), claimedBy)
    return new StepResponse<ClaimedExportItems, { ids: string[]; claimedBy: string }>(
      { items, released, dead, claimed_at: now.toISOString(), claimed_by: claimedBy },
      { ids: items.map((i) => i.id), claimedBy }
    )
  },
  async (claim, { container }) => {
    if (!claim) return
    stopExportClaimRenewal(claim.claimedBy)
    if (!claim.ids.length) return
    await orderflowService(container).updateOrderflowExportItems({
      selector: { id: claim.ids, status: "queued", claimed_by: claim.claimedBy },
      data: { status: "pending", queued_at: null, claimed_by: null, claimed_until: null },
    })
  }
)
