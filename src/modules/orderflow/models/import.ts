import { model } from "@medusajs/framework/utils"
import { CALL_STATUSES, REQUEST_TYPES } from "../../../types/statuses"
import OrderflowImportLine from "./import-line"

/** The report of one processed inbound request (the guide's "import"). */
const OrderflowImport = model
  .define("orderflow_import", {
    id: model.id({ prefix: "ofimp" }).primaryKey(),
    type: model.enum([...REQUEST_TYPES]),
    request_id: model.text(),
    message_seq_id: model.number().nullable(),
    status: model.enum([...CALL_STATUSES]),
    line_count: model.number().default(0),
    applied_count: model.number().default(0),
    stale_count: model.number().default(0),
    unknown_count: model.number().default(0),
    duplicate_count: model.number().default(0),
    failed_count: model.number().default(0),
    duration_ms: model.number().default(0),
    error: model.text().nullable(),
    lines: model.hasMany(() => OrderflowImportLine, { mappedBy: "import" }),
  })
  .cascades({ delete: ["lines"] })
  .indexes([
    { on: ["request_id"], where: "deleted_at IS NULL" },
    { on: ["type", "created_at"], where: "deleted_at IS NULL" },
  ])

export default OrderflowImport
