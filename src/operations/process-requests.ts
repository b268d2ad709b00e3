import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import os from "node:os"
import { isExhausted, nextAttemptAt } from "../lib/export/retry-schedule"
import { ORDERFLOW_MODULE } from "../modules/orderflow"
import OrderflowModuleService, { ClaimedRequest } from "../modules/orderflow/service"
import { sendAlertWorkflow } from "../workflows/send-alert"
import { retryPolicyFrom } from "./retry-policy"
import { OperationContext } from "./types"

/** How long a claimed request stays with a worker that may have died. */
export const REQUEST_LEASE_MS = 5 * 60 * 1000
const WORKER_ID = `${os.hostname()}:${process.pid}`

export type RequestOutcome = Record<string, number>

/**
 * The inbound queue loop shared by inventory and shipment import: give back
 * expired claims, claim up to `batchSize` due requests in messageSeqId order,
 * process each on its own. A request that fails as a whole is retried with
 * back-off, then marked failed and alerted; it never blocks the others.
 */
export async function processInboundRequests(
  { container, settings, now }: OperationContext,
  {
    type,
    batchSize,
    process,
  }: {
    type: "inventory" | "shipment"
    batchSize: number
    process: (request: ClaimedRequest) => Promise<RequestOutcome>
  }
) {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const policy = retryPolicyFrom(settings)
  const released = await orderflow.releaseExpiredClaims(type, now)
  const claimed = await orderflow.claimRequests({ type, limit: batchSize, now, leaseMs: REQUEST_LEASE_MS, claimedBy: WORKER_ID })
  const totals: Record<string, number> = { released, claimed: claimed.length, processed: 0, retrying: 0, failed: 0 }
  for (const request of claimed) {
    try {
      const outcome = await process(request)
      totals.processed++
      for (const [k, v] of Object.entries(outcome)) totals[k] = (totals[k] ?? 0) + v
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e)
      const attempts = request.attempts + 1
      const final = isExhausted(attempts, policy)
      const failedAt = new Date()
      await orderflow.settleFailedRequest({
        id: request.id,
        error,
        attempts,
        final,
        nextAttemptAt: final ? null : nextAttemptAt({ attempts, now: failedAt, policy, random: Math.random }),
        now: failedAt,
      })
      logger.warn(`OrderFlow ${type} message ${request.message_seq_id ?? request.id} failed (attempt ${attempts}): ${error}`)
      if (final) {
        totals.failed++
        await sendAlertWorkflow(container).run({
          input: {
            title: `OrderFlow ${type} message ${request.message_seq_id ?? ""} failed`.replace(/ +$/, ""),
            description: `Request ${request.id} failed ${attempts} times and will not be retried automatically: ${error}. Fix the cause, then process it again from OrderFlow → Requests.`,
            key: `request:${request.id}:${attempts}`,
            resource_type: "orderflow_request",
            resource_id: request.id,
          },
        })
      } else {
        totals.retrying++
      }
    }
  }
  return totals
}
