import { model } from "@medusajs/framework/utils"

/**
 * One row per settings group (`api`, `inbound`, `productExport`, ...): the
 * merchant's edits from the admin. Defaults live in code (src/lib/settings),
 * so a missing row means "all defaults".
 */
const OrderflowSetting = model
  .define("orderflow_setting", {
    id: model.id({ prefix: "ofset" }).primaryKey(),
    key: model.text(),
    value: model.json(),
  })
  .indexes([{ on: ["key"], unique: true, where: "deleted_at IS NULL" }])

export default OrderflowSetting
