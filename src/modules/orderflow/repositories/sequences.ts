import { Context } from "@medusajs/framework/types"
import { entityIds } from "./ids"
import { knexOf } from "./context"

/**
 * The last applied OrderFlow inventory sequence id per (sku, location)
 * (table orderflow_inventory_sequence): a line not newer than it is stale.
 */

export type InventorySequence = { sku: string; location_id: string; seq_id: number }

export type SequenceWrite = { sku: string; location_id: string; seq_id: number; request_id?: string }

export class SequencesRepository {
  async list(skus: string[], locationIds: string[], sharedContext: Context): Promise<InventorySequence[]> {
    if (!skus.length || !locationIds.length) return []
    return knexOf(sharedContext)("orderflow_inventory_sequence")
      .select("sku", "location_id", "seq_id")
      .whereIn("sku", skus)
      .whereIn("location_id", locationIds)
      .whereNull("deleted_at")
  }

  /**
   * Upserts the new sequence ids. The WHERE on the update makes them only
   * move forward, so a replayed or out-of-order message can never lower one,
   * even when two workers write the same SKU at once.
   */
  async advance(
    writes: SequenceWrite[],
    { now, requestId }: { now: Date; requestId: string | null },
    sharedContext: Context
  ): Promise<void> {
    if (!writes.length) return
    const knex = knexOf(sharedContext)
    const ids = entityIds("ofseq", writes.length)
    const rows = writes.map((w, n) => ({
      id: ids[n],
      sku: w.sku,
      location_id: w.location_id,
      seq_id: w.seq_id,
      request_id: w.request_id ?? requestId,
      applied_at: now,
      created_at: now,
      updated_at: now,
    }))
    // One statement for every row: a JSON parameter expanded by PostgreSQL
    // into rows of the table's type (no SQL text built from the values).
    await knex.raw(
      `INSERT INTO orderflow_inventory_sequence (id, sku, location_id, seq_id, request_id, applied_at, created_at, updated_at)
       SELECT id, sku, location_id, seq_id, request_id, applied_at, created_at, updated_at
         FROM json_populate_recordset(NULL::orderflow_inventory_sequence, ?::json)
       ON CONFLICT (sku, location_id) WHERE deleted_at IS NULL
       DO UPDATE SET seq_id = EXCLUDED.seq_id, request_id = EXCLUDED.request_id,
                     applied_at = EXCLUDED.applied_at, updated_at = EXCLUDED.updated_at
       WHERE orderflow_inventory_sequence.seq_id < EXCLUDED.seq_id`,
      [JSON.stringify(rows)]
    )
  }

  /**
   * Deletes the stored ids the filter names (all without one) and returns
   * them, so the caller can record what was cleared and restore it if the
   * rest of its work fails. Set-based: resetting 20k SKUs is one statement.
   */
  async reset(filter: { sku?: string; location_id?: string }, sharedContext: Context): Promise<ClearedSequence[]> {
    const knex = knexOf(sharedContext)
    const query = knex("orderflow_inventory_sequence").whereNull("deleted_at")
    if (filter.sku !== undefined) query.where("sku", filter.sku)
    if (filter.location_id !== undefined) query.where("location_id", filter.location_id)
    const rows = await query.delete().returning(["sku", "location_id", "seq_id", "request_id"])
    return rows.map((r: any) => ({ sku: r.sku, location_id: r.location_id, seq_id: Number(r.seq_id), request_id: r.request_id ?? null }))
  }
}

export type ClearedSequence = { sku: string; location_id: string; seq_id: number; request_id: string | null }
