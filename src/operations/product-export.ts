import { MedusaContainer } from "@medusajs/framework/types"
import { ORDERFLOW_MODULE } from "../modules/orderflow"
import OrderflowModuleService from "../modules/orderflow/service"
import { exportProductsWorkflow, queueProductExportWorkflow, sweepProductChanges, SweepResult } from "../workflows/export-products"
import { loadExportRows, loadVariantFacts } from "../workflows/export-products/variant-facts"
import { ExportBatchResult, runExportBatch } from "./export-batch"
import { OperationContext, OperationRunner } from "./types"

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
 * `batchSize` pending (and due failed) SKUs are claimed, sent in one
 * `<imports>` document to /remotewarehouse/imports/importitems.xml and
 * settled from OrderFlow's importResult by the shared engine. `ids` (export
 * item ids) exports exactly those, due or not (manual export).
 */
export async function exportProductBatch(ctx: OperationContext, { ids, batchSize }: { ids?: string[]; batchSize?: number } = {}): Promise<ExportBatchResult> {
  return runExportBatch(ctx, {
    entityType: "product",
    operation: "product_export",
    batchSize: batchSize ?? ctx.settings.productExport.batchSize,
    ids,
    build: async (items) => {
      const { result } = await exportProductsWorkflow(ctx.container).run({
        input: {
          items: items.map((i) => ({
            id: i.id,
            entity_id: i.entity_id,
            reference: i.reference,
            variant_id: i.variant_id,
            product_id: i.product_id,
            activated: i.activated,
          })),
          options: {
            channel: ctx.settings.api.channel,
            includeImage: ctx.settings.productExport.includeImage,
            placeholderImage: ctx.settings.productExport.placeholderImage,
          },
        },
      })
      return result
    },
    send: (client, document) => client.importProducts(document),
  })
}

/**
 * Where the previous sweep left off. Kept in the operation's last summary
 * (carried forward by runs that do not sweep); none after a failed run, which
 * makes the next sweep a full one: slower, never wrong.
 */
async function previousWatermark(ctx: OperationContext): Promise<Date | null> {
  const orderflow: OrderflowModuleService = ctx.container.resolve(ORDERFLOW_MODULE)
  const [run] = await orderflow.listOrderflowOperationRuns({ operation: "product_export" }, { take: 1 })
  const value = (run?.last_summary as { sweep?: { watermark?: string } } | null)?.sweep?.watermark
  const at = value ? new Date(value) : null
  return at && !Number.isNaN(at.getTime()) ? at : null
}

const later = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b)

/** Scheduler operation `product_export`: catch lost changes, then export one batch. */
export const runProductExport: OperationRunner = async (ctx) => {
  const watermark = await previousWatermark(ctx)
  const started = ctx.now
  let sweep: (SweepResult & { watermark: string }) | { mode: "skipped"; watermark: string }
  if (watermark && started.getTime() - watermark.getTime() < SWEEP_INTERVAL_MS) {
    sweep = { mode: "skipped", watermark: watermark.toISOString() }
  } else {
    const since = watermark ? new Date(watermark.getTime() - SWEEP_OVERLAP_MS) : null
    sweep = { ...(await sweepProductChanges(ctx.container, { since })), watermark: started.toISOString() }
  }
  // Claim after the sweep: a row it queued has changed_at = the sweep's time,
  // and a claim stamped earlier would take it for "changed while in flight".
  const batch = await exportProductBatch({ ...ctx, now: later(ctx.now, new Date()) })
  const { outcomes, ...counts } = batch
  return { sweep, ...counts, failures: outcomes.filter((o) => o.outcome === "failure").slice(0, 20) }
}

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

/**
 * Manual export (seed 000 "Export Types", manual): the products' SKUs are
 * queued (so their rows match the catalog), then sent at once in batches of
 * the configured size, and each SKU is reported. Rows a scheduled run has in
 * flight are not claimed twice (the engine claims by id, skipping queued
 * rows); they are reported as `in_flight`.
 */
export async function exportProductsNow(
  container: MedusaContainer,
  { product_ids, variant_ids, now = new Date() }: { product_ids: string[]; variant_ids: string[]; now?: Date }
) {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const { settings } = await orderflow.getCurrentSettings()
  await queueProductExportWorkflow(container).run({ input: { product_ids, variant_ids } })

  // The SKUs of these products: their own rows and their kits' component rows.
  const variants = [
    ...(await loadVariantFacts(container, { product_id: product_ids })),
    ...(await loadVariantFacts(container, { id: variant_ids })),
  ]
  const itemIds = [...new Set(variants.flatMap((v) => v.inventory.map((i) => i.inventory_item_id)))]
  const rows = await loadExportRows(container, { product_ids, variant_ids, entity_ids: itemIds })
  const sendable = rows.filter((r) => r.status !== "skipped" && r.status !== "queued").map((r) => r.id as string)

  // Stamped after the queueing above (see runProductExport).
  const ctx: OperationContext = { container, settings, now: later(now, new Date()), trigger: "manual" }
  const size = settings.productExport.batchSize
  const outcomes = new Map<string, { outcome: string; message: string | null }>()
  const exportIds: string[] = []
  const errors: string[] = []
  for (let i = 0; i < sendable.length; i += size) {
    const ids = sendable.slice(i, i + size)
    const batch = await exportProductBatch(ctx, { ids, batchSize: ids.length })
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
  return {
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
  }
}
