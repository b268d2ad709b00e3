// What a "product" is for OrderFlow (seed 002, Product Import): a stock-keeping
// unit stored in the warehouse. In Medusa that is an inventory item, reached
// through the variants that stock it. This module decides, for a set of
// variants that changed, which inventory items must be (re)sent, which
// variants are not sent and why, and which earlier rows are obsolete.
//
// Rules (issue 4, DESIGN.md section 5):
// - a variant stocking exactly one inventory item once (required quantity 1)
//   is sent as that item, under the item's SKU;
// - a variant built from several items, or from one item several times (an
//   inventory kit, a multipack), is not sent as itself: its component items
//   are ("send individual products, not logical groupings");
// - variants whose inventory Medusa does not manage (virtual, digital), gift
//   cards and items without SKU are not sent; each gets a `skipped` row
//   saying why, so the admin can see it;
// - an item no longer stocked by any variant that qualifies (product or
//   variant deleted, inventory switched off, kit changed) is sent once more
//   with activated=false if OrderFlow has it, and is otherwise just skipped.

export type VariantInventoryFacts = {
  inventory_item_id: string
  required_quantity: number
  /** The inventory item's SKU (the reference OrderFlow and its stock messages use). */
  sku: string | null
}

export type VariantFacts = {
  id: string
  product_id: string
  sku: string | null
  manage_inventory: boolean
  is_giftcard: boolean
  inventory: VariantInventoryFacts[]
}

/** An export item row as it is stored (only the columns the plan needs). */
export type ExistingExportRow = {
  id: string
  entity_id: string
  reference: string
  variant_id: string | null
  product_id: string | null
  status: string
  activated: boolean
  exported_at: string | Date | null
}

export type PlannedExportRow = {
  entity_id: string
  reference: string
  variant_id: string | null
  product_id: string | null
  activated: boolean
  skip_reason: string | null
}

export type ProductQueuePlan = {
  /** Rows to insert or put back to pending (or skipped, with their reason). */
  upsert: PlannedExportRow[]
  /** Ids of rows that no longer describe anything (skip rows of deleted or now-exported variants). */
  remove: string[]
}

export type ProductQueueInput = {
  /** Variants the change is about (may include ids of variants that no longer exist). */
  scopeVariantIds: ReadonlySet<string>
  /**
   * Every live variant that matters: those in scope, and every other variant
   * stocking one of the items in scope (to find an item's owner).
   */
  variants: ReadonlyArray<VariantFacts>
  /** Existing rows of the scope: by variant, by product, or by item. */
  existing: ReadonlyArray<ExistingExportRow>
}

export const SKIP_REASONS = {
  giftCard: "gift card: not a warehouse item",
  notManaged: "inventory not managed by Medusa (virtual or digital item)",
  noInventoryItem: "no inventory item",
  noSku: "no SKU",
} as const

/** Is the variant one that OrderFlow may hold stock for at all? */
function stocked(v: VariantFacts): boolean {
  return v.manage_inventory && !v.is_giftcard && v.inventory.length > 0
}

/** A variant that is exactly one unit of one item: it is that item for OrderFlow. */
export function isSoleUnit(v: VariantFacts): boolean {
  return v.inventory.length === 1 && Number(v.inventory[0].required_quantity ?? 1) === 1
}

function componentLabel(c: VariantInventoryFacts): string {
  const name = c.sku ?? c.inventory_item_id
  const qty = Number(c.required_quantity ?? 1)
  return qty === 1 ? name : `${name} ×${qty}`
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * The variant an item is sent as: a stocked variant whose only unit it is
 * (lowest id when several are), else a stocked kit containing it (lowest id).
 */
export function ownerOf(itemId: string, variants: ReadonlyArray<VariantFacts>): { owner: VariantFacts; sole: boolean } | null {
  const holders = variants.filter((v) => stocked(v) && v.inventory.some((i) => i.inventory_item_id === itemId)).sort(byId)
  const sole = holders.find(isSoleUnit)
  if (sole) return { owner: sole, sole: true }
  return holders.length ? { owner: holders[0], sole: false } : null
}

export function planProductQueue({ scopeVariantIds, variants, existing }: ProductQueueInput): ProductQueuePlan {
  const upsert: PlannedExportRow[] = []
  const remove: string[] = []
  const live = new Map(variants.map((v) => [v.id, v]))
  const skipRowsWanted = new Set<string>()

  // Every item in scope: stocked by a variant in scope, or named by an existing row.
  const itemIds = new Set<string>()
  for (const id of scopeVariantIds) for (const i of live.get(id)?.inventory ?? []) itemIds.add(i.inventory_item_id)
  const skipRowOf = (row: ExistingExportRow) => row.variant_id !== null && row.entity_id === row.variant_id
  for (const row of existing) if (!skipRowOf(row)) itemIds.add(row.entity_id)
  const existingByEntity = new Map(existing.map((r) => [r.entity_id, r]))
  const itemSku = new Map<string, string | null>()
  for (const v of variants) for (const i of v.inventory) if (!itemSku.has(i.inventory_item_id) || i.sku) itemSku.set(i.inventory_item_id, i.sku)

  // Variants in scope that are not sent as themselves get a row saying why.
  for (const id of [...scopeVariantIds].sort()) {
    const v = live.get(id)
    if (!v) continue
    let reason: string | null = null
    if (v.is_giftcard) reason = SKIP_REASONS.giftCard
    else if (!v.manage_inventory) reason = SKIP_REASONS.notManaged
    else if (!v.inventory.length) reason = SKIP_REASONS.noInventoryItem
    else if (!isSoleUnit(v)) {
      const missing = v.inventory.filter((c) => !c.sku)
      reason = missing.length
        ? `inventory kit: component ${missing.map((c) => c.inventory_item_id).join(", ")} has no SKU; the others are sent: ${v.inventory.filter((c) => c.sku).map(componentLabel).join(", ")}`
        : `inventory kit: sent as its components ${v.inventory.map(componentLabel).join(", ")}`
    } else if (!v.inventory[0].sku) reason = SKIP_REASONS.noSku
    else {
      const owner = ownerOf(v.inventory[0].inventory_item_id, variants)
      if (owner && owner.owner.id !== v.id) reason = `same stock-keeping unit ${v.inventory[0].sku} as variant ${owner.owner.id}, which is sent`
    }
    if (reason === null) continue
    skipRowsWanted.add(v.id)
    upsert.push({ entity_id: v.id, reference: v.sku ?? v.id, variant_id: v.id, product_id: v.product_id, activated: true, skip_reason: reason })
  }

  for (const itemId of [...itemIds].sort()) {
    const sku = itemSku.get(itemId) ?? null
    const found = ownerOf(itemId, variants)
    const row = existingByEntity.get(itemId)
    if (found && sku) {
      upsert.push({ entity_id: itemId, reference: sku, variant_id: found.owner.id, product_id: found.owner.product_id, activated: true, skip_reason: null })
      continue
    }
    if (!row) continue
    if (row.exported_at) {
      // OrderFlow holds it: tell it the product is gone (seed 000 keeps no delete; activated=false).
      if (!row.activated && row.status === "exported") continue
      upsert.push({ entity_id: itemId, reference: row.reference, variant_id: row.variant_id, product_id: row.product_id, activated: false, skip_reason: null })
    } else if (row.status !== "skipped") {
      upsert.push({
        entity_id: itemId,
        reference: row.reference,
        variant_id: row.variant_id,
        product_id: row.product_id,
        activated: false,
        skip_reason: "no longer stocked by a Medusa variant; it was never sent to OrderFlow",
      })
    }
  }

  // Skip rows of variants now sent as themselves, deleted, or out of the picture.
  for (const row of existing) {
    if (skipRowOf(row) && scopeVariantIds.has(row.entity_id) && !skipRowsWanted.has(row.entity_id)) remove.push(row.id)
  }
  return { upsert, remove }
}
