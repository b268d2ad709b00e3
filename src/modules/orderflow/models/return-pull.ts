import { model } from "@medusajs/framework/utils"
import { CALL_STATUSES } from "../../../types/statuses"

/**
 * One applied.xml call: its window (from inclusive, to exclusive), outcome
 * and what it found. The next pull starts at the last successful pull's
 * `to_at` minus the overlap.
 */
const OrderflowReturnPull = model
  .define("orderflow_return_pull", {
    id: model.id({ prefix: "ofrpl" }).primaryKey(),
    from_at: model.dateTime(),
    to_at: model.dateTime(),
    status: model.enum([...CALL_STATUSES]),
    http_status: model.number().nullable(),
    duration_ms: model.number().nullable(),
    return_count: model.number().default(0),
    received_count: model.number().default(0),
    unmatched_count: model.number().default(0),
    failed_count: model.number().default(0),
    error: model.text().nullable(),
  })
  .indexes([{ on: ["status", "to_at"], where: "deleted_at IS NULL" }])

export default OrderflowReturnPull
