import { model } from "@medusajs/framework/utils"
import { STOCK_DRIFT_STATUSES } from "../../../types/statuses"

/**
 * A difference the drift report found between OrderFlow's pulled figure and
 * Medusa's level for a SKU at a stock location. At most one open row per
 * SKU and location: a later report updates its figures and `last_seen_at`,
 * `first_seen_at` stays ("since when").
 */
const OrderflowStockDrift = model
  .define("orderflow_stock_drift", {
    id: model.id({ prefix: "ofdrf" }).primaryKey(),
    sku: model.text(),
    site: model.text().nullable(),
    location_id: model.text(),
    inventory_item_id: model.text().nullable(),
    orderflow_qty: model.number(),
    /** OrderFlow's inventory record id for the figure: the accepted line's sequence id. */
    orderflow_inventory_id: model.number(),
    expected_qty: model.number(),
    actual_qty: model.number(),
    status: model.enum([...STOCK_DRIFT_STATUSES]).default("open"),
    first_seen_at: model.dateTime(),
    last_seen_at: model.dateTime(),
    closed_at: model.dateTime().nullable(),
    closed_by: model.text().nullable(),
    /** The inbound request an accept stored (applied by the inventory import). */
    request_id: model.text().nullable(),
  })
  .indexes([
    { on: ["sku", "location_id"], unique: true, where: "status = 'open' AND deleted_at IS NULL" },
    { on: ["status", "first_seen_at"], where: "deleted_at IS NULL" },
  ])

export default OrderflowStockDrift
