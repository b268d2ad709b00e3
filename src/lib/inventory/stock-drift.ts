import type { InventoryLine } from "../inbound/types"
import { levelKey, type PlannedLine } from "./inventory-plan"
import type { PulledStock } from "./inventory-pull"

/**
 * The drift report (issue 15): OrderFlow's pulled figure for a SKU and site
 * is planned exactly as a pushed line would be (same unsent-order and cart
 * adjustment, same site mapping), then compared with what Medusa sells at
 * that location now. A difference means Medusa's level was changed behind
 * the plugin's back, or a push was lost.
 */

export type StockDifference = {
  sku: string
  site: string | null
  location_id: string
  inventory_item_id: string
  orderflow_qty: number
  orderflow_inventory_id: number
  /** The available quantity the import would set from OrderFlow's figure. */
  expected_qty: number
  /** Medusa's available quantity at the location now (stocked − reserved; 0 without a level). */
  actual_qty: number
}

export type StockComparison = {
  differences: StockDifference[]
  /** Lines compared and found equal. */
  matching: number
  /** Pulled SKUs Medusa does not stock, or whose site maps to no location: not drift, nothing to compare. */
  skipped: number
}

/**
 * The pulled rows as the lines of an inventory message. `lastOrderExported`
 * is the pull's own time: OrderFlow's figure counts every order it had when
 * it answered.
 */
export function pulledAsLines(rows: readonly PulledStock[], pulledAt: Date): InventoryLine[] {
  const at = pulledAt.toISOString()
  return rows.map((r, index) => ({ index, sku: r.sku, qty: r.available, seq: r.inventoryId, source: r.site, lastOrderExported: at }))
}

/**
 * Compares the planned lines (planned without stored sequence ids, so none
 * is stale) with Medusa's levels. Pure: no clock, no database.
 */
export function compareStock(planned: readonly PlannedLine[], levels: ReadonlyMap<string, { stocked: number; reserved: number }>): StockComparison {
  const differences: StockDifference[] = []
  let matching = 0
  let skipped = 0
  for (const line of planned) {
    if (line.outcome !== "applied" || line.appliedQty === null || !line.locationId || !line.inventoryItemId) {
      skipped++
      continue
    }
    const level = levels.get(levelKey(line.inventoryItemId, line.locationId))
    const actual = level ? level.stocked - level.reserved : 0
    if (actual === line.appliedQty) {
      matching++
      continue
    }
    differences.push({
      sku: line.sku,
      site: line.source,
      location_id: line.locationId,
      inventory_item_id: line.inventoryItemId,
      orderflow_qty: line.receivedQty,
      orderflow_inventory_id: line.seq,
      expected_qty: line.appliedQty,
      actual_qty: actual,
    })
  }
  return { differences, matching, skipped }
}
