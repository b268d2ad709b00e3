import { MedusaContainer } from "@medusajs/framework/types"
import { ORDERFLOW_MODULE } from "../modules/orderflow"
import OrderflowModuleService from "../modules/orderflow/service"
import { processOrderCancellations } from "../workflows/cancel-order"
import {
  buildOrderExportDocument,
  ensureOrderExportFromWorkflow,
  queueOrdersForExportWorkflow,
  sweepMissedOrders,
} from "../workflows/export-orders"
import { ExportBatchResult, runExportBatch } from "./export-batch"
import { OperationContext, OperationRunner } from "./types"

/** One batch of the order export, through the shared engine (export-batch.ts). */
function exportBatch(ctx: OperationContext, batchSize: number, ids?: string[]) {
  return runExportBatch(ctx, {
    entityType: "order",
    operation: "order_export",
    batchSize,
    ids,
    build: (items) => buildOrderExportDocument(ctx.container, ctx.settings, items),
    send: (client, document) => client.importOrders(document),
  })
}

/**
 * Scheduler operation `order_export` (seed 000 "Order Export"; the admin's
 * cron and batch size). Runs under the operation's lock, in this order:
 * 1. make sure the exportFrom boundary is set once order export is enabled;
 * 2. the cancellation queue: send cancel.xml for orders OrderFlow has,
 *    withdraw those it never got (safe here: no batch runs meanwhile);
 * 3. the sweep: eligible orders whose events were lost are queued (deferred
 *    while a full batch or more is already waiting);
 * 4. one batch of at most batchSize Pending orders: Queued → Exported.
 */
export const runOrderExport: OperationRunner = async (ctx) => {
  const { container, now, trigger } = ctx
  const current = ctx.settings.orderExport
  const state =
    current.enabled && !current.exportFrom
      ? (await ensureOrderExportFromWorkflow(container).run({ input: {} })).result
      : { enabled: current.enabled, export_from: current.exportFrom }
  const settings = { ...ctx.settings, orderExport: { ...ctx.settings.orderExport, exportFrom: state.export_from } }
  const run: OperationContext = { ...ctx, settings }
  const batchSize = settings.orderExport.batchSize
  const cancellations = await processOrderCancellations(container, { now, trigger, limit: batchSize, allowWithdraw: true })
  // The sweep looks for orders the events missed. While a full batch or more
  // is waiting, events are evidently arriving and the backlog goes first:
  // the sweep waits until the queue is shorter than a batch.
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const [, waiting] = await orderflow.listAndCountOrderflowExportItems({ entity_type: "order", status: "pending" }, { select: ["id"], take: 1 })
  let swept: Record<string, unknown>
  if (!state.enabled || !state.export_from) swept = { skipped: "order export is not enabled" }
  else if (waiting >= batchSize) swept = { skipped: `deferred: ${waiting} orders are waiting` }
  else {
    // A failing sweep must not stop the batch: it is tried again next run.
    swept = await sweepMissedOrders(container, { exportFrom: new Date(state.export_from), now }).catch((e: Error) => ({ error: e.message }))
  }
  const batch = await exportBatch(run, batchSize)
  return {
    claimed: batch.claimed,
    sent: batch.sent,
    exported: batch.exported,
    duplicates: batch.duplicates,
    failed: batch.failed,
    retrying: batch.missing,
    released: batch.released,
    export_id: batch.export_id,
    error: batch.error,
    swept,
    cancellations,
  }
}

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
 * Manual export (seed 000 "Manual Order Export"; POST
 * /admin/orderflow/orders/export): each order is assessed, queued if it is
 * not yet, and the eligible ones are sent at once in one document, whatever
 * their retry time. An order OrderFlow already has is refused with the
 * reason rather than sent again (it would answer importDuplicates).
 */
export async function exportOrdersNow(container: MedusaContainer, orderIds: string[], now: Date = new Date()): Promise<ManualExportOutcome[]> {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const { settings } = await orderflow.getCurrentSettings()
  const ids = [...new Set(orderIds)]
  const { result } = await queueOrdersForExportWorkflow(container).run({ input: { order_ids: ids, source: "manual" } })
  const rows = await orderflow.listOrderflowExportItems({ entity_type: "order", entity_id: ids }, { take: null })
  const rowByOrder = new Map(rows.map((r) => [r.entity_id, r]))
  const outcomes = new Map<string, ManualExportOutcome>()
  const toSend: string[] = []
  for (const a of result.assessments) {
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
    const ctx: OperationContext = { container, settings, now, trigger: "manual" }
    const batch: ExportBatchResult = await exportBatch(ctx, toSend.length, toSend)
    const byItem = new Map(batch.outcomes.map((o) => [o.id, o]))
    for (const row of rows) {
      const o = byItem.get(row.id)
      if (!o) continue
      const a = result.assessments.find((x) => x.order_id === row.entity_id)!
      const outcome = o.outcome === "success" ? "exported" : o.outcome === "duplicate" ? "duplicate" : o.outcome === "failure" ? "failed" : "retrying"
      outcomes.set(row.entity_id, {
        order_id: row.entity_id,
        display_id: a.display_id,
        reference: row.reference,
        outcome,
        message: o.message,
        export_id: batch.export_id,
      })
    }
  }
  return ids.map((id) => outcomes.get(id) ?? { order_id: id, display_id: null, reference: null, outcome: "in_flight", message: "taken by another export run", export_id: null })
}
