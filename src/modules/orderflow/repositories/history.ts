import { Context } from "@medusajs/framework/types"
import { generateEntityId } from "@medusajs/framework/utils"
import { entityIds } from "./ids"
import { CallStatus, CLEANABLE_REQUEST_STATUSES, ImportLineOutcome, RequestStatus, RequestType } from "../../../types"
import { knexOf } from "./context"
import { ExportItemOutcome } from "./export-queue"

/**
 * The history the admin shows: import reports with their lines and the
 * despatches applied (inbound), one record per call to OrderFlow with its
 * per-item lines (outbound), and their cleaning.
 */

export type ImportLineRecord = {
  sku: string
  outcome: ImportLineOutcome
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
  type: RequestType
  message_seq_id: number | null
  status: CallStatus
  duration_ms: number
  error?: string | null
  lines: ImportLineRecord[]
  /** A message rejected for good is recorded and its request marked failed (default processed); a parcel already applied, duplicate. */
  request_status?: Extract<RequestStatus, "processed" | "failed" | "duplicate">
  /** With request_status duplicate: the request that applied the parcel. */
  duplicate_of_id?: string | null
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

/** A kit line's component progress from one despatch: its open rows closed by `fulfillment_id` when `close`, then `add` written open. */
export type KitComponentWrite = {
  order_id: string
  line_item_id: string
  request_id: string
  tracking_numbers: string[]
  close: boolean
  fulfillment_id: string | null
  add: Array<{ sku: string; quantity: number }>
}

/** One outbound call as a whole. */
export type ExportCallRecord = {
  operation: string
  trigger: string
  status: CallStatus
  http_status?: number | null
  duration_ms: number
  request_body?: string | null
  response_body?: string | null
  error?: string | null
}

export type LogCleaningWindow = { historyBefore: Date; bodyBefore: Date }

export class HistoryRepository {
  /** Writes the import reports (and their lines) and the despatches; returns each request's import id. */
  async recordImports(
    { imports, despatches, now }: { imports: RecordImportInput[]; despatches: DespatchRecord[]; now: Date },
    sharedContext: Context
  ): Promise<Array<{ request_id: string; import_id: string }>> {
    const knex = knexOf(sharedContext)
    const recorded: Array<{ request_id: string; import_id: string }> = []
    const lineRows: Record<string, unknown>[] = []
    const importRows: Record<string, unknown>[] = []
    for (const { request_id, type, message_seq_id, status, duration_ms, error, lines } of imports) {
      const importId = generateEntityId(undefined, "ofimp")
      recorded.push({ request_id, import_id: importId })
      const count = (outcome: ImportLineOutcome) => lines.filter((l) => l.outcome === outcome).length
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
      const lineIds = entityIds("ofiml", lines.length)
      for (const [n, l] of lines.entries()) {
        lineRows.push({
          id: lineIds[n],
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
    // Every line in one statement, whatever the count: one JSON parameter
    // expanded by PostgreSQL into rows of the table's own type (columns left
    // out are NULL), instead of thousands of bind parameters built by knex.
    if (lineRows.length) {
      await knex.raw(`INSERT INTO orderflow_import_line SELECT * FROM json_populate_recordset(NULL::orderflow_import_line, ?::json)`, [JSON.stringify(lineRows)])
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
    return recorded
  }

  /** Closes and adds kit component progress rows (set-based, in the caller's transaction). */
  async recordKitComponents(writes: KitComponentWrite[], now: Date, sharedContext: Context): Promise<void> {
    if (!writes.length) return
    const knex = knexOf(sharedContext)
    for (const w of writes.filter((w) => w.close)) {
      await knex("orderflow_kit_component")
        .where({ line_item_id: w.line_item_id })
        .whereNull("fulfillment_id")
        .whereNull("deleted_at")
        .update({ fulfillment_id: w.fulfillment_id ?? "closed", updated_at: now })
    }
    const rows = writes.flatMap((w) =>
      w.add.map((a) => ({
        id: generateEntityId(undefined, "ofkit"),
        order_id: w.order_id,
        line_item_id: w.line_item_id,
        sku: a.sku,
        quantity: a.quantity,
        request_id: w.request_id,
        tracking_numbers: JSON.stringify(w.tracking_numbers),
        fulfillment_id: null,
        created_at: now,
        updated_at: now,
      }))
    )
    if (rows.length) await knex("orderflow_kit_component").insert(rows)
  }

  /**
   * One call and its per-item lines as rows of orderflow_export and
   * orderflow_export_line (written by ExportQueueRepository.settleAndRecord,
   * in the same statement as the items' settlement).
   */
  exportRows({ record, outcomes, now }: { record: ExportCallRecord; outcomes: ExportItemOutcome[]; now: Date }) {
    const exportId = generateEntityId(undefined, "ofexp")
    const count = (o: ExportItemOutcome["outcome"]) => outcomes.filter((x) => x.outcome === o).length
    const exportRow = {
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
    }
    const lineIds = entityIds("ofexl", outcomes.length)
    const lineRows = outcomes.map((o, n) => ({
      id: lineIds[n],
      export_id: exportId,
      reference: o.reference,
      entity_id: o.entity_id ?? null,
      outcome: o.line_outcome ?? o.outcome,
      message: o.message ? o.message.slice(0, 2000) : null,
      detail: o.detail ? o.detail.slice(0, 4000) : null,
      created_at: now,
      updated_at: now,
    }))
    return { exportId, exportRow, lineRows }
  }

  /**
   * The ids of one page of despatches, newest first, and how many match
   * (GET /admin/orderflow/despatches). `q` matches a tracking number or the
   * order reference, case-insensitively and as a substring, with LIKE's
   * wildcards taken literally; tracking numbers live in a JSON array, so the
   * match is done here in SQL.
   */
  async findDespatchIds(
    filters: { order_id?: string; q?: string },
    page: { limit: number; offset: number },
    sharedContext: Context
  ): Promise<{ ids: string[]; count: number }> {
    const matching = knexOf(sharedContext)("orderflow_despatch").whereNull("deleted_at")
    if (filters.order_id) matching.where("order_id", filters.order_id)
    if (filters.q) {
      const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      matching.where((w) =>
        w
          .whereRaw(
            "jsonb_typeof(tracking_numbers) = 'array' and exists (select 1 from jsonb_array_elements_text(tracking_numbers) t where t ilike ?)",
            [pattern]
          )
          .orWhere("order_reference", "ilike", pattern)
      )
    }
    const [{ count }] = await matching.clone().count({ count: "*" })
    const rows: Array<{ id: string }> = await matching.clone().select("id").orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit).offset(page.offset)
    return { ids: rows.map((r) => r.id), count: Number(count) }
  }

  /**
   * History older than `historyBefore` is deleted (lines go with their
   * import/export through the foreign keys' cascade); bodies older than
   * `bodyBefore` are dropped. Requests not yet settled are never touched:
   * deleting one would lose a message OrderFlow believes delivered; nor are
   * failed ones (dead letters) until resolved.
   */
  async cleanLogs({ historyBefore, bodyBefore }: LogCleaningWindow, sharedContext: Context) {
    const knex = knexOf(sharedContext)
    // Failed requests are dead letters: stock or a despatch that never
    // reached the store. They keep their body and import report until an
    // admin resolves (or deletes) them; only then do they age out.
    const settled = [...CLEANABLE_REQUEST_STATUSES]
    const exportsDeleted = await knex("orderflow_export").where("created_at", "<", historyBefore).del()
    const importsDeleted = await knex("orderflow_import")
      .where("created_at", "<", historyBefore)
      .whereNotExists(
        knex("orderflow_request as r").select(knex.raw("1")).whereRaw("r.id = orderflow_import.request_id").where("r.status", "failed").whereNull("r.deleted_at")
      )
      .del()
    // The first request of each type and kind stays as it came (README "Check the first pushes").
    const requestsDeleted = await knex("orderflow_request")
      .whereIn("status", settled)
      .andWhere("received_at", "<", historyBefore)
      .andWhere("first_of_kind", false)
      .del()
    const exportBodiesCleared = await knex("orderflow_export")
      .where("created_at", "<", bodyBefore)
      .andWhere((q) => q.whereNotNull("request_body").orWhereNotNull("response_body"))
      .update({ request_body: null, response_body: null })
    const requestBodiesCleared = await knex("orderflow_request")
      .whereIn("status", settled)
      .andWhere("received_at", "<", bodyBefore)
      .andWhere("first_of_kind", false)
      .whereNotNull("body")
      .update({ body: null })
    // Applied-returns pulls age out too, except the last successful one: the
    // next pull's window starts from it.
    const lastPull = knex("orderflow_return_pull").select("id").where("status", "success").whereNull("deleted_at").orderBy([{ column: "to_at", order: "desc" }, { column: "id", order: "desc" }]).limit(1)
    const returnPullsDeleted = await knex("orderflow_return_pull").where("created_at", "<", historyBefore).whereNotIn("id", lastPull).del()
    // Despatch poll pulls likewise (the last successful one anchors the next window).
    const lastDespatchPull = knex("orderflow_despatch_pull").select("id").where("status", "success").whereNull("deleted_at").orderBy([{ column: "to_at", order: "desc" }, { column: "id", order: "desc" }]).limit(1)
    const despatchPullsDeleted = await knex("orderflow_despatch_pull").where("created_at", "<", historyBefore).whereNotIn("id", lastDespatchPull).del()
    // Settled drift-report differences age out; ignored ones stay, as they keep the same difference from opening again.
    const stockDriftDeleted = await knex("orderflow_stock_drift").whereIn("status", ["accepted", "resolved"]).where("closed_at", "<", historyBefore).del()
    return { exportsDeleted, importsDeleted, requestsDeleted, exportBodiesCleared, requestBodiesCleared, returnPullsDeleted, despatchPullsDeleted, stockDriftDeleted }
  }
}
