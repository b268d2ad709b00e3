import { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { DEMO_PRODUCTS, seedDemoStore } from "./seed-store"

/**
 * `medusa exec ./scripts/demo/seed.ts` (run by `npm run dev`): seeds the demo
 * store once, points the plugin at the simulator (and the simulator's pushes
 * at the store), and gives the simulated warehouse the same SKUs with stock.
 * Safe to run again: existing data and edited settings are kept.
 */
export default async function seedDemo({ container }: ExecArgs) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const orderflow: any = container.resolve("orderflow")

  const { data: existing } = await query.graph({ entity: "product", fields: ["id"], filters: { handle: "classic-tee" } })
  let locationId: string
  let publishableKey: string
  if (!existing.length) {
    const seeded = await seedDemoStore(container)
    locationId = seeded.stockLocationId
    publishableKey = seeded.publishableKey
  } else {
    const { data: locations } = await query.graph({ entity: "stock_location", fields: ["id"] })
    const { data: keys } = await query.graph({
      entity: "api_key",
      fields: ["token", "sales_channels.name"],
      filters: { type: "publishable" },
    })
    locationId = locations[0].id
    // Medusa makes a key of its own for its default channel; the demo's products are in "Webshop".
    const webshop = keys.find((k: any) => (k.sales_channels ?? []).some((c: any) => c?.name === "Webshop"))
    publishableKey = (webshop ?? keys[0])?.token
  }

  const simUrl = process.env.DEMO_SIMULATOR_URL ?? "http://127.0.0.1:9100"
  const current = await orderflow.getCurrentSettings()
  if (!current.settings.api.endpoint) {
    await orderflow.updateSettings({
      api: {
        endpoint: `${simUrl}/orderflow`,
        username: process.env.DEMO_SIMULATOR_USER ?? "orderflow",
        password: process.env.DEMO_SIMULATOR_PASSWORD ?? "orderflow",
        organisation: "demo",
        channel: "medusa",
        webUrl: `${simUrl}/orderflow`,
      },
      inbound: {
        username: process.env.DEMO_INBOUND_USER ?? "orderflow",
        password: process.env.DEMO_INBOUND_PASSWORD ?? "orderflow-push",
      },
      email: { adminName: "Demo Admin", adminEmail: "admin@orderflow.local" },
      productExport: { enabled: true, cron: "* * * * *" },
      orderExport: { enabled: true, cron: "* * * * *" },
      inventoryImport: { enabled: true, cron: "* * * * *", defaultLocationId: locationId, locations: { DEFAULT: locationId } },
      shipmentImport: { enabled: true, cron: "* * * * *" },
    })
  }

  // The warehouse holds the stock: a little less than the store was seeded
  // with, so the first inventory push visibly corrects the store. Only once:
  // a restarted simulator keeps its state.
  const known = await fetch(`${simUrl}/_sim/products?limit=1`).then((r) => r.json()).catch(() => ({ count: 0 }))
  if (known.count > 0) {
    process.stdout.write(`DEMO: publishable API key ${publishableKey}\n`)
    return
  }
  const stocked = DEMO_PRODUCTS.flatMap((p) => p.variants.filter((v) => v.manage_inventory !== false))
  const res = await fetch(`${simUrl}/_sim/seed`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      products: stocked.map((v, i) => ({
        sku: v.sku,
        description: v.sku,
        stock: { DEFAULT: Math.max(0, (v.stock ?? 0) - 3 - (i % 4)) },
      })),
    }),
  }).catch((e) => ({ ok: false, status: 0, text: async () => String(e) }) as const)
  if (!res.ok) {
    process.stdout.write(`DEMO: could not seed the simulator (${res.status}): ${await res.text()}\n`)
  }
  process.stdout.write(`DEMO: publishable API key ${publishableKey}\n`)
}
