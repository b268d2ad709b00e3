import { errorMessage } from "../lib/errors"
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

/** Messages applied together, up to this many lines, to share one write (inventory). */
export type GroupSpec = {
  maxLines: number
  /** Processes the group as a whole; throws if any part fails (nothing applied then). */
  process: (requests: ClaimedRequest[]) => Promise<Map<string, RequestOutcome>>
}

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
    group,
    partition,
  }: {
    type: "inventory" | "shipment"
    batchSize: number
    process: (request: ClaimedRequest) => Promise<RequestOutcome>
    group?: GroupSpec
    /**
     * Messages with different keys are independent and may be processed in
     * parallel (up to `concurrency`); messages with the same key (e.g. the
     * same order) are processed one after the other, in order.
     */
    partition?: { key: (request: ClaimedRequest) => string; concurrency: number }
  }
) {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const policy = retryPolicyFrom(settings)
  const released = await orderflow.releaseExpiredClaims(type, now)
  const claimed = await orderflow.claimRequests({ type, limit: batchSize, now, leaseMs: REQUEST_LEASE_MS, claimedBy: WORKER_ID })
  const totals: Record<string, number> = { released, claimed: claimed.length, processed: 0, retrying: 0, failed: 0 }
  const add = (outcome: RequestOutcome) => {
    totals.processed++
    for (const [k, v] of Object.entries(outcome)) totals[k] = (totals[k] ?? 0) + v
  }

  const processOne = async (request: ClaimedRequest) => {
    try {
      add(await process(request))
    } catch (e) {
      const error = errorMessage(e)
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

  if (partition) {
    const lanes = new Map<string, ClaimedRequest[]>()
    for (const request of claimed) {
      const key = partition.key(request)
      lanes.set(key, [...(lanes.get(key) ?? []), request])
    }
    const queue = [...lanes.values()]
    const worker = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const request of lane) await processOne(request)
      }
    }
    await Promise.all(Array.from({ length: Math.max(1, partition.concurrency) }, worker))
    return totals
  }
  if (!group) {
    for (const request of claimed) await processOne(request)
    return totals
  }
  // Groups of consecutive messages share one write; if a group fails, its
  // messages are retried one by one so that a poison message is isolated.
  let i = 0
  while (i < claimed.length) {
    const batch: ClaimedRequest[] = []
    let lines = 0
    while (i < claimed.length && (batch.length === 0 || lines + lineCount(claimed[i]) <= group.maxLines)) {
      lines += lineCount(claimed[i])
      batch.push(claimed[i++])
    }
    if (batch.length === 1) {
      await processOne(batch[0])
      continue
    }
    try {
      const outcomes = await group.process(batch)
      for (const request of batch) add(outcomes.get(request.id) ?? {})
    } catch (e) {
      logger.info(`OrderFlow ${type}: a group of ${batch.length} messages failed (${(e as Error).message}); processing them one by one`)
      for (const request of batch) await processOne(request)
    }
  }
  return totals
}

function lineCount(request: ClaimedRequest): number {
  return Array.isArray(request.payload?.lines) ? request.payload.lines.length : 1
}
