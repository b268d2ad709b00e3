import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../../lib/errors"
import type { OperationTrigger } from "../../types"
import { operationWorkflow } from "../common/operation"
import { orderflowService } from "../common/settings"
import { sendAlertWorkflow } from "../send-alert"
import { recordReturnRequestStep } from "./record-return-request"
import { ReturnSendOutcome, sendReturnToOrderflowWorkflow } from "./send-return"

export type ReturnSendSummary = { checked: number; sent: number; retry: number; failed: number; waiting: number; skipped: number; none: number; errors: number }

const emptySummary = (): ReturnSendSummary => ({ checked: 0, sent: 0, retry: 0, failed: 0, waiting: 0, skipped: 0, none: 0, errors: 0 })

export type SendDueReturnsInput = { record_ids?: string[]; trigger: OperationTrigger; limit?: number; now?: string }

/**
 * The pending returns whose next attempt is due (or the given ones), one
 * `orderflow-send-return` workflow each; a return refused for good, or one
 * whose sending keeps failing, raises an alert.
 */
export async function sendDueReturns(container: MedusaContainer, input: SendDueReturnsInput): Promise<ReturnSendSummary> {
  const orderflow = orderflowService(container)
  const now = input.now ? new Date(input.now) : new Date()
  const filters: Record<string, unknown> = { status: "pending" }
  if (input.record_ids) {
    if (!input.record_ids.length) return emptySummary()
    filters.id = input.record_ids
  } else {
    filters.$or = [{ next_attempt_at: null }, { next_attempt_at: { $lte: now } }]
  }
  const rows = await orderflow.listOrderflowReturns(filters, { select: ["id"], take: input.limit ?? 100, order: { next_attempt_at: "ASC", requested_at: "ASC" } })
  const summary = emptySummary()
  for (const row of rows) {
    summary.checked++
    try {
      const { result } = await sendReturnToOrderflowWorkflow(container).run({ input: { record_id: row.id, trigger: input.trigger } })
      summary[result.outcome]++
      if (result.alert) await alert(container, result)
    } catch (e) {
      // One return that cannot be processed must not hold up the others; it stays pending.
      summary.errors++
      container.resolve(ContainerRegistrationKeys.LOGGER).warn(`OrderFlow return ${row.id} not sent: ${errorMessage(e)}`)
    }
  }
  return summary
}

async function alert(container: MedusaContainer, r: ReturnSendOutcome) {
  const failed = r.outcome === "failed"
  await sendAlertWorkflow(container).run({
    input: {
      title: failed ? `OrderFlow refused return ${r.authorisation}` : `OrderFlow return ${r.authorisation} keeps failing`,
      description: failed
        ? `Return ${r.authorisation} (order ${r.order_id}) was refused by OrderFlow after ${r.attempts} attempts: ${r.message}. Enter it in OrderFlow by hand or fix the cause; the Medusa return itself is unchanged.`
        : `Return ${r.authorisation} (order ${r.order_id}) could not be sent after ${r.attempts} attempts: ${r.message}. It keeps being retried with back-off.`,
      key: `return-${failed ? "refused" : "outage"}:${r.record_id}:${r.attempts}`,
      resource_type: "order",
      resource_id: r.order_id,
    },
  })
}

/** How far back the sweep looks for requested returns that were never recorded. */
export const RETURN_SWEEP_DAYS = 7

export type ReturnSweepSummary = { checked: number; recorded: number; errors: number }

/**
 * Medusa events can be lost (a crash between the request and the
 * subscriber): returns requested in the last RETURN_SWEEP_DAYS that have no
 * record yet are recorded (and sent) now, as their event would have done.
 */
export async function sweepMissedReturns(container: MedusaContainer, now: Date): Promise<ReturnSweepSummary> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const since = new Date(now.getTime() - RETURN_SWEEP_DAYS * 86_400_000)
  const { data } = await query.graph({
    entity: "return",
    fields: ["id", "order_id"],
    filters: { status: ["requested"], requested_at: { $gte: since } },
    pagination: { take: 500, order: { requested_at: "ASC" } },
  })
  const summary: ReturnSweepSummary = { checked: data.length, recorded: 0, errors: 0 }
  if (!data.length) return summary
  const known = await orderflowService(container).listOrderflowReturns({ return_id: data.map((r) => r.id) }, { select: ["return_id"] })
  const seen = new Set(known.map((r) => r.return_id))
  for (const ret of data.filter((r) => !seen.has(r.id))) {
    try {
      await returnRequestedWorkflow(container).run({ input: { order_id: ret.order_id, return_id: ret.id } })
      summary.recorded++
    } catch (e) {
      summary.errors++
      container.resolve(ContainerRegistrationKeys.LOGGER).warn(`OrderFlow return ${ret.id} not recorded by the sweep: ${errorMessage(e)}`)
    }
  }
  return summary
}

export const sweepMissedReturnsStep = createStep("orderflow-sweep-missed-returns", async ({ now }: { now?: string }, { container }) => {
  return new StepResponse(await sweepMissedReturns(container as MedusaContainer, now ? new Date(now) : new Date()))
})

/** The due returns as a step (the returns operation's first step, and the event's immediate send). */
export const sendDueReturnsStep = createStep("orderflow-send-due-returns", async (input: SendDueReturnsInput, { container }) => {
  return new StepResponse(await sendDueReturns(container as MedusaContainer, input))
})

/**
 * Medusa requested a return (`order.return_requested`): record it, then send
 * it at once when OrderFlow has the order. Medusa's return never depends on
 * OrderFlow: whatever happens here, the returns operation retries.
 */
export const returnRequestedWorkflow = createWorkflow(operationWorkflow("orderflow-return-requested"), (input: { order_id: string; return_id: string }) => {
  const recorded = recordReturnRequestStep(input)
  const sent = when("orderflow-return-sends-now", { recorded }, ({ recorded }) => recorded.send_now).then(() =>
    sendDueReturnsStep(transform({ recorded }, ({ recorded }): SendDueReturnsInput => ({ record_ids: [recorded.record_id!], trigger: "event", limit: 1 })))
  )
  return new WorkflowResponse(transform({ recorded, sent }, ({ recorded, sent }) => ({ recorded, sent: sent ?? emptySummary() })))
})
