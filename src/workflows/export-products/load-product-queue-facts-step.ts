import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { planProductQueue, ProductQueuePlan } from "../../lib/product-export"
import { loadExportRows, loadVariantFacts, toExistingRow, variantIdsStocking } from "./variant-facts"

export type QueueProductExportInput = {
  /** Products created, updated or deleted. */
  product_ids?: string[]
  /** Variants created, updated or deleted. */
  variant_ids?: string[]
}

/**
 * Reads what the queue plan needs for the changed products/variants, in a
 * fixed number of queries however many there are: the live variants, the
 * existing rows, and every other variant stocking the same inventory items
 * (a kit's components, a SKU shared by two variants). Read-only.
 */
export const loadProductQueueFactsStep = createStep(
  "orderflow-load-product-queue-facts",
  async ({ product_ids = [], variant_ids = [] }: QueueProductExportInput, { container }) => {
    const [byProduct, byVariant] = await Promise.all([
      loadVariantFacts(container, { product_id: product_ids }),
      loadVariantFacts(container, { id: variant_ids }),
    ])
    const variants = new Map([...byProduct, ...byVariant].map((v) => [v.id, v]))
    const itemIds = [...new Set([...variants.values()].flatMap((v) => v.inventory.map((i) => i.inventory_item_id)))]
    const rows = (await loadExportRows(container, { product_ids, variant_ids, entity_ids: itemIds })).map(toExistingRow)

    // Variants in scope: the live ones, the ids named (deleted ones too), and
    // those named by rows of the products in scope (their skip rows).
    const scope = new Set<string>([...variants.keys(), ...variant_ids])
    const productSet = new Set(product_ids)
    for (const r of rows) if (r.variant_id && r.product_id && productSet.has(r.product_id)) scope.add(r.variant_id)

    const allItemIds = new Set(itemIds)
    for (const r of rows) if (r.entity_id !== r.variant_id) allItemIds.add(r.entity_id)
    const more = await variantIdsStocking(container, [...allItemIds], { except: [...variants.keys()] })
    for (const v of await loadVariantFacts(container, { id: more })) variants.set(v.id, v)

    const plan: ProductQueuePlan = planProductQueue({ scopeVariantIds: scope, variants: [...variants.values()], existing: rows })
    return new StepResponse(plan)
  }
)
