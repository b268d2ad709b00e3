import {
  completeOrderWorkflow,
  createOrderFulfillmentWorkflow,
  createOrderShipmentWorkflow,
  updateFulfillmentStep,
} from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireStockLocksStep, releaseStockLocksStep } from "../common/stock-locks"
import { ImportShipmentInput, prepareDespatchStep, PreparedDespatch } from "./prepare-despatch-step"
import { recordDespatchStep, ShipmentImportOutcome } from "./record-despatch-step"

/** The part of the despatch this run fulfils or ships, if any. */
const partOf = (prepared: PreparedDespatch) => (prepared.current >= 0 ? prepared.parts[prepared.current] : null)

/**
 * Applies one stored despatch notification (seed 000 "Shipment Import"):
 * a fulfilment, under the stock level locks it shares with inventory import,
 * at the right stock location through Medusa's order
 * fulfilment workflow, marked shipped through the shipment workflow with one
 * label per tracking number, the warehouse's ship date, the order completed
 * when nothing is left to ship, then the record. Only the shipment may
 * notify the customer (one email per parcel). Rejected despatches change nothing in the order and are only recorded.
 */
export const importShipmentWorkflow = createWorkflow("orderflow-import-shipment", (input: ImportShipmentInput) => {
  const prepared = prepareDespatchStep(input)
  // Held over the fulfilment only, the one write of stock levels (stocked and reserved); empty when nothing is fulfilled.
  const locks = acquireStockLocksStep(transform({ prepared }, ({ prepared }) => ({ keys: prepared.lock_keys })))

  const created = when("orderflow-despatch-fulfils", { prepared }, ({ prepared }) => !!partOf(prepared) && !partOf(prepared)!.fulfillment_id).then(() => {
    const fulfillmentInput = transform({ prepared }, ({ prepared }) => ({
      order_id: prepared.plan.orderId!,
      items: partOf(prepared)!.items,
      location_id: partOf(prepared)!.location_id,
      // The customer hears once per parcel, on the shipment (below), never on the fulfilment.
      no_notification: true,
      metadata: prepared.metadata,
    }))
    return createOrderFulfillmentWorkflow.runAsStep({ input: fulfillmentInput })
  })
  // Released at once, not after the record: despatches of orders sharing SKUs
  // (most of them) would otherwise wait for each other's shipment and record
  // too, and the lanes would run one at a time. Nothing after this changes stock.
  releaseStockLocksStep(locks)
  const fulfillmentId = transform({ prepared, created }, ({ prepared, created }) => created?.id ?? partOf(prepared)?.fulfillment_id ?? null)

  when("orderflow-despatch-ships", { prepared }, ({ prepared }) => !!partOf(prepared) && !partOf(prepared)!.shipped).then(() => {
    const shipmentInput = transform({ prepared, fulfillmentId }, ({ prepared, fulfillmentId }) => ({
      order_id: prepared.plan.orderId!,
      fulfillment_id: fulfillmentId!,
      items: partOf(prepared)!.items,
      labels: prepared.labels,
      // One parcel split over stock locations is several fulfilments: only the first part's shipment may notify.
      no_notification: prepared.no_notification || prepared.current > 0,
      metadata: prepared.metadata,
    }))
    createOrderShipmentWorkflow.runAsStep({ input: shipmentInput })
  })

  when("orderflow-despatch-date", { prepared }, ({ prepared }) => !!partOf(prepared) && !partOf(prepared)!.shipped && !!prepared.shipped_at).then(() => {
    const update = transform({ prepared, fulfillmentId }, ({ prepared, fulfillmentId }) => ({
      id: fulfillmentId!,
      shipped_at: new Date(prepared.shipped_at!),
    }))
    updateFulfillmentStep(update)
  })

  // The last part (or a despatch of one part) completes the order and records the message.
  when(
    "orderflow-despatch-completes-order",
    { prepared, input },
    ({ prepared, input }) =>
      !prepared.more_parts && prepared.plan.kind === "apply" && prepared.plan.completesOrder && prepared.parts.length > 0 && input.settings.completeOrders
  ).then(() => {
    const orders = transform({ prepared }, ({ prepared }) => ({ orderIds: [prepared.plan.orderId!] }))
    completeOrderWorkflow.runAsStep({ input: orders })
  })

  const outcome = when("orderflow-despatch-records", { prepared }, ({ prepared }) => !prepared.more_parts).then(() =>
    recordDespatchStep({
      request_id: input.request_id,
      notification: input.notification,
      prepared,
      fulfillment_id: fulfillmentId,
      claimed_by: input.claimed_by,
    })
  )
  return new WorkflowResponse(
    transform({ outcome }, ({ outcome }): ShipmentImportOutcome | { more_parts: true } => outcome ?? { more_parts: true as const })
  )
})

export type { ImportShipmentInput, ShipmentImportSettings } from "./prepare-despatch-step"
export type { ShipmentImportOutcome } from "./record-despatch-step"
