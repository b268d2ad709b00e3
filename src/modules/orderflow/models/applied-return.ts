import { model } from "@medusajs/framework/utils"
import { APPLIED_RETURN_STATUSES } from "../../../types/statuses"

/**
 * An applied return read from OrderFlow (seed 002 "Applied Returns Per Time
 * Period"), recorded under OrderFlow's return id (unique) before anything is
 * done with it, so that overlapping pulls process it once: received (the
 * Medusa return's items were received), unmatched (no return we sent fits;
 * alerted once), failed (Medusa refused the receipt; error kept).
 */
const OrderflowAppliedReturn = model
  .define("orderflow_applied_return", {
    id: model.id({ prefix: "ofapr" }).primaryKey(),
    orderflow_id: model.text(),
    status: model.enum([...APPLIED_RETURN_STATUSES]),
    order_reference: model.text().nullable(),
    originating_order_reference: model.text().nullable(),
    /** OrderFlow's completed time as it wrote it (yyyy-MM-dd HH:mm:ss, OrderFlow's zone). */
    completed: model.text().nullable(),
    line_count: model.number().default(0),
    total_quantity: model.number().default(0),
    /** The lines as OrderFlow sent them, e.g. "TEE-M×2 (As new); MUG×1 (Product damaged (irreparable))". */
    lines_text: model.text().nullable(),
    return_record_id: model.text().nullable(),
    order_id: model.text().nullable(),
    return_id: model.text().nullable(),
    restocked_quantity: model.number().default(0),
    damaged_quantity: model.number().default(0),
    error: model.text().nullable(),
  })
  .indexes([
    { on: ["orderflow_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["return_record_id"], where: "deleted_at IS NULL" },
  ])

export default OrderflowAppliedReturn
