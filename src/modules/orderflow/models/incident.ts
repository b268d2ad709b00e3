import { model } from "@medusajs/framework/utils"
import { INCIDENT_KINDS, INCIDENT_STATUSES } from "../../../types/statuses"

/**
 * One incident: a cause that needs a person (OrderFlow unreachable, refused
 * credentials, items failing for good with the same message). It is alerted
 * once when it opens; while it stays open, more occurrences only count. At
 * most one open incident per `key` (operation + class + cause).
 */
const OrderflowIncident = model
  .define("orderflow_incident", {
    id: model.id({ prefix: "ofinc" }).primaryKey(),
    key: model.text(),
    operation: model.text(),
    kind: model.enum([...INCIDENT_KINDS]),
    status: model.enum([...INCIDENT_STATUSES]).default("open"),
    title: model.text(),
    description: model.text(),
    occurrences: model.number().default(1),
    opened_at: model.dateTime(),
    last_seen_at: model.dateTime(),
    closed_at: model.dateTime().nullable(),
    closed_by: model.text().nullable(),
  })
  .indexes([
    { on: ["key"], unique: true, where: "status = 'open' AND deleted_at IS NULL" },
    { on: ["status", "opened_at"], where: "deleted_at IS NULL" },
  ])

export default OrderflowIncident
