import { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { performance } from "node:perf_hooks"
import { errorMessage } from "../../lib/errors"
import { despatchFromShipment, despatchParcelKey, despatchPollWindow, DespatchNotification, interpretDespatchedShipmentsReply, polledDespatchKey } from "../../lib/inbound"
import { formatOrderflowDateTime } from "../../lib/order-export/format"
import { OperationInput, operationWorkflow } from "../common/operation"
import { orderflowClientFrom } from "../common/orderflow-client"
import { currentSettings, orderflowService } from "../common/settings"
import { receiveInboundMessageWorkflow } from "../receive-inbound-message"

/**
 * A despatched shipment as the despatch message a push would have carried:
 * known by OrderFlow's shipment reference, and by the parcel key a push of
 * the same parcel has too.
 */
export type PolledDespatch = { reference: string; dedupe_key: string; parcel_key: string; notification: DespatchNotification }

export type PulledDespatches = {
  pull_id: string
  from: string
  to: string
  shipments: number
  despatches: PolledDespatch[]
  /** Shipments without lines or not despatched. */
  skipped: number
  error: string | null
}

/**
 * POST despatches.xml (seed 002 "Despatched Shipments Per Time Period") for
 * the window from the last successful pull's end (minus the overlap), or
 * `lookBackHours` back on the first run, to now. The pull is recorded
 * whatever happens (orderflow_despatch_pull); a failed one stores nothing
 * and the next run's window covers it again.
 */
export const pullDespatchedShipmentsStep = createStep("orderflow-pull-despatched-shipments", async (input: OperationInput, { container }) => {
  const orderflow = orderflowService(container)
  const settings = await currentSettings(container)
  const now = input.now ? new Date(input.now) : new Date()
  const [last] = await orderflow.listOrderflowDespatchPulls({ status: "success" }, { order: { to_at: "DESC", id: "DESC" }, take: 1, select: ["to_at"] })
  const { from, to } = despatchPollWindow({
    now,
    lastTo: last ? new Date(last.to_at) : null,
    overlapMinutes: settings.shipmentPoll.overlapMinutes,
    lookBackHours: settings.shipmentPoll.lookBackHours,
  })
  const zone = settings.api.timeZone
  const started = performance.now()
  let status: number | null = null
  try {
    const reply = await orderflowClientFrom(settings).despatchedShipments({ from: formatOrderflowDateTime(from, zone), to: formatOrderflowDateTime(to, zone) })
    status = reply.status
    const shipments = interpretDespatchedShipmentsReply(reply, zone)
    const despatches: PolledDespatch[] = []
    for (const shipment of shipments) {
      const notification = despatchFromShipment(shipment, { email: settings.shipmentPoll.notifyCustomer })
      if (notification) {
        despatches.push({ reference: shipment.reference, dedupe_key: polledDespatchKey(shipment.reference), parcel_key: despatchParcelKey(notification), notification })
      }
    }
    const pull = await orderflow.createOrderflowDespatchPulls({
      from_at: from,
      to_at: to,
      status: "success",
      http_status: status,
      duration_ms: Math.round(performance.now() - started),
      shipment_count: shipments.length,
      skipped_count: shipments.length - despatches.length,
    })
    return new StepResponse<PulledDespatches>({
      pull_id: pull.id,
      from: from.toISOString(),
      to: to.toISOString(),
      shipments: shipments.length,
      despatches,
      skipped: shipments.length - despatches.length,
      error: null,
    })
  } catch (e) {
    const error = errorMessage(e)
    const pull = await orderflow.createOrderflowDespatchPulls({
      from_at: from,
      to_at: to,
      status: "failed",
      http_status: status,
      duration_ms: Math.round(performance.now() - started),
      error: error.slice(0, 4000),
    })
    return new StepResponse<PulledDespatches>({ pull_id: pull.id, from: from.toISOString(), to: to.toISOString(), shipments: 0, despatches: [], skipped: 0, error })
  }
})

/** The Magento 2 REST shape of a push (DESIGN §3), so the stored body reads like a pushed one and parses back to the same notification. */
function pushShapedBody(n: DespatchNotification): string {
  return JSON.stringify({
    orderIncrementId: n.orderIncrementId,
    skuQty: n.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
    tracks: n.trackingNumbers.map((trackingNumber) => ({ trackingNumber })),
    ...(n.trackingNumbers[0] ? { trackingNumber: n.trackingNumbers[0] } : {}),
    ...(n.courierName ? { courierName: n.courierName } : {}),
    ...(n.serviceName ? { serviceName: n.serviceName } : {}),
    dateShipped: n.dateShipped,
    email: n.email,
  })
}

export type StoredPolledDespatches = { stored: number; known: number; duplicates: number }

/**
 * Each despatch the store has not heard of is stored through the same intake
 * as a push (orderflow-receive-inbound-message: stored, then announced to
 * the shipment_import operation, which applies it exactly once). A despatch
 * already stored under the same key (pushed, or pulled by an earlier
 * window) is left alone, so overlapping windows add no rows; one that
 * arrives between the check and the store is filed a duplicate by the
 * queue's unique key, whichever came first.
 */
export const storePolledDespatchesStep = createStep("orderflow-store-polled-despatches", async (pulled: PulledDespatches, { container }) => {
  const orderflow = orderflowService(container)
  const summary: StoredPolledDespatches = { stored: 0, known: 0, duplicates: 0 }
  // Known: this shipment pulled before (its reference), or the same parcel pushed (its parcel key).
  const keys = [...new Set(pulled.despatches.map((d) => d.dedupe_key))]
  const parcels = [...new Set(pulled.despatches.map((d) => d.parcel_key))]
  const known = new Set<string>()
  if (keys.length) {
    const byKey = await orderflow.listOrderflowRequests({ dedupe_key: keys, status: { $ne: "duplicate" } }, { select: ["dedupe_key"], take: null })
    const byParcel = await orderflow.listOrderflowRequests({ parcel_key: parcels, status: { $ne: "duplicate" } }, { select: ["parcel_key"], take: null })
    for (const row of byKey) known.add(row.dedupe_key)
    for (const row of byParcel) if (row.parcel_key) known.add(row.parcel_key)
  }
  for (const despatch of pulled.despatches) {
    if (known.has(despatch.dedupe_key) || known.has(despatch.parcel_key)) {
      summary.known++
      continue
    }
    known.add(despatch.dedupe_key)
    known.add(despatch.parcel_key)
    const { result } = await receiveInboundMessageWorkflow(container as MedusaContainer).run({
      input: {
        type: "shipment",
        message_seq_id: null,
        dedupe_key: despatch.dedupe_key,
        content_type: "application/json",
        body: pushShapedBody(despatch.notification),
        payload: despatch.notification,
        line_count: despatch.notification.lines.length,
        received_at: new Date().toISOString(),
        remote_address: `poll ${pulled.pull_id} (shipment ${despatch.reference})`.slice(0, 255),
        parcel_key: despatch.parcel_key,
        kind: "poll",
      },
    })
    if (result.status === "duplicate") summary.duplicates++
    else summary.stored++
  }
  if (pulled.pull_id) {
    await orderflow.updateOrderflowDespatchPulls({ id: pulled.pull_id, stored_count: summary.stored, known_count: summary.known + summary.duplicates })
  }
  return new StepResponse(summary)
})

/**
 * Last: a pull that failed fails the run with its cause (after it was
 * recorded), so the overview shows it; the next window still starts from the
 * last successful pull.
 */
export const failIfDespatchPullFailedStep = createStep("orderflow-fail-if-despatch-pull-failed", async (pulled: PulledDespatches) => {
  if (pulled.error) throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Despatched shipments pull failed (window ${pulled.from} to ${pulled.to}): ${pulled.error}`)
  return new StepResponse(null)
})

/**
 * Operation `shipment_poll`: the backstop for despatch pushes that never
 * arrive (OrderFlow gives up after its retries). Pull the despatched
 * shipments of the window → store those the store has not heard of as
 * despatch messages → the shipment_import operation applies them like
 * pushed ones.
 */
export const shipmentPollWorkflow = createWorkflow(operationWorkflow("orderflow-shipment-poll"), (input: OperationInput) => {
  const pulled = pullDespatchedShipmentsStep(input)
  const stored = storePolledDespatchesStep(pulled)
  failIfDespatchPullFailedStep(pulled)
  return new WorkflowResponse(
    transform({ pulled, stored }, ({ pulled, stored }) => ({
      window_from: pulled.from,
      window_to: pulled.to,
      shipments: pulled.shipments,
      skipped: pulled.skipped,
      stored: stored.stored,
      known: stored.known,
      duplicates: stored.duplicates,
      pull_error: pulled.error,
    }))
  )
})
