import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import os from "node:os"
import type { ClaimedRequest } from "../../modules/orderflow/service"
import type { RequestType } from "../../types"
import { currentSettings, laterOf, orderflowService } from "../common/settings"

/** How long a claimed request stays with a worker that may have died. */
export const REQUEST_LEASE_MS = 5 * 60 * 1000
const WORKER_ID = `${os.hostname()}:${process.pid}`

export type ClaimedRequests = { requests: ClaimedRequest[]; released: number }

/**
 * Pending → processing for up to a batch of due stored messages, in
 * messageSeqId order (received order for those without one); first gives
 * back the claims of a worker that died once their lease has passed.
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
    const released = await orderflow.releaseExpiredClaims(type, at)
    const requests = await orderflow.claimRequests({ type, limit: batchSize, now: at, leaseMs: REQUEST_LEASE_MS, claimedBy: WORKER_ID })
    return new StepResponse<ClaimedRequests, string[]>({ requests, released }, requests.map((r) => r.id))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    await orderflowService(container).updateOrderflowRequests({
      selector: { id: ids, status: "processing", claimed_by: WORKER_ID },
      data: { status: "pending", claimed_until: null, claimed_by: null },
    })
  }
)
