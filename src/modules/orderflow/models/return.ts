import { model } from "@medusajs/framework/utils"
import { RETURN_STATUSES } from "../../../types/statuses"

/**
 * One Medusa return towards OrderFlow (seed 002 "Returns Import"), recorded
 * before it is sent: pending (attempts / next_attempt_at: the one retry
 * policy) → sent → received once OrderFlow applied it; failed when OrderFlow
 * refused it for good; skipped (skip_reason) for orders OrderFlow never had.
 * Its lines are orderflow_return_line rows.
 */
const OrderflowReturn = model
  .define("orderflow_return", {
    id: model.id({ prefix: "ofret" }).primaryKey(),
    return_id: model.text(),
    order_id: model.text(),
    /** The order's externalReference in OrderFlow (return.orderReference). */
    order_reference: model.text().nullable(),
    /** return.authorisation: unique per Medusa return, traceable to it. */
    authorisation: model.text(),
    status: model.enum([...RETURN_STATUSES]).default("pending"),
    skip_reason: model.text().nullable(),
    return_type: model.text().nullable(),
    note: model.text().nullable(),
    /** When the return was requested in Medusa (return.returnDate). */
    requested_at: model.dateTime(),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime().nullable(),
    last_error: model.text().nullable(),
    sent_at: model.dateTime().nullable(),
    /** OrderFlow's id of the applied return that received it, and when. */
    orderflow_return_id: model.text().nullable(),
    received_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["return_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["order_id"], where: "deleted_at IS NULL" },
    { on: ["order_reference", "status"], where: "deleted_at IS NULL" },
    { on: ["status", "next_attempt_at"], where: "deleted_at IS NULL" },
  ])

export default OrderflowReturn
