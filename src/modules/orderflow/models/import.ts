import { model } from "@medusajs/framework/utils"
import OrderflowImportLine from "./import-line"

/** The report of one processed inbound request (the guide's "import"). */
const OrderflowImport = model
  .define("orderflow_import", {
    id: model.id({ prefix: "ofimp" }).primaryKey(),
    type: model.enum(["inventory", "shipment"]),
    request_id: model.text(),
    message_seq_id: model.number().nullable(),
    status: model.enum(["success", "partial", "failed"]),
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
