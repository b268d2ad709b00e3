import { model } from "@medusajs/framework/utils"
import { EXPORT_LINE_OUTCOMES } from "../../../types/statuses"
import OrderflowExport from "./export"

/** The outcome of one item of an outbound call, as OrderFlow reported it. */
const OrderflowExportLine = model
  .define("orderflow_export_line", {
    id: model.id({ prefix: "ofexl" }).primaryKey(),
    reference: model.text(),
    entity_id: model.text().nullable(),
    outcome: model.enum([...EXPORT_LINE_OUTCOMES]),
    message: model.text().nullable(),
    detail: model.text().nullable(),
    export: model.belongsTo(() => OrderflowExport, { mappedBy: "lines" }),
  })
  .indexes([{ on: ["reference"], where: "deleted_at IS NULL" }])

export default OrderflowExportLine
