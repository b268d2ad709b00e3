import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../types"
import type OrderflowModuleService from "../../modules/orderflow/service"
import { eventOperationWorkflow, OperationInput, operationWorkflow } from "../common/operation"
import { laterOf } from "../common/settings"
import { createExportBatchStep, createExportBatchWorkflow, ExportBatchInput, ExportBatchSpec } from "../export-batch"
import { buildProductDocumentStep } from "./build-product-document-step"
import { queueProductExportWorkflow } from "./queue-product-export"
import { sweepAllProductsStep, sweepProductChanges, SweepResult } from "./sweep-product-changes"
import { loadExportRows, loadVariantFacts } from "./variant-facts"

/** A sweep at most this often; runs in between only export. */
export const SWEEP_INTERVAL_MS = 60_000
/**
 * How far back each sweep looks before the previous one started: a product
 * written in a transaction that committed after that sweep read the table
 * still carries an updated_at from before it.
 */
export const SWEEP_OVERLAP_MS = 2 * 60_000

/**
 * One batch of product export (seed 000 "Magento Workflow"): up to
 * `batch_size` pending (and due failed) SKUs are claimed, sent in one
 * `<imports>` document to /remotewarehouse/imports/importitems.xml and
 * settled from OrderFlow's importResult. `ids` (export item ids) exports
 * exactly those, due or not (manual export).
 */
const PRODUCT_BATCH: ExportBatchSpec = { entityType: "product", operation: "product_export", buildStep: buildProductDocumentStep }
export const exportProductBatchWorkflow = createExportBatchWorkflow({ id: "orderflow-export-product-batch", ...PRODUCT_BATCH })
export const exportProductBatchStep = createExportBatchStep("orderflow-run-product-batch", exportProductBatchWorkflow)

type SweepSummary = (SweepResult & { watermark: string }) | { mode: "skipped"; watermark: string }

/**
 * Catches product changes whose events were lost: a full sweep the first
 * time, then what changed since the previous sweep (minus an overlap), at
 * most once a minute. The watermark is carried in the operation's last
 * summary; none after a failed run, which makes the next sweep a full one:
 * slower, never wrong.
 */
export const sweepProductChangesStep = createStep("orderflow-sweep-product-changes", async ({ now }: { now?: string }, { container }) => {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const [run] = await orderflow.listOrderflowOperationRuns({ operation: "product_export" }, { take: 1 })
  const value = (run?.last_summary as { sweep?: { watermark?: string } } | null)?.sweep?.watermark
  const parsed = value ? new Date(value) : null
  const watermark = parsed && !Number.isNaN(parsed.getTime()) ? parsed : null
  const started = now ? new Date(now) : new Date()
  if (watermark && started.getTime() - watermark.getTime() < SWEEP_INTERVAL_MS) {
    return new StepResponse<SweepSummary>({ mode: "skipped", watermark: watermark.toISOString() })
  }
  const since = watermark ? new Date(watermark.getTime() - SWEEP_OVERLAP_MS) : null
  return new StepResponse<SweepSummary>({ ...(await sweepProductChanges(container, { since })), watermark: started.toISOString() })
})

/** The sweep alone, over everything (`since` null) or what changed since: the admin's "reset all" and the benchmarks. */
export const sweepProductChangesWorkflow = createWorkflow(operationWorkflow("orderflow-sweep-product-changes"), (input: { since: string | null }) => {
  return new WorkflowResponse(sweepAllProductsStep(input))
})

/** Operation `product_export` (scheduled or "run now"): catch lost changes, then export one batch. */
function composeProductExport(input: OperationInput) {
  const sweep = sweepProductChangesStep(input)
  // The batch claims after the sweep (see claimExportItemsStep).
  const batchInput = transform({ input }, ({ input }): ExportBatchInput => ({ trigger: input.trigger, now: input.now }))
  const batch = exportProductBatchStep(batchInput)
  const summary = transform({ sweep, batch }, ({ sweep, batch }) => ({ sweep, ...batch }))
  return new WorkflowResponse(summary)
}

export const productExportWorkflow = createWorkflow(operationWorkflow("orderflow-product-export"), composeProductExport)

/** The same run started by an event: not stored (see EVENT_OPERATION_WORKFLOWS). */
export const productExportOnEventWorkflow = createWorkflow(eventOperationWorkflow("orderflow-product-export"), composeProductExport)

export type ProductExportOutcome = {
  id: string
  reference: string
  inventory_item_id: string | null
  variant_id: string | null
  product_id: string | null
  /** success | duplicate | failure | missing (left pending) | in_flight (another run has it) | skipped. */
  outcome: string
  status: string
  message: string | null
  exported_at: Date | null
}

export type ExportProductsNowInput = { product_ids: string[]; variant_ids: string[]; now?: string }

/**
 * Sends the queued SKUs of these products at once, in batches of the
 * configured size, and reports each SKU. Rows a scheduled run has in flight
 * are not claimed twice (the batch claims by id, skipping queued rows); they
 * are reported as `in_flight`.
 */
export const exportSelectedProductsStep = createStep(
  "orderflow-export-selected-products",
  async ({ product_ids, variant_ids, now }: ExportProductsNowInput, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const { settings } = await orderflow.getCurrentSettings()
    // The SKUs of these products: their own rows and their kits' component rows.
    const variants = [...(await loadVariantFacts(container, { product_id: product_ids })), ...(await loadVariantFacts(container, { id: variant_ids }))]
    const itemIds = [...new Set(variants.flatMap((v) => v.inventory.map((i) => i.inventory_item_id)))]
    const rows = await loadExportRows(container, { product_ids, variant_ids, entity_ids: itemIds })
    const sendable = rows.filter((r) => r.status !== "skipped" && r.status !== "queued").map((r) => r.id as string)

    const size = settings.productExport.batchSize
    const outcomes = new Map<string, { outcome: string; message: string | null }>()
    const exportIds: string[] = []
    const errors: string[] = []
    const stamp = laterOf(now, new Date()).toISOString()
    for (let i = 0; i < sendable.length; i += size) {
      const ids = sendable.slice(i, i + size)
      const { result: batch } = await exportProductBatchWorkflow(container).run({ input: { trigger: "manual", ids, batch_size: ids.length, now: stamp } })
      if (batch.export_id) exportIds.push(batch.export_id)
      if (batch.error) errors.push(batch.error)
      for (const o of batch.outcomes) outcomes.set(o.id, { outcome: o.outcome, message: o.message })
    }

    const ids = rows.map((r) => r.id as string)
    const after = ids.length ? await orderflow.listOrderflowExportItems({ id: ids }, { take: null }) : []
    const items: ProductExportOutcome[] = after
      .map((r) => {
        const o = outcomes.get(r.id)
        const skipped = r.status === "skipped"
        return {
          id: r.id,
          reference: r.reference,
          inventory_item_id: skipped ? null : r.entity_id,
          variant_id: r.variant_id,
          product_id: r.product_id,
          outcome: o?.outcome ?? (skipped ? "skipped" : "in_flight"),
          status: r.status,
          message: o?.message ?? (skipped ? r.skip_reason : r.status === "queued" ? "being exported by another run" : r.last_error),
          exported_at: r.exported_at as Date | null,
        }
      })
      .sort((a, b) => a.reference.localeCompare(b.reference))
    const count = (outcome: string) => items.filter((i) => i.outcome === outcome).length
    return new StepResponse({
      export_ids: exportIds,
      error: errors[0] ?? null,
      summary: {
        sent: outcomes.size,
        exported: count("success"),
        duplicates: count("duplicate"),
        failed: count("failure"),
        missing: count("missing"),
        in_flight: count("in_flight"),
        skipped: count("skipped"),
      },
      items,
    })
  }
)

/**
 * Manual export (seed 000 "Export Types", manual; POST
 * /admin/orderflow/products/export): the products' SKUs are queued (so their
 * rows match the catalog), then sent at once and each SKU is reported.
 */
export const exportProductsNowWorkflow = createWorkflow(operationWorkflow("orderflow-export-products-now"), (input: ExportProductsNowInput) => {
  queueProductExportWorkflow.runAsStep({ input: transform({ input }, ({ input }) => ({ product_ids: input.product_ids, variant_ids: input.variant_ids })) })
  const result = exportSelectedProductsStep(input)
  return new WorkflowResponse(result)
})
