import type { CallStatus, ExportLineOutcome } from "../../types/statuses"
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
  /** Items whose retries are used up by this batch: an administrator is told about each. */
  finalFailures: ClaimedExportItem[]
  /** The history record's status. */
  status: CallStatus
  /** The call failed as a whole and some item reached the policy's maximum: the outage deserves an alert. */
  outageAlert: boolean
}

/**
 * How every claimed item of one export batch ends (seed 000 "Magento
 * Workflow": Pending -> Queued -> Exported), given what was built and what
 * OrderFlow answered:
 * - rejected by the build: a failure with back-off, failed for good once the
 *   policy is used up;
 * - the call failed as a whole (network, timeout, 5xx, `<error>`, garbage):
 *   every sent item goes back to pending with back-off — never failed for an
 *   outage, never lost;
 * - otherwise each item as OrderFlow reported it: success/duplicate exported,
 *   failure with back-off, missing from importResult left pending;
 * - claimed but neither sent nor rejected: left pending.
 */
export function planExportSettlement(args: {
  items: ReadonlyArray<ClaimedExportItem>
  built: BuiltDocument
  /** null when the call failed as a whole (or nothing was sent). */
  itemOutcomes: ReadonlyArray<ItemOutcome> | null
  wholeError: string | null
  policy: RetryPolicy
  now: Date
  random: () => number
}): SettlePlan {
  const { items, built, itemOutcomes, wholeError, policy, now, random } = args
  const byId = new Map(items.map((i) => [i.id, i]))
  const retryAt = (attempts: number) => nextAttemptAt({ attempts, now, policy, random })
  const outcomes: SettledOutcome[] = []
  const finalFailures: ClaimedExportItem[] = []
  const fail = (item: ClaimedExportItem, reference: string, message: string | null, detail?: string | null) => {
    const attempts = item.attempts + 1
    const final = isExhausted(attempts, policy)
    if (final) finalFailures.push(item)
    outcomes.push({ id: item.id, reference, entity_id: item.entity_id, outcome: "failure", message, detail, attempts, next_attempt_at: final ? null : retryAt(attempts) })
  }

  for (const r of built.rejected) {
    const item = byId.get(r.id)
    if (item) fail(item, r.reference, r.message)
  }
  if (wholeError !== null) {
    for (const s of built.sent) {
      const item = byId.get(s.id)
      if (!item) continue
      const attempts = item.attempts + 1
      outcomes.push({ id: s.id, reference: s.reference, entity_id: item.entity_id, outcome: "missing", message: `request failed: ${wholeError}`, attempts, next_attempt_at: retryAt(attempts), maybe_received: true })
    }
  } else {
    for (const o of itemOutcomes ?? []) {
      const item = byId.get(o.id)
      if (!item) continue
      if (o.outcome === "failure") fail(item, o.reference, o.message, o.detail)
      else if (o.outcome === "missing") outcomes.push({ ...o, entity_id: item.entity_id, attempts: item.attempts, next_attempt_at: null })
      else outcomes.push({ ...o, entity_id: item.entity_id, attempts: 0 })
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
    wholeError !== null ? "failed" : failures === 0 && successes === outcomes.length ? "success" : successes > 0 ? "partial" : "failed"
  const outageAlert = wholeError !== null && built.sent.some((s) => (byId.get(s.id)?.attempts ?? -1) + 1 === policy.maxAttempts)
  return { outcomes, finalFailures, status, outageAlert }
}
