import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, ProductStatus } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"

/**
 * A small but complete store: a UK region (GBP, 20% VAT) with the system
 * payment provider, a sales channel with a publishable key, a stock location
 * with a fulfillment set and priced shipping options, and products whose
 * variants have SKUs and stock, plus one variant Medusa does not stock.
 * Used by `npm run dev` and by the integration tests.
 */

export type DemoVariantSpec = {
  title: string
  sku: string
  price: number
  stock?: number
  manage_inventory?: boolean
  barcode?: string
  weight?: number
}
export type DemoProductSpec = {
  title: string
  handle: string
  description?: string
  thumbnail?: string
  variants: DemoVariantSpec[]
}

export const DEMO_PRODUCTS: DemoProductSpec[] = [
  {
    title: "Classic Tee",
    handle: "classic-tee",
    description: "A heavyweight cotton t-shirt.",
    variants: [
      { title: "S", sku: "TEE-S", price: 20, stock: 50, barcode: "5012345678900", weight: 180 },
      { title: "M", sku: "TEE-M", price: 20, stock: 50, barcode: "5012345678917", weight: 200 },
      { title: "L", sku: "TEE-L", price: 20, stock: 50, barcode: "5012345678924", weight: 220 },
    ],
  },
  {
    title: "Harbour Hoodie",
    handle: "harbour-hoodie",
    variants: [
      { title: "S", sku: "HOOD-S", price: 45, stock: 20, weight: 500 },
      { title: "M", sku: "HOOD-M", price: 45, stock: 20, weight: 550 },
    ],
  },
  {
    title: "Enamel Mug",
    handle: "enamel-mug",
    variants: [{ title: "Default", sku: "00123-MUG", price: 9.5, stock: 100, weight: 300 }],
  },
  {
    title: "Gift Wrapping",
    handle: "gift-wrapping",
    description: "Wrapped by hand; not a warehouse item.",
    variants: [{ title: "Default", sku: "GIFT-WRAP", price: 3, manage_inventory: false }],
  },
]

export type SeededStore = {
  regionId: string
  salesChannelId: string
  publishableKey: string
  stockLocationId: string
  shippingOptionIds: string[]
  shippingProfileId: string
  products: Array<{
    id: string
    handle: string
    variants: Array<{ id: string; sku: string; inventoryItemId: string | null; manageInventory: boolean }>
  }>
}

export async function seedDemoStore(
  container: MedusaContainer,
  { products = DEMO_PRODUCTS }: { products?: DemoProductSpec[] } = {}
): Promise<SeededStore> {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const storeModule = container.resolve(Modules.STORE)

  const [store] = await storeModule.listStores()
  const {
    result: [salesChannel],
  } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Webshop" }] },
  })
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        supported_currencies: [{ currency_code: "gbp", is_default: true }],
        default_sales_channel_id: salesChannel.id,
      },
    },
  })

  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        { name: "United Kingdom", currency_code: "gbp", countries: ["gb"], payment_providers: ["pp_system_default"] },
      ],
    },
  })
  await createTaxRegionsWorkflow(container).run({
    input: [{ country_code: "gb", provider_id: "tp_system", default_tax_rate: { rate: 20, code: "VAT", name: "UK VAT" } }],
  })

  const {
    result: [location],
  } = await createStockLocationsWorkflow(container).run({
    input: { locations: [{ name: "OrderFlow Warehouse", address: { city: "Woodbridge", country_code: "GB", address_1: "Melton Hill" } }] },
  })
  await updateStoresWorkflow(container).run({
    input: { selector: { id: store.id }, update: { default_location_id: location.id } },
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })

  let [profile] = await fulfillment.listShippingProfiles({ type: "default" })
  if (!profile) {
    const { result } = await createShippingProfilesWorkflow(container).run({
      input: { data: [{ name: "Default Shipping Profile", type: "default" }] },
    })
    profile = result[0]
  }
  const fulfillmentSet = await fulfillment.createFulfillmentSets({
    name: "OrderFlow Warehouse delivery",
    type: "shipping",
    service_zones: [{ name: "United Kingdom", geo_zones: [{ country_code: "gb", type: "country" }] }],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })
  const shippingRules = [
    { attribute: "enabled_in_store", value: "true", operator: "eq" as const },
    { attribute: "is_return", value: "false", operator: "eq" as const },
  ]
  const { result: shippingOptions } = await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: "Standard Delivery",
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: profile.id,
        type: { label: "Standard", description: "2-3 working days", code: "standard" },
        prices: [
          { currency_code: "gbp", amount: 4.95 },
          { region_id: region.id, amount: 4.95 },
        ],
        rules: shippingRules,
      },
      {
        name: "Express Delivery",
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: profile.id,
        type: { label: "Express", description: "Next working day", code: "express" },
        prices: [
          { currency_code: "gbp", amount: 9.95 },
          { region_id: region.id, amount: 9.95 },
        ],
        rules: shippingRules,
      },
    ],
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({
    input: { id: location.id, add: [salesChannel.id] },
  })

  const {
    result: [apiKey],
  } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "Webshop", type: "publishable", created_by: "" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({
    input: { id: apiKey.id, add: [salesChannel.id] },
  })

  const { result: created } = await createProductsWorkflow(container).run({
    input: {
      products: products.map((p) => ({
        title: p.title,
        handle: p.handle,
        description: p.description,
        thumbnail: p.thumbnail,
        status: ProductStatus.PUBLISHED,
        shipping_profile_id: profile.id,
        options: [{ title: "Size", values: p.variants.map((v) => v.title) }],
        variants: p.variants.map((v) => ({
          title: v.title,
          sku: v.sku,
          barcode: v.barcode,
          weight: v.weight,
          manage_inventory: v.manage_inventory ?? true,
          options: { Size: v.title },
          prices: [{ amount: v.price, currency_code: "gbp" }],
        })),
        sales_channels: [{ id: salesChannel.id }],
      })),
    },
  })

  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku", "manage_inventory", "product_id", "inventory_items.inventory_item_id"],
    filters: { product_id: created.map((p) => p.id) },
  })
  const bySku = new Map(variants.map((v: any) => [v.sku as string, v]))
  const levels = products.flatMap((p) =>
    p.variants
      .filter((v) => (v.manage_inventory ?? true) && v.stock !== undefined)
      .map((v) => ({
        inventory_item_id: bySku.get(v.sku)!.inventory_items[0].inventory_item_id as string,
        location_id: location.id,
        stocked_quantity: v.stock!,
      }))
  )
  if (levels.length) {
    await createInventoryLevelsWorkflow(container).run({ input: { inventory_levels: levels } })
  }

  return {
    regionId: region.id,
    salesChannelId: salesChannel.id,
    publishableKey: apiKey.token,
    stockLocationId: location.id,
    shippingOptionIds: shippingOptions.map((o) => o.id),
    shippingProfileId: profile.id,
    products: created.map((p) => ({
      id: p.id,
      handle: p.handle,
      variants: variants
        .filter((v: any) => v.product_id === p.id)
        .map((v: any) => ({
          id: v.id,
          sku: v.sku,
          manageInventory: v.manage_inventory,
          inventoryItemId: v.inventory_items?.[0]?.inventory_item_id ?? null,
        })),
    })),
  }
}
