import { model } from "@medusajs/framework/utils"

/**
 * The last applied OrderFlow inventory record id per SKU and stock location
 * (seed 000 "Handling Inventory Duplicates"): a line whose sequence id is not
 * greater than this one is stale and is not applied.
 */
const OrderflowInventorySequence = model
  .define("orderflow_inventory_sequence", {
    id: model.id({ prefix: "ofseq" }).primaryKey(),
    sku: model.text(),
    location_id: model.text(),
    seq_id: model.number(),
    request_id: model.text().nullable(),
    applied_at: model.dateTime(),
  })
  .indexes([{ on: ["sku", "location_id"], unique: true, where: "deleted_at IS NULL" }])

export default OrderflowInventorySequence
