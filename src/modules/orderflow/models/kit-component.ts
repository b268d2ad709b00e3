import { model } from "@medusajs/framework/utils"

/**
 * Components of a kit line item despatched in a parcel that completed no
 * whole kit unit (issue 14): one row per parcel, order line and component
 * SKU, with the parcel's tracking numbers. Open (fulfillment_id null) rows
 * are the kit line's progress; the despatch that completes kit units closes
 * them with its fulfilment (whose labels carry their tracking numbers) and
 * carries any component units left over in a new open row.
 */
const OrderflowKitComponent = model
  .define("orderflow_kit_component", {
    id: model.id({ prefix: "ofkit" }).primaryKey(),
    order_id: model.text(),
    line_item_id: model.text(),
    sku: model.text(),
    quantity: model.number(),
    request_id: model.text(),
    tracking_numbers: model.json().nullable(),
    fulfillment_id: model.text().nullable(),
  })
  .indexes([
    { on: ["order_id"], where: "deleted_at IS NULL AND fulfillment_id IS NULL" },
    // Every despatch asks whether its own message already wrote rows (a retried
    // message), and a completing one closes a line's open rows: without these,
    // both scan every row ever written, closed ones included.
    { on: ["request_id"], where: "deleted_at IS NULL" },
    { on: ["line_item_id"], where: "deleted_at IS NULL AND fulfillment_id IS NULL" },
  ])

export default OrderflowKitComponent
