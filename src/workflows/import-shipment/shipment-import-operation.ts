import { MedusaError } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../../lib/errors"
import { failureAlertKey, failureCause } from "../../lib/inbound"
import type { ClaimedRequest } from "../../modules/orderflow/service"
import { eventOperationWorkflow, OperationInput, operationWorkflow } from "../common/operation"
import { currentSettings } from "../common/settings"
import { claimInboundRequestsStep, ClaimedRequests, FailedRequest, inboundRunSummary, keepRequestsClaimed, settleFailedRequestsStep } from "../inbound-queue"
import { asIncidents, raiseIncidentsStep } from "../incidents"
import { EXPORT_NOT_CONFIRMED } from "./prepare-despatch-step"
import type { SendAlertInput } from "../send-alert"
import { importShipmentWorkflow, ShipmentImportOutcome, ShipmentImportSettings } from "./import-shipment"

/** Despatches of different orders applied at once (the shipment benchmark's floor runs as many lanes). */
export const CONCURRENCY = 4
/** Stock locations (fulfilments) one despatch may span; each is one workflow run. */
const MAX_PARTS = 50

export type AppliedDespatches = { counts: Record<string, number>; failures: FailedRequest[]; alerts: SendAlertInput[] }

/**
 * Turns the claimed despatch notifications into fulfilments with tracking
 * (the `orderflow-import-shipment` workflow, one per message). Despatches of
 * different orders are independent and run CONCURRENCY at a time; those of
 * one order run one after the other, in order (each checks what is left to
 * ship). A despatch the order cannot take (unknown order or SKU,
 * cancelled order) is rejected at once, recorded and alerted; one that
 * over-ships has its excess lines failed (the rest applied) and raises one
 * incident per message;
 * it is not retried, because retrying cannot make it fit. A message that
 * fails as a whole is returned for settling (back-off), not thrown.
 */
export const applyDespatchesStep = createStep(
  "orderflow-apply-despatches",
  async ({ requests, claimed_by }: ClaimedRequests, { container }) => {
    const counts: Record<string, number> = { processed: 0, shipped: 0, duplicates: 0, rejected: 0, over_shipped: 0, kit_progress: 0 }
    const failures: FailedRequest[] = []
    const alerts: SendAlertInput[] = []
    if (!requests.length) return new StepResponse<AppliedDespatches>({ counts, failures, alerts })
    const settings = await currentSettings(container)
    const importSettings: ShipmentImportSettings = {
      referencePrefix: settings.orderExport.referencePrefix,
      notifyCustomer: settings.shipmentImport.notifyCustomer,
      completeOrders: settings.shipmentImport.completeOrders,
      trackingUrlTemplates: settings.shipmentImport.trackingUrlTemplates,
      locations: settings.inventoryImport.locations,
      defaultLocationId: settings.inventoryImport.defaultLocationId,
    }
    const applyOne = async (request: ClaimedRequest) => {
      try {
        // A parcel whose lines are reserved at several stock locations is applied one location (one fulfilment) per run.
        let result: ShipmentImportOutcome | null = null
        for (let part = 0; part < MAX_PARTS && !result; part++) {
          const run = await importShipmentWorkflow(container).run({
            input: { request_id: request.id, dedupe_key: request.dedupe_key, notification: request.payload, settings: importSettings, claimed_by },
          })
          if (!("more_parts" in run.result)) result = run.result
        }
        if (!result) throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `despatch spans more than ${MAX_PARTS} stock locations; it was applied in part and is retried`)
        counts.processed++
        // A parcel that completes no whole kit unit is recorded (kit progress), not shipped.
        if (result.kind === "apply") counts[result.fulfillment_id ? "shipped" : "kit_progress"]++
        // The same parcel heard of twice (a push and a poll): filed a duplicate, quietly.
        if (result.kind === "duplicate") counts.duplicates++
        if (result.over_shipment) {
          // An over-shipment is about one order: one incident (one alert) per message, whatever its number of failed lines.
          counts.over_shipped++
          if (result.kind === "rejected") counts.rejected++
          alerts.push({
            title: `OrderFlow despatch over-shipped: order ${request.payload?.orderIncrementId ?? "?"}`.slice(0, 200),
            description:
              `Despatch message ${request.message_seq_id ?? request.id} for order ${request.payload?.orderIncrementId ?? "?"} carries more than is left to ship: ${result.message}. ` +
              (result.kind === "apply"
                ? `The units that fit were fulfilled; the excess lines are failed (OrderFlow → Requests, status "processed_with_errors").`
                : `Nothing was applied (OrderFlow → Requests, status "failed").`) +
              ` Check the parcel with the warehouse; "Resolve" the message once dealt with.`,
            key: `overshipment:shipment:${request.message_seq_id ?? request.id}`,
            resource_type: result.order_id ? "order" : "orderflow_request",
            resource_id: result.order_id ?? request.id,
          })
        } else if (result.kind === "rejected") {
          counts.rejected++
          // One incident (one alert) per cause, not per despatch: a renamed site rejects every despatch with the same text.
          const variables = [request.payload?.orderIncrementId, ...(request.payload?.lines ?? []).map((l: { sku?: string }) => l.sku)]
          const cause = failureCause(result.message, variables)
          const key = failureAlertKey("shipment", cause)
          if (!alerts.some((a) => a.key === key)) {
            alerts.push({
              title: `OrderFlow despatch rejected: ${cause}`.slice(0, 200),
              description:
                `Despatch for order ${request.payload?.orderIncrementId ?? "?"} (message ${request.message_seq_id ?? request.id}) was not applied: ${result.message}. ` +
                `Other despatches rejected for the same cause raise no new alert while this incident is open: list them at OrderFlow → Requests with status "failed", fix the cause, then "Process now" or "Resolve" them.`,
              key,
              resource_type: result.order_id ? "order" : "orderflow_request",
              resource_id: result.order_id ?? request.id,
            })
          }
        }
      } catch (e) {
        const error = errorMessage(e)
        // Waiting for the order's export to be confirmed is not a fault: no attempt used (see FailedRequest).
        const waiting = error.includes(EXPORT_NOT_CONFIRMED) ? { waiting_since: new Date(request.received_at).toISOString() } : {}
        failures.push({ id: request.id, message_seq_id: request.message_seq_id, attempts: request.attempts, error, ...waiting })
      }
    }
    const lanes = new Map<string, ClaimedRequest[]>()
    for (const request of requests) {
      const key = String(request.payload?.orderIncrementId ?? request.id)
      lanes.set(key, [...(lanes.get(key) ?? []), request])
    }
    const queue = [...lanes.values()]
    const worker = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const request of lane) await applyOne(request)
      }
    }
    await keepRequestsClaimed(container, requests.map((r) => r.id), claimed_by, () => Promise.all(Array.from({ length: CONCURRENCY }, worker)))
    return new StepResponse<AppliedDespatches>({ counts, failures, alerts })
  }
)

/**
 * Operation `shipment_import` (seed 000 "Shipment Import"): claim a batch of
 * stored despatch notifications → apply them → settle the ones that failed
 * (back-off or failed for good) → alert on rejections and final failures.
 */
function composeShipmentImport(input: OperationInput) {
  const claimed = claimInboundRequestsStep(transform({ input }, ({ input }) => ({ type: "shipment" as const, now: input.now })))
  const applied = applyDespatchesStep(claimed)
  const settled = settleFailedRequestsStep(
    transform({ applied, claimed }, ({ applied, claimed }) => ({ type: "shipment" as const, failures: applied.failures, claimed_by: claimed.claimed_by, dead: claimed.dead }))
  )
  raiseIncidentsStep(
    transform({ applied, settled }, ({ applied, settled }) => [
      ...asIncidents(applied.alerts, "shipment_import", "line_failures"),
      ...asIncidents(settled.alerts, "shipment_import", "dead_letters"),
    ])
  )
  return new WorkflowResponse(transform({ claimed, applied, settled }, inboundRunSummary))
}

export const shipmentImportWorkflow = createWorkflow(operationWorkflow("orderflow-shipment-import"), composeShipmentImport)

/** The same run started by an event: not stored (see EVENT_OPERATION_WORKFLOWS). */
export const shipmentImportOnEventWorkflow = createWorkflow(eventOperationWorkflow("orderflow-shipment-import"), composeShipmentImport)
