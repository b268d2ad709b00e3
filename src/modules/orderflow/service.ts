import { Context } from "@medusajs/framework/types"
import {
  InjectManager,
  generateEntityId,
  InjectTransactionManager,
  MedusaContext,
  MedusaError,
  MedusaService,
} from "@medusajs/framework/utils"
import {
  applyPatch,
  OrderflowSettings,
  resolveSettings,
  settingsFromEnv,
  settingsFromOptions,
  SettingsPatch,
} from "../../lib/settings"
import { hashPassword } from "../../lib/settings/password-hash"
import {
  OrderflowDespatch,
  OrderflowExport,
  OrderflowExportItem,
  OrderflowExportLine,
  OrderflowImport,
  OrderflowImportLine,
  OrderflowInventorySequence,
  OrderflowOperationRun,
  OrderflowRequest,
  OrderflowSetting,
} from "./models"

export type OrderflowModuleOptions = {
  /** Pre-set settings (same shape as the admin settings API); shown read-only in the admin. */
  settings?: SettingsPatch
}

export type ReceiveInboundMessageInput = {
  type: "inventory" | "shipment"
  message_seq_id: number | null
  dedupe_key: string
  content_type: string
  body: string
  payload: unknown
  line_count: number
  received_at: Date
  remote_address?: string | null
}

export type ClaimedRequest = {
  id: string
  type: "inventory" | "shipment"
  message_seq_id: number | null
  dedupe_key: string
  payload: any
  attempts: number
  received_at: Date
}

export type ImportLineRecord = {
  sku: string
  outcome: "applied" | "stale" | "unknown_sku" | "failed" | "shipped" | "duplicate"
  message?: string | null
  source?: string | null
  location_id?: string | null
  inventory_item_id?: string | null
  received_qty?: number | null
  seq_id?: number | null
  previous_seq_id?: number | null
  unsent_order_qty?: number | null
  active_cart_qty?: number | null
  reserved_qty?: number | null
  applied_qty?: number | null
  order_id?: string | null
  line_item_id?: string | null
  fulfillment_id?: string | null
}

export type RecordImportInput = {
  request_id: string
  type: "inventory" | "shipment"
  message_seq_id: number | null
  status: "success" | "partial" | "failed"
  duration_ms: number
  error?: string | null
  lines: ImportLineRecord[]
  /** A message rejected for good is recorded and its request marked failed (default processed). */
  request_status?: "processed" | "failed"
}

export type DespatchRecord = {
  request_id: string
  order_id: string
  order_reference: string
  fulfillment_id: string | null
  tracking_numbers: string[]
  courier_name: string | null
  service_name: string | null
  date_shipped: Date | null
  comment: string | null
  notified_at: Date | null
}

export type RecordImportsInput = {
  imports: RecordImportInput[]
  /** Despatches applied (shipment import), written in the same transaction. */
  despatches?: DespatchRecord[]
  sequence_writes: Array<{ sku: string; location_id: string; seq_id: number; request_id?: string }>
  now: Date
}

export type MarkExportPendingInput = {
  entity_type: "product" | "order"
  entity_id: string
  reference: string
  variant_id?: string | null
  product_id?: string | null
  activated?: boolean
  /** Set to record the item as not sent, and why. */
  skip_reason?: string | null
}

export type ExportItemRow = {
  id: string
  entity_type: "product" | "order"
  entity_id: string
  reference: string
  variant_id: string | null
  product_id: string | null
  status: string
  activated: boolean
  attempts: number
  next_attempt_at: Date | null
  queued_at: Date | null
  changed_at: Date | null
  exported_at: Date | null
  last_error: string | null
}

export type SettleExportInput = {
  record: {
    operation: string
    trigger: string
    status: "success" | "partial" | "failed"
    http_status?: number | null
    duration_ms: number
    request_body?: string | null
    response_body?: string | null
    error?: string | null
  }
  outcomes: Array<{
    id: string
    reference: string
    entity_id?: string | null
    outcome: "success" | "duplicate" | "failure" | "missing"
    /** What the history line shows, when it differs from the item's outcome. */
    line_outcome?: "success" | "duplicate" | "failure" | "missing"
    message?: string | null
    detail?: string | null
    attempts: number
    next_attempt_at?: Date | null
  }>
  now: Date
  /** When the document was sent; exported_at of the items OrderFlow accepted. */
  sent_at?: Date
}

export type CurrentSettings = {
  settings: OrderflowSettings
  locked: string[]
  /** scrypt hash of the inbound password, from the admin or hashed from options/env. */
  inboundPasswordHash: string | null
}

class OrderflowModuleService extends MedusaService({
  OrderflowSetting,
  OrderflowOperationRun,
  OrderflowExportItem,
  OrderflowExport,
  OrderflowExportLine,
  OrderflowRequest,
  OrderflowImport,
  OrderflowImportLine,
  OrderflowInventorySequence,
  OrderflowDespatch,
}) {
  protected readonly optionsLayer_: SettingsPatch
  protected readonly envLayer_: SettingsPatch
  protected settingsCache_: { value: CurrentSettings; fetchedAt: number } | null = null
  protected presetPasswordHash_: Promise<string> | null = null

  constructor(container: Record<string, unknown>, options: OrderflowModuleOptions = {}) {
    super(...arguments)
    // Invalid options or env stop the store at boot with a message naming them.
    this.optionsLayer_ = settingsFromOptions(options?.settings)
    this.envLayer_ = settingsFromEnv(process.env)
  }

  /**
   * The effective settings (defaults < admin < options < env). Hot paths
   * (inbound authentication) pass `maxAgeMs` to accept a recent cached copy.
   */
  @InjectManager()
  async getCurrentSettings(
    { maxAgeMs = 0 }: { maxAgeMs?: number } = {},
    @MedusaContext() sharedContext: Context = {}
  ): Promise<CurrentSettings> {
    const cached = this.settingsCache_
    if (maxAgeMs > 0 && cached && cached.fetchedAt + maxAgeMs > Date.now()) return cached.value
    const { stored, inboundPasswordHash } = await this.readStoredSettings_(sharedContext)
    const resolved = resolveSettings({ stored, options: this.optionsLayer_, env: this.envLayer_ })
    const presetPassword = resolved.locked.includes("inbound.password") ? resolved.settings.inbound.password : ""
    let hash = inboundPasswordHash
    if (presetPassword) {
      this.presetPasswordHash_ ??= hashPassword(presetPassword)
      hash = await this.presetPasswordHash_
    }
    // The plain inbound password never leaves this method.
    resolved.settings.inbound.password = ""
    const value: CurrentSettings = { ...resolved, inboundPasswordHash: hash }
    this.settingsCache_ = { value, fetchedAt: Date.now() }
    return value
  }

  /**
   * Applies an admin edit (any subset of groups/fields). Throws INVALID_DATA
   * naming every problem; nothing is saved unless the whole result is valid.
   */
  @InjectManager()
  async updateSettings(patch: unknown, @MedusaContext() sharedContext: Context = {}): Promise<CurrentSettings> {
    await this.updateSettings_(patch, sharedContext)
    this.settingsCache_ = null
    return this.getCurrentSettings({}, sharedContext)
  }

  /** The stored rows as they are (secrets hashed), for a workflow's compensation. */
  @InjectManager()
  async exportStoredSettings(@MedusaContext() sharedContext: Context = {}): Promise<Record<string, unknown>> {
    const rows = await this.listOrderflowSettings({}, { take: null }, sharedContext)
    return Object.fromEntries(rows.map((row) => [row.key, row.value]))
  }

  /** Puts back rows captured by exportStoredSettings (compensation of a failed edit). */
  @InjectManager()
  async restoreStoredSettings(rows: Record<string, unknown>, @MedusaContext() sharedContext: Context = {}) {
    await this.restoreStoredSettings_(rows, sharedContext)
    this.settingsCache_ = null
  }

  /**
   * Log cleaning (seed 000 "Log Cleaning"): history older than `historyBefore`
   * is deleted; request/response bodies older than `bodyBefore` are dropped.
   * Requests still waiting to be processed are never touched.
   */
  @InjectManager()
  async cleanLogs(
    window: { historyBefore: Date; bodyBefore: Date },
    @MedusaContext() sharedContext: Context = {}
  ) {
    return this.cleanLogs_(window, sharedContext)
  }

  /**
   * Stores an inbound message before it is acknowledged (store first, ack
   * second). The partial unique index on dedupe_key decides races: of two
   * deliveries of the same message, exactly one becomes `pending`; every other
   * delivery is recorded with status `duplicate`, pointing at the first.
   */
  @InjectManager()
  async receiveInboundMessage(
    input: ReceiveInboundMessageInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ id: string; status: "pending" | "duplicate"; duplicate_of_id: string | null }> {
    const knex = this.knex_(sharedContext)
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
    }
    const id = generateEntityId(undefined, "ofreq")
    const inserted = await knex.raw(
      `INSERT INTO orderflow_request (id, type, message_seq_id, dedupe_key, status, content_type, body, body_bytes, payload,
         line_count, received_at, remote_address, attempts, created_at, updated_at)
       VALUES (:id, :type, :message_seq_id, :dedupe_key, 'pending', :content_type, :body, :body_bytes, :payload::jsonb,
         :line_count, :received_at, :remote_address, 0, now(), now())
       ON CONFLICT (dedupe_key) WHERE deleted_at IS NULL AND status <> 'duplicate' DO NOTHING
       RETURNING id`,
      { id, ...row }
    )
    if (inserted.rows.length) return { id, status: "pending", duplicate_of_id: null }
    const original = await knex("orderflow_request")
      .select("id")
      .where({ dedupe_key: input.dedupe_key })
      .whereNull("deleted_at")
      .whereNot("status", "duplicate")
      .first()
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
   * A worker that died mid-run leaves its claims behind; once their lease
   * has passed they go back to pending (the attempt still counts).
   */
  @InjectManager()
  async releaseExpiredClaims(
    type: "inventory" | "shipment",
    now: Date,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return this.knex_(sharedContext)("orderflow_request")
      .where({ type, status: "processing" })
      .whereNull("deleted_at")
      .andWhere("claimed_until", "<", now)
      .update({ status: "pending", claimed_until: null, claimed_by: null, updated_at: now })
  }

  /**
   * Claims up to `limit` pending requests that are due, in messageSeqId order
   * (received order for messages without one). SKIP LOCKED lets two workers
   * claim at once without taking the same request; the lease bounds how long
   * a crashed worker can hold one.
   */
  @InjectManager()
  async claimRequests(
    { type, limit, now, leaseMs, claimedBy }: { type: "inventory" | "shipment"; limit: number; now: Date; leaseMs: number; claimedBy: string },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<ClaimedRequest[]> {
    const knex = this.knex_(sharedContext)
    const result = await knex.raw(
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

  /** A request whose processing failed as a whole: retry later, or give up. */
  @InjectManager()
  async settleFailedRequest(
    { id, error, attempts, nextAttemptAt, final, now }: { id: string; error: string; attempts: number; nextAttemptAt: Date | null; final: boolean; now: Date },
    @MedusaContext() sharedContext: Context = {}
  ) {
    await this.knex_(sharedContext)("orderflow_request")
      .where({ id })
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
  }

  /** Last applied sequence id per (sku, location) for the given SKUs. */
  @InjectManager()
  async getInventorySequences(
    skus: string[],
    locationIds: string[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<Array<{ sku: string; location_id: string; seq_id: number }>> {
    if (!skus.length || !locationIds.length) return []
    return this.knex_(sharedContext)("orderflow_inventory_sequence")
      .select("sku", "location_id", "seq_id")
      .whereIn("sku", skus)
      .whereIn("location_id", locationIds)
      .whereNull("deleted_at")
  }

  /**
   * The outcome of one or more processed messages, in one transaction: each
   * import report with its lines, the new sequence ids, and the requests
   * marked processed. Sequence ids only move forward (the WHERE on the
   * upsert), so a replay can never lower one.
   */
  @InjectManager()
  async recordImports(input: RecordImportsInput, @MedusaContext() sharedContext: Context = {}) {
    return this.recordImports_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async recordImports_(
    { imports, sequence_writes, despatches = [], now }: RecordImportsInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<Array<{ request_id: string; import_id: string }>> {
    const knex = this.knex_(sharedContext)
    const recorded: Array<{ request_id: string; import_id: string }> = []
    const lineRows: Record<string, unknown>[] = []
    const importRows: Record<string, unknown>[] = []
    for (const { request_id, type, message_seq_id, status, duration_ms, error, lines } of imports) {
      const importId = generateEntityId(undefined, "ofimp")
      recorded.push({ request_id, import_id: importId })
      const count = (outcome: string) => lines.filter((l) => l.outcome === outcome).length
      importRows.push({
        id: importId,
        type,
        request_id,
        message_seq_id,
        status,
        line_count: lines.length,
        applied_count: count("applied") + count("shipped"),
        stale_count: count("stale"),
        unknown_count: count("unknown_sku"),
        duplicate_count: count("duplicate"),
        failed_count: count("failed"),
        duration_ms,
        error: error ?? null,
        created_at: now,
        updated_at: now,
      })
      for (const l of lines) {
        lineRows.push({
          id: generateEntityId(undefined, "ofiml"),
          import_id: importId,
          sku: l.sku,
          source: l.source ?? null,
          location_id: l.location_id ?? null,
          inventory_item_id: l.inventory_item_id ?? null,
          received_qty: l.received_qty ?? null,
          seq_id: l.seq_id ?? null,
          previous_seq_id: l.previous_seq_id ?? null,
          unsent_order_qty: l.unsent_order_qty ?? null,
          active_cart_qty: l.active_cart_qty ?? null,
          reserved_qty: l.reserved_qty ?? null,
          applied_qty: l.applied_qty ?? null,
          order_id: l.order_id ?? null,
          line_item_id: l.line_item_id ?? null,
          fulfillment_id: l.fulfillment_id ?? null,
          outcome: l.outcome,
          message: l.message ? l.message.slice(0, 2000) : null,
          created_at: now,
          updated_at: now,
        })
      }
    }
    if (importRows.length) await knex("orderflow_import").insert(importRows)
    for (let i = 0; i < lineRows.length; i += 1000) {
      await knex("orderflow_import_line").insert(lineRows.slice(i, i + 1000))
    }
    if (sequence_writes.length) {
      const requestOf = imports[imports.length - 1]?.request_id ?? null
      const rows = sequence_writes.map((w) => ({
        id: generateEntityId(undefined, "ofseq"),
        sku: w.sku,
        location_id: w.location_id,
        seq_id: w.seq_id,
        request_id: w.request_id ?? requestOf,
        applied_at: now,
        created_at: now,
        updated_at: now,
      }))
      for (let i = 0; i < rows.length; i += 1000) {
        await knex.raw(
          `${knex("orderflow_inventory_sequence").insert(rows.slice(i, i + 1000)).toQuery()}
           ON CONFLICT (sku, location_id) WHERE deleted_at IS NULL
           DO UPDATE SET seq_id = EXCLUDED.seq_id, request_id = EXCLUDED.request_id,
                         applied_at = EXCLUDED.applied_at, updated_at = EXCLUDED.updated_at
           WHERE orderflow_inventory_sequence.seq_id < EXCLUDED.seq_id`
        )
      }
    }
    if (despatches.length) {
      await knex("orderflow_despatch").insert(
        despatches.map((d) => ({
          id: generateEntityId(undefined, "ofdsp"),
          ...d,
          tracking_numbers: JSON.stringify(d.tracking_numbers),
          created_at: now,
          updated_at: now,
        }))
      )
    }
    if (recorded.length) {
      const statusOf = new Map(imports.map((i) => [i.request_id, i.request_status ?? "processed"]))
      const errorOf = new Map(imports.map((i) => [i.request_id, i.request_status === "failed" ? i.error ?? "rejected" : null]))
      await knex.raw(
        `UPDATE orderflow_request r SET status = v.status, import_id = v.import_id, processed_at = ?, error = v.error,
                claimed_until = NULL, claimed_by = NULL, updated_at = ?
           FROM (VALUES ${recorded.map(() => "(?, ?, ?, ?)").join(", ")}) AS v(request_id, import_id, status, error)
          WHERE r.id = v.request_id`,
        [now, now, ...recorded.flatMap((r) => [r.request_id, r.import_id, statusOf.get(r.request_id), errorOf.get(r.request_id)])]
      )
    }
    return recorded
  }

  /**
   * Queues things for export (DESIGN.md section 5: a change puts an item back
   * to pending). An item in flight (queued) only gets its changed_at bumped,
   * so settling it sends it again instead of calling it exported.
   * `insertOnly` leaves existing rows alone: an order is never re-queued
   * by an event once it is known.
   */
  @InjectManager()
  async markExportPending(
    items: MarkExportPendingInput[],
    { now, insertOnly = false }: { now: Date; insertOnly?: boolean },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    if (!items.length) return 0
    const knex = this.knex_(sharedContext)
    const rows = items.map((i) => ({
      id: generateEntityId(undefined, "ofexi"),
      entity_type: i.entity_type,
      entity_id: i.entity_id,
      reference: i.reference,
      variant_id: i.variant_id ?? null,
      product_id: i.product_id ?? null,
      status: i.skip_reason ? "skipped" : "pending",
      skip_reason: i.skip_reason ?? null,
      activated: i.activated ?? true,
      attempts: 0,
      cancel_attempts: 0,
      changed_at: now,
      created_at: now,
      updated_at: now,
    }))
    const insert = knex("orderflow_export_item").insert(rows).toQuery()
    const t = "orderflow_export_item"
    const conflict = insertOnly
      ? "DO NOTHING"
      : `DO UPDATE SET
          reference = EXCLUDED.reference,
          variant_id = EXCLUDED.variant_id,
          product_id = EXCLUDED.product_id,
          activated = EXCLUDED.activated,
          skip_reason = EXCLUDED.skip_reason,
          status = CASE WHEN ${t}.status = 'queued' THEN 'queued' ELSE EXCLUDED.status END,
          attempts = CASE WHEN ${t}.status = 'queued' THEN ${t}.attempts ELSE 0 END,
          next_attempt_at = CASE WHEN ${t}.status = 'queued' THEN ${t}.next_attempt_at ELSE NULL END,
          last_error = CASE WHEN ${t}.status = 'queued' THEN ${t}.last_error ELSE NULL END,
          changed_at = EXCLUDED.changed_at,
          updated_at = EXCLUDED.updated_at`
    const result = await knex.raw(`${insert} ON CONFLICT (entity_type, entity_id) WHERE deleted_at IS NULL ${conflict}`)
    return result.rowCount ?? 0
  }

  /**
   * Takes up to `limit` items to send: pending ones and failed ones whose
   * retry is due, oldest change first, marked queued with the time. Items
   * queued longer than the lease (a crash between queued and settled) go back
   * to pending first. With `ids`, exactly those (manual export), due or not.
   */
  @InjectManager()
  async claimExportItems(
    { entity_type, limit, now, leaseMs, ids }: { entity_type: "product" | "order"; limit: number; now: Date; leaseMs: number; ids?: string[] },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ items: ExportItemRow[]; released: number }> {
    const knex = this.knex_(sharedContext)
    if (ids && !ids.length) return { items: [], released: 0 }
    const released = await knex("orderflow_export_item")
      .where({ entity_type, status: "queued" })
      .whereNull("deleted_at")
      .andWhere("queued_at", "<", new Date(now.getTime() - leaseMs))
      .update({ status: "pending", queued_at: null, updated_at: now })
    const selection = ids
      ? `entity_type = :entity_type AND deleted_at IS NULL AND id = ANY(:ids) AND status <> 'queued' AND status <> 'skipped'`
      : `entity_type = :entity_type AND deleted_at IS NULL AND (
           (status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= :now))
           OR (status = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= :now))`
    const result = await knex.raw(
      `UPDATE orderflow_export_item e SET status = 'queued', queued_at = :now, updated_at = :now
        WHERE e.id IN (SELECT id FROM orderflow_export_item WHERE ${selection}
                        ORDER BY changed_at ASC NULLS FIRST, id ASC LIMIT :limit FOR UPDATE SKIP LOCKED)
        RETURNING e.*`,
      ids ? { entity_type, now, limit, ids } : { entity_type, now, limit }
    )
    const items = (result.rows as ExportItemRow[]).sort(
      (a, b) => new Date(a.changed_at ?? 0).getTime() - new Date(b.changed_at ?? 0).getTime()
    )
    return { items, released }
  }

  /**
   * Records one call to OrderFlow and settles every item it carried, in one
   * transaction: success/duplicate -> exported (or pending again if changed
   * while in flight), failure -> failed with retry time (or for good), missing
   * -> pending. A call that failed as a whole (`requeue`) puts its items back
   * to pending with back-off: never lost.
   */
  @InjectManager()
  async settleExport(input: SettleExportInput, @MedusaContext() sharedContext: Context = {}) {
    return this.settleExport_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async settleExport_(
    { record, outcomes, now, sent_at }: SettleExportInput,
    @MedusaContext() sharedContext: Context = {}
  ) {
    const knex = this.knex_(sharedContext)
    const exportId = generateEntityId(undefined, "ofexp")
    const count = (o: string) => outcomes.filter((x) => x.outcome === o).length
    await knex("orderflow_export").insert({
      id: exportId,
      operation: record.operation,
      trigger: record.trigger,
      status: record.status,
      http_status: record.http_status ?? null,
      duration_ms: Math.round(record.duration_ms),
      item_count: outcomes.length,
      success_count: count("success"),
      duplicate_count: count("duplicate"),
      failure_count: count("failure"),
      request_body: record.request_body ?? null,
      response_body: record.response_body ?? null,
      error: record.error ? record.error.slice(0, 4000) : null,
      created_at: now,
      updated_at: now,
    })
    for (let i = 0; i < outcomes.length; i += 500) {
      await knex("orderflow_export_line").insert(
        outcomes.slice(i, i + 500).map((o) => ({
          id: generateEntityId(undefined, "ofexl"),
          export_id: exportId,
          reference: o.reference,
          entity_id: o.entity_id ?? null,
          outcome: o.line_outcome ?? o.outcome,
          message: o.message ? o.message.slice(0, 2000) : null,
          detail: o.detail ? o.detail.slice(0, 4000) : null,
          created_at: now,
          updated_at: now,
        }))
      )
    }
    // One statement for all items (no per-item round trips). Expressions see
    // the row before the update, so "changed while queued" uses the old queued_at.
    const final = outcomes.filter((o) => o.outcome === "failure" && !o.next_attempt_at).map((o) => o.id)
    for (let i = 0; i < outcomes.length; i += 1000) {
      const chunk = outcomes.slice(i, i + 1000)
      const values = chunk.map(() => "(?, ?, ?::int, ?::timestamptz, ?)").join(", ")
      const bindings = chunk.flatMap((o) => {
        const ok = o.outcome === "success" || o.outcome === "duplicate"
        return [
          o.id,
          o.outcome,
          ok ? 0 : o.attempts,
          ok ? null : o.next_attempt_at ?? null,
          ok ? null : (o.message ?? (o.outcome === "failure" ? "failed" : null))?.slice(0, 4000) ?? null,
        ]
      })
      await knex.raw(
        `UPDATE orderflow_export_item e SET
           status = CASE WHEN v.outcome IN ('success', 'duplicate')
                           THEN (CASE WHEN e.changed_at > e.queued_at THEN 'pending' ELSE 'exported' END)
                         WHEN v.outcome = 'failure' THEN 'failed'
                         ELSE 'pending' END,
           exported_at = CASE WHEN v.outcome IN ('success', 'duplicate') THEN ?::timestamptz ELSE e.exported_at END,
           attempts = v.attempts,
           next_attempt_at = v.next_attempt_at,
           last_error = v.last_error,
           last_export_id = ?,
           queued_at = NULL,
           updated_at = ?
         FROM (VALUES ${values}) AS v(id, outcome, attempts, next_attempt_at, last_error)
         WHERE e.id = v.id`,
        // When OrderFlow received it (the call's start), not when we noted the reply:
        // inventory import compares exported_at with OrderFlow's lastOrderExported.
        [sent_at ?? now, exportId, now, ...bindings]
      )
    }
    return { export_id: exportId, final_failures: final }
  }

  /** Queue depth and age per operation, last contact and last errors (GET /admin/orderflow/health). */
  @InjectManager()
  async health(now: Date, @MedusaContext() sharedContext: Context = {}) {
    const knex = this.knex_(sharedContext)
    const exportQueues = await knex("orderflow_export_item")
      .select("entity_type", "status")
      .count({ count: "*" })
      .min({ oldest_change: "changed_at" })
      .whereNull("deleted_at")
      .groupBy("entity_type", "status")
    const requestQueues = await knex("orderflow_request")
      .select("type", "status")
      .count({ count: "*" })
      .min({ oldest_received: "received_at" })
      .max({ newest_received: "received_at" })
      .whereNull("deleted_at")
      .groupBy("type", "status")
    const lastFailedExport = await knex("orderflow_export")
      .select("id", "operation", "error", "created_at")
      .where({ status: "failed" })
      .whereNull("deleted_at")
      .orderBy("created_at", "desc")
      .first()
    const lastFailedRequest = await knex("orderflow_request")
      .select("id", "type", "message_seq_id", "error", "updated_at")
      .whereNotNull("error")
      .whereNull("deleted_at")
      .orderBy("updated_at", "desc")
      .first()
    const runs = await this.listOrderflowOperationRuns({}, { take: null }, sharedContext)
    const queue = (rows: any[], key: string, value: string) => {
      const out: Record<string, Record<string, unknown>> = {}
      for (const r of rows) {
        out[r[key]] ??= {}
        out[r[key]][r.status] = Number(r.count)
        if (r.status === "pending") {
          const oldest = r[value] ? new Date(r[value]) : null
          out[r[key]].oldest_pending_at = oldest
          out[r[key]].oldest_pending_age_seconds = oldest ? Math.round((now.getTime() - oldest.getTime()) / 1000) : null
        }
      }
      return out
    }
    const lastMessage: Record<string, Date | null> = {}
    for (const r of requestQueues as any[]) {
      const t = r.newest_received ? new Date(r.newest_received) : null
      if (t && (!lastMessage[r.type] || t > lastMessage[r.type]!)) lastMessage[r.type] = t
    }
    return {
      exports: queue(exportQueues as any[], "entity_type", "oldest_change"),
      requests: queue(requestQueues as any[], "type", "oldest_received"),
      last_message_from_orderflow: lastMessage,
      last_export_error: lastFailedExport ?? null,
      last_request_error: lastFailedRequest ?? null,
      operations: runs.map((r) => ({
        operation: r.operation,
        last_started_at: r.last_started_at,
        last_finished_at: r.last_finished_at,
        last_status: r.last_status,
        last_error: r.last_error,
        last_summary: r.last_summary,
        run_count: r.run_count,
      })),
    }
  }

  /**
   * A page of despatches, newest first (GET /admin/orderflow/despatches).
   * `q` matches a tracking number or the order reference, case-insensitively
   * and as a substring; tracking numbers live in a JSON array, so the match is
   * done in SQL and the page is then read through the generated list method.
   */
  @InjectManager()
  async listAndCountDespatchesMatching(
    filters: { order_id?: string; q?: string },
    page: { limit: number; offset: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<[Awaited<ReturnType<OrderflowModuleService["listOrderflowDespatches"]>>, number]> {
    const matching = this.knex_(sharedContext)("orderflow_despatch").whereNull("deleted_at")
    if (filters.order_id) matching.where("order_id", filters.order_id)
    if (filters.q) {
      const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      matching.where((w: any) =>
        w
          .whereRaw(
            "jsonb_typeof(tracking_numbers) = 'array' and exists (select 1 from jsonb_array_elements_text(tracking_numbers) t where t ilike ?)",
            [pattern]
          )
          .orWhere("order_reference", "ilike", pattern)
      )
    }
    const [{ count }] = await matching.clone().count({ count: "*" })
    const ids: string[] = (
      await matching.clone().select("id").orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit).offset(page.offset)
    ).map((r: { id: string }) => r.id)
    if (!ids.length) return [[], Number(count)]
    const rows = await this.listOrderflowDespatches({ id: ids }, { take: null }, sharedContext)
    rows.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
    return [rows, Number(count)]
  }

  /** Admin "reset export status": back to pending, attempts cleared. */
  @InjectManager()
  async resetExportItems(
    { entity_type, ids, now }: { entity_type: "product" | "order"; ids?: string[]; now: Date },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    const q = this.knex_(sharedContext)("orderflow_export_item")
      .where({ entity_type })
      .whereNull("deleted_at")
      .whereNot("status", "queued")
      .whereNot("status", "skipped")
    if (ids) q.whereIn("id", ids)
    return q.update({ status: "pending", attempts: 0, next_attempt_at: null, last_error: null, changed_at: now, updated_at: now })
  }

  @InjectTransactionManager()
  protected async updateSettings_(patch: unknown, @MedusaContext() sharedContext: Context = {}) {
    const { stored, inboundPasswordHash } = await this.readStoredSettings_(sharedContext)
    const outcome = applyPatch({ stored, options: this.optionsLayer_, env: this.envLayer_ }, patch)
    if (!outcome.ok) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, outcome.errors.join("; "))
    }
    const next = outcome.stored as Record<string, Record<string, unknown>>
    for (const group of outcome.changedGroups) {
      const value = { ...next[group] }
      if (group === "inbound") {
        const plain = typeof value.password === "string" ? value.password : ""
        delete value.password
        value.passwordHash = plain ? await hashPassword(plain) : inboundPasswordHash
      }
      await this.upsertSetting_(group, value, sharedContext)
    }
  }

  @InjectTransactionManager()
  protected async restoreStoredSettings_(rows: Record<string, unknown>, @MedusaContext() sharedContext: Context = {}) {
    const existing = await this.listOrderflowSettings({}, { take: null }, sharedContext)
    const stale = existing.filter((row) => !(row.key in rows)).map((row) => row.id)
    if (stale.length) await this.deleteOrderflowSettings(stale, sharedContext)
    for (const [key, value] of Object.entries(rows)) {
      await this.upsertSetting_(key, value as Record<string, unknown>, sharedContext)
    }
  }

  @InjectTransactionManager()
  protected async readStoredSettings_(@MedusaContext() sharedContext: Context = {}) {
    const rows = await this.listOrderflowSettings({}, { take: null }, sharedContext)
    const stored: Record<string, Record<string, unknown>> = {}
    let inboundPasswordHash: string | null = null
    for (const row of rows) {
      const value = { ...(row.value as Record<string, unknown>) }
      if (row.key === "inbound") {
        inboundPasswordHash = typeof value.passwordHash === "string" ? value.passwordHash : null
        delete value.passwordHash
      }
      stored[row.key] = value
    }
    return { stored: stored as SettingsPatch, inboundPasswordHash }
  }

  @InjectTransactionManager()
  protected async upsertSetting_(
    key: string,
    value: Record<string, unknown>,
    @MedusaContext() sharedContext: Context = {}
  ) {
    const [existing] = await this.listOrderflowSettings({ key }, { take: 1 }, sharedContext)
    if (existing) {
      await this.updateOrderflowSettings({ id: existing.id, value }, sharedContext)
    } else {
      await this.createOrderflowSettings({ key, value }, sharedContext)
    }
  }

  @InjectTransactionManager()
  protected async cleanLogs_(
    { historyBefore, bodyBefore }: { historyBefore: Date; bodyBefore: Date },
    @MedusaContext() sharedContext: Context = {}
  ) {
    const knex = this.knex_(sharedContext)
    const settled = ["processed", "failed", "duplicate"]
    const exportsDeleted = await knex("orderflow_export").where("created_at", "<", historyBefore).del()
    const importsDeleted = await knex("orderflow_import").where("created_at", "<", historyBefore).del()
    const requestsDeleted = await knex("orderflow_request")
      .whereIn("status", settled)
      .andWhere("received_at", "<", historyBefore)
      .del()
    const exportBodiesCleared = await knex("orderflow_export")
      .where("created_at", "<", bodyBefore)
      .andWhere((q: any) => q.whereNotNull("request_body").orWhereNotNull("response_body"))
      .update({ request_body: null, response_body: null })
    const requestBodiesCleared = await knex("orderflow_request")
      .whereIn("status", settled)
      .andWhere("received_at", "<", bodyBefore)
      .whereNotNull("body")
      .update({ body: null })
    return { exportsDeleted, importsDeleted, requestsDeleted, exportBodiesCleared, requestBodiesCleared }
  }

  /** Knex bound to the current transaction when there is one. */
  protected knex_(sharedContext: { transactionManager?: unknown; manager?: unknown }) {
    const manager = (sharedContext.transactionManager ?? sharedContext.manager) as {
      getTransactionContext(): any
      getKnex(): any
    }
    return manager.getTransactionContext() ?? manager.getKnex()
  }

  async invalidateSettingsCache(): Promise<void> {
    this.settingsCache_ = null
  }
}

export default OrderflowModuleService
