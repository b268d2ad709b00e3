import { MedusaContainer } from "@medusajs/framework/types"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../../lib/errors"
import { eventOperationWorkflow, OperationInput, operationWorkflow } from "../common/operation"
import { currentSettings, orderflowService } from "../common/settings"
import { processOrderCancellations } from "../cancel-order/process-cancellations"
import { createExportBatchStep, createExportBatchWorkflow, ExportBatchInput, ExportBatchSpec, ExportBatchSummary } from "../export-batch"
import { backfillOrders, BackfillResult } from "./backfill-orders"
import { buildOrderDocumentStep } from "./build-order-document-step"
import { ensureExportFromStep, ExportFromState } from "./ensure-export-from-step"
import { queueOrdersForExportWorkflow, QueueOrdersResult } from "./queue-orders-for-export"
import { sweepMissedOrders } from "./sweep-missed-orders"
import { sweepMissedOrderChanges } from "./sweep-missed-order-changes"

/** One batch of order export: claimed orders → one `<imports>` document to /remoteorder/imports/importitems.xml → settled. */
const ORDER_BATCH: ExportBatchSpec = { entityType: "order", operation: "order_export", buildStep: buildOrderDocumentStep }
export const exportOrderBatchWorkflow = createExportBatchWorkflow({ id: "orderflow-export-order-batch", ...ORDER_BATCH })
export const exportOrderBatchStep = createExportBatchStep("orderflow-run-order-batch", exportOrderBatchWorkflow)

/**
 * The cancellation queue, worked through by the export operation — which
 * holds the operation's lock, so it may also withdraw orders OrderFlow never
 * received (safe: no batch runs meanwhile).
 */
export const processCancellationQueueStep = createStep(
  "orderflow-process-cancellation-queue",
  async ({ now, trigger }: OperationInput, { container }) => {
    const settings = await currentSettings(container)
    const at = now ? new Date(now) : new Date()
    return new StepResponse(
      await processOrderCancellations(container as MedusaContainer, { now: at, trigger, limit: settings.orderExport.batchSize, allowWithdraw: true })
    )
  }
)

/**
 * Orders the events missed are queued. While a full batch or more is
 * waiting, events are evidently arriving and the backlog goes first: the
 * sweep waits until the queue is shorter than a batch. A failing sweep must
 * not stop the batch: it is tried again next run.
 */
export const sweepMissedOrdersStep = createStep(
  "orderflow-sweep-missed-orders",
  async ({ state, now }: { state: ExportFromState; now?: string }, { container }) => {
    if (!state.enabled || !state.export_from) return new StepResponse<Record<string, unknown>>({ skipped: "order export is not enabled" })
    const settings = await currentSettings(container)
    const waiting = await orderflowService(container).countExportItems({ entity_type: "order", status: "pending" })
    if (waiting >= settings.orderExport.batchSize) return new StepResponse<Record<string, unknown>>({ skipped: `deferred: ${waiting} orders are waiting` })
    try {
      const window = { exportFrom: new Date(state.export_from), now: now ? new Date(now) : new Date() }
      const swept = await sweepMissedOrders(container as MedusaContainer, window)
      // Claims and exchanges whose events were lost (issue 13): after the orders, so a change finds its order's row.
      const changes = await sweepMissedOrderChanges(container as MedusaContainer, window)
      return new StepResponse<Record<string, unknown>>({ ...swept, changes })
    } catch (e) {
      return new StepResponse<Record<string, unknown>>({ error: errorMessage(e) })
    }
  }
)

/**
 * Operation `order_export` (seed 000 "Order Export"; the admin's cron and
 * batch size), under the operation's lock, in this order: make sure the
 * exportFrom boundary is set once order export is enabled; the cancellation
 * queue; the sweep for orders whose events were lost; one batch of at most
 * batchSize pending orders: Queued → Exported.
 */
function composeOrderExport(input: OperationInput) {
  const state = ensureExportFromStep({})
  const cancellations = processCancellationQueueStep(input)
  const swept = sweepMissedOrdersStep(transform({ state, input }, ({ state, input }) => ({ state, now: input.now })))
  const batch = exportOrderBatchStep(transform({ input }, ({ input }): ExportBatchInput => ({ trigger: input.trigger, now: input.now })))
  const summary = transform({ batch, swept, cancellations }, ({ batch, swept, cancellations }: { batch: ExportBatchSummary; swept: Record<string, unknown>; cancellations: unknown }) => ({
    claimed: batch.claimed,
    sent: batch.sent,
    exported: batch.exported,
    duplicates: batch.duplicates,
    failed: batch.failed,
    retrying: batch.missing,
    released: batch.released,
    export_id: batch.export_id,
    error: batch.error,
    calls: batch.calls,
    gate: batch.gate,
    gate_reason: batch.gate_reason,
    swept,
    cancellations,
  }))
  return new WorkflowResponse(summary)
}

export const orderExportWorkflow = createWorkflow(operationWorkflow("orderflow-order-export"), composeOrderExport)

/** The same run started by an event: not stored (see EVENT_OPERATION_WORKFLOWS). */
export const orderExportOnEventWorkflow = createWorkflow(eventOperationWorkflow("orderflow-order-export"), composeOrderExport)

export type ManualExportOutcome = {
  order_id: string
  display_id: number | null
  reference: string | null
  /**
   * exported / duplicate (OrderFlow already had it: counts as exported) /
   * failed / retrying (no usable answer; stays queued) / not_eligible /
   * skipped (nothing shipped from stock) / already_exported / in_flight / not_found
   */
  outcome: string
  message: string | null
  export_id: string | null
}

/**
 * Sends the assessed orders that may go, in one document, whatever their
 * retry time; an order OrderFlow already has is refused with the reason
 * rather than sent again (it would answer importDuplicates).
 */
export const exportAssessedOrdersStep = createStep(
  "orderflow-export-assessed-orders",
  async ({ order_ids, queued }: { order_ids: string[]; queued: QueueOrdersResult }, { container }) => {
    const ids = [...new Set(order_ids)]
    const rows = await orderflowService(container).listOrderflowExportItems({ entity_type: "order", entity_id: ids }, { take: null })
    const rowByOrder = new Map(rows.map((r) => [r.entity_id, r]))
    const outcomes = new Map<string, ManualExportOutcome>()
    const toSend: string[] = []
    for (const a of queued.assessments) {
      const row = rowByOrder.get(a.order_id)
      const base = { order_id: a.order_id, display_id: a.display_id, reference: row?.reference ?? a.reference, export_id: null }
      const done = (outcome: string, message: string | null) => outcomes.set(a.order_id, { ...base, outcome, message })
      if (a.code === "not_found") done("not_found", "no such order")
      else if (row?.exported_at) {
        done("already_exported", `already exported to OrderFlow on ${new Date(row.exported_at).toISOString()}; OrderFlow would report it as a duplicate`)
      } else if (row?.status === "queued") done("in_flight", "being exported right now")
      else if (row?.status === "skipped") done("skipped", row.skip_reason)
      else if (row?.status === "cancelled") done("not_eligible", "cancelled")
      else if (!a.eligible) done("not_eligible", a.reason)
      else if (row) toSend.push(row.id)
      else done("not_eligible", "could not be queued")
    }
    if (toSend.length) {
      const { result: batch } = await exportOrderBatchWorkflow(container).run({ input: { trigger: "manual", ids: toSend, batch_size: toSend.length } })
      const byItem = new Map(batch.outcomes.map((o) => [o.id, o]))
      for (const row of rows) {
        const o = byItem.get(row.id)
        if (!o) continue
        const a = queued.assessments.find((x) => x.order_id === row.entity_id)!
        const outcome = o.outcome === "success" ? "exported" : o.outcome === "duplicate" ? "duplicate" : o.outcome === "failure" ? "failed" : "retrying"
        outcomes.set(row.entity_id, { order_id: row.entity_id, display_id: a.display_id, reference: row.reference, outcome, message: o.message, export_id: batch.export_id })
      }
    }
    return new StepResponse(
      ids.map((id) => outcomes.get(id) ?? { order_id: id, display_id: null, reference: null, outcome: "in_flight", message: "taken by another export run", export_id: null })
    )
  }
)

/**
 * Manual export (seed 000 "Manual Order Export"; POST
 * /admin/orderflow/orders/export): each order is assessed and queued if it
 * is not yet, then the eligible ones are sent at once.
 */
export const exportOrdersNowWorkflow = createWorkflow(operationWorkflow("orderflow-export-orders-now"), (input: { order_ids: string[] }) => {
  const queued = queueOrdersForExportWorkflow.runAsStep({
    input: transform({ input }, ({ input }) => ({ order_ids: [...new Set(input.order_ids)], source: "manual" as const })),
  })
  const outcomes = exportAssessedOrdersStep(transform({ input, queued }, ({ input, queued }) => ({ order_ids: input.order_ids, queued })))
  return new WorkflowResponse(outcomes)
})

export const backfillOrdersStep = createStep(
  "orderflow-backfill-orders",
  async ({ from, to, dry_run }: { from: string; to: string; dry_run: boolean }, { container }) => {
    return new StepResponse<BackfillResult>(await backfillOrders(container as MedusaContainer, { from: new Date(from), to: new Date(to), dryRun: dry_run }))
  }
)

/**
 * Backfill: orders placed in [from, to) before order export was enabled (or
 * missed for longer than the sweep looks back) are assessed; with `dry_run`
 * false the eligible ones are queued.
 */
export const backfillOrdersWorkflow = createWorkflow(operationWorkflow("orderflow-backfill-orders"), (input: { from: string; to: string; dry_run: boolean }) => {
  return new WorkflowResponse(backfillOrdersStep(input))
})
