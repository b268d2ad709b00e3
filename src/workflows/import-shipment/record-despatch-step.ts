import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import type { DespatchNotification } from "../../lib/inbound"
import { PreparedDespatch } from "./prepare-despatch-step"

export type RecordDespatchInput = {
  request_id: string
  notification: DespatchNotification
  prepared: PreparedDespatch
  /** The fulfilment of the current part (made by this run, or before). */
  fulfillment_id: string | null
  claimed_by?: string | null
}

export type ShipmentImportOutcome = {
  request_id: string
  import_id: string
  kind: "apply" | "rejected" | "duplicate"
  /** Lines that failed (an over-shipment): the message is processed_with_errors, or failed when nothing was applied. */
  failed_lines: number
  /** The order's display label and the failed lines' reasons, for the alert. */
  over_shipment: string | null
  order_id: string | null
  /** The despatch's first fulfilment (null: it fulfilled nothing, e.g. kit components only). */
  fulfillment_id: string | null
  /** Every fulfilment of the despatch: one per stock location its lines were reserved at. */
  fulfillment_ids: string[]
  message: string
}

/**
 * Last step: the despatch record, the import report with a line per item,
 * and the request marked processed (or failed, for a rejected despatch), in
 * one transaction. If it fails, the fulfilment and shipment made before it
 * are compensated: also when the request is no longer this run's claim (its
 * lease passed and another worker took it), so a despatch is never applied
 * twice.
 */
export const recordDespatchStep = createStep(
  "orderflow-record-despatch",
  async ({ request_id, notification, prepared, fulfillment_id, claimed_by = null }: RecordDespatchInput, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const now = new Date()
    const { plan } = prepared
    const rejected = plan.kind === "rejected"
    // Each applied line was fulfilled by the part (stock location) it was in.
    const parts = prepared.parts.map((p, n) => ({ ...p, fulfillment_id: n === prepared.current ? fulfillment_id : p.fulfillment_id }))
    const partOf = (lineItemId: string | null) => parts.find((p) => p.items.some((i) => i.id === lineItemId)) ?? null
    const firstFulfillment = parts.find((p) => p.fulfillment_id)?.fulfillment_id ?? null
    const [recorded] = await orderflow.recordImports({
      imports: [
        {
          request_id,
          type: "shipment",
          message_seq_id: notification.messageSeqId,
          status: rejected ? "failed" : "success",
          duration_ms: now.getTime() - new Date(prepared.started_at).getTime(),
          error: rejected || plan.kind === "duplicate" ? plan.message : null,
          request_status: rejected ? "failed" : plan.kind === "duplicate" ? "duplicate" : "processed",
          duplicate_of_id: plan.kind === "duplicate" ? plan.duplicateOf : null,
          lines: plan.lines.map((l) => ({
            sku: l.sku,
            received_qty: l.qty,
            applied_qty: l.outcome === "shipped" ? l.lineQuantity : null,
            order_id: plan.orderId,
            line_item_id: l.lineItemId,
            fulfillment_id: l.outcome === "shipped" ? partOf(l.lineItemId)?.fulfillment_id ?? null : null,
            location_id: partOf(l.lineItemId)?.location_id ?? parts[0]?.location_id ?? null,
            source: notification.source,
            outcome: l.outcome,
            message: l.message,
          })),
        },
      ],
      despatches:
        plan.kind === "apply" && !prepared.despatch_recorded
          ? [
              {
                request_id,
                order_id: plan.orderId,
                order_reference: prepared.order_reference,
                fulfillment_id: firstFulfillment,
                tracking_numbers: notification.trackingNumbers,
                courier_name: notification.courierName,
                service_name: notification.serviceName,
                date_shipped: notification.dateShipped ? new Date(notification.dateShipped) : null,
                comment: notification.comment,
                // A parcel that only adds kit progress makes no shipment, so nobody is told yet.
                notified_at: prepared.no_notification || !firstFulfillment ? null : now,
              },
            ]
          : [],
      kit_components:
        plan.kind === "apply"
          ? plan.kitProgress.map((k) => ({
              order_id: plan.orderId,
              line_item_id: k.lineItemId,
              request_id,
              tracking_numbers: notification.trackingNumbers,
              close: k.close,
              fulfillment_id: partOf(k.lineItemId)?.fulfillment_id ?? null,
              add: k.add,
            }))
          : [],
      sequence_writes: [],
      now,
      claimed_by,
    })
    return new StepResponse<ShipmentImportOutcome>({
      request_id,
      import_id: recorded.import_id,
      kind: plan.kind,
      order_id: plan.orderId,
      fulfillment_id: firstFulfillment,
      fulfillment_ids: parts.map((p) => p.fulfillment_id).filter((id): id is string => !!id),
      message: plan.message,
      failed_lines: plan.lines.filter((l) => l.outcome === "failed").length,
      over_shipment: plan.lines.some((l) => l.outcome === "failed" && l.message.startsWith("over-shipment:")) ? plan.message : null,
    })
  }
)
