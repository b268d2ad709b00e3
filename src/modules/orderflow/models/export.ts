import { model } from "@medusajs/framework/utils"
import { CALL_STATUSES } from "../../../types/statuses"
import OrderflowExportLine from "./export-line"

/**
 * One outbound call to OrderFlow (product/order import, cancel, hold, release,
 * connection test), with the documents exchanged and its per-item outcome.
 */
const OrderflowExport = model
  .define("orderflow_export", {
    id: model.id({ prefix: "ofexp" }).primaryKey(),
    operation: model.text(),
    trigger: model.text().default("schedule"),
    status: model.enum([...CALL_STATUSES]),
    http_status: model.number().nullable(),
    duration_ms: model.number().default(0),
    item_count: model.number().default(0),
    success_count: model.number().default(0),
    duplicate_count: model.number().default(0),
    failure_count: model.number().default(0),
    request_body: model.text().nullable(),
    response_body: model.text().nullable(),
    error: model.text().nullable(),
    lines: model.hasMany(() => OrderflowExportLine, { mappedBy: "export" }),
  })
  .cascades({ delete: ["lines"] })
  .indexes([{ on: ["operation", "created_at"], where: "deleted_at IS NULL" }])

export default OrderflowExport
