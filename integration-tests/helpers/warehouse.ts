import { MedusaContainer } from "@medusajs/framework/types"
import { Simulator, startSimulator } from "orderflow-simulator"
import { request } from "undici"
import type { SeededStore } from "../../scripts/demo/seed-store"
import { buildImportsDocument } from "../../src/lib/xml/imports-document"
import { configureOrderflow, INBOUND_PASSWORD, INBOUND_USER, orderflowService } from "./orderflow"
import { capturePayment, placeOrder } from "./store"

// The simulator as the specs of the despatch flows use it: OrderFlow user
// medusa/wms, organisation demo, channel web, pushing to the store under test
// with the inbound credentials; and an order OrderFlow already has.

export const SIM_USER = "medusa"
export const SIM_PASSWORD = "wms"
export const SIM_CHANNEL = "web"

type StartOptions = Parameters<typeof startSimulator>[0]

/** A simulator pushing to the store under test; `overrides` win. */
export function startTestSimulator(api: any, overrides: Partial<StartOptions> = {}): Promise<Simulator> {
  return startSimulator({
    port: 0,
    user: SIM_USER,
    password: SIM_PASSWORD,
    organisation: "demo",
    channel: SIM_CHANNEL,
    storeUrl: api.defaults.baseURL,
    storeUser: INBOUND_USER,
    storePassword: INBOUND_PASSWORD,
    pushRetryDelayMs: 20,
    log: false,
    ...overrides,
  } as StartOptions)
}

/** The `api` settings group pointing the store at the simulator. */
export const simulatorApiSettings = (sim: Simulator) => ({
  endpoint: sim.baseUrl,
  username: SIM_USER,
  password: SIM_PASSWORD,
  organisation: "demo",
  channel: SIM_CHANNEL,
})

/**
 * A paid order that OrderFlow (the simulator) already has and the store has
 * marked exported, without running the export: `warehouseLines` are the
 * order lines as OrderFlow holds them (a kit's components, say); default the
 * order's own items.
 */
export async function exportedOrder(
  ctx: { api: any; admin: any; seeded: SeededStore; sim: Simulator; container: MedusaContainer },
  items: Array<{ sku: string; quantity: number }>,
  warehouseLines: Array<{ sku: string; quantity: number }> = items
) {
  const { api, admin, seeded, sim, container } = ctx
  const order = await placeOrder(api, seeded, items)
  await capturePayment(api, admin, order.id)
  const reference = String(order.display_id)
  const xml = buildImportsDocument([
    {
      type: "order",
      operation: "insert",
      externalReference: reference,
      fields: [
        ["state", "created"],
        ["deliveryAddressLine1", "Granvilla"],
        ["deliveryCountryCode", "GB"],
        ["deliveryPostCode", "IP12 1AX"],
        ["deliveryContactName", "Phil Zoio"],
        ...warehouseLines.flatMap((it, n): Array<[string, string | number]> => [
          [`orderLine.${n + 1}.product.externalReference`, it.sku],
          [`orderLine.${n + 1}.quantity`, it.quantity],
        ]),
      ],
    },
  ])
  const res = await request(`${sim.baseUrl}/remoteorder/imports/importitems.xml`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${SIM_USER}:${SIM_PASSWORD}`).toString("base64")}`, channel: SIM_CHANNEL, "content-type": "application/xml" },
    body: xml,
  })
  const answer = await res.body.text()
  if (!answer.includes("importSuccesses")) throw new Error(`the simulator did not take order ${reference}: ${answer}`)
  await orderflowService(container).createOrderflowExportItems({ entity_type: "order", entity_id: order.id, reference, status: "exported", exported_at: new Date() })
  return { order, reference }
}

/** Settings for specs that push stock and despatches at the store: both imports on, export off, references = display ids. */
export function configureForPushes(api: any, admin: any, seeded: SeededStore) {
  return configureOrderflow(api, admin, {
    inventoryImport: { enabled: true, defaultLocationId: seeded.stockLocationId },
    shipmentImport: { enabled: true },
    orderExport: { enabled: false, referencePrefix: "" },
  })
}
