import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { operationWorkflow } from "../common/operation"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { sendAlertWorkflow } from "../send-alert"
import { CancellationOutcome, cancelOrderInOrderflowWorkflow } from "./cancel-order-in-orderflow"
import { requestOrderCancellationStep } from "./request-cancellation"
import type { OperationTrigger } from "../../types"

export type CancellationSummary = Record<CancellationOutcome["outcome"], number> & { checked: number; errors: number }

function emptySummary(): CancellationSummary {
  return { checked: 0, sent: 0, not_found: 0, refused: 0, retry: 0, withdrawn: 0, waiting: 0, none: 0, errors: 0 }
}

/**
 * The cancellation queue (export rows with cancel_status `pending`), worked
 * through by the order_export operation — which holds the operation's lock,
 * so it may also withdraw orders OrderFlow never received — and, for one
 * order, right after Medusa's `order.canceled` event. Each row is one call;
 * a refusal and a cancellation that keeps failing raise an alert.
 */
export async function processOrderCancellations(
  container: MedusaContainer,
  {
    now,
    trigger,
    limit,
    orderIds,
    allowWithdraw,
  }: { now: Date; trigger: OperationTrigger; limit: number; orderIds?: string[]; allowWithdraw: boolean }
): Promise<CancellationSummary> {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const filters: Record<string, unknown> = { entity_type: "order", cancel_status: "pending" }
  if (orderIds) {
    if (!orderIds.length) return emptySummary()
    filters.entity_id = orderIds
  } else {
    filters.$or = [{ cancel_next_attempt_at: null }, { cancel_next_attempt_at: { $lte: now } }]
  }
  const items = await orderflow.listOrderflowExportItems(filters, {
    select: ["id"],
    take: limit,
    order: { cancel_next_attempt_at: "ASC", changed_at: "ASC" },
  })
  const summary = emptySummary()
  for (const item of items) {
    summary.checked++
    try {
      const { result } = await cancelOrderInOrderflowWorkflow(container).run({
        input: { item_id: item.id, trigger, allow_withdraw: allowWithdraw },
      })
      summary[result.outcome]++
      await alertIfNeeded(container, result)
    } catch (e) {
      // One row that cannot be processed (e.g. a database error) must not
      // hold up the others; it stays pending and is tried again next run.
      summary.errors++
      container.resolve(ContainerRegistrationKeys.LOGGER).warn(`OrderFlow cancellation of export row ${item.id} failed: ${(e as Error).message}`)
    }
  }
  return summary
}

async function alertIfNeeded(container: MedusaContainer, r: CancellationOutcome) {
  if (r.outcome === "refused") {
    await sendAlertWorkflow(container).run({
      input: {
        title: `OrderFlow refused to cancel order ${r.reference}`,
        description: `Order ${r.reference} was cancelled in Medusa, but the warehouse refused the cancellation: ${r.message}. It may already be packed or despatched: stop it in OrderFlow or arrange a return. The order is flagged "cancellation refused by the warehouse" in the admin.`,
        key: `cancel-refused:${r.item_id}`,
        resource_type: "order",
        resource_id: r.order_id,
      },
    })
  } else if (r.alert) {
    await sendAlertWorkflow(container).run({
      input: {
        title: `OrderFlow cancellation of order ${r.reference} keeps failing`,
        description: `Order ${r.reference} was cancelled in Medusa, but OrderFlow could not be told after ${r.cancel_attempts} attempts: ${r.message}. It keeps being retried with back-off; until it goes through, the warehouse may still ship the order.`,
        key: `cancel-outage:${r.item_id}:${r.cancel_attempts}`,
        resource_type: "order",
        resource_id: r.order_id,
      },
    })
  }
}

export type ProcessCancellationsInput = { order_ids?: string[]; trigger: OperationTrigger; limit?: number; allow_withdraw: boolean; now?: string }

/** The cancellation queue as a step (loop of one `orderflow-cancel-order` workflow per row). */
export const processOrderCancellationsStep = createStep(
  "orderflow-process-order-cancellations",
  async (input: ProcessCancellationsInput, { container }) => {
    const summary = await processOrderCancellations(container as MedusaContainer, {
      now: input.now ? new Date(input.now) : new Date(),
      trigger: input.trigger,
      limit: input.limit ?? input.order_ids?.length ?? 1,
      orderIds: input.order_ids,
      allowWithdraw: input.allow_withdraw,
    })
    return new StepResponse(summary)
  }
)

/**
 * Medusa cancelled an order (`order.canceled`): record the request, then send
 * it at once when OrderFlow has the order. Medusa's cancellation never
 * depends on OrderFlow: whatever happens here, the export job retries.
 */
export const orderCanceledWorkflow = createWorkflow(operationWorkflow("orderflow-order-canceled"), (input: { order_id: string }) => {
  const requested = requestOrderCancellationStep(input)
  const sent = when("orderflow-cancellation-sends-now", { requested }, ({ requested }) => requested.send_now).then(() =>
    processOrderCancellationsStep(
      transform({ input }, ({ input }): ProcessCancellationsInput => ({ order_ids: [input.order_id], trigger: "event", limit: 1, allow_withdraw: false }))
    )
  )
  return new WorkflowResponse(transform({ requested, sent }, ({ requested, sent }) => ({ requested, cancellations: sent ?? emptySummary() })))
})
