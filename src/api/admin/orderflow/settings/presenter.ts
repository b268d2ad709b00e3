import { MedusaRequest } from "@medusajs/framework/http"
import { redactSettings } from "../../../../lib/settings"
import { CurrentSettings } from "../../../../modules/orderflow/service"

/**
 * The settings as the admin sees them: secrets replaced by `passwordSet`,
 * the fields fixed by options/env, and the URLs to give OrderFlow.
 */
export function presentSettings(req: MedusaRequest, current: CurrentSettings) {
  const base = `${req.protocol}://${req.get("host")}`
  return {
    settings: redactSettings(current.settings, {
      inboundPasswordSet: !!current.inboundPasswordHash,
      previousInboundPasswordSet: !!current.previousInboundPasswordHash,
    }),
    locked: current.locked,
    inbound_urls: {
      inventory: `${base}/orderflow/inventory`,
      shipment: `${base}/orderflow/shipment`,
    },
  }
}
