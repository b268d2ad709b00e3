import { Context } from "@medusajs/framework/types"
import { generateEntityId } from "@medusajs/framework/utils"
import { ExportEntityType, ExportItemStatus, ExportLineOutcome, OrderChangeKind } from "../../../types"
import { knexOf } from "./context"

/**
 * The export queue (table orderflow_export_item): what OrderFlow must be told
 * about, pending -> queued (in flight) -> exported | failed.
 */

export type MarkExportPendingInput = {
  entity_type: ExportEntityType
  entity_id: string
  reference: string
  variant_id?: string | null
  product_id?: string | null
  activated?: boolean
  /** Set to record the item as not sent, and why. */
  skip_reason?: string | null
  /** A claim or exchange row: its Medusa order and kind. */
  order_id?: string | null
  change_kind?: OrderChangeKind | null
}

export type ExportItemRow = {
  id: string
  entity_type: ExportEntityType
  entity_id: string
  reference: string
  variant_id: string | null
  product_id: string | null
  status: ExportItemStatus
  activated: boolean
  attempts: number
  next_attempt_at: Date | null
  queued_at: Date | null
  claimed_by?: string | null
  changed_at: Date | null
  exported_at: Date | null
  last_error: string | null
  order_id?: string | null
  change_kind?: OrderChangeKind | null
}

export type ClaimExportItemsInput = {
  entity_type: ExportEntityType
  limit: number
  now: Date
  /** How long the claim holds without renewal. */
  leaseMs: number
  ids?: string[]
  /** Who claims (the run); settling and renewing check it. */
  claimedBy?: string | null
  /** An item whose claims died this many times (attempts included) is failed for good. */
  maxAttempts?: number
  /**
   * The circuit is open: take the pending item whose last try is oldest,
   * due or not (back-off is the circuit's business while it is open), so
   * successive probes do not keep trying the same item.
   */
  probe?: boolean
}

/** Items of a run that died, failed for good because their attempts are used up. */
export type DeadExportItem = { id: string; reference: string; entity_id: string; attempts: number; last_error: string }

/** How one item of a call ended, and its retry bookkeeping. */
export type ExportItemOutcome = {
  id: string
  reference: string
  entity_id?: string | null
  outcome: ExportLineOutcome
  /** What the history line shows, when it differs from the item's outcome. */
  line_outcome?: ExportLineOutcome
  message?: string | null
  detail?: string | null
  attempts: number
  next_attempt_at?: Date | null
  /** Sent in a call that failed as a whole: OrderFlow may have it (see unconfirmed_sent_at). */
  maybe_received?: boolean
}

export type ResetExportItemsInput = { entity_type: ExportEntityType; ids?: string[]; now: Date }

const TABLE = "orderflow_export_item"

/**
 * What a claim returns of each row: the fields of ExportItemRow, not the
 * whole row (the cancellation, edit and send bookkeeping). The claimed rows
 * travel through the batch workflow's steps, whose inputs the workflow
 * engine copies.
 */
const CLAIMED_COLUMNS = [
  "id",
  "entity_type",
  "entity_id",
  "reference",
  "variant_id",
  "product_id",
  "status",
  "activated",
  "attempts",
  "next_attempt_at",
  "queued_at",
  "claimed_by",
  "changed_at",
  "exported_at",
  "last_error",
  "order_id",
  "change_kind",
]
  .map((c) => `e.${c}`)
  .join(", ")

export class ExportQueueRepository {
  /**
   * A change puts an item back to pending. An item in flight (queued) keeps
   * its status and only gets changed_at bumped, so settling it sends it again
   * instead of calling the new content exported. `insertOnly` leaves known
   * rows alone (an order is never re-queued by an event once it is known).
   */
  async markPending(
    items: MarkExportPendingInput[],
    { now, insertOnly = false }: { now: Date; insertOnly?: boolean },
    sharedContext: Context
  ): Promise<number> {
    if (!items.length) return 0
    const knex = knexOf(sharedContext)
    const rows = items.map((i) => ({
      id: generateEntityId(undefined, "ofexi"),
      entity_type: i.entity_type,
      entity_id: i.entity_id,
      reference: i.reference,
      variant_id: i.variant_id ?? null,
      product_id: i.product_id ?? null,
      status: (i.skip_reason ? "skipped" : "pending") satisfies ExportItemStatus,
      skip_reason: i.skip_reason ?? null,
      order_id: i.order_id ?? null,
      change_kind: i.change_kind ?? null,
      activated: i.activated ?? true,
      attempts: 0,
      cancel_attempts: 0,
      changed_at: now,
      created_at: now,
      updated_at: now,
    }))
    const conflict = insertOnly
      ? "DO NOTHING"
      : `DO UPDATE SET
          reference = EXCLUDED.reference,
          variant_id = EXCLUDED.variant_id,
          product_id = EXCLUDED.product_id,
          activated = EXCLUDED.activated,
          skip_reason = EXCLUDED.skip_reason,
          status = CASE WHEN ${TABLE}.status = 'queued' THEN 'queued' ELSE EXCLUDED.status END,
          attempts = CASE WHEN ${TABLE}.status = 'queued' THEN ${TABLE}.attempts ELSE 0 END,
          next_attempt_at = CASE WHEN ${TABLE}.status = 'queued' THEN ${TABLE}.next_attempt_at ELSE NULL END,
          last_error = CASE WHEN ${TABLE}.status = 'queued' THEN ${TABLE}.last_error ELSE NULL END,
          changed_at = EXCLUDED.changed_at,
          updated_at = EXCLUDED.updated_at`
    const insert = knex(TABLE).insert(rows).toQuery()
    const result = await knex.raw(`${insert} ON CONFLICT (entity_type, entity_id) WHERE deleted_at IS NULL ${conflict}`)
    return result.rowCount ?? 0
  }

  /**
   * Items whose claim's lease passed (the run died between queued and
   * settled) come back first, the dead claim counting as an attempt: to
   * pending, or failed for good once the attempts reach `maxAttempts`, so an
   * item that kills every run taking it stops being taken. A call the dead run
   * had started (`send_started_at`) may have reached OrderFlow: it becomes
   * the item's `unconfirmed_sent_at`. Then up to
   * `limit` due items, oldest change first, are marked queued with the
   * claimant and its lease; SKIP LOCKED keeps two concurrent runs from
   * sending the same item. With `ids`, exactly those (manual export), due or
   * not, unless in flight or skipped.
   */
  async claim(
    { entity_type, limit, now, leaseMs, ids, claimedBy = null, maxAttempts = 2_147_483_647, probe = false }: ClaimExportItemsInput,
    sharedContext: Context
  ): Promise<{ items: ExportItemRow[]; released: number; dead: DeadExportItem[] }> {
    const knex = knexOf(sharedContext)
    const expired = await knex.raw(
      `UPDATE ${TABLE}
          SET attempts = attempts + 1,
              status = CASE WHEN attempts + 1 >= :max THEN 'failed' ELSE 'pending' END,
              next_attempt_at = NULL,
              last_error = CASE WHEN attempts + 1 >= :max
                             THEN 'the export stopped ' || (attempts + 1) || ' times before it finished (the worker died or was killed); not retried automatically'
                             ELSE last_error END,
              unconfirmed_sent_at = COALESCE(unconfirmed_sent_at, send_started_at), send_started_at = NULL,
              queued_at = NULL, claimed_by = NULL, claimed_until = NULL, updated_at = :now
        WHERE entity_type = :entity_type AND status = 'queued' AND deleted_at IS NULL
          AND (claimed_until < :now OR (claimed_until IS NULL AND queued_at < :leaseStart))
        RETURNING id, reference, entity_id, attempts, status, last_error`,
      { entity_type, now, max: maxAttempts, leaseStart: new Date(now.getTime() - leaseMs) }
    )
    const expiredRows = expired.rows as Array<DeadExportItem & { status: string }>
    const released = expiredRows.filter((r) => r.status === "pending").length
    const dead = expiredRows.filter((r) => r.status === "failed").map(({ status: _status, ...r }) => r)
    if ((ids && !ids.length) || limit <= 0) return { items: [], released, dead }
    const selection = ids
      ? `entity_type = :entity_type AND deleted_at IS NULL AND id = ANY(:ids) AND status <> 'queued' AND status <> 'skipped'`
      : probe
        ? `entity_type = :entity_type AND deleted_at IS NULL AND status = 'pending'`
        : `entity_type = :entity_type AND deleted_at IS NULL AND (
           (status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= :now))
           OR (status = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= :now))`
    // changed_at is written with every row (markExportPending), so no NULL is left to place;
    // plain ASC matches the (entity_type, changed_at, id) index the claim walks.
    const order = probe ? "updated_at ASC, id ASC" : "changed_at ASC, id ASC"
    const result = await knex.raw(
      `UPDATE ${TABLE} e SET status = 'queued', queued_at = :now, claimed_by = :claimedBy, claimed_until = :until, updated_at = :now
        WHERE e.id IN (SELECT id FROM ${TABLE} WHERE ${selection}
                        ORDER BY ${order} LIMIT :limit FOR UPDATE SKIP LOCKED)
        RETURNING ${CLAIMED_COLUMNS}`,
      { entity_type, now, limit, claimedBy, until: new Date(now.getTime() + leaseMs), ...(ids ? { ids } : {}) }
    )
    const items = (result.rows as ExportItemRow[]).sort(
      (a, b) => new Date(a.changed_at ?? 0).getTime() - new Date(b.changed_at ?? 0).getTime()
    )
    return { items, released, dead }
  }

  /**
   * Notes, just before the call, when the call carrying these items started,
   * for items this claimant still holds. Until the call settles, inventory
   * import counts the orders as possibly in OrderFlow's figures; if the run
   * dies during the call, the claim's expiry keeps that time as
   * `unconfirmed_sent_at`, so a duplicate answer on the retry dates the export
   * from the first send. Returns how many it marked.
   */
  async markSending({ ids, claimedBy, at }: { ids: string[]; claimedBy: string | null; at: Date }, sharedContext: Context): Promise<number> {
    if (!ids.length) return 0
    const q = knexOf(sharedContext)(TABLE).whereIn("id", ids).where({ status: "queued" })
    if (claimedBy !== null) q.where({ claimed_by: claimedBy })
    return q.update({ send_started_at: at, updated_at: at })
  }

  /** How many items of this type are in this status (one statement). */
  async count({ entity_type, status }: { entity_type: ExportEntityType; status: ExportItemStatus }, sharedContext: Context): Promise<number> {
    const [{ count }] = await knexOf(sharedContext)(TABLE).where({ entity_type, status }).whereNull("deleted_at").count({ count: "*" })
    return Number(count)
  }

  /** Pending items waiting for a retry time become due now (the endpoint recovered). Returns how many. */
  async makeDeferredDue(entity_type: ExportEntityType, now: Date, sharedContext: Context): Promise<number> {
    return knexOf(sharedContext)(TABLE)
      .where({ entity_type, status: "pending" })
      .whereNull("deleted_at")
      .where("next_attempt_at", ">", now)
      .update({ next_attempt_at: null, updated_at: now })
  }

  /** Extends the lease of items this claimant still holds; returns how many it still holds. */
  async renewClaims({ ids, claimedBy, until, now }: { ids: string[]; claimedBy: string; until: Date; now: Date }, sharedContext: Context): Promise<number> {
    if (!ids.length) return 0
    return knexOf(sharedContext)(TABLE)
      .whereIn("id", ids)
      .where({ status: "queued", claimed_by: claimedBy })
      .update({ claimed_until: until, updated_at: now })
  }

  /**
   * Records one call (its orderflow_export row and per-item lines, built by
   * HistoryRepository.exportRows) and settles every item it carried, in one
   * statement (so at once, without a transaction of several round trips):
   * success/duplicate -> exported (pending again if it changed while in
   * flight: the expressions see the row before the update, so the old
   * queued_at), failure -> failed with its retry time, missing -> pending.
   * With `historyOnly` the items are left alone (a call that was split).
   * exported_at is when OrderFlow received the document (`sentAt`), because
   * inventory import compares it with OrderFlow's lastOrderExported; for a
   * duplicate answer, the earliest of the time OrderFlow first accepted it
   * (`exported_at`, kept: a re-send after "reset export status" is answered
   * duplicate) and the first send whose call failed as a whole since the item
   * was last confirmed (`unconfirmed_sent_at`): OrderFlow stored it then, and
   * a later time would have stock import count the order as unseen and
   * subtract it a second time. With
   * `claimedBy`, only items still claimed by it are settled (an item whose
   * lease passed belongs to the run that took it next); returns how many.
   */
  async settleAndRecord(
    outcomes: ExportItemOutcome[],
    history: { exportRow: Record<string, unknown>; lineRows: Record<string, unknown>[] },
    { exportId, now, sentAt, claimedBy = null, historyOnly = false }: { exportId: string; now: Date; sentAt: Date; claimedBy?: string | null; historyOnly?: boolean },
    sharedContext: Context
  ): Promise<number> {
    const knex = knexOf(sharedContext)
    // The lines reference the call: both are written by the CTEs of the same
    // statement, whose foreign keys are checked at its end.
    const record = `WITH recorded_call AS (INSERT INTO orderflow_export SELECT * FROM json_populate_record(NULL::orderflow_export, ?::json) RETURNING id),
         lines AS (INSERT INTO orderflow_export_line SELECT * FROM json_populate_recordset(NULL::orderflow_export_line, ?::json) RETURNING id)`
    const recordBindings = [JSON.stringify(history.exportRow), JSON.stringify(history.lineRows)]
    if (historyOnly) {
      await knex.raw(`${record} SELECT (SELECT count(*) FROM recorded_call) AS calls, (SELECT count(*) FROM lines) AS lines`, recordBindings)
      return 0
    }
    const values = outcomes.map((o) => {
      const ok = o.outcome === "success" || o.outcome === "duplicate"
      return {
        id: o.id,
        outcome: o.outcome,
        attempts: ok ? 0 : o.attempts,
        next_attempt_at: ok ? null : o.next_attempt_at ?? null,
        last_error: ok ? null : (o.message ?? (o.outcome === "failure" ? "failed" : null))?.slice(0, 4000) ?? null,
        maybe_received: o.maybe_received === true,
      }
    })
    const result = await knex.raw(
      `${record}
       UPDATE ${TABLE} e SET
         status = CASE WHEN v.outcome IN ('success', 'duplicate')
                         THEN (CASE WHEN e.changed_at > e.queued_at THEN 'pending' ELSE 'exported' END)
                       WHEN v.outcome = 'failure' THEN 'failed'
                       ELSE 'pending' END,
         exported_at = CASE WHEN v.outcome = 'duplicate' THEN LEAST(e.exported_at, e.unconfirmed_sent_at, ?::timestamptz)
                            WHEN v.outcome = 'success' THEN ?::timestamptz ELSE e.exported_at END,
         unconfirmed_sent_at = CASE WHEN v.outcome IN ('success', 'duplicate') THEN NULL
                                    WHEN v.maybe_received THEN COALESCE(e.unconfirmed_sent_at, ?::timestamptz)
                                    ELSE e.unconfirmed_sent_at END,
         send_started_at = NULL,
         attempts = v.attempts,
         next_attempt_at = v.next_attempt_at,
         last_error = v.last_error,
         last_export_id = ?,
         queued_at = NULL,
         claimed_by = NULL,
         claimed_until = NULL,
         updated_at = ?
       FROM json_to_recordset(?::json) AS v(id text, outcome text, attempts int, next_attempt_at timestamptz, last_error text, maybe_received boolean)
       WHERE e.id = v.id ${claimedBy === null ? "" : "AND e.status = 'queued' AND e.claimed_by = ?"}`,
      [...recordBindings, sentAt, sentAt, sentAt, exportId, now, JSON.stringify(values), ...(claimedBy === null ? [] : [claimedBy])]
    )
    return result.rowCount ?? 0
  }

  /** Admin "reset export status". Items in flight are left to their call; skipped ones are never sent. */
  async reset({ entity_type, ids, now }: ResetExportItemsInput, sharedContext: Context): Promise<number> {
    const q = knexOf(sharedContext)(TABLE)
      .where({ entity_type })
      .whereNull("deleted_at")
      .whereNot("status", "queued")
      .whereNot("status", "skipped")
    if (ids) q.whereIn("id", ids)
    return q.update({ status: "pending", attempts: 0, next_attempt_at: null, last_error: null, changed_at: now, updated_at: now })
  }
}
