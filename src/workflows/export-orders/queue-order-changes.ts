import { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
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
  created_at: string
  /** The original order's reference, for those that get a row. */
  original_reference: string | null
  /** `<order ref>-C<n>` / `-X<n>` of a change already known; others are numbered when queued. */
  reference: string | null
  action: "queue" | "skip" | "ignore" | "known"
  reason: string | null
}

export type AssessedOrderChanges = { ignored: string | null; assessments: OrderChangeAssessment[] }

/**
 * Read-only: what each claim or exchange means for OrderFlow
 * (lib/order-export/order-changes.ts assessOrderChange), oldest first, with
 * the reference of its original order. Its own number (C1, X2...) is given
 * when the row is written, under the order's lock.
 */
export async function assessOrderChanges(container: MedusaContainer, changeIds: string[], referencePrefix: string): Promise<OrderChangeAssessment[]> {
  const changes = await loadOrderChanges(container, changeIds)
  if (!changes.length) return []
  const orderIds = [...new Set(changes.map((c) => c.order_id))]
  const [facts, originals, known] = await Promise.all([
    loadOrderFacts(container, orderIds),
    loadExportRows(container, orderIds),
    loadChangeExportRows(container, changes.map((c) => c.id)),
  ])
  const knownRef = new Map(known.map((r) => [r.entity_id, r.reference]))
  return changes.map((change): OrderChangeAssessment => {
    const base = { change_id: change.id, kind: change.kind, order_id: change.order_id, created_at: new Date(change.created_at).toISOString() }
    if (knownRef.has(change.id)) return { ...base, original_reference: null, reference: knownRef.get(change.id)!, action: "known", reason: null }
    const order = facts.orders.get(change.order_id) ?? null
    const original = originals.get(change.order_id) ?? null
    const verdict = assessOrderChange(change, order, facts.variants, original)
    if (verdict.action === "ignore" || !order) {
      return { ...base, original_reference: null, reference: null, action: "ignore", reason: verdict.action === "ignore" ? verdict.reason : "no such order" }
    }
    const originalReference = original?.reference ?? orderReference(referencePrefix, order.display_id)
    return { ...base, original_reference: originalReference, reference: null, action: verdict.action, reason: verdict.action === "skip" ? verdict.reason : null }
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
 * reason, numbered C1, C2... / X1, X2... per order in the order they were
 * created. Under a lock per order (sorted keys): two claims of one order
 * confirmed at the same moment would otherwise both count the same rows and
 * both be called `-C1`. insertOnly, like orders: a row that exists is never
 * touched. The compensation deletes exactly the rows inserted here.
 */
export const queueOrderChangesStep = createStep(
  "orderflow-queue-order-changes",
  async ({ assessments }: AssessedOrderChanges, { container }) => {
    const wanted = assessments.filter((a) => (a.action === "queue" || a.action === "skip") && a.original_reference)
    if (!wanted.length) return new StepResponse<QueuedOrderChanges, string[]>({ queued: [], skipped: [] }, [])
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const orderIds = [...new Set(wanted.map((a) => a.order_id))].sort()
    const created = await container.resolve(Modules.LOCKING).execute(
      orderIds.map((id) => `orderflow:order-changes:${id}`),
      async () => {
        const existing = await loadChangeExportRows(container as MedusaContainer, orderIds, "order_id")
        const known = new Set(existing.map((r) => r.entity_id))
        const taken = new Map<string, number>()
        for (const r of existing) taken.set(`${r.order_id}:${r.change_kind}`, (taken.get(`${r.order_id}:${r.change_kind}`) ?? 0) + 1)
        const rows: MarkExportPendingInput[] = []
        for (const a of [...wanted].sort((x, y) => x.created_at.localeCompare(y.created_at) || x.change_id.localeCompare(y.change_id))) {
          if (known.has(a.change_id)) continue
          const key = `${a.order_id}:${a.kind}`
          const n = (taken.get(key) ?? 0) + 1
          taken.set(key, n)
          rows.push({
            entity_type: "order",
            entity_id: a.change_id,
            reference: changeReference(a.original_reference!, a.kind, n),
            order_id: a.order_id,
            change_kind: a.kind,
            skip_reason: a.action === "skip" ? a.reason : null,
          })
        }
        if (!rows.length) return []
        const now = new Date()
        await orderflow.markExportPending(rows, { now, insertOnly: true })
        return orderflow.listOrderflowExportItems(
          { entity_type: "order", entity_id: rows.map((r) => r.entity_id), created_at: now },
          { select: ["id", "entity_id", "status"], take: null }
        )
      },
      { timeout: 30 }
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
