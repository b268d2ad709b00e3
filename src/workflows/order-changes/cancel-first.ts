import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { nextAttemptAt, retryPolicyFrom } from "../../lib/export/retry-schedule"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { callOrderflow, OrderCall } from "../cancel-order/call-orderflow"
import { recordOrderCall } from "../cancel-order/record-order-call"
import { mayBeInOrderflow, OrderExportRow, restorable, settledExportRow } from "./in-flight"

// Seed 002, "Order Cancellation": "The process should attempt to delete the
// order within the OrderFlow system before changing the status of the order
// within the third party system ... if OrderFlow refuses (packed or
// despatched) ... the cancellation process should fail in the third party
// application." This workflow runs in front of Medusa's admin cancel route
// (src/api/admin/orders-orderflow/middlewares.ts): it asks OrderFlow first
// and says whether Medusa's cancel may go ahead. Cancels that do not pass
// the admin route keep the after-the-fact path (src/workflows/cancel-order).

export type CancelFirstInput = { order_id: string }

export type CancelFirstPlan = {
  /** pass: nothing to ask OrderFlow; ask: OrderFlow has or may have the order; busy: an export call is still carrying it. */
  action: "pass" | "ask" | "busy"
  order_id: string
  reference: string
  row: OrderExportRow | null
  reason: string
}

export type CancelFirstDecision = {
  /** Medusa's cancel may go ahead. */
  proceed: boolean
  /** OrderFlow was called (so a Medusa cancel failing afterwards leaves the two apart). */
  called: boolean
  reference: string
  /** cancelled | not_found | refused | unreachable_refused | unreachable_queued | busy | pass */
  outcome: string
  message: string
}

async function planCancelFirst(container: MedusaContainer, order_id: string): Promise<CancelFirstPlan> {
  const pass = (reason: string, row: OrderExportRow | null = null): CancelFirstPlan => ({ action: "pass", order_id, reference: row?.reference ?? "", row, reason })
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ["id", "status", "fulfillments.id", "fulfillments.canceled_at"], filters: { id: order_id } })
  const order: any = data[0]
  // Medusa refuses these itself (unknown order, already cancelled, fulfilments
  // to cancel first): OrderFlow must not lose an order Medusa keeps.
  if (!order) return pass("no such order")
  if (order.status === "canceled") return pass("already cancelled in Medusa")
  if ((order.fulfillments ?? []).some((f: any) => !f.canceled_at)) return pass("Medusa refuses to cancel an order with fulfilments")

  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const row = await settledExportRow(orderflow, order_id)
  if (!row) return pass("never queued for OrderFlow")
  if (row.status === "skipped" || row.status === "cancelled" || ["sent", "not_found", "withdrawn"].includes(row.cancel_status ?? "")) {
    return pass("nothing in OrderFlow to cancel", row)
  }
  if (row.status === "queued") {
    return {
      action: "busy",
      order_id,
      reference: row.reference,
      row,
      reason: `Order ${row.reference} is being sent to OrderFlow right now; try the cancel again in a minute`,
    }
  }
  // Never sent: Medusa's cancel goes ahead and the order is withdrawn from
  // the queue (order.canceled; a batch building it sees it cancelled).
  if (!mayBeInOrderflow(row)) return pass("not sent to OrderFlow yet: withdrawn from the queue", row)
  return { action: "ask", order_id, reference: row.reference, row, reason: "" }
}

/** Read-only: does OrderFlow have to be asked, and can it be now. */
export const planCancelFirstStep = createStep("orderflow-plan-cancel-first", async ({ order_id }: CancelFirstInput, { container }) => {
  return new StepResponse<CancelFirstPlan>(await planCancelFirst(container as MedusaContainer, order_id))
})

/** POST cancel.xml, permanent (cancelChangesExternalReference=false). Cannot be undone: last before the record. */
export const askOrderflowToCancelStep = createStep("orderflow-ask-cancel-first", async (plan: CancelFirstPlan, { container }) => {
  if (plan.action !== "ask") return new StepResponse<OrderCall | null>(null)
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const { settings } = await orderflow.getCurrentSettings()
  const call = await callOrderflow(settings, (client) => client.cancelOrder(plan.reference, { cancelChangesExternalReference: false }))
  return new StepResponse<OrderCall | null>(call)
})

/**
 * The answer, recorded on the export row and in the export history, and the
 * decision for Medusa's cancel. The compensation puts the row back and
 * removes the history record.
 */
export const recordCancelFirstStep = createStep(
  "orderflow-record-cancel-first",
  async ({ plan, call }: { plan: CancelFirstPlan; call: OrderCall | null }, { container }) => {
    const base = { reference: plan.reference, called: !!call }
    if (plan.action === "pass") return new StepResponse<CancelFirstDecision, null>({ ...base, proceed: true, outcome: "pass", message: plan.reason }, null)
    if (plan.action === "busy" || !call || !plan.row) {
      return new StepResponse<CancelFirstDecision, null>({ ...base, proceed: false, outcome: "busy", message: plan.reason }, null)
    }
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const { settings } = await orderflow.getCurrentSettings()
    const row = plan.row
    const now = new Date()
    const o = call.outcome
    let decision: CancelFirstDecision
    let update: Record<string, unknown>
    switch (o.kind) {
      case "done":
        decision = { ...base, proceed: true, outcome: "cancelled", message: `Cancelled in OrderFlow first` }
        update = { status: "cancelled", cancel_status: "sent", cancel_error: null, cancel_next_attempt_at: null, cancelled_at: now }
        break
      case "not_found":
        decision = { ...base, proceed: true, outcome: "not_found", message: `OrderFlow never had it (${o.message}): cancelled in Medusa only` }
        update = { status: "cancelled", cancel_status: "not_found", cancel_error: o.message, cancel_next_attempt_at: null, cancelled_at: now }
        break
      case "refused":
        decision = { ...base, proceed: false, outcome: "refused", message: `Cancellation refused by OrderFlow: ${o.message}` }
        update = { cancel_status: "vetoed", cancel_error: o.message, cancel_next_attempt_at: null }
        break
      default:
        if (settings.orderExport.cancelWhenUnreachable === "queue") {
          decision = {
            ...base,
            proceed: true,
            outcome: "unreachable_queued",
            message: `OrderFlow could not be reached (${o.message}); cancelled in Medusa, the cancellation is sent to OrderFlow when it answers`,
          }
          update = {
            cancel_status: "pending",
            cancel_error: o.message,
            cancel_next_attempt_at: nextAttemptAt({ attempts: 1, now, policy: retryPolicyFrom(settings), random: Math.random }),
          }
        } else {
          decision = {
            ...base,
            proceed: false,
            outcome: "unreachable_refused",
            message: `OrderFlow could not be reached (${o.message}), so the order was not cancelled: the warehouse may still ship it. Try again when OrderFlow answers (Settings → OrderFlow → "When OrderFlow is unreachable" can queue the cancellation instead).`,
          }
          update = { cancel_error: o.message }
        }
    }
    await orderflow.updateOrderflowExportItems({ id: row.id, cancel_attempts: row.cancel_attempts + 1, ...update })
    const exportId = await recordOrderCall(orderflow, {
      operation: "order_cancel",
      trigger: "manual",
      reference: plan.reference,
      order_id: plan.order_id,
      request: `POST /remoteorder/order/cancel.xml?externalReference=${encodeURIComponent(plan.reference)}&cancelChangesExternalReference=false`,
      http_status: call.http_status,
      duration_ms: call.duration_ms,
      response_body: call.body,
      error: o.kind === "retry" ? o.message : null,
      outcome: decision.proceed && o.kind !== "retry" ? "success" : "failure",
      message: decision.message,
    })
    return new StepResponse<CancelFirstDecision, { row: ReturnType<typeof restorable>; export_id: string }>(decision, {
      row: restorable(row),
      export_id: exportId,
    })
  },
  async (written, { container }) => {
    if (!written) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.updateOrderflowExportItems(written.row)
    await orderflow.deleteOrderflowExports([written.export_id])
  }
)

/** Ask OrderFlow to cancel before Medusa does; the decision says whether Medusa's cancel may go ahead. */
export const orderflowCancelFirstWorkflow = createWorkflow("orderflow-cancel-first", (input: CancelFirstInput) => {
  const plan = planCancelFirstStep(input)
  const call = askOrderflowToCancelStep(plan)
  const decision = recordCancelFirstStep({ plan, call })
  return new WorkflowResponse(decision)
})
