import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { causeKey } from "../../lib/errors"
import { isExhausted, nextAttemptAt, retryPolicyFrom } from "../../lib/export/retry-schedule"
import type { RequestType } from "../../types"
import { currentSettings, orderflowService } from "../common/settings"
import type { SendAlertInput } from "../send-alert"
import type { ClaimedRequests } from "./claim-requests-step"

/** A stored message whose processing failed as a whole. */
export type FailedRequest = {
  id: string
  message_seq_id: number | null
  attempts: number
  error: string
  /**
   * Not a fault: the message waits for another record (a despatch for an
   * order whose export OrderFlow has not confirmed yet). Retried with the
   * first back-off without using up an attempt, for up to WAIT_LIMIT_MS after
   * it was received; after that it counts like any failure.
   */
  waiting_since?: string
}

/** How long a message may wait for another record before its retries count. */
export const WAIT_LIMIT_MS = 24 * 3_600_000

/**
 * Messages that failed as a whole go back to pending with back-off, or are
 * failed for good once the retry policy is used up — each with an alert, so
 * a person knows and can process it again from OrderFlow → Requests. One
 * failing message never blocks the others.
 */
export type SettleFailedRequestsInput = {
  type: RequestType
  failures: FailedRequest[]
  /** The run's claimant: a request no longer claimed by it is left to its new owner. */
  claimed_by: string
  /** Requests failed for good when their worker died once too often (claimInboundRequestsStep): alerted here. */
  dead?: ClaimedRequests["dead"]
}

/**
 * One incident (one alert) per cause of messages failing for good, not per
 * message: the store's database down for an hour fails many messages with
 * the same error. The cause is the error without its numbers and quoted values.
 */
export function deadLetterKey(type: string, error: string | null | undefined): string {
  return `dead:${type}:${causeKey(error ?? null)}`
}

export const settleFailedRequestsStep = createStep(
  "orderflow-settle-failed-requests",
  async ({ type, failures, claimed_by, dead = [] }: SettleFailedRequestsInput, { container }) => {
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const alerts: SendAlertInput[] = dead.map((d) => {
      logger.error(`OrderFlow ${type} message ${d.message_seq_id ?? d.id}: ${d.error}`)
      return {
        title: `OrderFlow ${type} message ${d.message_seq_id ?? ""}`.trimEnd() + " failed",
        description: `Request ${d.id}: ${d.error}. Look at what it contains (OrderFlow → Requests) before processing it again.`,
        key: deadLetterKey(type, d.error),
        resource_type: "orderflow_request",
        resource_id: d.id,
      }
    })
    let retrying = 0
    let failed = dead.length
    if (!failures.length) return new StepResponse({ retrying, failed, alerts })
    const orderflow = orderflowService(container)
    const policy = retryPolicyFrom(await currentSettings(container))
    for (const f of failures) {
      const failedAt = new Date()
      const waits = !!f.waiting_since && failedAt.getTime() - new Date(f.waiting_since).getTime() < WAIT_LIMIT_MS
      const attempts = waits ? f.attempts : f.attempts + 1
      const final = !waits && isExhausted(attempts, policy)
      const settled = await orderflow.settleFailedRequest({
        id: f.id,
        claimedBy: claimed_by,
        error: f.error,
        attempts,
        final,
        nextAttemptAt: final ? null : nextAttemptAt({ attempts: Math.max(1, attempts), now: failedAt, policy, random: Math.random }),
        now: failedAt,
      })
      if (!settled) {
        logger.warn(`OrderFlow ${type} message ${f.message_seq_id ?? f.id} failed here, but another worker holds it now (lease passed): left to it`)
        continue
      }
      logger.warn(`OrderFlow ${type} message ${f.message_seq_id ?? f.id} failed (attempt ${attempts}): ${f.error}`)
      if (!final) {
        retrying++
        continue
      }
      failed++
      alerts.push({
        title: `OrderFlow ${type} message ${f.message_seq_id ?? ""}`.trimEnd() + " failed",
        description: `Request ${f.id} failed ${attempts} times and will not be retried automatically: ${f.error}. Fix the cause, then process it again from OrderFlow → Requests.`,
        key: deadLetterKey(type, f.error),
        resource_type: "orderflow_request",
        resource_id: f.id,
      })
    }
    return new StepResponse({ retrying, failed, alerts })
  }
)

/** What an import operation reports: claims given back and taken, the apply step's counts, and the failures settled. */
export function inboundRunSummary({
  claimed,
  applied,
  settled,
}: {
  claimed: { released: number; requests: unknown[] }
  applied: { counts: Record<string, number> }
  settled: { retrying: number; failed: number }
}) {
  return { released: claimed.released, claimed: claimed.requests.length, ...applied.counts, retrying: settled.retrying, failed: settled.failed }
}
