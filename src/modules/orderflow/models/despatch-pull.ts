import { model } from "@medusajs/framework/utils"
import { CALL_STATUSES } from "../../../types/statuses"

/**
 * One despatches.xml call of the poll backstop (operation shipment_poll):
 * its window (from inclusive, to exclusive), outcome and what it found. The
 * next pull starts at the last successful pull's `to_at` minus the overlap;
 * a failed pull leaves that anchor where it was.
 */
const OrderflowDespatchPull = model
  .define("orderflow_despatch_pull", {
    id: model.id({ prefix: "ofdpl" }).primaryKey(),
    from_at: model.dateTime(),
    to_at: model.dateTime(),
    status: model.enum([...CALL_STATUSES]),
    http_status: model.number().nullable(),
    duration_ms: model.number().nullable(),
    /** Despatched shipments in the answer. */
    shipment_count: model.number().default(0),
    /** Stored as new despatch messages (the store had not heard of them). */
    stored_count: model.number().default(0),
    /** Already known (pushed or pulled before): nothing stored. */
    known_count: model.number().default(0),
    /** Without lines or not despatched: nothing to apply. */
    skipped_count: model.number().default(0),
    error: model.text().nullable(),
  })
  .indexes([{ on: ["status", "to_at"], where: "deleted_at IS NULL" }])

export default OrderflowDespatchPull
