import { operationWorkflow } from "../common/operation"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { nextAttemptAt, retryPolicyFrom } from "../../lib/export/retry-schedule"
import { callOrderflow, OrderCall } from "./call-orderflow"
import { recordOrderCall } from "./record-order-call"
import type { ExportItemStatus, OperationTrigger } from "../../types"

export type CancelOrderInput = {
  /** The order's export row (cancel_status pending). */
  item_id: string
  /** schedule, manual or event: shown in the export history. */
  trigger: OperationTrigger
  /**
   * Withdraw an order OrderFlow never received (still pending or failed in
   * the queue). Only the export job does this: it holds the order_export
   * lock, so no batch can be sending the order at the same moment.
   */
  allow_withdraw: boolean
}

type ItemSnapshot = {
  id: string
  status: ExportItemStatus
  next_attempt_at: Date | null
  cancel_status: string | null
  cancel_attempts: number
  cancel_next_attempt_at: Date | null
  cancel_error: string | null
  cancelled_at: Date | null
}

type Written = { item: ItemSnapshot; export_id: string | null }

export type PreparedCancellation = {
  /** send: OrderFlow has the order; withdraw: it never got it; wait: a batch is sending it; none: nothing to do. */
  action: "send" | "withdraw" | "wait" | "none"
  order_id: string
  reference: string
  item: ItemSnapshot | null
}

export type CancellationOutcome = {
  item_id: string
  order_id: string
  reference: string
  outcome: "sent" | "not_found" | "refused" | "retry" | "withdrawn" | "waiting" | "none"
  message: string | null
  cancel_attempts: number
  /** Retries reached the policy's maximum now: an administrator should know (retries go on). */
  alert: boolean
}

/** Read-only: what to do with the cancellation of this export row. */
export const prepareOrderCancellationStep = createStep(
  "orderflow-prepare-order-cancellation",
  async ({ item_id, allow_withdraw }: CancelOrderInput, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const [row] = await orderflow.listOrderflowExportItems({ id: item_id }, { take: 1 })
    if (!row || row.cancel_status !== "pending") {
      return new StepResponse<PreparedCancellation>({ action: "none", order_id: row?.entity_id ?? "", reference: row?.reference ?? "", item: null })
    }
    const item: ItemSnapshot = {
      id: row.id,
      status: row.status,
      next_attempt_at: row.next_attempt_at,
      cancel_status: row.cancel_status,
      cancel_attempts: row.cancel_attempts,
      cancel_next_attempt_at: row.cancel_next_attempt_at,
      cancel_error: row.cancel_error,
      cancelled_at: row.cancelled_at,
    }
    // exported_at, not status: an order reset to pending after OrderFlow
    // accepted it is still in OrderFlow.
    const action = row.status === "queued" ? "wait" : row.exported_at ? "send" : allow_withdraw ? "withdraw" : "none"
    return new StepResponse<PreparedCancellation>({ action, order_id: row.entity_id, reference: row.reference, item })
  }
)

/**
 * POST cancel.xml (seed 002, "Order Cancellation"), permanent
 * (cancelChangesExternalReference=false: the same reference can never be
 * imported again). Cannot be undone, so nothing after it but the record.
 */
export const sendOrderCancellationStep = createStep(
  "orderflow-send-order-cancellation",
  async (prepared: PreparedCancellation, { container }) => {
    if (prepared.action !== "send") return new StepResponse<OrderCall | null>(null)
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const { settings } = await orderflow.getCurrentSettings()
    const call = await callOrderflow(settings, (client) => client.cancelOrder(prepared.reference, { cancelChangesExternalReference: false }))
    return new StepResponse<OrderCall | null>(call)
  }
)

const MESSAGES = {
  sent: "Cancelled in OrderFlow",
  not_found: "Not in OrderFlow (MissingDataException): the cancellation counts as done",
} as const

/**
 * The outcome, always recorded: the export row (DESIGN §5: `cancelled` once
 * the cancellation went through; `refused` flags the order for the admin;
 * failures to get an answer are retried with the one back-off policy) and,
 * for a call, the export history. The compensation puts the row back and
 * removes the history record.
 */
export const recordOrderCancellationStep = createStep(
  "orderflow-record-order-cancellation",
  async ({ prepared, call, trigger }: { prepared: PreparedCancellation; call: OrderCall | null; trigger: OperationTrigger }, { container }) => {
    const base = { order_id: prepared.order_id, reference: prepared.reference }
    const item = prepared.item
    if (!item || prepared.action === "none" || prepared.action === "wait") {
      const outcome = prepared.action === "wait" ? "waiting" : "none"
      return new StepResponse<CancellationOutcome, Written | null>(
        { item_id: item?.id ?? "", ...base, outcome, message: null, cancel_attempts: item?.cancel_attempts ?? 0, alert: false },
        null
      )
    }
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const now = new Date()
    if (prepared.action === "withdraw") {
      await orderflow.updateOrderflowExportItems({
        id: item.id,
        status: "cancelled",
        next_attempt_at: null,
        cancel_status: "withdrawn",
        cancel_next_attempt_at: null,
        cancel_error: null,
        cancelled_at: now,
      })
      return new StepResponse<CancellationOutcome, Written | null>(
        { item_id: item.id, ...base, outcome: "withdrawn", message: "Withdrawn from the export queue; OrderFlow never received it", cancel_attempts: item.cancel_attempts, alert: false },
        { item, export_id: null }
      )
    }
    const { settings } = await orderflow.getCurrentSettings()
    const policy = retryPolicyFrom(settings)
    const attempts = item.cancel_attempts + 1
    const outcome = call!.outcome
    let update: Record<string, unknown>
    let message: string
    let result: CancellationOutcome["outcome"]
    switch (outcome.kind) {
      case "done":
        result = "sent"
        message = MESSAGES.sent
        update = { status: "cancelled", cancel_status: "sent", cancel_error: null, cancel_next_attempt_at: null, cancelled_at: now }
        break
      case "not_found":
        result = "not_found"
        message = `${MESSAGES.not_found}: ${outcome.message}`
        update = { status: "cancelled", cancel_status: "not_found", cancel_error: outcome.message, cancel_next_attempt_at: null, cancelled_at: now }
        break
      case "refused":
        result = "refused"
        message = `Cancellation refused by the warehouse: ${outcome.message}`
        update = { cancel_status: "refused", cancel_error: outcome.message, cancel_next_attempt_at: null }
        break
      default:
        // No usable answer: keep trying with back-off, whatever the count
        // (a cancelled order must not be shipped); alert once at the maximum.
        result = "retry"
        message = `${outcome.message}; will retry`
        update = {
          cancel_error: outcome.message,
          cancel_next_attempt_at: nextAttemptAt({ attempts, now, policy, random: Math.random }),
        }
    }
    await orderflow.updateOrderflowExportItems({ id: item.id, cancel_attempts: attempts, ...update })
    const exportId = await recordOrderCall(orderflow, {
      operation: "order_cancel",
      trigger,
      reference: prepared.reference,
      order_id: prepared.order_id,
      request: `POST /remoteorder/order/cancel.xml?externalReference=${encodeURIComponent(prepared.reference)}&cancelChangesExternalReference=false`,
      http_status: call!.http_status,
      duration_ms: call!.duration_ms,
      response_body: call!.body,
      error: outcome.kind === "retry" ? outcome.message : null,
      outcome: result === "sent" || result === "not_found" ? "success" : "failure",
      message,
    })
    return new StepResponse<CancellationOutcome, Written | null>(
      {
        item_id: item.id,
        ...base,
        outcome: result,
        message,
        cancel_attempts: attempts,
        alert: result === "retry" && attempts === policy.maxAttempts,
      },
      { item, export_id: exportId }
    )
  },
  async (written: Written | null | undefined, { container }) => {
    if (!written) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.updateOrderflowExportItems(written.item)
    if (written.export_id) await orderflow.deleteOrderflowExports([written.export_id])
  }
)

/**
 * Cancels in OrderFlow an order cancelled in Medusa (seed 002, "Order
 * Cancellation"; issue: Cancellation): prepare (read-only), send, record.
 * MissingDataException counts as done; any other `<error>` is the warehouse
 * refusing (packed, despatched), recorded and shown; no answer is retried.
 */
export const cancelOrderInOrderflowWorkflow = createWorkflow(operationWorkflow("orderflow-cancel-order"), (input: CancelOrderInput) => {
  const prepared = prepareOrderCancellationStep(input)
  const call = sendOrderCancellationStep(prepared)
  const outcome = recordOrderCancellationStep({ prepared, call, trigger: input.trigger })
  return new WorkflowResponse(outcome)
})
