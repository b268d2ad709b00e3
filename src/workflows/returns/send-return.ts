import { performance } from "node:perf_hooks"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { classifyError, errorMessage } from "../../lib/errors"
import { isExhausted, nextAttemptAt, retryPolicyFrom } from "../../lib/export/retry-schedule"
import { formatOrderflowDateTime } from "../../lib/order-export/format"
import { buildReturnImportDocument } from "../../lib/returns"
import { interpretImportReply } from "../../lib/xml/import-result"
import type { OperationTrigger, ReturnStatus } from "../../types"
import { recordOrderCall } from "../cancel-order/record-order-call"
import { operationWorkflow } from "../common/operation"
import { EXPORT_WAITING, exportSkipReason } from "./record-return-request"
import { orderflowClientFrom } from "../common/orderflow-client"
import { currentSettings, orderflowService } from "../common/settings"

export type SendReturnInput = { record_id: string; trigger: OperationTrigger }

type RecordSnapshot = {
  id: string
  status: ReturnStatus
  skip_reason: string | null
  order_reference: string | null
  attempts: number
  next_attempt_at: Date | null
  last_error: string | null
  sent_at: Date | null
}

export type PreparedReturn = {
  /**
   * send: build and post; wait: the order is still in the export queue;
   * skip: the order will never reach OrderFlow (skip_reason); none: not
   * pending any more (sent meanwhile, skipped...).
   */
  action: "send" | "wait" | "skip" | "none"
  skip_reason?: string
  /** The order's reference in OrderFlow, when sending. */
  order_reference?: string
  record: RecordSnapshot | null
  order_id: string
  authorisation: string
  document: string | null
  /** A document that cannot be built (bad data): recorded as an item failure without a call. */
  build_error: string | null
}

/** How the call ended: OrderFlow has it, refused the item, or no usable answer (the whole call failed). */
export type ReturnCall = {
  kind: "accepted" | "item_failure" | "call_failure"
  message: string | null
  retry: "transient" | "permanent" | null
  http_status: number | null
  body: string | null
  duration_ms: number
}

export type ReturnSendOutcome = {
  record_id: string
  order_id: string
  authorisation: string
  outcome: "sent" | "retry" | "failed" | "waiting" | "skipped" | "none"
  message: string | null
  attempts: number
  /** Failed for good, or retries reached the policy's maximum now: tell an administrator. */
  alert: boolean
}

/** Read-only: the record, and the document to send (seed 002 "Returns Import"). */
export const prepareReturnImportStep = createStep("orderflow-prepare-return-import", async ({ record_id }: SendReturnInput, { container }) => {
  const orderflow = orderflowService(container)
  const [row] = await orderflow.listOrderflowReturns({ id: record_id }, { take: 1 })
  if (!row || row.status !== "pending") {
    return new StepResponse<PreparedReturn>({ action: "none", record: null, order_id: row?.order_id ?? "", authorisation: row?.authorisation ?? "", document: null, build_error: null })
  }
  const record: RecordSnapshot = {
    id: row.id,
    status: row.status,
    skip_reason: row.skip_reason,
    order_reference: row.order_reference,
    attempts: row.attempts,
    next_attempt_at: row.next_attempt_at,
    last_error: row.last_error,
    sent_at: row.sent_at,
  }
  const base = { record, order_id: row.order_id, authorisation: row.authorisation, document: null, build_error: null }
  // The order's export state now: a return recorded while the order was still queued waits for it.
  const [exportRow] = await orderflow.listOrderflowExportItems(
    { entity_type: "order", entity_id: row.order_id },
    { select: ["id", "reference", "exported_at", "status"], take: 1 }
  )
  if (!exportRow) return new StepResponse<PreparedReturn>({ ...base, action: "skip", skip_reason: `OrderFlow never received order ${row.order_id}: nothing to return there` })
  if (!exportRow.exported_at) {
    if (EXPORT_WAITING.includes(exportRow.status)) return new StepResponse<PreparedReturn>({ ...base, action: "wait" })
    return new StepResponse<PreparedReturn>({ ...base, action: "skip", skip_reason: exportSkipReason(row.order_id, exportRow.status) })
  }
  const settings = await currentSettings(container)
  const lines = await orderflow.listOrderflowReturnLines({ return_record_id: row.id }, { order: { line_number: "ASC" } })
  let document: string | null = null
  let buildError: string | null = null
  try {
    document = buildReturnImportDocument({
      orderReference: exportRow.reference,
      authorisation: row.authorisation,
      type: row.return_type ?? settings.returns.type,
      returnDate: formatOrderflowDateTime(new Date(row.requested_at), settings.api.timeZone),
      organisation: settings.api.organisation,
      site: settings.returns.site,
      note: row.note,
      lines: lines.filter((l) => l.sku).map((l) => ({ product: l.sku, quantity: l.quantity, reason: l.reason, condition: l.condition })),
    })
  } catch (e) {
    buildError = errorMessage(e)
  }
  return new StepResponse<PreparedReturn>({ ...base, action: "send", order_reference: exportRow.reference, document, build_error: buildError })
})

/**
 * POST importitems.xml with the organisation header. Cannot be undone, so
 * only the record follows. Never throws: no answer is an outcome too.
 * A duplicate (the same authorisation sent before, e.g. after a timeout)
 * means OrderFlow has the return.
 */
export const sendReturnImportStep = createStep("orderflow-send-return-import", async (prepared: PreparedReturn, { container }) => {
  if (prepared.action !== "send" || !prepared.document) return new StepResponse<ReturnCall | null>(null)
  const settings = await currentSettings(container)
  const started = performance.now()
  let status: number | null = null
  let body: string | null = null
  try {
    const reply = await orderflowClientFrom(settings).importReturns(prepared.document)
    status = reply.status
    body = reply.body
    const result = interpretImportReply(reply)
    const failure = result.failures[0]
    if (failure && !result.successes.length && !result.duplicates.length) {
      const message = [failure.message, failure.detail].filter(Boolean).join(": ") || "refused by OrderFlow"
      return new StepResponse<ReturnCall | null>({ kind: "item_failure", message, retry: null, http_status: status, body, duration_ms: performance.now() - started })
    }
    if (!result.successes.length && !result.duplicates.length) {
      return new StepResponse<ReturnCall | null>({
        kind: "call_failure",
        message: "OrderFlow's importResult does not mention the return",
        retry: "transient",
        http_status: status,
        body,
        duration_ms: performance.now() - started,
      })
    }
    return new StepResponse<ReturnCall | null>({ kind: "accepted", message: null, retry: null, http_status: status, body, duration_ms: performance.now() - started })
  } catch (e) {
    return new StepResponse<ReturnCall | null>({
      kind: "call_failure",
      message: errorMessage(e),
      retry: classifyError(e),
      http_status: status,
      body,
      duration_ms: performance.now() - started,
    })
  }
})

/**
 * The outcome, always recorded (the return row and the export history):
 * accepted → sent; refused (importFailures) → retried with the one back-off
 * policy until its attempts are used up, then failed with an alert; no
 * usable answer (network, 5xx, `<error>`, wrong credentials) → stays pending
 * with back-off whatever the count (a return must reach the warehouse), with
 * an alert when the count reaches the maximum. The compensation restores the
 * row and removes the history record.
 */
export const recordReturnImportStep = createStep(
  "orderflow-record-return-import",
  async ({ prepared, call, trigger }: { prepared: PreparedReturn; call: ReturnCall | null; trigger: OperationTrigger }, { container }) => {
    const record = prepared.record
    const base = { record_id: record?.id ?? "", order_id: prepared.order_id, authorisation: prepared.authorisation }
    if (prepared.action === "none" || !record) {
      return new StepResponse<ReturnSendOutcome, { record: RecordSnapshot; export_id: string | null } | null>({ ...base, outcome: "none", message: null, attempts: 0, alert: false }, null)
    }
    const orderflow = orderflowService(container)
    const settings = await currentSettings(container)
    const policy = retryPolicyFrom(settings)
    const now = new Date()
    if (prepared.action === "wait") {
      // Not an attempt: the order is on its way to OrderFlow; look again after the first back-off delay.
      await orderflow.updateOrderflowReturns({ id: record.id, next_attempt_at: new Date(now.getTime() + policy.baseDelayMs) })
      return new StepResponse<ReturnSendOutcome, { record: RecordSnapshot; export_id: string | null } | null>(
        { ...base, outcome: "waiting", message: "Waiting for the order to be exported", attempts: record.attempts, alert: false },
        { record, export_id: null }
      )
    }
    if (prepared.action === "skip") {
      await orderflow.updateOrderflowReturns({ id: record.id, status: "skipped", skip_reason: prepared.skip_reason ?? null, next_attempt_at: null })
      return new StepResponse<ReturnSendOutcome, { record: RecordSnapshot; export_id: string | null } | null>(
        { ...base, outcome: "skipped", message: prepared.skip_reason ?? null, attempts: record.attempts, alert: false },
        { record, export_id: null }
      )
    }
    const attempts = record.attempts + 1
    const effective: ReturnCall = call ?? { kind: "item_failure", message: prepared.build_error ?? "no document", retry: null, http_status: null, body: null, duration_ms: 0 }
    let outcome: ReturnSendOutcome["outcome"]
    let message: string
    let update: Record<string, unknown>
    let alert = false
    if (effective.kind === "accepted") {
      outcome = "sent"
      message = `Return ${prepared.authorisation} accepted by OrderFlow`
      update = { status: "sent", sent_at: now, next_attempt_at: null, last_error: null, order_reference: prepared.order_reference ?? null }
    } else if (effective.kind === "item_failure") {
      const exhausted = isExhausted(attempts, policy) || !call
      outcome = exhausted ? "failed" : "retry"
      message = `Return ${prepared.authorisation} refused by OrderFlow: ${effective.message}${exhausted ? "" : "; will retry"}`
      update = exhausted
        ? { status: "failed", next_attempt_at: null, last_error: effective.message }
        : { next_attempt_at: nextAttemptAt({ attempts, now, policy, random: Math.random }), last_error: effective.message }
      alert = exhausted
    } else {
      outcome = "retry"
      const permanent = effective.retry === "permanent"
      message = `Return ${prepared.authorisation} not sent: ${effective.message}; will retry${permanent ? " (this will not change by itself: check Settings → OrderFlow)" : ""}`
      update = { next_attempt_at: nextAttemptAt({ attempts, now, policy, random: Math.random }), last_error: effective.message }
      // A permanent cause (credentials, URL, organisation) is worth telling at once; an outage only once it lasts.
      alert = attempts === policy.maxAttempts || (permanent && attempts === 1)
    }
    await orderflow.updateOrderflowReturns({ id: record.id, attempts, ...update })
    let exportId: string | null = null
    if (call) {
      exportId = await recordOrderCall(orderflow, {
        operation: "return_import",
        trigger,
        reference: prepared.authorisation,
        order_id: prepared.order_id,
        request: prepared.document ?? "",
        http_status: call.http_status,
        duration_ms: call.duration_ms,
        response_body: call.body,
        error: call.kind === "accepted" ? null : call.message,
        outcome: call.kind === "accepted" ? "success" : "failure",
        message,
      })
    }
    return new StepResponse<ReturnSendOutcome, { record: RecordSnapshot; export_id: string | null } | null>(
      { ...base, outcome, message, attempts, alert },
      { record, export_id: exportId }
    )
  },
  async (written, { container }) => {
    if (!written) return
    const orderflow = orderflowService(container)
    await orderflow.updateOrderflowReturns(written.record)
    if (written.export_id) await orderflow.deleteOrderflowExports([written.export_id])
  }
)

/** One return to OrderFlow: prepare (read-only) → send → record. */
export const sendReturnToOrderflowWorkflow = createWorkflow(operationWorkflow("orderflow-send-return"), (input: SendReturnInput) => {
  const prepared = prepareReturnImportStep(input)
  const call = sendReturnImportStep(prepared)
  return new WorkflowResponse(recordReturnImportStep({ prepared, call, trigger: input.trigger }))
})
