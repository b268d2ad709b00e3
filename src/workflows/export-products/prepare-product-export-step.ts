import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  DEFAULT_MAPPING_OPTIONS,
  ExportedInventoryItem,
  ExportedVariant,
  ImportValueRecord,
  isSoleUnit,
  mapProductUnits,
  ownerOf,
  ProductMappingOptions,
  ProductUnitFacts,
} from "../../lib/product-export"
import { toVariantFacts } from "./variant-facts"

export type ExportProductsInput = {
  /** Claimed export item rows (entity_id = inventory item id). */
  items: Array<{ id: string; entity_id: string; reference: string; variant_id: string | null; product_id: string | null; activated: boolean }>
  /** The mapping settings of this run (channel, image); the engine read the settings once already. */
  options: Pick<ProductMappingOptions, "channel" | "includeImage" | "placeholderImage"> & Partial<Pick<ProductMappingOptions, "extendedFields">>
}

/** One line about to be sent, with its ids: what the `productExportFields` hook receives. */
export type ProductExportLine = {
  export_item_id: string
  /** The SKU (externalReference); key the hook's result by it. */
  reference: string
  inventory_item_id: string | null
  variant_id: string | null
  product_id: string | null
  activated: boolean
  /** The fields the plugin maps, in the order they are sent (absent values left out). */
  fields: ImportValueRecord
}

export type PreparedProductExport = {
  lines: ProductExportLine[]
  /** Claimed rows that cannot be sent, with the reason (e.g. no image). */
  rejected: Array<{ id: string; reference: string; message: string }>
}

const VARIANT_FIELDS = ["id", "title", "sku", "barcode", "ean", "upc", "weight", "length", "width", "height", "thumbnail", "manage_inventory", "product_id"]
const PRODUCT_FIELDS = ["id", "title", "thumbnail", "is_giftcard", "type_id", "weight", "length", "width", "height"]
const ITEM_FIELDS = ["id", "sku", "title", "description", "weight", "length", "width", "height", "thumbnail"]

type PriceContext = { currency_code: string; region_id: string | null; country_code: string | null }

/**
 * The store's default currency and the region whose prices and tax are sent:
 * the store's default region when it uses that currency, else the oldest
 * region that does. Its first country (alphabetically) decides the tax rate.
 */
async function priceContext(container: any): Promise<PriceContext | null> {
  const [store] = await container
    .resolve(Modules.STORE)
    .listStores({}, { select: ["id", "default_region_id"], relations: ["supported_currencies"], take: 1 })
  const currency = store?.supported_currencies?.find((c: any) => c.is_default)?.currency_code ?? store?.supported_currencies?.[0]?.currency_code
  if (!currency) return null
  const regions = await container
    .resolve(Modules.REGION)
    .listRegions({ currency_code: currency }, { relations: ["countries"], order: { created_at: "ASC" }, take: null })
  const region = regions.find((r: any) => r.id === store.default_region_id) ?? regions[0] ?? null
  const countries = (region?.countries ?? []).map((c: any) => c.iso_2 as string).sort()
  return { currency_code: currency, region_id: region?.id ?? null, country_code: countries[0] ?? null }
}

/** Rows of a link table (Medusa's query over the link module), none for an empty filter. */
async function links(query: any, entity: string, fields: string[], filters: Record<string, string[] | { $nin: string[] }>): Promise<any[]> {
  if (Object.values(filters).some((ids) => Array.isArray(ids) && !ids.length)) return []
  const { data } = await query.graph({ entity, fields, filters })
  return data
}

const num = (v: unknown): number | null => (v === null || v === undefined || v === "" ? null : Number(v))

/**
 * Loads everything the mapping needs for one batch, in a fixed number of
 * queries whatever the batch size (about a dozen, in four rounds): the
 * store's price context, the inventory items and the variants stocking them
 * with their products and prices, and one tax calculation for the batch;
 * then maps each row to its line. Read-only.
 */
export const prepareProductExportStep = createStep(
  "orderflow-prepare-product-export",
  async ({ items, options: given }: ExportProductsInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const options: ProductMappingOptions = { ...DEFAULT_MAPPING_OPTIONS, ...given }
    const itemIds = [...new Set(items.map((i) => i.entity_id))]
    if (!itemIds.length) return new StepResponse<PreparedProductExport>({ lines: [], rejected: [] })

    // Straight module reads, independent ones in parallel: the items and
    // the variants stocking them, those variants' own items (a simple variant
    // or a kit?), their products, and their prices in the default currency
    // and region (Medusa's price calculation, price preferences included).
    const [context, inventoryItems, itemLinks] = await Promise.all([
      priceContext(container),
      container.resolve(Modules.INVENTORY).listInventoryItems({ id: itemIds }, { select: ITEM_FIELDS, take: null }),
      links(query, "product_variant_inventory_item", ["variant_id", "inventory_item_id", "required_quantity"], { inventory_item_id: itemIds }),
    ])
    const variantIds = [...new Set(itemLinks.map((l: any) => l.variant_id as string))]
    const productModule = container.resolve(Modules.PRODUCT)
    // Every link of those variants: the ones to this batch's items are read
    // already; only their other items (a kit's other components) are left to
    // read, none for a catalog of simple variants. Each row a module read
    // returns costs its ORM entity, most of which ends up in the old
    // generation however short-lived, so rows read twice are worth avoiding.
    const [variantRows, otherLinks, priceSetLinks] = await Promise.all([
      variantIds.length ? productModule.listProductVariants({ id: variantIds }, { select: VARIANT_FIELDS, take: null }) : [],
      links(query, "product_variant_inventory_item", ["variant_id", "inventory_item_id", "required_quantity"], {
        variant_id: variantIds,
        inventory_item_id: { $nin: itemIds },
      }),
      context ? links(query, "product_variant_price_set", ["variant_id", "price_set_id"], { variant_id: variantIds }) : [],
    ])
    const productIds = [...new Set(variantRows.map((v: any) => v.product_id as string))]
    const priceSetIds = [...new Set(priceSetLinks.map((l: any) => l.price_set_id as string))]
    const [products, prices] = await Promise.all([
      productIds.length ? productModule.listProducts({ id: productIds }, { select: PRODUCT_FIELDS, take: null }) : [],
      context && priceSetIds.length
        ? container.resolve(Modules.PRICING).calculatePrices(
            { id: priceSetIds },
            { context: { currency_code: context.currency_code, ...(context.region_id ? { region_id: context.region_id } : {}) } }
          )
        : [],
    ])
    const productById = new Map((products as any[]).map((p) => [p.id as string, p]))
    const priceBySet = new Map((prices as any[]).map((p) => [p.id as string, p]))
    const priceSetByVariant = new Map(priceSetLinks.map((l: any) => [l.variant_id as string, l.price_set_id as string]))
    const linksByVariant = new Map<string, any[]>()
    for (const l of [...itemLinks, ...otherLinks]) linksByVariant.set(l.variant_id, [...(linksByVariant.get(l.variant_id) ?? []), l])
    const raw = new Map<string, any>(
      (variantRows as any[]).map((v) => [
        v.id as string,
        {
          ...v,
          product: productById.get(v.product_id) ?? null,
          inventory_items: linksByVariant.get(v.id) ?? [],
          calculated_price: priceBySet.get(priceSetByVariant.get(v.id) ?? "") ?? null,
        },
      ])
    )
    const facts = [...raw.values()].map(toVariantFacts)

    // The variant each item is sent as, when it is exactly one unit of it.
    const soleOwner = new Map<string, any>()
    const stocked = new Set<string>()
    for (const itemId of itemIds) {
      const found = ownerOf(itemId, facts)
      if (!found) continue
      stocked.add(itemId)
      if (found.sole && isSoleUnit(found.owner)) soleOwner.set(itemId, raw.get(found.owner.id))
    }

    // One tax calculation for the batch (Medusa's tax module, region's country).
    const taxByVariant = new Map<string, { rate: number; code: string | null }>()
    const priced = [...soleOwner.values()].filter((v) => v?.calculated_price?.calculated_amount != null)
    if (context?.country_code && priced.length) {
      const lines = await container.resolve(Modules.TAX).getTaxLines(
        priced.map((v) => ({
          id: v.id,
          product_id: v.product?.id ?? v.product_id,
          product_type_id: v.product?.type_id ?? undefined,
          quantity: 1,
          unit_price: Number(v.calculated_price.original_amount ?? v.calculated_price.calculated_amount),
          currency_code: context.currency_code,
        })),
        { address: { country_code: context.country_code } }
      )
      for (const line of lines as any[]) {
        const current = taxByVariant.get(line.line_item_id)
        // Several lines (combined rates) add up.
        taxByVariant.set(line.line_item_id, {
          rate: (current?.rate ?? 0) + Number(line.rate ?? 0),
          code: current?.code ? `${current.code}+${line.code ?? ""}` : line.code ?? null,
        })
      }
    }

    const itemById = new Map((inventoryItems as any[]).map((i) => [i.id as string, i]))
    const units: ProductUnitFacts[] = items.map((row) => {
      const i = itemById.get(row.entity_id)
      const item: ExportedInventoryItem | null = i
        ? {
            id: i.id,
            sku: i.sku ?? null,
            title: i.title ?? null,
            description: i.description ?? null,
            weight: num(i.weight),
            length: num(i.length),
            width: num(i.width),
            height: num(i.height),
            thumbnail: i.thumbnail ?? null,
          }
        : null
      const v = soleOwner.get(row.entity_id)
      const cp = v?.calculated_price
      // The regular price (not a sale price list), in the context's currency.
      const amount = cp ? (cp.original_amount ?? cp.calculated_amount) : null
      const variant: ExportedVariant | null = v
        ? {
            id: v.id,
            title: v.title ?? null,
            sku: v.sku ?? null,
            barcode: v.barcode ?? null,
            ean: v.ean ?? null,
            upc: v.upc ?? null,
            weight: num(v.weight),
            length: num(v.length),
            width: num(v.width),
            height: num(v.height),
            thumbnail: v.thumbnail ?? null,
            product: {
              id: v.product?.id ?? v.product_id,
              title: v.product?.title ?? "",
              thumbnail: v.product?.thumbnail ?? null,
              weight: num(v.product?.weight),
              length: num(v.product?.length),
              width: num(v.product?.width),
              height: num(v.product?.height),
            },
            price:
              amount !== null && amount !== undefined && context
                ? {
                    amount: Number(amount),
                    tax_inclusive: !!(cp.original_amount != null ? cp.is_original_price_tax_inclusive : cp.is_calculated_price_tax_inclusive),
                    currency_code: cp.currency_code ?? context.currency_code,
                  }
                : null,
            tax: taxByVariant.get(v.id) ?? null,
          }
        : null
      return {
        export_item_id: row.id,
        reference: row.reference,
        // Sent as inactive once deleted, or when no variant stocks it any more.
        activated: row.activated && stocked.has(row.entity_id),
        item,
        variant,
      }
    })
    // Mapped here (pure, src/lib/product-export) so that only the lines, not
    // the facts, travel through the workflow engine.
    const { mapped, rejected } = mapProductUnits(units, options)
    const byRow = new Map(units.map((u) => [u.export_item_id, u]))
    const lines = mapped.map((m): ProductExportLine => {
      const unit = byRow.get(m.export_item_id)!
      return {
        export_item_id: m.export_item_id,
        reference: m.reference,
        inventory_item_id: unit.item?.id ?? null,
        variant_id: unit.variant?.id ?? null,
        product_id: unit.variant?.product.id ?? null,
        activated: unit.activated && unit.item !== null,
        fields: Object.fromEntries(m.item.fields.filter(([, v]) => v !== null && v !== undefined)) as ImportValueRecord,
      }
    })
    return new StepResponse<PreparedProductExport>({ lines, rejected })
  }
)
