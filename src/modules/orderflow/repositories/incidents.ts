import { Context } from "@medusajs/framework/types"
import { generateEntityId } from "@medusajs/framework/utils"
import type { AlarmFacts } from "../../../lib/alarms/alarms"
import type { IncidentKind } from "../../../types/statuses"
import { knexOf } from "./context"

const ENDPOINTS = "orderflow_endpoint_state"
const INCIDENTS = "orderflow_incident"

export type EndpointState = {
  endpoint: string
  consecutive_failures: number
  last_failure_at: Date | null
  last_failure: string | null
  last_success_at: Date | null
  circuit_opened_at: Date | null
  blocked_at: Date | null
  blocked_reason: string | null
}

/** What one call (or the calls of one batch) told about the endpoint. */
export type EndpointOutcome =
  | { kind: "success"; now: Date }
  | { kind: "transient"; message: string; now: Date; threshold: number }
  | { kind: "permanent"; message: string; now: Date }

export type EndpointTransition = {
  state: EndpointState
  /** The circuit opened with this outcome. */
  circuit_opened: boolean
  /** A success closed the circuit or lifted a block. */
  recovered: boolean
  /** The endpoint was blocked with this outcome. */
  blocked: boolean
}

export type RaiseIncidentInput = {
  key: string
  operation: string
  kind: IncidentKind
  title: string
  description: string
  now: Date
}

export type IncidentRow = {
  id: string
  key: string
  operation: string
  kind: IncidentKind
  status: "open" | "closed"
  title: string
  description: string
  occurrences: number
  opened_at: Date
  last_seen_at: Date
  closed_at: Date | null
  closed_by: string | null
}

const EMPTY = (endpoint: string): EndpointState => ({
  endpoint,
  consecutive_failures: 0,
  last_failure_at: null,
  last_failure: null,
  last_success_at: null,
  circuit_opened_at: null,
  blocked_at: null,
  blocked_reason: null,
})

/** Endpoint states (circuit breaker, permanent block) and incidents, set-based on our own tables. */
export class IncidentsRepository {
  async endpointState(endpoint: string, sharedContext: Context): Promise<EndpointState> {
    const row = await knexOf(sharedContext)(ENDPOINTS).where({ endpoint }).whereNull("deleted_at").first()
    return row ? pickState(row) : EMPTY(endpoint)
  }

  async endpointStates(sharedContext: Context): Promise<EndpointState[]> {
    const rows = await knexOf(sharedContext)(ENDPOINTS).whereNull("deleted_at").orderBy("endpoint", "asc")
    return rows.map(pickState)
  }

  /**
   * Applies one outcome to the endpoint's row in one statement (row lock;
   * the state before is read under the lock by the same statement):
   * success resets the count, closes the circuit and lifts a block;
   * transient counts and opens the circuit at the threshold; permanent blocks.
   * The endpoint's first outcome inserts its row first.
   */
  async recordEndpointOutcome(
    endpoint: string,
    outcome: EndpointOutcome,
    sharedContext: Context,
    { closeOnSuccess }: { closeOnSuccess?: { keys: string[]; by: string } } = {}
  ): Promise<EndpointTransition & { closed: IncidentRow[] }> {
    const knex = knexOf(sharedContext)
    const now = outcome.now
    let set: string
    let bindings: Array<Date | string | number>
    if (outcome.kind === "success") {
      set = "consecutive_failures = 0, last_success_at = ?, circuit_opened_at = NULL, blocked_at = NULL, blocked_reason = NULL"
      bindings = [now]
    } else if (outcome.kind === "transient") {
      set = `consecutive_failures = t.consecutive_failures + 1, last_failure_at = ?, last_failure = ?,
             circuit_opened_at = COALESCE(t.circuit_opened_at, CASE WHEN t.consecutive_failures + 1 >= ? THEN ?::timestamptz END)`
      bindings = [now, outcome.message.slice(0, 4000), outcome.threshold, now]
    } else {
      set = "last_failure_at = ?, last_failure = ?, blocked_at = ?, blocked_reason = ?"
      bindings = [now, outcome.message.slice(0, 4000), now, outcome.message.slice(0, 4000)]
    }
    // A success closes the incidents it ends (the circuit's, the block's) in the same statement.
    const closing = outcome.kind === "success" && closeOnSuccess?.keys.length ? closeOnSuccess : null
    const closeIncidents = closing
      ? `WITH closed AS (UPDATE ${INCIDENTS} SET status = 'closed', closed_at = ?, closed_by = ?, updated_at = ?
                          WHERE key = ANY(?) AND status = 'open' AND deleted_at IS NULL RETURNING *) `
      : ""
    const closeBindings = closing ? [now, closing.by, now, closing.keys] : []
    const update = () =>
      knex.raw(
        `${closeIncidents}UPDATE ${ENDPOINTS} t SET ${set}, updated_at = ?
           FROM (SELECT id, circuit_opened_at, blocked_at FROM ${ENDPOINTS} WHERE endpoint = ? AND deleted_at IS NULL FOR UPDATE) before
          WHERE t.id = before.id
          RETURNING t.*, before.circuit_opened_at AS before_circuit_opened_at, before.blocked_at AS before_blocked_at
                    ${closing ? ", (SELECT coalesce(json_agg(closed), '[]'::json) FROM closed) AS closed_incidents" : ""}`,
        [...closeBindings, ...bindings, now, endpoint]
      )
    let { rows } = await update()
    if (!rows.length) {
      await knex.raw(
        `INSERT INTO ${ENDPOINTS} (id, endpoint, consecutive_failures, created_at, updated_at)
         VALUES (?, ?, 0, ?, ?) ON CONFLICT (endpoint) WHERE deleted_at IS NULL DO NOTHING`,
        [generateEntityId(undefined, "ofep"), endpoint, now, now]
      )
      ;({ rows } = await update())
    }
    const row = rows[0]
    const closed: IncidentRow[] = (row.closed_incidents ?? []).map((i: IncidentRow) => ({
      ...i,
      opened_at: new Date(i.opened_at),
      last_seen_at: new Date(i.last_seen_at),
      closed_at: i.closed_at ? new Date(i.closed_at) : null,
    }))
    const state = pickState(row)
    const wasOpen = !!row.before_circuit_opened_at
    const wasBlocked = !!row.before_blocked_at
    return {
      state,
      circuit_opened: !wasOpen && !!state.circuit_opened_at,
      recovered: outcome.kind === "success" && (wasOpen || wasBlocked),
      blocked: outcome.kind === "permanent" && !wasBlocked,
      closed,
    }
  }

  /** Lifts every block (the settings were saved: the next run tries again). Returns how many. */
  async unblockEndpoints(now: Date, sharedContext: Context): Promise<number> {
    return knexOf(sharedContext)(ENDPOINTS)
      .whereNotNull("blocked_at")
      .whereNull("deleted_at")
      .update({ blocked_at: null, blocked_reason: null, updated_at: now })
  }

  /**
   * Opens an incident for `key`, or counts one more occurrence of the open
   * one. `opened` is true only for the call that opened it: the caller alerts then.
   */
  async raise(input: RaiseIncidentInput, sharedContext: Context): Promise<{ incident: IncidentRow; opened: boolean }> {
    const { rows } = await knexOf(sharedContext).raw(
      `INSERT INTO ${INCIDENTS} (id, key, operation, kind, status, title, description, occurrences, opened_at, last_seen_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'open', ?, ?, 1, ?, ?, ?, ?)
       ON CONFLICT (key) WHERE status = 'open' AND deleted_at IS NULL
       DO UPDATE SET occurrences = ${INCIDENTS}.occurrences + 1, last_seen_at = EXCLUDED.last_seen_at,
                     description = EXCLUDED.description, updated_at = EXCLUDED.updated_at
       RETURNING *, (xmax = 0) AS inserted`,
      [generateEntityId(undefined, "ofinc"), input.key, input.operation, input.kind, input.title, input.description, input.now, input.now, input.now, input.now]
    )
    const { inserted, ...incident } = rows[0]
    return { incident: incident as IncidentRow, opened: inserted === true }
  }

  /** Closes the open incidents with these keys (their cause went away). Returns the closed rows. */
  async closeByKeys(keys: string[], { now, by }: { now: Date; by: string }, sharedContext: Context): Promise<IncidentRow[]> {
    if (!keys.length) return []
    return knexOf(sharedContext)(INCIDENTS)
      .whereIn("key", keys)
      .where({ status: "open" })
      .whereNull("deleted_at")
      .update({ status: "closed", closed_at: now, closed_by: by, updated_at: now })
      .returning("*")
  }

  /** Closes one open incident by id (an admin dealt with it). Returns it, or null when it was not open. */
  async closeById(id: string, { now, by }: { now: Date; by: string }, sharedContext: Context): Promise<IncidentRow | null> {
    const rows = await knexOf(sharedContext)(INCIDENTS)
      .where({ id, status: "open" })
      .whereNull("deleted_at")
      .update({ status: "closed", closed_at: now, closed_by: by, updated_at: now })
      .returning("*")
    return rows[0] ?? null
  }

  /**
   * For monitors (GET /orderflow/health): down while an endpoint is
   * unreachable or blocked, degraded while another incident is open.
   */
  async publicHealth(sharedContext: Context): Promise<{ status: "ok" | "degraded" | "down"; checks: string[] }> {
    const open = await knexOf(sharedContext)(INCIDENTS).select("operation", "kind", "key").where({ status: "open" }).whereNull("deleted_at")
    const name = (r: any) => (r.kind === "alarm" ? `alarm.${String(r.key).replace(/^alarm:/, "")}` : `${r.operation}.${r.kind}`)
    const checks = [...new Set(open.map(name))].sort()
    const down = open.some((r: any) => r.kind === "circuit_open" || r.kind === "permanent")
    return { status: down ? "down" : checks.length ? "degraded" : "ok", checks }
  }

  /** What the alarms look at, from our own tables (lib/alarms evaluates it). */
  async alarmFacts(sharedContext: Context): Promise<Omit<AlarmFacts, "inventoryImportEnabled">> {
    const knex = knexOf(sharedContext)
    const [lastStock, watching, order, despatch, deadRequests, deadExports, drift] = await Promise.all([
      // An accepted drift figure is stored as a stock message, but is not one from OrderFlow.
      knex("orderflow_request").max({ at: "received_at" }).where({ type: "inventory" }).whereNot("dedupe_key", "like", "inventory-drift:%").whereNull("deleted_at").first(),
      knex("orderflow_operation_run").select("created_at").where({ operation: "inventory_import" }).whereNull("deleted_at").first(),
      knex("orderflow_export_item")
        .select("reference", "changed_at")
        .where({ entity_type: "order" })
        .whereIn("status", ["pending", "queued", "failed"])
        .whereNull("deleted_at")
        .whereNotNull("changed_at")
        .orderBy("changed_at", "asc")
        .first(),
      knex("orderflow_request")
        .select("message_seq_id", "received_at")
        .where({ type: "shipment" })
        .whereIn("status", ["pending", "processing"])
        .whereNull("deleted_at")
        .orderBy("received_at", "asc")
        .first(),
      knex("orderflow_request").count({ n: "*" }).where({ status: "failed" }).whereNull("deleted_at").first(),
      knex("orderflow_export_item").count({ n: "*" }).where({ status: "failed" }).whereNull("next_attempt_at").whereNull("deleted_at").first(),
      knex("orderflow_stock_drift").count({ n: "*" }).where({ status: "open" }).whereNull("deleted_at").first(),
    ])
    const date = (v: unknown) => (v ? new Date(v as string) : null)
    return {
      watchingSince: date(watching?.created_at),
      lastStockMessageAt: date((lastStock as any)?.at),
      oldestUnacceptedOrder: order ? { reference: order.reference, since: new Date(order.changed_at) } : null,
      oldestWaitingDespatch: despatch ? { messageSeqId: despatch.message_seq_id === null ? null : Number(despatch.message_seq_id), since: new Date(despatch.received_at) } : null,
      deadLetters: { requests: Number((deadRequests as any)?.n ?? 0), exports: Number((deadExports as any)?.n ?? 0) },
      openStockDrift: Number((drift as any)?.n ?? 0),
    }
  }

  /** The open incidents whose key starts with `prefix`. */
  async listOpenByPrefix(prefix: string, sharedContext: Context): Promise<IncidentRow[]> {
    return knexOf(sharedContext)(INCIDENTS).where({ status: "open" }).where("key", "like", `${prefix}%`).whereNull("deleted_at")
  }

  async listOpen(sharedContext: Context): Promise<IncidentRow[]> {
    return knexOf(sharedContext)(INCIDENTS).where({ status: "open" }).whereNull("deleted_at").orderBy("opened_at", "asc")
  }
}

function pickState(row: any): EndpointState {
  return {
    endpoint: row.endpoint,
    consecutive_failures: Number(row.consecutive_failures ?? 0),
    last_failure_at: row.last_failure_at ?? null,
    last_failure: row.last_failure ?? null,
    last_success_at: row.last_success_at ?? null,
    circuit_opened_at: row.circuit_opened_at ?? null,
    blocked_at: row.blocked_at ?? null,
    blocked_reason: row.blocked_reason ?? null,
  }
}
