import { Context } from "@medusajs/framework/types"
import { generateEntityId } from "@medusajs/framework/utils"
import { RequestStatus, RequestType } from "../../../types"
import { knexOf } from "./context"

/**
 * The inbound queue (table orderflow_request): messages OrderFlow pushed,
 * stored before they are acknowledged, then claimed and settled by workers.
 */

export type ReceiveInboundMessageInput = {
  type: RequestType
  message_seq_id: number | null
  dedupe_key: string
  content_type: string
  body: string
  payload: unknown
  line_count: number
  received_at: Date
  remote_address?: string | null
  /** Despatches: the parcel key (despatchParcelKey). */
  parcel_key?: string | null
  /** How the message came (rest-json, soap-m2, …); the first of each type and kind is kept verbatim. */
  kind?: string | null
}

export type ReceivedInboundMessage = {
  id: string
  status: Extract<RequestStatus, "pending" | "duplicate">
  duplicate_of_id: string | null
  /** A re-push of a dead-lettered (failed) message: the original went back to pending; `id` is the original's. */
  requeued?: boolean
}

/** Outcome of resolving dead letters: all of them, or none (then `refused` names why). */
export type ResolvedRequests = {
  resolved: string[]
  refused: Array<{ id: string; status: RequestStatus | "not_found" }>
}

export type ClaimedRequest = {
  id: string
  type: RequestType
  message_seq_id: number | null
  dedupe_key: string
  payload: any
  attempts: number
  received_at: Date
}

export type ClaimRequestsInput = { type: RequestType; limit: number; now: Date; leaseMs: number; claimedBy: string }

/** Claims whose lease passed: how many went back to pending, and those failed for good. */
export type ReleasedClaims = {
  released: number
  dead: Array<{ id: string; message_seq_id: number | null; attempts: number; error: string }>
}

export type SettleFailedRequestInput = {
  id: string
  /** The claimant settling: nothing changes when the request is no longer its claim. */
  claimedBy: string
  error: string
  attempts: number
  nextAttemptAt: Date | null
  final: boolean
  now: Date
}

/** A processed request and the import report it produced. */
export type SettledRequest = {
  request_id: string
  import_id: string
  status: Extract<RequestStatus, "processed" | "processed_with_errors" | "failed" | "duplicate">
  error: string | null
  /** A despatch found at processing to be a parcel already applied (see despatchParcelKey). */
  duplicate_of_id?: string | null
}

/** What preparing one despatch reads of our own tables (see InboundQueueRepository.despatchContext). */
export type DespatchContext = {
  /** The newest export row sent under the despatch's reference, if any. */
  export_item: { entity_id: string; order_id: string | null; change_kind: string | null; status: string; exported_at: string | null } | null
  /** Open kit component rows of that export row's order (none without an export row). */
  open_kit: Array<{ line_item_id: string; sku: string; quantity: number; tracking_numbers: unknown }>
  /** This request recorded kit progress before (a run again of a message processed with errors). */
  kit_before: boolean
  /** Other applied requests of the same parcel, oldest first. */
  twins: Array<{ id: string; dedupe_key: string }>
  /** Another applied request with the same message number, if any. */
  same_seq_applied: string | null
  /** This request's despatch record exists already. */
  despatch_recorded: boolean
}

export class InboundQueueRepository {
  /**
   * The partial unique index on dedupe_key (non-duplicate rows only) decides
   * races: ON CONFLICT waits for a concurrent insert of the same key to commit,
   * so exactly one delivery becomes `pending` and the original is visible when
   * a later one records itself as `duplicate` pointing at it.
   */
  async receive(input: ReceiveInboundMessageInput, sharedContext: Context): Promise<ReceivedInboundMessage> {
    const knex = knexOf(sharedContext)
    const row = {
      type: input.type,
      message_seq_id: input.message_seq_id,
      dedupe_key: input.dedupe_key,
      content_type: input.content_type,
      body: input.body,
      body_bytes: Buffer.byteLength(input.body, "utf8"),
      payload: JSON.stringify(input.payload),
      line_count: input.line_count,
      received_at: input.received_at,
      remote_address: input.remote_address ?? null,
      parcel_key: input.parcel_key ?? null,
      kind: input.kind ?? null,
    }
    const id = generateEntityId(undefined, "ofreq")
    const inserted = await knex.raw(
      `INSERT INTO orderflow_request (id, type, message_seq_id, dedupe_key, status, content_type, body, body_bytes, payload,
         line_count, received_at, remote_address, parcel_key, kind, first_of_kind, attempts, created_at, updated_at)
       VALUES (:id, :type, :message_seq_id, :dedupe_key, 'pending', :content_type, :body, :body_bytes, :payload::jsonb,
         :line_count, :received_at, :remote_address, :parcel_key, :kind,
         :kind::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orderflow_request f WHERE f.type = :type AND f.kind = :kind AND f.deleted_at IS NULL),
         0, now(), now())
       ON CONFLICT (dedupe_key) WHERE deleted_at IS NULL AND status <> 'duplicate' DO NOTHING
       RETURNING id`,
      { id, ...row }
    )
    if (inserted.rows.length) return { id, status: "pending", duplicate_of_id: null }
    const original = await knex("orderflow_request")
      .select("id", "status")
      .where({ dedupe_key: input.dedupe_key })
      .whereNull("deleted_at")
      .whereNot("status", "duplicate")
      .first()
    if (original?.status === "failed") {
      // OrderFlow re-pushing a message we dead-lettered (same number, same
      // content) is someone asking for it to be applied: the original goes
      // back to pending with fresh attempts instead of a duplicate being
      // filed. `status = 'failed'` in the WHERE makes one of two racing
      // re-pushes win; the other finds it pending and is filed a duplicate.
      // A body dropped by log cleaning (before dead letters were kept) is
      // restored from the re-push, which has the same content.
      const requeued = await knex.raw(
        `UPDATE orderflow_request
            SET status = 'pending', attempts = 0, next_attempt_at = NULL, processed_at = NULL,
                claimed_until = NULL, claimed_by = NULL,
                error = left(:note || ' (it had failed: ' || coalesce(error, 'no error recorded') || ')', 4000),
                body = coalesce(body, :body), body_bytes = CASE WHEN body IS NULL THEN :body_bytes ELSE body_bytes END,
                updated_at = now()
          WHERE id = :id AND status = 'failed' AND deleted_at IS NULL
          RETURNING id`,
        { id: original.id, note: `re-queued by a re-push from OrderFlow at ${input.received_at.toISOString()}`, body: row.body, body_bytes: row.body_bytes }
      )
      if (requeued.rows.length) return { id: original.id, status: "pending", duplicate_of_id: null, requeued: true }
    }
    const duplicateId = generateEntityId(undefined, "ofreq")
    await knex("orderflow_request").insert({
      id: duplicateId,
      ...row,
      status: "duplicate",
      duplicate_of_id: original?.id ?? null,
      processed_at: input.received_at,
      attempts: 0,
    })
    return { id: duplicateId, status: "duplicate", duplicate_of_id: original?.id ?? null }
  }

  /**
   * Dead letters closed by an admin: failed → resolved with who and when,
   * all or none. FOR UPDATE holds the rows so a re-push cannot re-queue one
   * between the check and the update.
   */
  async resolve({ ids, by, now }: { ids: string[]; by: string | null; now: Date }, sharedContext: Context): Promise<ResolvedRequests> {
    const knex = knexOf(sharedContext)
    const unique = [...new Set(ids)]
    const rows: Array<{ id: string; status: RequestStatus }> = await knex("orderflow_request")
      .select("id", "status")
      .whereIn("id", unique)
      .whereNull("deleted_at")
      .forUpdate()
    const statusOf = new Map(rows.map((r) => [r.id, r.status]))
    const refused = unique
      .filter((id) => statusOf.get(id) !== "failed")
      .map((id) => ({ id, status: statusOf.get(id) ?? ("not_found" as const) }))
    if (refused.length) return { resolved: [], refused }
    await knex("orderflow_request")
      .whereIn("id", unique)
      .where("status", "failed")
      .update({ status: "resolved", resolved_at: now, resolved_by: by, updated_at: now })
    return { resolved: unique, refused: [] }
  }

  /** Undoes resolve (a workflow's compensation): resolved → failed. */
  async unresolve(ids: string[], sharedContext: Context): Promise<number> {
    if (!ids.length) return 0
    return knexOf(sharedContext)("orderflow_request")
      .whereIn("id", ids)
      .where("status", "resolved")
      .update({ status: "failed", resolved_at: null, resolved_by: null, updated_at: new Date() })
  }

  /**
   * A lease that has passed means its worker died (or was killed) while
   * processing: that claim counts as an attempt. The request goes back to
   * pending, or, once the claims that never finished reach the retry
   * policy's maximum, is failed for good (dead-lettered), so a message that
   * kills every worker that takes it stops being taken.
   */
  async releaseExpiredClaims(
    { type, now, maxAttempts }: { type: RequestType; now: Date; maxAttempts: number },
    sharedContext: Context
  ): Promise<ReleasedClaims> {
    const result = await knexOf(sharedContext).raw(
      `UPDATE orderflow_request
          SET attempts = attempts + 1,
              status = CASE WHEN attempts + 1 >= :max THEN 'failed' ELSE 'pending' END,
              error = CASE WHEN attempts + 1 >= :max
                        THEN 'processing stopped ' || (attempts + 1) || ' times before it finished (the worker died or was killed); not retried automatically'
                        ELSE 'the worker processing it stopped before it finished (lease expired); retrying' END,
              processed_at = CASE WHEN attempts + 1 >= :max THEN :now::timestamptz ELSE NULL END,
              next_attempt_at = NULL, claimed_until = NULL, claimed_by = NULL, updated_at = :now
        WHERE type = :type AND status = 'processing' AND deleted_at IS NULL AND claimed_until < :now
        RETURNING id, message_seq_id, attempts, status, error`,
      { type, now, max: maxAttempts }
    )
    const rows = result.rows as Array<{ id: string; message_seq_id: number | null; attempts: number; status: string; error: string }>
    return {
      released: rows.filter((r) => r.status === "pending").length,
      dead: rows.filter((r) => r.status === "failed").map(({ id, message_seq_id, attempts, error }) => ({ id, message_seq_id, attempts, error })),
    }
  }

  /** Extends the lease of requests this claimant still holds; returns how many it still holds. */
  async renewClaims({ ids, claimedBy, until, now }: { ids: string[]; claimedBy: string; until: Date; now: Date }, sharedContext: Context): Promise<number> {
    if (!ids.length) return 0
    return knexOf(sharedContext)("orderflow_request")
      .whereIn("id", ids)
      .where({ status: "processing", claimed_by: claimedBy })
      .update({ claimed_until: until, updated_at: now })
  }

  /**
   * SKIP LOCKED lets two workers claim at once without taking the same
   * request; the lease bounds how long a crashed worker can hold one.
   * Messages are applied in messageSeqId order (received order for those
   * without one), so the result is re-sorted: RETURNING has no order.
   */
  /**
   * Everything preparing a despatch reads of our tables, in one statement
   * rather than six round trips per message (issue 17): the export row of
   * its reference, its order's open kit components, this request's earlier
   * kit progress and despatch record, and the applied requests of the same
   * parcel or message number. Only reads; the same filters as the list
   * calls they replace (soft-deleted rows left out).
   */
  async despatchContext(
    { request_id, reference, parcel_key, message_seq_id }: { request_id: string; reference: string | null; parcel_key: string; message_seq_id: number | null },
    sharedContext: Context
  ): Promise<DespatchContext> {
    const { rows } = await knexOf(sharedContext).raw(
      `WITH e AS (
         SELECT entity_id, order_id, change_kind, status, exported_at FROM orderflow_export_item
          WHERE deleted_at IS NULL AND entity_type = 'order' AND reference = :reference
          ORDER BY created_at DESC LIMIT 1
       ), applied AS (
         SELECT id, dedupe_key, parcel_key, message_seq_id, received_at FROM orderflow_request
          WHERE deleted_at IS NULL AND type = 'shipment' AND status IN ('processed', 'processed_with_errors') AND id <> :request_id
            AND (parcel_key = :parcel_key OR message_seq_id = :message_seq_id)
       )
       SELECT
         (SELECT row_to_json(e) FROM e) AS export_item,
         (SELECT coalesce(json_agg(json_build_object('line_item_id', k.line_item_id, 'sku', k.sku, 'quantity', k.quantity, 'tracking_numbers', k.tracking_numbers) ORDER BY k.id), '[]')
            FROM orderflow_kit_component k JOIN e ON k.order_id = coalesce(e.order_id, e.entity_id)
           WHERE k.deleted_at IS NULL AND k.fulfillment_id IS NULL) AS open_kit,
         EXISTS (SELECT 1 FROM orderflow_kit_component WHERE deleted_at IS NULL AND request_id = :request_id) AS kit_before,
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 'dedupe_key', a.dedupe_key) ORDER BY a.received_at, a.id), '[]') FROM applied a WHERE a.parcel_key = :parcel_key) AS twins,
         (SELECT a.id FROM applied a WHERE a.message_seq_id = :message_seq_id ORDER BY a.id LIMIT 1) AS same_seq_applied,
         EXISTS (SELECT 1 FROM orderflow_despatch WHERE deleted_at IS NULL AND request_id = :request_id) AS despatch_recorded`,
      { request_id, reference: reference ?? null, parcel_key, message_seq_id }
    )
    const row = rows[0]
    return {
      export_item: row.export_item ?? null,
      open_kit: (row.open_kit as DespatchContext["open_kit"]).map((k) => ({ ...k, quantity: Number(k.quantity) })),
      kit_before: row.kit_before,
      twins: row.twins,
      same_seq_applied: row.same_seq_applied ?? null,
      despatch_recorded: row.despatch_recorded,
    }
  }

  async claim({ type, limit, now, leaseMs, claimedBy }: ClaimRequestsInput, sharedContext: Context): Promise<ClaimedRequest[]> {
    const result = await knexOf(sharedContext).raw(
      `UPDATE orderflow_request r
          SET status = 'processing', claimed_until = :until, claimed_by = :claimedBy, updated_at = :now
        WHERE r.id IN (
          SELECT id FROM orderflow_request
           WHERE type = :type AND status = 'pending' AND deleted_at IS NULL
             AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
           ORDER BY message_seq_id ASC NULLS LAST, received_at ASC, id ASC
           LIMIT :limit
           FOR UPDATE SKIP LOCKED)
        RETURNING r.id, r.type, r.message_seq_id, r.dedupe_key, r.payload, r.attempts, r.received_at`,
      { type, limit, now, until: new Date(now.getTime() + leaseMs), claimedBy }
    )
    return (result.rows as ClaimedRequest[]).sort(
      (a, b) =>
        (a.message_seq_id ?? Number.MAX_SAFE_INTEGER) - (b.message_seq_id ?? Number.MAX_SAFE_INTEGER) ||
        new Date(a.received_at).getTime() - new Date(b.received_at).getTime()
    )
  }

  /** Returns false, changing nothing, when the request is no longer this claimant's (its lease passed and it was taken again). */
  async settleFailed(
    { id, claimedBy, error, attempts, nextAttemptAt, final, now }: SettleFailedRequestInput,
    sharedContext: Context
  ): Promise<boolean> {
    const updated = await knexOf(sharedContext)("orderflow_request")
      .where({ id, status: "processing", claimed_by: claimedBy })
      .update({
        status: final ? "failed" : "pending",
        attempts,
        error: error.slice(0, 4000),
        next_attempt_at: final ? null : nextAttemptAt,
        processed_at: final ? now : null,
        claimed_until: null,
        claimed_by: null,
        updated_at: now,
      })
    return updated > 0
  }

  /**
   * Releases the claims of processed requests and links each to its import
   * report, in one statement. With `claimedBy`, only requests still claimed
   * by it are settled; the ids of the others come back (their lease passed
   * and another worker took them), so the caller can undo its work.
   */
  async settleProcessed(settled: SettledRequest[], now: Date, claimedBy: string | null, sharedContext: Context): Promise<string[]> {
    if (!settled.length) return []
    const result = await knexOf(sharedContext).raw(
      `UPDATE orderflow_request r SET status = v.status, import_id = v.import_id, processed_at = ?, error = v.error,
              duplicate_of_id = coalesce(v.duplicate_of_id, r.duplicate_of_id),
              claimed_until = NULL, claimed_by = NULL, updated_at = ?
         FROM (VALUES ${settled.map(() => "(?, ?, ?, ?, ?::text)").join(", ")}) AS v(request_id, import_id, status, error, duplicate_of_id)
        WHERE r.id = v.request_id ${claimedBy === null ? "" : "AND r.status = 'processing' AND r.claimed_by = ?"}
        RETURNING r.id`,
      [now, now, ...settled.flatMap((r) => [r.request_id, r.import_id, r.status, r.error, r.duplicate_of_id ?? null]), ...(claimedBy === null ? [] : [claimedBy])]
    )
    if (claimedBy === null) return []
    const done = new Set((result.rows as Array<{ id: string }>).map((r) => r.id))
    return settled.map((r) => r.request_id).filter((id) => !done.has(id))
  }
}
