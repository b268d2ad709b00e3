import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { randomUUID } from "node:crypto"
import os from "node:os"
import { retryPolicyFrom } from "../../lib/export/retry-schedule"
import type { ClaimedRequest, ReleasedClaims } from "../../modules/orderflow/service"
import type { RequestType } from "../../types"
import { currentSettings, laterOf, orderflowService } from "../common/settings"

/**
 * How long a claimed request stays with a worker that may have died. A live
 * worker renews it every third of that while it works (keepRequestsClaimed),
 * so the lease only bounds how soon a killed worker's messages are taken
 * again, not how long a batch may take.
 */
export const REQUEST_LEASE_MS = 60 * 1000

/** Who holds a claim: this process and this run, so that a settle can tell its own claim from a later one. */
export const newClaimant = () => `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`

export type ClaimedRequests = {
  requests: ClaimedRequest[]
  /** Requests of dead workers given back to pending. */
  released: number
  /** Requests of dead workers failed for good: their claims used up the retry policy. */
  dead: ReleasedClaims["dead"]
  claimed_by: string
}

/**
 * Pending → processing for up to a batch of due stored messages, in
 * messageSeqId order (received order for those without one). First, claims
 * of workers that died are given back once their lease has passed, each
 * counting as an attempt, so a message that kills every worker taking it
 * ends failed for good (with an alert) instead of being retried for ever.
 * `FOR UPDATE SKIP LOCKED` lets two workers claim at once without taking the
 * same message. Compensation hands this claim back, untouched, when a later
 * step fails before the messages are settled.
 */
export const claimInboundRequestsStep = createStep(
  "orderflow-claim-inbound-requests",
  async ({ type, now }: { type: RequestType; now?: string }, { container }) => {
    const orderflow = orderflowService(container)
    const settings = await currentSettings(container)
    const at = laterOf(now, new Date())
    const batchSize = type === "inventory" ? settings.inventoryImport.batchSize : settings.shipmentImport.batchSize
    const { released, dead } = await orderflow.releaseExpiredClaims({ type, now: at, maxAttempts: retryPolicyFrom(settings).maxAttempts })
    const claimedBy = newClaimant()
    const requests = await orderflow.claimRequests({ type, limit: batchSize, now: at, leaseMs: REQUEST_LEASE_MS, claimedBy })
    return new StepResponse<ClaimedRequests, { ids: string[]; claimedBy: string }>(
      { requests, released, dead, claimed_by: claimedBy },
      { ids: requests.map((r) => r.id), claimedBy }
    )
  },
  async (claim, { container }) => {
    if (!claim?.ids.length) return
    await orderflowService(container).updateOrderflowRequests({
      selector: { id: claim.ids, status: "processing", claimed_by: claim.claimedBy },
      data: { status: "pending", claimed_until: null, claimed_by: null },
    })
  }
)

/**
 * Keeps the claim on `ids` alive while `work` runs (renewing the lease
 * every third of it), so a long batch is never taken by another worker
 * mid-way; stops when the work ends either way.
 */
export async function keepRequestsClaimed<T>(container: any, ids: string[], claimedBy: string, work: () => Promise<T>): Promise<T> {
  if (!ids.length) return work()
  const orderflow = orderflowService(container)
  const timer = setInterval(() => {
    const now = new Date()
    orderflow.renewRequestClaims({ ids, claimedBy, until: new Date(now.getTime() + REQUEST_LEASE_MS), now }).catch(() => {
      // The next renewal (or the settle's owner check) deals with it.
    })
  }, REQUEST_LEASE_MS / 3)
  timer.unref?.()
  try {
    return await work()
  } finally {
    clearInterval(timer)
  }
}
