import { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { performance } from "node:perf_hooks"
import { errorMessage } from "../../lib/errors"
import { formatOrderflowDateTime } from "../../lib/order-export/format"
import { AppliedReturn, interpretAppliedReturnsReply, pullWindow } from "../../lib/returns"
import { OperationInput, operationWorkflow } from "../common/operation"
import { orderflowClientFrom } from "../common/orderflow-client"
import { currentSettings, orderflowService } from "../common/settings"
import { IncidentRequest, raiseIncidentsStep } from "../incidents"
import { receiveAppliedReturnWorkflow } from "./receive-applied-return"
import { sendDueReturnsStep, SendDueReturnsInput, sweepMissedReturnsStep } from "./send-due-returns"

export type PulledReturns = {
  pull_id: string | null
  from: string | null
  to: string | null
  returns: AppliedReturn[]
  error: string | null
}

/**
 * POST applied.xml for the window from the last successful pull's end
 * (minus the overlap) to now; the pull is recorded whatever happens
 * (orderflow_return_pull). A failed pull applies nothing and the next run
 * starts from the same place, so nothing is missed.
 */
export const pullAppliedReturnsStep = createStep("orderflow-pull-applied-returns", async (input: OperationInput, { container }) => {
  const orderflow = orderflowService(container)
  const settings = await currentSettings(container)
  const now = input.now ? new Date(input.now) : new Date()
  const [last] = await orderflow.listOrderflowReturnPulls({ status: "success" }, { order: { to_at: "DESC", id: "DESC" }, take: 1, select: ["to_at"] })
  const [first] = await orderflow.listOrderflowReturns({ sent_at: { $ne: null } }, { order: { sent_at: "ASC" }, take: 1, select: ["sent_at"] })
  const { from, to } = pullWindow({
    now,
    overlapMinutes: settings.returns.overlapMinutes,
    lastTo: last ? new Date(last.to_at) : null,
    firstSentAt: first?.sent_at ? new Date(first.sent_at) : null,
  })
  const zone = settings.api.timeZone
  const started = performance.now()
  let status: number | null = null
  try {
    const reply = await orderflowClientFrom(settings).appliedReturns({
      from: formatOrderflowDateTime(from, zone),
      to: formatOrderflowDateTime(to, zone),
      site: settings.returns.site || undefined,
    })
    status = reply.status
    const returns = interpretAppliedReturnsReply(reply)
    const pull = await orderflow.createOrderflowReturnPulls({
      from_at: from,
      to_at: to,
      status: "success",
      http_status: status,
      duration_ms: Math.round(performance.now() - started),
      return_count: returns.length,
    })
    return new StepResponse<PulledReturns>({ pull_id: pull.id, from: from.toISOString(), to: to.toISOString(), returns, error: null })
  } catch (e) {
    const error = errorMessage(e)
    const pull = await orderflow.createOrderflowReturnPulls({
      from_at: from,
      to_at: to,
      status: "failed",
      http_status: status,
      duration_ms: Math.round(performance.now() - started),
      error: error.slice(0, 4000),
    })
    return new StepResponse<PulledReturns>({ pull_id: pull.id, from: from.toISOString(), to: to.toISOString(), returns: [], error })
  }
})

export type AppliedReturnsSummary = { received: number; unmatched: number; duplicates: number; failed: number; incidents: IncidentRequest[] }

/**
 * Each applied return through `orderflow-receive-applied-return`, one at a
 * time (two of one order must not receive the same Medusa return). A receipt
 * Medusa refuses is recorded as failed with its error, once: the next pull
 * sees it as processed. Unmatched and failed ones become one incident each.
 */
export const applyAppliedReturnsStep = createStep("orderflow-apply-applied-returns", async (pulled: PulledReturns, { container }) => {
  const orderflow = orderflowService(container)
  const summary: AppliedReturnsSummary = { received: 0, unmatched: 0, duplicates: 0, failed: 0, incidents: [] }
  for (const applied of pulled.returns) {
    try {
      const { result } = await receiveAppliedReturnWorkflow(container as MedusaContainer).run({ input: { applied } })
      if (result.kind === "duplicate") summary.duplicates++
      else if (result.kind === "received") summary.received++
      else {
        summary.unmatched++
        summary.incidents.push({
          key: `return-unmatched:${applied.id}`,
          operation: "returns",
          kind: "item_failures",
          title: `OrderFlow return ${applied.id} matches no return sent from Medusa`,
          description: `OrderFlow applied return ${applied.id} (order reference ${applied.orderReference || applied.originatingOrderReference || "none"}; ${applied.lines
            .map((l) => `${l.productReference}×${l.quantity}`)
            .join(", ")}), but ${result.message}. Nothing was received in Medusa: receive the return by hand if it belongs to an order of this store.`,
        })
      }
    } catch (e) {
      const error = errorMessage(e)
      const [seen] = await orderflow.listOrderflowAppliedReturns({ orderflow_id: applied.id }, { select: ["id"], take: 1 })
      if (seen) {
        summary.duplicates++
        continue
      }
      summary.failed++
      await orderflow.createOrderflowAppliedReturns({
        orderflow_id: applied.id,
        status: "failed",
        order_reference: applied.orderReference || null,
        originating_order_reference: applied.originatingOrderReference || null,
        completed: applied.completed || null,
        line_count: applied.lines.length,
        total_quantity: applied.lines.reduce((n, l) => n + l.quantity, 0),
        error: error.slice(0, 4000),
      })
      summary.incidents.push({
        key: `return-receipt-failed:${applied.id}`,
        operation: "returns",
        kind: "item_failures",
        title: `OrderFlow return ${applied.id} could not be received in Medusa`,
        description: `Medusa refused to receive OrderFlow return ${applied.id} (order reference ${applied.orderReference || applied.originatingOrderReference || "none"}): ${error}. Receive it by hand in the order's page.`,
      })
    }
  }
  if (pulled.pull_id) {
    await orderflow.updateOrderflowReturnPulls({ id: pulled.pull_id, received_count: summary.received, unmatched_count: summary.unmatched, failed_count: summary.failed })
  }
  return new StepResponse(summary)
})

/**
 * Last: a pull that failed fails the run (after everything else was
 * recorded), so the overview shows "Last run failed" with the cause; the
 * next run's window still starts from the last successful pull.
 */
export const failIfPullFailedStep = createStep("orderflow-fail-if-returns-pull-failed", async (pulled: PulledReturns) => {
  if (pulled.error) throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Applied returns pull failed (window ${pulled.from} to ${pulled.to}): ${pulled.error}`)
  return new StepResponse(null)
})

function composeReturns(input: OperationInput) {
  const swept = sweepMissedReturnsStep(transform({ input }, ({ input }) => ({ now: input.now })))
  const sent = sendDueReturnsStep(transform({ input }, ({ input }): SendDueReturnsInput => ({ trigger: input.trigger, now: input.now, limit: 100 })))
  const pulled = pullAppliedReturnsStep(input)
  const applied = applyAppliedReturnsStep(pulled)
  raiseIncidentsStep(transform({ applied }, ({ applied }) => applied.incidents))
  failIfPullFailedStep(pulled)
  return new WorkflowResponse(
    transform({ swept, sent, pulled, applied }, ({ swept, sent, pulled, applied }) => ({
      recorded_late: swept.recorded,
      sent: sent.sent,
      send_retrying: sent.retry,
      waiting: sent.waiting,
      send_failed: sent.failed,
      pulled: pulled.returns.length,
      window_from: pulled.from,
      window_to: pulled.to,
      pull_error: pulled.error,
      received: applied.received,
      unmatched: applied.unmatched,
      duplicates: applied.duplicates,
      receipt_failed: applied.failed,
    }))
  )
}

/**
 * Operation `returns` (seed 002 "Returns Import" and "Applied Returns Per
 * Time Period"): record returns whose event was lost → send the returns that are due → pull what OrderFlow applied
 * → receive each once in Medusa → raise incidents for the ones that match
 * nothing.
 */
export const returnsWorkflow = createWorkflow(operationWorkflow("orderflow-returns"), composeReturns)
