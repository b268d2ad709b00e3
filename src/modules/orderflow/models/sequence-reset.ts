import { model } from "@medusajs/framework/utils"
import { SEQUENCE_RESET_SCOPES } from "../../../types/statuses"

/**
 * History of admin sequence resets (issue 15): which stored per-SKU/location
 * sequence ids were cleared, by whom and why, so the next stock update for
 * them is applied whatever its id. Kept like the import history.
 */
const OrderflowSequenceReset = model
  .define("orderflow_sequence_reset", {
    id: model.id({ prefix: "ofsrs" }).primaryKey(),
    scope: model.enum([...SEQUENCE_RESET_SCOPES]),
    sku: model.text().nullable(),
    location_id: model.text().nullable(),
    cleared_count: model.number().default(0),
    /** The highest id cleared, to compare with what OrderFlow sends next. */
    highest_seq_id: model.number().nullable(),
    reset_by: model.text().nullable(),
    reason: model.text().nullable(),
  })
  .indexes([{ on: ["created_at"], where: "deleted_at IS NULL" }])

export default OrderflowSequenceReset
