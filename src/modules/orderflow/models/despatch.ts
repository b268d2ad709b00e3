import { model } from "@medusajs/framework/utils"

/**
 * A despatch notification applied to an order: the Medusa fulfilment it
 * became, its tracking numbers, and whether the customer was told.
 */
const OrderflowDespatch = model
  .define("orderflow_despatch", {
    id: model.id({ prefix: "ofdsp" }).primaryKey(),
    request_id: model.text(),
    order_id: model.text(),
    order_reference: model.text(),
    fulfillment_id: model.text().nullable(),
    tracking_numbers: model.json().nullable(),
    courier_name: model.text().nullable(),
    service_name: model.text().nullable(),
    date_shipped: model.dateTime().nullable(),
    comment: model.text().nullable(),
    notified_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["request_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["order_id"], where: "deleted_at IS NULL" },
  ])

export default OrderflowDespatch
