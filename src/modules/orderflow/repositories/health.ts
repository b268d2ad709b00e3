import { Context } from "@medusajs/framework/types"
import { REQUEST_TYPES } from "../../../types"
import { knexOf } from "./context"

/** Queue depth and age per kind, last contact, last errors and the scheduler's runs (GET /admin/orderflow/health). */
export class HealthRepository {
  async read(now: Date, sharedContext: Context) {
    const knex = knexOf(sharedContext)
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
    // Messages applied only in part: the newest per type, so a site renamed
    // in OrderFlow shows here instead of stock silently stopping.
    const lastWithErrors = await knex.raw(
      `SELECT DISTINCT ON (type) id, type, message_seq_id, error, processed_at
         FROM orderflow_request
        WHERE status = 'processed_with_errors' AND deleted_at IS NULL
        ORDER BY type, processed_at DESC NULLS LAST, id DESC`
    )
    const runs = await knex("orderflow_operation_run")
      .select("operation", "last_started_at", "last_finished_at", "last_status", "last_error", "last_summary", "run_count")
      .whereNull("deleted_at")
      .orderBy("operation", "asc")
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
    const requests = queue(requestQueues as any[], "type", "oldest_received")
    // Dead letters and part-applied messages are what a monitor watches: always present, 0 when none.
    for (const type of REQUEST_TYPES) {
      requests[type] = { failed: 0, processed_with_errors: 0, ...requests[type] }
    }
    return {
      exports: queue(exportQueues as any[], "entity_type", "oldest_change"),
      requests,
      last_message_from_orderflow: lastMessage,
      last_export_error: lastFailedExport ?? null,
      last_request_error: lastFailedRequest ?? null,
      // Per type; the counts are requests.<type>.processed_with_errors (and .failed for dead letters).
      last_processed_with_errors: Object.fromEntries(
        (lastWithErrors.rows as Array<{ id: string; type: string; message_seq_id: number | null; error: string | null; processed_at: Date | null }>).map((r) => [r.type, r])
      ),
      operations: runs.map((r) => ({
        operation: r.operation as string,
        last_started_at: r.last_started_at as Date | null,
        last_finished_at: r.last_finished_at as Date | null,
        last_status: r.last_status as string | null,
        last_error: r.last_error as string | null,
        last_summary: r.last_summary as Record<string, unknown> | null,
        run_count: Number(r.run_count),
      })),
    }
  }
}
