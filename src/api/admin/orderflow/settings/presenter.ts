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
    connectors: connectorSetup(base, current.settings.inbound.username ?? null),
  }
}

export type ConnectorSetup = { connector: string; properties: Array<{ property: string; value: string; secret?: boolean }> }

/**
 * What an OrderFlow administrator enters for each way OrderFlow can push to
 * the store (README "Configuring OrderFlow to call the store"): the property
 * names of OrderFlow's "Magento API" group (seed 000) for its Magento 2
 * connector; the Magento 1 connector's API URL, user and key; or the REST
 * push URLs. Passwords are never shown: the value says which one to use.
 */
export function connectorSetup(base: string, username: string | null): ConnectorSetup[] {
  const user = username ?? "(set the inbound username below)"
  const password = "the inbound password (below)"
  return [
    {
      connector: "Magento 2 integration (SOAP)",
      properties: [
        { property: "Magento 2 API SOAP base URL", value: `${base}/orderflow/soap/default` },
        { property: "Magento 2 API SOAP User", value: user },
        { property: "Magento 2 API SOAP Password", value: password, secret: true },
      ],
    },
    {
      connector: "Magento (1) integration (SOAP API v2)",
      properties: [
        { property: "Magento API URL", value: `${base}/orderflow/api/v2_soap/index/` },
        { property: "API user", value: user },
        { property: "API key", value: password, secret: true },
      ],
    },
    {
      connector: "REST / XML push",
      properties: [
        { property: "Inventory notification URL", value: `${base}/orderflow/inventory` },
        { property: "Shipment despatch URL", value: `${base}/orderflow/shipment` },
        { property: "HTTP Basic user", value: user },
        { property: "HTTP Basic password", value: password, secret: true },
      ],
    },
  ]
}
