import { MedusaContainer } from "@medusajs/framework/types"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { assessOrderChange, changeReference, orderReference } from "../../lib/order-export"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService, { MarkExportPendingInput } from "../../modules/orderflow/service"
import type { OrderChangeKind } from "../../types"
import type { QueueSource } from "./assess-orders-step"
import { ensureExportFromStep, ExportFromState } from "./ensure-export-from-step"
import { loadChangeExportRows, loadOrderChanges } from "./load-order-changes"
import { loadExportRows, loadOrderFacts } from "./load-order-facts"

export type QueueOrderChangesInput = {
  /** Claim and exchange ids (order.claim_created / order.exchange_created, the sweep). */
  change_ids: string[]
  source: QueueSource
}

export type OrderChangeAssessment = {
  change_id: string
  kind: OrderChangeKind
  order_id: string
  /** `<order ref>-C<n>` / `-X<n>`; null when it gets no row. */
  reference: string | null
  action: "queue" | "skip" | "ignore" | "known"
  reason: string | null
}

export type AssessedOrderChanges = { ignored: string | null; assessments: OrderChangeAssessment[] }

/**
 * Read-only: what each claim or exchange means for OrderFlow
 * (lib/order-export/order-changes.ts assessOrderChange) and, for those that
 * get a row, its reference: the next C or X number of its order, in the
 * order the claims and exchanges were created.
 */
export async function assessOrderChanges(container: MedusaContainer, changeIds: string[], referencePrefix: string): Promise<OrderChangeAssessment[]> {
  const changes = await loadOrderChanges(container, changeIds)
  if (!changes.length) return []
  const orderIds = [...new Set(changes.map((c) => c.order_id))]
  const [facts, originals, known] = await Promise.all([
    loadOrderFacts(container, orderIds),
    loadExportRows(container, orderIds),
    loadChangeExportRows(container, orderIds, "order_id"),
  ])
  const knownIds = new Set(known.map((r) => r.entity_id))
  const taken = new Map<string, number>()
  for (const r of known) taken.set(`${r.order_id}:${r.change_kind}`, (taken.get(`${r.order_id}:${r.change_kind}`) ?? 0) + 1)
  return changes.map((change): OrderChangeAssessment => {
    const base = { change_id: change.id, kind: change.kind, order_id: change.order_id }
    if (knownIds.has(change.id)) return { ...base, reference: known.find((r) => r.entity_id === change.id)!.reference, action: "known", reason: null }
    const order = facts.orders.get(change.order_id) ?? null
    const original = originals.get(change.order_id) ?? null
    const verdict = assessOrderChange(change, order, facts.variants, original)
    if (verdict.action === "ignore" || !order) return { ...base, reference: null, action: "ignore", reason: verdict.action === "ignore" ? verdict.reason : "no such order" }
    const key = `${change.order_id}:${change.kind}`
    const n = (taken.get(key) ?? 0) + 1
    taken.set(key, n)
    const reference = changeReference(original?.reference ?? orderReference(referencePrefix, order.display_id), change.kind, n)
    return { ...base, reference, action: verdict.action, reason: verdict.action === "skip" ? verdict.reason : null }
  })
}

const AUTOMATIC: ReadonlyArray<QueueSource> = ["event", "sweep"]

export const assessOrderChangesStep = createStep(
  "orderflow-assess-order-changes",
  async ({ input, state }: { input: QueueOrderChangesInput; state: ExportFromState }, { container }) => {
    if (AUTOMATIC.includes(input.source) && !state.enabled) {
      return new StepResponse<AssessedOrderChanges>({ ignored: "order export is disabled", assessments: [] })
    }
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const { settings } = await orderflow.getCurrentSettings()
    const assessments = await assessOrderChanges(container as MedusaContainer, input.change_ids, settings.orderExport.referencePrefix)
    return new StepResponse<AssessedOrderChanges>({ ignored: null, assessments })
  }
)

export type QueuedOrderChanges = { queued: string[]; skipped: string[] }

/**
 * Records each claim or exchange that gets a row: pending (sent with the
 * orders, same queue, batches, retries and history) or skipped with the
 * reason. insertOnly, like orders: a row that exists is never touched. The
 * compensation deletes exactly the rows inserted here.
 */
export const queueOrderChangesStep = createStep(
  "orderflow-queue-order-changes",
  async ({ assessments }: AssessedOrderChanges, { container }) => {
    const rows: MarkExportPendingInput[] = assessments
      .filter((a) => (a.action === "queue" || a.action === "skip") && a.reference)
      .map((a) => ({
        entity_type: "order",
        entity_id: a.change_id,
        reference: a.reference!,
        order_id: a.order_id,
        change_kind: a.kind,
        skip_reason: a.action === "skip" ? a.reason : null,
      }))
    if (!rows.length) return new StepResponse<QueuedOrderChanges, string[]>({ queued: [], skipped: [] }, [])
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const now = new Date()
    await orderflow.markExportPending(rows, { now, insertOnly: true })
    const created = await orderflow.listOrderflowExportItems(
      { entity_type: "order", entity_id: rows.map((r) => r.entity_id), created_at: now },
      { select: ["id", "entity_id", "status"], take: null }
    )
    return new StepResponse<QueuedOrderChanges, string[]>(
      {
        queued: created.filter((r) => r.status === "pending").map((r) => r.entity_id),
        skipped: created.filter((r) => r.status === "skipped").map((r) => r.entity_id),
      },
      created.map((r) => r.id)
    )
  },
  async (inserted: string[] | undefined, { container }) => {
    if (!inserted?.length) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.deleteOrderflowExportItems(inserted)
  }
)

export type QueueOrderChangesResult = AssessedOrderChanges & QueuedOrderChanges

/**
 * A confirmed claim or exchange with new items to ship becomes an order of
 * its own in the order export queue (issue 13). Run by the
 * order.claim_created / order.exchange_created subscriber and by the export
 * job's sweep for events that were lost.
 */
export const queueOrderChangesForExportWorkflow = createWorkflow("orderflow-queue-order-changes-for-export", (input: QueueOrderChangesInput) => {
  const state = ensureExportFromStep({})
  const assessed = assessOrderChangesStep({ input, state })
  const queued = queueOrderChangesStep(assessed)
  return new WorkflowResponse(transform({ assessed, queued }, ({ assessed, queued }): QueueOrderChangesResult => ({ ...assessed, ...queued })))
})
