import { model } from "@medusajs/framework/utils"

/**
 * How one OrderFlow endpoint the store calls is doing (one row per export
 * operation: `product_export`, `order_export`). Whole-call failures are
 * counted here, not on the items: after `retry.circuitThreshold` transient
 * failures in a row the circuit opens (runs send one probe item instead of
 * batches, at most every `retry.circuitProbeSeconds`) and the first success
 * closes it. A permanent failure (refused credentials, wrong URL) blocks the
 * endpoint until the settings are saved again or an admin runs it by hand.
 */
const OrderflowEndpointState = model
  .define("orderflow_endpoint_state", {
    id: model.id({ prefix: "ofep" }).primaryKey(),
    endpoint: model.text(),
    consecutive_failures: model.number().default(0),
    last_failure_at: model.dateTime().nullable(),
    last_failure: model.text().nullable(),
    last_success_at: model.dateTime().nullable(),
    circuit_opened_at: model.dateTime().nullable(),
    blocked_at: model.dateTime().nullable(),
    blocked_reason: model.text().nullable(),
  })
  .indexes([{ on: ["endpoint"], unique: true, where: "deleted_at IS NULL" }])

export default OrderflowEndpointState
