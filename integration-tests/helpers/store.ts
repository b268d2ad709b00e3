import type { SeededStore } from "../../scripts/demo/seed-store"

export const UK_ADDRESS = {
  first_name: "Phil",
  last_name: "Zoio",
  company: "OrderFlow",
  address_1: "Granvilla",
  address_2: "Melton Hill",
  city: "Woodbridge",
  province: "Suffolk",
  postal_code: "IP12 1AX",
  country_code: "gb",
  phone: "01394 384181",
}

export function storeHeaders(seeded: SeededStore) {
  return { headers: { "x-publishable-api-key": seeded.publishableKey } }
}

export function variantBySku(seeded: SeededStore, sku: string) {
  for (const p of seeded.products) {
    const v = p.variants.find((x) => x.sku === sku)
    if (v) return v
  }
  throw new Error(`no variant with sku ${sku}`)
}

/** Creates a cart through the store API (what a shopper's browser does). */
export async function createCart(
  api: any,
  seeded: SeededStore,
  items: Array<{ sku: string; quantity: number }>,
  { email = "shopper@example.com" }: { email?: string } = {}
) {
  const opts = storeHeaders(seeded)
  const { data } = await api.post(
    "/store/carts",
    {
      region_id: seeded.regionId,
      sales_channel_id: seeded.salesChannelId,
      email,
      shipping_address: UK_ADDRESS,
      billing_address: UK_ADDRESS,
      items: items.map((i) => ({ variant_id: variantBySku(seeded, i.sku).id, quantity: i.quantity })),
    },
    opts
  )
  return data.cart
}

/**
 * Places an order the way a shopper does: cart, promotion codes (if any),
 * shipping method, payment session with the system provider, complete.
 * Returns the order.
 */
export async function placeOrder(
  api: any,
  seeded: SeededStore,
  items: Array<{ sku: string; quantity: number }>,
  { email, shippingOption = 0, promoCodes = [] }: { email?: string; shippingOption?: number; promoCodes?: string[] } = {}
) {
  const opts = storeHeaders(seeded)
  const cart = await createCart(api, seeded, items, { email })
  if (promoCodes.length) await api.post(`/store/carts/${cart.id}/promotions`, { promo_codes: promoCodes }, opts)
  await api.post(`/store/carts/${cart.id}/shipping-methods`, { option_id: seeded.shippingOptionIds[shippingOption] }, opts)
  const {
    data: { payment_collection },
  } = await api.post("/store/payment-collections", { cart_id: cart.id }, opts)
  await api.post(`/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" }, opts)
  const { data } = await api.post(`/store/carts/${cart.id}/complete`, {}, opts)
  if (data.type !== "order") throw new Error(`cart did not complete: ${JSON.stringify(data.error ?? data)}`)
  return data.order
}

/** Captures the order's payment through the admin API ("invoiced" in the guide). */
export async function capturePayment(api: any, admin: any, orderId: string) {
  const { data } = await api.get(`/admin/orders/${orderId}?fields=*payment_collections,*payment_collections.payments`, admin)
  const payment = data.order.payment_collections[0].payments[0]
  await api.post(`/admin/payments/${payment.id}/capture`, {}, admin)
  return payment.id as string
}
