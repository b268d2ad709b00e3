import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { performance } from "node:perf_hooks"
import { OrderflowError } from "../lib/errors"
import { isExhausted, nextAttemptAt } from "../lib/export/retry-schedule"
import { ItemOutcome, outcomesFor, SentItem } from "../lib/export/line-outcome"
import { interpretImportReply } from "../lib/xml/import-result"
import { OrderflowClient, OrderflowReply } from "../modules/orderflow/client"
import { ORDERFLOW_MODULE } from "../modules/orderflow"
import OrderflowModuleService, { ExportItemRow, SettleExportInput } from "../modules/orderflow/service"
import { sendAlertWorkflow } from "../workflows/send-alert"
import { orderflowClientFrom } from "./orderflow-client"
import { retryPolicyFrom } from "./retry-policy"
import { OperationContext } from "./types"

/** How long an item may stay queued before a crashed run's items are taken back. */
export const EXPORT_LEASE_MS = 10 * 60 * 1000

export type BuiltDocument = {
  /** The `<imports>` document, or null when nothing could be built. */
  document: string | null
  /** Items in the document, by the externalReference OrderFlow will report. */
  sent: SentItem[]
  /** Items that could not be put in the document (e.g. no image): failed without a call. */
  rejected: Array<SentItem & { message: string }>
}

export type ExportBatchSpec = {
  entityType: "product" | "order"
  operation: "product_export" | "order_export"
  batchSize: number
  /** Manual export: exactly these export item ids, due or not. */
  ids?: string[]
  build: (items: ExportItemRow[]) => Promise<BuiltDocument>
  send: (client: OrderflowClient, document: string) => Promise<OrderflowReply>
}

export type ExportBatchResult = {
  claimed: number
  released: number
  sent: number
  exported: number
  duplicates: number
  failed: number
  missing: number
  export_id: string | null
  error: string | null
  outcomes: Array<{ id: string; reference: string; outcome: string; message: string | null }>
}

/**
 * One batch of an export operation (seed 000 "Magento Workflow":
 * Pending -> Queued -> Exported): claim due items, build one `<imports>`
 * document, send it, settle every item from the `importResult`, record the
 * call with its documents, alert on items that failed for good. Shared by
 * product and order export; they differ only in `build` and `send`.
 */
export async function runExportBatch(ctx: OperationContext, spec: ExportBatchSpec): Promise<ExportBatchResult> {
  const { container, settings, now, trigger } = ctx
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const policy = retryPolicyFrom(settings)
  const { items, released } = await orderflow.claimExportItems({
    entity_type: spec.entityType,
    limit: spec.batchSize,
    now,
    leaseMs: EXPORT_LEASE_MS,
    ids: spec.ids,
  })
  const result: ExportBatchResult = {
    claimed: items.length,
    released,
    sent: 0,
    exported: 0,
    duplicates: 0,
    failed: 0,
    missing: 0,
    export_id: null,
    error: null,
    outcomes: [],
  }
  if (!items.length) return result
  const byId = new Map(items.map((i) => [i.id, i]))
  const retryAt = (attempts: number) => nextAttemptAt({ attempts, now: new Date(), policy, random: Math.random })

  let built: BuiltDocument
  try {
    built = await spec.build(items)
  } catch (e) {
    // Building must not strand the claimed items.
    built = { document: null, sent: [], rejected: items.map((i) => ({ id: i.id, reference: i.reference, message: `could not build the document: ${(e as Error).message}` })) }
  }

  const started = performance.now()
  const sentAt = new Date()
  let reply: OrderflowReply | null = null
  let itemOutcomes: ItemOutcome[] = []
  let wholeError: OrderflowError | Error | null = null
  if (built.document && built.sent.length) {
    try {
      const client = orderflowClientFrom(settings)
      reply = await spec.send(client, built.document)
      itemOutcomes = outcomesFor(built.sent, interpretImportReply(reply))
    } catch (e) {
      wholeError = e as Error
    }
  }
  const duration = performance.now() - started

  const outcomes: SettleExportInput["outcomes"] = []
  const finalFailures: ExportItemRow[] = []
  for (const r of built.rejected) {
    const item = byId.get(r.id)!
    const attempts = item.attempts + 1
    const final = isExhausted(attempts, policy)
    if (final) finalFailures.push(item)
    outcomes.push({ id: r.id, reference: r.reference, entity_id: item.entity_id, outcome: "failure", message: r.message, attempts, next_attempt_at: final ? null : retryAt(attempts) })
  }
  if (wholeError) {
    // The call as a whole failed (network, timeout, 5xx, <error>, garbage):
    // every item goes back to pending with back-off. Never lost, never failed for good.
    const message = wholeError.message
    for (const s of built.sent) {
      const item = byId.get(s.id)!
      const attempts = item.attempts + 1
      outcomes.push({ id: s.id, reference: s.reference, entity_id: item.entity_id, outcome: "missing", message: `request failed: ${message}`, attempts, next_attempt_at: retryAt(attempts) })
    }
    result.error = message
    logger.warn(`OrderFlow ${spec.operation} call failed: ${message}`)
  } else {
    for (const o of itemOutcomes) {
      const item = byId.get(o.id)!
      if (o.outcome === "failure") {
        const attempts = item.attempts + 1
        const final = isExhausted(attempts, policy)
        if (final) finalFailures.push(item)
        outcomes.push({ ...o, entity_id: item.entity_id, attempts, next_attempt_at: final ? null : retryAt(attempts) })
      } else if (o.outcome === "missing") {
        outcomes.push({ ...o, entity_id: item.entity_id, attempts: item.attempts, next_attempt_at: null })
      } else {
        outcomes.push({ ...o, entity_id: item.entity_id, attempts: 0 })
      }
    }
  }
  // Claimed items neither sent nor rejected (the builder dropped them) stay pending.
  const covered = new Set(outcomes.map((o) => o.id))
  for (const item of items) {
    if (!covered.has(item.id)) {
      outcomes.push({ id: item.id, reference: item.reference, entity_id: item.entity_id, outcome: "missing", message: "not included in the document", attempts: item.attempts, next_attempt_at: null })
    }
  }

  const failures = outcomes.filter((o) => o.outcome === "failure").length
  const successes = outcomes.filter((o) => o.outcome === "success" || o.outcome === "duplicate").length
  const { export_id } = await orderflow.settleExport({
    record: {
      operation: spec.operation,
      trigger,
      status: wholeError ? "failed" : failures === 0 && successes === outcomes.length ? "success" : successes > 0 ? "partial" : "failed",
      http_status: reply?.status ?? (wholeError && "status" in wholeError ? (wholeError as { status: number }).status : null),
      duration_ms: duration,
      request_body: built.document,
      response_body: reply?.body ?? null,
      error: wholeError?.message ?? null,
    },
    outcomes,
    now: new Date(),
    sent_at: sentAt,
  })

  result.export_id = export_id
  result.sent = built.sent.length
  result.exported = outcomes.filter((o) => o.outcome === "success").length
  result.duplicates = outcomes.filter((o) => o.outcome === "duplicate").length
  result.failed = failures
  result.missing = outcomes.filter((o) => o.outcome === "missing").length
  result.outcomes = outcomes.map((o) => ({ id: o.id, reference: o.reference, outcome: o.outcome, message: o.message ?? null }))

  if (wholeError && built.sent.some((s) => byId.get(s.id)!.attempts + 1 === policy.maxAttempts)) {
    // Items are never failed for an outage, but someone must know it lasts.
    await sendAlertWorkflow(container).run({
      input: {
        title: `OrderFlow ${spec.operation.replace("_", " ")} keeps failing`,
        description: `${built.sent.length} item(s) could not be sent ${policy.maxAttempts} times in a row: ${wholeError.message}. They stay queued and are retried with back-off.`,
        key: `export-outage:${export_id}`,
      },
    })
  }

  for (const item of finalFailures) {
    const failure = outcomes.find((o) => o.id === item.id)
    await sendAlertWorkflow(container).run({
      input: {
        title: `OrderFlow ${spec.entityType} ${item.reference} could not be exported`,
        description: `${failure?.message ?? "failed"} — after ${failure?.attempts} attempts it will not be retried automatically. Fix the cause, then export it again or reset its export status.`,
        key: `export:${item.id}:${failure?.attempts}`,
        resource_type: spec.entityType === "order" ? "order" : "product_variant",
        resource_id: item.variant_id ?? item.entity_id,
      },
    })
  }
  return result
}
