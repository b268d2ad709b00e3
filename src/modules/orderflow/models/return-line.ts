import { model } from "@medusajs/framework/utils"

/**
 * One returnLine.N of a return sent to OrderFlow, and what came back for it:
 * received_quantity (restocked) and damaged_quantity (received, not
 * restocked) once OrderFlow applied the return, with the condition it
 * recorded.
 */
const OrderflowReturnLine = model
  .define("orderflow_return_line", {
    id: model.id({ prefix: "ofrtl" }).primaryKey(),
    return_record_id: model.text(),
    line_number: model.number(),
    /** The Medusa order line item (what Medusa's receive workflows take). */
    item_id: model.text(),
    sku: model.text(),
    quantity: model.number(),
    medusa_reason: model.text().nullable(),
    reason: model.text(),
    condition: model.text(),
    received_quantity: model.number().default(0),
    damaged_quantity: model.number().default(0),
    applied_condition: model.text().nullable(),
  })
  .indexes([{ on: ["return_record_id", "line_number"], unique: true, where: "deleted_at IS NULL" }])

export default OrderflowReturnLine
