import { Context } from "@medusajs/framework/types"
import { EXPORT_CALL_OPERATIONS, REQUEST_TYPES } from "../../../types"
import { knexOf } from "./context"

/** One hour of GET /admin/orderflow/activity: calls to OrderFlow and messages from it that ended in that hour. */
export type ActivityBucket = {
  /** Start of the hour (UTC). */
  hour: Date
  exports_success: number
  /** Calls that failed as a whole or for some items (status failed or partial). */
  exports_failed: number
  messages_processed: number
  /** Messages that ended as dead letters (failed, or resolved since) or applied with failed lines. */
  messages_failed: number
}

/** Queue depth and age per kind, last contact, last errors and the scheduler's runs (GET /admin/orderflow/health). */
export class HealthRepository {
  /**
   * Per hour, oldest first, the `hours` hours up to and including the one
   * `now` falls in; hours without activity are zeros. One statement: the
   * hours are a series and both logs are counted grouped by hour (epoch
   * arithmetic, so the session's time zone cannot shift a bucket). A call
   * counts in the hour it was recorded (created_at), a message in the hour
   * its processing ended (processed_at); duplicates and messages not yet
   * processed are not counted.
   */
  async activity(now: Date, hours: number, sharedContext: Context): Promise<ActivityBucket[]> {
    const knex = knexOf(sharedContext)
    const result = await knex.raw(
      `WITH buckets AS (
         SELECT to_timestamp((floor(extract(epoch FROM :now::timestamptz) / 3600) - i) * 3600) AS hour
           FROM generate_series(0, :hours::int - 1) AS i
       ),
       span AS (SELECT min(hour) AS since, max(hour) + interval '1 hour' AS until FROM buckets),
       calls AS (
         SELECT to_timestamp(floor(extract(epoch FROM e.created_at) / 3600) * 3600) AS hour,
                count(*) FILTER (WHERE e.status = 'success') AS success,
                count(*) FILTER (WHERE e.status IN ('failed', 'partial')) AS failed
           FROM orderflow_export e, span
          WHERE e.deleted_at IS NULL AND e.operation = ANY(:operations)
            AND e.created_at >= span.since AND e.created_at < span.until
          GROUP BY 1
       ),
       messages AS (
         SELECT to_timestamp(floor(extract(epoch FROM r.processed_at) / 3600) * 3600) AS hour,
                count(*) FILTER (WHERE r.status = 'processed') AS processed,
                count(*) FILTER (WHERE r.status IN ('failed', 'resolved', 'processed_with_errors')) AS failed
           FROM orderflow_request r, span
          WHERE r.deleted_at IS NULL AND r.status IN ('processed', 'failed', 'resolved', 'processed_with_errors')
            AND r.processed_at >= span.since AND r.processed_at < span.until
          GROUP BY 1
       )
       SELECT b.hour,
              coalesce(c.success, 0)::int AS exports_success,
              coalesce(c.failed, 0)::int AS exports_failed,
              coalesce(m.processed, 0)::int AS messages_processed,
              coalesce(m.failed, 0)::int AS messages_failed
         FROM buckets b
         LEFT JOIN calls c ON c.hour = b.hour
         LEFT JOIN messages m ON m.hour = b.hour
        ORDER BY b.hour ASC`,
      { now: now.toISOString(), hours, operations: [...EXPORT_CALL_OPERATIONS] }
    )
    return (result.rows as ActivityBucket[]).map((r) => ({ ...r, hour: new Date(r.hour) }))
  }

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
