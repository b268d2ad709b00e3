import { model } from "@medusajs/framework/utils"

/**
 * Scheduler bookkeeping, one row per operation (`product_export`, ...).
 * `last_due_at` is the cron tick the last run served: an operation is due
 * when its cron has a tick after it and not after now.
 */
const OrderflowOperationRun = model
  .define("orderflow_operation_run", {
    id: model.id({ prefix: "ofrun" }).primaryKey(),
    operation: model.text(),
    last_due_at: model.dateTime().nullable(),
    last_started_at: model.dateTime().nullable(),
    last_finished_at: model.dateTime().nullable(),
    last_status: model.text().nullable(),
    last_error: model.text().nullable(),
    last_summary: model.json().nullable(),
    run_count: model.number().default(0),
  })
  .indexes([{ on: ["operation"], unique: true, where: "deleted_at IS NULL" }])

export default OrderflowOperationRun
