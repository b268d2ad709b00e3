import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { keysetPages } from "../../lib/product-export"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { keepHeapWithinBudget } from "../common/heap-budget"
import { queueProductExportWorkflow } from "./queue-product-export"

// Medusa events can be lost (a crash between commit and delivery, a
// subscriber that failed), so the export job also looks for changes itself
// (STYLE "Traps already known"): a variant whose own or whose product's
// updated_at is later than everything its export rows know (changed_at,
// exported_at), or a variant with no row at all, is queued again. The sweep
// reads pages of at most `pageSize` variants, three queries a page (variants,
// their products' updated_at, their rows) plus the queue workflow for the stale ones; with `since` it only
// reads what changed after that time.

export type SweepResult = { mode: "full" | "since"; since: string | null; scanned: number; queued: number }

const QUEUE_SLICE = 250

type VariantStamp = { id: string; updated_at: string | Date; product_updated_at: string | Date | null }

const time = (v: unknown) => (v ? new Date(v as string).getTime() : 0)

async function queueStale(container: any, page: VariantStamp[]): Promise<number> {
  if (!page.length) return 0
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const rows = await orderflow.listOrderflowExportItems(
    { entity_type: "product", variant_id: page.map((v) => v.id) },
    { select: ["variant_id", "changed_at", "exported_at"], take: null }
  )
  const known = new Map<string, number>()
  for (const r of rows) {
    if (!r.variant_id) continue
    known.set(r.variant_id, Math.max(known.get(r.variant_id) ?? 0, time(r.changed_at), time(r.exported_at)))
  }
  const stale = page
    .filter((v) => {
      const last = known.get(v.id)
      return last === undefined || Math.max(time(v.updated_at), time(v.product_updated_at)) > last
    })
    .map((v) => v.id)
  // Queued in slices: a first sweep of a whole catalog queues every variant,
  // and smaller workflow runs keep the store's memory flat.
  for (let i = 0; i < stale.length; i += QUEUE_SLICE) {
    await queueProductExportWorkflow(container).run({ input: { variant_ids: stale.slice(i, i + QUEUE_SLICE) } })
  }
  return stale.length
}

/**
 * Pages through variants matching `filters` in id order (keyset: stable while
 * rows change, one page in memory at a time), each with its product's
 * updated_at. Two plain module reads a page; no entity graph, which costs
 * more than the rows here.
 */
async function* variantPages(container: any, filters: Record<string, unknown>, pageSize: number): AsyncGenerator<VariantStamp[]> {
  const productModule = container.resolve(Modules.PRODUCT)
  const pages = keysetPages<any>(
    (after, limit) =>
      productModule.listProductVariants(after ? { ...filters, id: { $gt: after } } : filters, {
        select: ["id", "updated_at", "product_id"],
        take: limit,
        order: { id: "ASC" },
      }),
    (v) => v.id,
    pageSize
  )
  for await (const variants of pages) {
    const productIds = [...new Set(variants.map((v) => v.product_id as string))]
    const products: any[] = await productModule.listProducts({ id: productIds }, { select: ["id", "updated_at"], take: null })
    const productUpdated = new Map(products.map((p) => [p.id as string, p.updated_at]))
    yield variants.map((v): VariantStamp => ({ id: v.id, updated_at: v.updated_at, product_updated_at: productUpdated.get(v.product_id) ?? null }))
  }
}

export async function sweepProductChanges(
  container: any,
  { since, pageSize = 1000 }: { since: Date | null; pageSize?: number }
): Promise<SweepResult> {
  const result: SweepResult = { mode: since ? "since" : "full", since: since?.toISOString() ?? null, scanned: 0, queued: 0 }
  const sweep = async (pages: AsyncGenerator<VariantStamp[]>) => {
    for await (const page of pages) {
      result.scanned += page.length
      result.queued += await queueStale(container, page)
      keepHeapWithinBudget()
    }
  }
  if (!since) {
    await sweep(variantPages(container, {}, pageSize))
    return result
  }
  // Variants changed, then variants of products changed (a title edit touches only the product).
  await sweep(variantPages(container, { updated_at: { $gt: since } }, pageSize))
  const productModule = container.resolve(Modules.PRODUCT)
  const changedProducts = keysetPages<any>(
    (after, limit) =>
      productModule.listProducts(after ? { updated_at: { $gt: since }, id: { $gt: after } } : { updated_at: { $gt: since } }, {
        select: ["id"],
        take: limit,
        order: { id: "ASC" },
      }),
    (p) => p.id,
    pageSize
  )
  for await (const products of changedProducts) {
    await sweep(variantPages(container, { product_id: products.map((p) => p.id) }, pageSize))
  }
  return result
}

/** The sweep as a step: everything (`since` null) or what changed since. */
export const sweepAllProductsStep = createStep("orderflow-sweep-products", async ({ since }: { since: string | null }, { container }) => {
  return new StepResponse(await sweepProductChanges(container, { since: since ? new Date(since) : null }))
})
