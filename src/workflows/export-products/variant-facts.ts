import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { ExistingExportRow, VariantFacts } from "../../lib/product-export"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"

// Read helpers shared by the queue step and the sweep. Every helper takes a
// whole set of ids and issues a fixed number of queries for it (no per-variant
// loops); an empty set issues none (an empty filter would match every row).

export function toVariantFacts(v: any): VariantFacts {
  return {
    id: v.id,
    product_id: v.product_id ?? v.product?.id,
    sku: v.sku ?? null,
    manage_inventory: !!v.manage_inventory,
    is_giftcard: !!v.product?.is_giftcard,
    inventory: (v.inventory_items ?? [])
      .filter((l: any) => l?.inventory_item_id)
      .map((l: any) => ({
        inventory_item_id: l.inventory_item_id,
        required_quantity: Number(l.required_quantity ?? 1),
        sku: l.inventory?.sku ?? null,
      })),
  }
}

/**
 * Live (not deleted) variants matching the filter, with what the queue plan
 * needs: four plain reads (variants, their products, their inventory links,
 * the items' SKUs), cheaper than one entity graph over three modules.
 */
export async function loadVariantFacts(container: any, filters: { id?: string[]; product_id?: string[] }): Promise<VariantFacts[]> {
  const key = filters.id ? "id" : "product_id"
  const ids = filters.id ?? filters.product_id ?? []
  if (!ids.length) return []
  const productModule = container.resolve(Modules.PRODUCT)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const variants: any[] = await productModule.listProductVariants({ [key]: ids }, { select: ["id", "product_id", "sku", "manage_inventory"], take: null })
  if (!variants.length) return []
  const productIds = [...new Set(variants.map((v) => v.product_id as string))]
  const [products, links] = await Promise.all([
    productModule.listProducts({ id: productIds }, { select: ["id", "is_giftcard"], take: null }) as Promise<any[]>,
    query
      .graph({
        entity: "product_variant_inventory_item",
        fields: ["variant_id", "inventory_item_id", "required_quantity"],
        filters: { variant_id: variants.map((v) => v.id) },
      })
      .then((r: any) => r.data as any[]),
  ])
  const itemIds = [...new Set(links.map((l: any) => l.inventory_item_id as string))]
  const items: any[] = itemIds.length
    ? await container.resolve(Modules.INVENTORY).listInventoryItems({ id: itemIds }, { select: ["id", "sku"], take: null })
    : []
  const giftcard = new Map(products.map((p) => [p.id as string, !!p.is_giftcard]))
  const skuOf = new Map(items.map((i) => [i.id as string, (i.sku as string | null) ?? null]))
  const linksOf = new Map<string, any[]>()
  for (const l of links as any[]) linksOf.set(l.variant_id, [...(linksOf.get(l.variant_id) ?? []), { ...l, inventory: { sku: skuOf.get(l.inventory_item_id) ?? null } }])
  return variants.map((v) => toVariantFacts({ ...v, product: { is_giftcard: giftcard.get(v.product_id) }, inventory_items: linksOf.get(v.id) ?? [] }))
}

/**
 * Ids of every variant stocking one of these inventory items, leaving out
 * `except` (variants already known: their links are not read again; every
 * row a module read returns costs an ORM entity).
 */
export async function variantIdsStocking(container: any, itemIds: string[], { except = [] }: { except?: string[] } = {}): Promise<string[]> {
  if (!itemIds.length) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_variant_inventory_item",
    fields: ["variant_id", "inventory_item_id"],
    filters: except.length ? { inventory_item_id: itemIds, variant_id: { $nin: except } } : { inventory_item_id: itemIds },
  })
  return [...new Set<string>(data.map((l: any) => l.variant_id as string))]
}

export const EXPORT_ROW_FIELDS = ["id", "entity_id", "reference", "variant_id", "product_id", "status", "activated", "exported_at", "changed_at"]

export function toExistingRow(r: any): ExistingExportRow {
  return {
    id: r.id,
    entity_id: r.entity_id,
    reference: r.reference,
    variant_id: r.variant_id ?? null,
    product_id: r.product_id ?? null,
    status: r.status,
    activated: r.activated !== false,
    exported_at: r.exported_at ? new Date(r.exported_at).toISOString() : null,
  }
}

/** Product export rows naming any of these products, variants or entities. */
export async function loadExportRows(
  container: any,
  { product_ids = [], variant_ids = [], entity_ids = [] }: { product_ids?: string[]; variant_ids?: string[]; entity_ids?: string[] }
): Promise<any[]> {
  const or = [
    ...(product_ids.length ? [{ product_id: product_ids }] : []),
    ...(variant_ids.length ? [{ variant_id: variant_ids }] : []),
    ...(entity_ids.length ? [{ entity_id: entity_ids }] : []),
  ]
  if (!or.length) return []
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  return orderflow.listOrderflowExportItems({ entity_type: "product", $or: or } as any, { select: EXPORT_ROW_FIELDS, take: null })
}
