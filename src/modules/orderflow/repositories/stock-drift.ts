import { Context } from "@medusajs/framework/types"
import type { StockDifference } from "../../../lib/inventory/stock-drift"
import { knexOf } from "./context"
import { entityIds } from "./ids"

/**
 * The drift report's differences (table orderflow_stock_drift): one open row
 * per SKU and location while OrderFlow and Medusa disagree.
 */

export type StockDriftRow = {
  id: string
  sku: string
  site: string | null
  location_id: string
  inventory_item_id: string | null
  orderflow_qty: number
  orderflow_inventory_id: number
  expected_qty: number
  actual_qty: number
  status: string
  first_seen_at: Date
  last_seen_at: Date
}

export type RecordStockDriftInput = {
  differences: StockDifference[]
  /** Every SKU and location compared in this report: open rows among them that no longer differ are resolved. */
  compared: Array<{ sku: string; location_id: string }>
  now: Date
}

const CHUNK = 1000

export class StockDriftRepository {
  /**
   * Upserts the differences (a row already open keeps its first_seen_at and
   * takes the new figures) and resolves the open rows of compared SKUs that
   * now agree. The partial unique index makes two reports at once converge
   * on one open row per SKU and location.
   */
  async record({ differences: found, compared, now }: RecordStockDriftInput, sharedContext: Context): Promise<{ open: number; resolved: number; ignored: number }> {
    const knex = knexOf(sharedContext)
    const differences = await this.withoutIgnored(found, sharedContext)
    const ids = entityIds("ofdrf", differences.length)
    for (let i = 0; i < differences.length; i += CHUNK) {
      const rows = differences.slice(i, i + CHUNK).map((d, n) => ({
        id: ids[i + n],
        sku: d.sku,
        site: d.site,
        location_id: d.location_id,
        inventory_item_id: d.inventory_item_id,
        orderflow_qty: d.orderflow_qty,
        orderflow_inventory_id: d.orderflow_inventory_id,
        expected_qty: d.expected_qty,
        actual_qty: d.actual_qty,
        status: "open",
        first_seen_at: now,
        last_seen_at: now,
        created_at: now,
        updated_at: now,
      }))
      await knex.raw(
        `${knex("orderflow_stock_drift").insert(rows).toQuery()}
         ON CONFLICT (sku, location_id) WHERE status = 'open' AND deleted_at IS NULL
         DO UPDATE SET site = EXCLUDED.site, inventory_item_id = EXCLUDED.inventory_item_id,
           orderflow_qty = EXCLUDED.orderflow_qty, orderflow_inventory_id = EXCLUDED.orderflow_inventory_id,
           expected_qty = EXCLUDED.expected_qty, actual_qty = EXCLUDED.actual_qty,
           last_seen_at = EXCLUDED.last_seen_at, updated_at = EXCLUDED.updated_at`
      )
    }
    const differing = new Set(differences.map((d) => `${d.sku}\u0000${d.location_id}`))
    const agreeing = compared.filter((c) => !differing.has(`${c.sku}\u0000${c.location_id}`))
    let resolved = 0
    for (let i = 0; i < agreeing.length; i += CHUNK) {
      const part = agreeing.slice(i, i + CHUNK)
      const result = await knex.raw(
        `UPDATE orderflow_stock_drift d SET status = 'resolved', closed_at = :now, closed_by = 'matched', updated_at = :now
         FROM unnest(:skus::text[], :locations::text[]) AS c(sku, location_id)
         WHERE d.sku = c.sku AND d.location_id = c.location_id AND d.status = 'open' AND d.deleted_at IS NULL`,
        { now, skus: part.map((c) => c.sku), locations: part.map((c) => c.location_id) }
      )
      resolved += result.rowCount ?? 0
    }
    const [{ count }] = await knex("orderflow_stock_drift").where({ status: "open" }).whereNull("deleted_at").count({ count: "*" })
    return { open: Number(count), resolved, ignored: found.length - differences.length }
  }

  /** Differences an admin ignored already, unchanged since (same OrderFlow record, same Medusa figure), are left out. */
  private async withoutIgnored(differences: StockDifference[], sharedContext: Context): Promise<StockDifference[]> {
    if (!differences.length) return differences
    const knex = knexOf(sharedContext)
    const ignored = new Set<string>()
    const key = (r: { sku: string; location_id: string; orderflow_inventory_id: number; actual_qty: number }) =>
      `${r.sku}\u0000${r.location_id}\u0000${Number(r.orderflow_inventory_id)}\u0000${Number(r.actual_qty)}`
    for (let i = 0; i < differences.length; i += CHUNK) {
      const rows = await knex("orderflow_stock_drift")
        .select("sku", "location_id", "orderflow_inventory_id", "actual_qty")
        .where({ status: "ignored" })
        .whereIn("sku", [...new Set(differences.slice(i, i + CHUNK).map((d) => d.sku))])
        .whereNull("deleted_at")
      for (const r of rows) ignored.add(key(r))
    }
    return ignored.size ? differences.filter((d) => !ignored.has(key(d))) : differences
  }

  /**
   * Closes open rows (accepted or ignored) and returns them; rows already
   * closed are left alone, so two admins accepting at once store one message.
   * Without ids: every open row.
   */
  async close(
    { ids, status, by, now, requestId }: { ids: string[] | null; status: "accepted" | "ignored"; by: string | null; now: Date; requestId?: string | null },
    sharedContext: Context
  ): Promise<StockDriftRow[]> {
    const knex = knexOf(sharedContext)
    const query = knex("orderflow_stock_drift").where({ status: "open" }).whereNull("deleted_at")
    if (ids) query.whereIn("id", ids)
    return query
      .update({ status, closed_at: now, closed_by: by, request_id: requestId ?? null, updated_at: now })
      .returning(["id", "sku", "site", "location_id", "inventory_item_id", "orderflow_qty", "orderflow_inventory_id", "expected_qty", "actual_qty", "status", "first_seen_at", "last_seen_at"])
  }

  /** Links closed rows to the request their accept stored. */
  async linkRequest(ids: string[], requestId: string, sharedContext: Context): Promise<void> {
    if (!ids.length) return
    await knexOf(sharedContext)("orderflow_stock_drift").whereIn("id", ids).update({ request_id: requestId })
  }

  async openCount(sharedContext: Context): Promise<number> {
    const [{ count }] = await knexOf(sharedContext)("orderflow_stock_drift").where({ status: "open" }).whereNull("deleted_at").count({ count: "*" })
    return Number(count)
  }
}
