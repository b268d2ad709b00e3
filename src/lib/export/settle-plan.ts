import type { CallStatus, ExportLineOutcome } from "../../types/statuses"
import type { CallFailure } from "./isolate"
import type { ItemOutcome, SentItem } from "./line-outcome"
import { isExhausted, nextAttemptAt, RetryPolicy } from "./retry-schedule"

/** One claimed export queue row, as much of it as settling needs. */
export type ClaimedExportItem = {
  id: string
  reference: string
  entity_id: string
  variant_id?: string | null
  attempts: number
}

/** What the build step made of the claimed items. */
export type BuiltDocument = {
  /** The `<imports>` document, or null when nothing could be built. */
  document: string | null
  /** Items in the document, by the externalReference OrderFlow will report. */
  sent: SentItem[]
  /** Items that could not be put in the document (e.g. no image): failed without a call. */
  rejected: Array<SentItem & { message: string }>
}

export type SettledOutcome = {
  id: string
  reference: string
  entity_id: string
  outcome: ExportLineOutcome
  message: string | null
  detail?: string | null
  attempts: number
  /** undefined: leave as it is (success); null: no retry (final failure, or missing without back-off). */
  next_attempt_at?: Date | null
  /**
   * The document was sent but the call failed as a whole (timeout, network,
   * 5xx, garbage): OrderFlow may have stored the item all the same. If a
   * retry is then answered "duplicate", OrderFlow had it since this send.
   */
  maybe_received?: boolean
}

export type SettlePlan = {
  outcomes: SettledOutcome[]
  /** Items whose retries are used up by this batch: an administrator is told. */
  finalFailures: ClaimedExportItem[]
  /** The history record's status. */
  status: CallStatus
}

/**
 * How every item of one call (or, with no call, the items rejected by the
 * build or not sent) ends (seed 000 "Magento Workflow": Pending -> Queued ->
 * Exported), given what OrderFlow answered. Failure classes (DESIGN.md
 * section 8):
 * - rejected by the build: an item failure, charged, failed for good once
 *   the policy is used up;
 * - the call failed as a whole, transient (network, timeout, 5xx, `<error>`,
 *   garbage): back to pending with back-off and NOT charged — an outage is
 *   the circuit breaker's business, not the items' — unless `blame`: the
 *   call carried one item alone and other calls of the batch went through,
 *   so that item makes OrderFlow fail (poison): charged like an item failure;
 * - the call failed as a whole, permanent (refused credentials, wrong URL):
 *   back to pending, not charged, no retry time: the endpoint is blocked
 *   until the settings change;
 * - otherwise each item as OrderFlow reported it: success/duplicate
 *   exported; failure charged with back-off; left out of the importResult
 *   (missing) charged with back-off too, failed for good at the maximum;
 * - claimed but neither sent nor rejected: left pending.
 */
export function planExportSettlement(args: {
  items: ReadonlyArray<ClaimedExportItem>
  built: BuiltDocument
  /** null when the call failed as a whole (or nothing was sent). */
  itemOutcomes: ReadonlyArray<ItemOutcome> | null
  failure: CallFailure | null
  /** The call carried one item alone and another call of the batch succeeded: its whole failure is the item's. */
  blame?: boolean
  /** Whole-call failures in a row at the endpoint, this one included (the back-off of an uncharged retry). */
  endpointFailures?: number
  policy: RetryPolicy
  now: Date
  random: () => number
}): SettlePlan {
  const { items, built, itemOutcomes, failure, blame = false, endpointFailures = 1, policy, now, random } = args
  const byId = new Map(items.map((i) => [i.id, i]))
  const retryAt = (attempts: number) => nextAttemptAt({ attempts, now, policy, random })
  const outcomes: SettledOutcome[] = []
  const finalFailures: ClaimedExportItem[] = []
  const fail = (item: ClaimedExportItem, reference: string, message: string | null, detail?: string | null, extra: Partial<SettledOutcome> = {}) => {
    const attempts = item.attempts + 1
    const final = isExhausted(attempts, policy)
    if (final) finalFailures.push(item)
    outcomes.push({ id: item.id, reference, entity_id: item.entity_id, outcome: "failure", message, detail, attempts, next_attempt_at: final ? null : retryAt(attempts), ...extra })
  }

  for (const r of built.rejected) {
    const item = byId.get(r.id)
    if (item) fail(item, r.reference, r.message)
  }
  if (failure !== null) {
    // A document OrderFlow refused with an <error> was not stored; anything else may have been.
    const maybeReceived = failure.retry === "transient" && failure.code !== "ORDERFLOW_API_ERROR"
    for (const s of built.sent) {
      const item = byId.get(s.id)
      if (!item) continue
      if (failure.retry === "permanent") {
        outcomes.push({ id: s.id, reference: s.reference, entity_id: item.entity_id, outcome: "missing", message: `not sent: ${failure.message}`, attempts: item.attempts, next_attempt_at: null })
      } else if (blame && failure.answered && built.sent.length === 1) {
        fail(item, s.reference, `OrderFlow fails every call that includes it: ${failure.message}`, null, { maybe_received: maybeReceived })
      } else {
        outcomes.push({
          id: s.id, reference: s.reference, entity_id: item.entity_id, outcome: "missing", message: `request failed: ${failure.message}`,
          attempts: item.attempts, next_attempt_at: retryAt(Math.max(1, endpointFailures)), maybe_received: maybeReceived,
        })
      }
    }
  } else {
    for (const o of itemOutcomes ?? []) {
      const item = byId.get(o.id)
      if (!item) continue
      if (o.outcome === "failure") fail(item, o.reference, o.message, o.detail)
      else if (o.outcome === "missing") {
        const attempts = item.attempts + 1
        if (isExhausted(attempts, policy)) fail(item, o.reference, `OrderFlow's importResult never mentioned it (${attempts} attempts)`)
        else outcomes.push({ ...o, entity_id: item.entity_id, attempts, next_attempt_at: retryAt(attempts) })
      } else outcomes.push({ ...o, entity_id: item.entity_id, attempts: 0 })
    }
  }
  const covered = new Set(outcomes.map((o) => o.id))
  for (const item of items) {
    if (!covered.has(item.id)) {
      outcomes.push({ id: item.id, reference: item.reference, entity_id: item.entity_id, outcome: "missing", message: "not included in the document", attempts: item.attempts, next_attempt_at: null })
    }
  }

  const failures = outcomes.filter((o) => o.outcome === "failure").length
  const successes = outcomes.filter((o) => o.outcome === "success" || o.outcome === "duplicate").length
  const status: CallStatus =
    failure !== null ? "failed" : failures === 0 && successes === outcomes.length ? "success" : successes > 0 ? "partial" : "failed"
  return { outcomes, finalFailures, status }
}
