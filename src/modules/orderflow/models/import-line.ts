import { model } from "@medusajs/framework/utils"
import { IMPORT_LINE_OUTCOMES } from "../../../types/statuses"
import OrderflowImport from "./import"

/**
 * One SKU of an inventory message, or one item of a despatch, with what was
 * received, what was applied and why.
 */
const OrderflowImportLine = model
  .define("orderflow_import_line", {
    id: model.id({ prefix: "ofiml" }).primaryKey(),
    sku: model.text(),
    source: model.text().nullable(),
    location_id: model.text().nullable(),
    inventory_item_id: model.text().nullable(),
    received_qty: model.number().nullable(),
    seq_id: model.number().nullable(),
    previous_seq_id: model.number().nullable(),
    unsent_order_qty: model.number().nullable(),
    active_cart_qty: model.number().nullable(),
    reserved_qty: model.number().nullable(),
    applied_qty: model.number().nullable(),
    order_id: model.text().nullable(),
    line_item_id: model.text().nullable(),
    fulfillment_id: model.text().nullable(),
    outcome: model.enum([...IMPORT_LINE_OUTCOMES]),
    message: model.text().nullable(),
    import: model.belongsTo(() => OrderflowImport, { mappedBy: "lines" }),
  })
  .indexes([
    { on: ["sku"], where: "deleted_at IS NULL" },
    { on: ["order_id"], where: "deleted_at IS NULL AND order_id IS NOT NULL" },
  ])

export default OrderflowImportLine
