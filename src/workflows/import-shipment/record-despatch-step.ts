import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import type { DespatchNotification } from "../../lib/inbound"
import { PreparedDespatch } from "./prepare-despatch-step"

export type RecordDespatchInput = {
  request_id: string
  notification: DespatchNotification
  prepared: PreparedDespatch
  fulfillment_id: string | null
  claimed_by?: string | null
}

export type ShipmentImportOutcome = {
  request_id: string
  import_id: string
  kind: "apply" | "rejected"
  /** Lines that failed (an over-shipment): the message is processed_with_errors, or failed when nothing was applied. */
  failed_lines: number
  /** The order's display label and the failed lines' reasons, for the alert. */
  over_shipment: string | null
  order_id: string | null
  fulfillment_id: string | null
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
    const [recorded] = await orderflow.recordImports({
      imports: [
        {
          request_id,
          type: "shipment",
          message_seq_id: notification.messageSeqId,
          status: rejected ? "failed" : "success",
          duration_ms: now.getTime() - new Date(prepared.started_at).getTime(),
          error: rejected ? plan.message : null,
          request_status: rejected ? "failed" : "processed",
          lines: plan.lines.map((l) => ({
            sku: l.sku,
            received_qty: l.qty,
            applied_qty: l.outcome === "shipped" ? l.lineQuantity : null,
            order_id: plan.orderId,
            line_item_id: l.lineItemId,
            fulfillment_id: l.outcome === "shipped" ? fulfillment_id : null,
            location_id: prepared.location_id,
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
                fulfillment_id,
                tracking_numbers: notification.trackingNumbers,
                courier_name: notification.courierName,
                service_name: notification.serviceName,
                date_shipped: notification.dateShipped ? new Date(notification.dateShipped) : null,
                comment: notification.comment,
                // A parcel that only adds kit progress makes no shipment, so nobody is told yet.
                notified_at: prepared.no_notification || !fulfillment_id ? null : now,
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
              fulfillment_id,
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
      fulfillment_id,
      message: plan.message,
      failed_lines: plan.lines.filter((l) => l.outcome === "failed").length,
      over_shipment: plan.lines.some((l) => l.outcome === "failed" && l.message.startsWith("over-shipment:")) ? plan.message : null,
    })
  }
)
