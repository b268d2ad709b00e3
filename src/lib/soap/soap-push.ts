import { InboundValidationError } from "../errors"
import { DespatchNotification, InboundLimits, InventoryUpdate } from "../inbound/types"
import { parseXml } from "../xml/safe-xml"
import { childElementNames, isXmlElement, rootElement } from "../xml/xml-tree"
import { M1Fault, parseM1Request } from "./m1-face"
import { M2Fault, parseM2Request } from "./m2-face"
import { M2_SERVICES, m2ServiceByRequestElement } from "./m2-services"

const M1_PUSHES = new Set(["orderflowInventoryMultiUpdate", "orderflowShipmentCreate"])

export type SoapPush = { kind: "inventory"; update: InventoryUpdate } | { kind: "shipment"; notification: DespatchNotification }

/**
 * A connector's SOAP push posted to the plain REST routes (/orderflow/inventory,
 * /orderflow/shipment) instead of its face: a Magento 2 `…UpdateRequest` /
 * `…CreateRequest` or a Magento 1 `orderflowInventoryMultiUpdate` /
 * `orderflowShipmentCreate` is read as the face reads it (the route's own
 * HTTP Basic authenticates; an M1 session id is ignored). Null when the body
 * is not one of these (JSON, plain XML, or the guide's older stock envelope,
 * which the inventory parser reads). A refusal is the face's text as a 400.
 */
export function soapPushIn(body: string, contentType: string | undefined, limits: InboundLimits = {}): SoapPush | null {
  if (!/Envelope/.test(body.slice(0, 2000))) return null
  let operation: string | undefined
  try {
    const root = rootElement(parseXml(body))
    if (!root || root.name !== "Envelope" || !isXmlElement(root.node)) return null
    operation = childElementNames(root.node.Body)[0]
  } catch {
    return null // the route's own parser names what is wrong with it
  }
  if (!operation) return null
  try {
    const m2 = m2ServiceByRequestElement(operation)
    if (m2 && m2.kind !== "token") {
      const call = parseM2Request(body, { contentType, services: M2_SERVICES.filter((s) => s.kind !== "token"), limits })
      if (call.kind === "inventory") return { kind: "inventory", update: call.update }
      if (call.kind === "shipment") return { kind: "shipment", notification: call.notification }
      return null
    }
    if (M1_PUSHES.has(operation)) {
      const call = parseM1Request(body, { limits })
      if (call.kind === "inventory") return { kind: "inventory", update: call.update }
      if (call.kind === "shipment") return { kind: "shipment", notification: call.notification }
    }
  } catch (err) {
    if (err instanceof M2Fault) throw new InboundValidationError(400, err.text, { format: "soap" })
    if (err instanceof M1Fault) throw new InboundValidationError(400, err.message, { format: "soap" })
    throw err
  }
  return null
}

/** The message of a push posted to the other route (a despatch to /orderflow/inventory, say). */
export function wrongRoute(push: SoapPush, route: "inventory" | "shipment"): InboundValidationError {
  const other = push.kind === "inventory" ? "/orderflow/inventory" : "/orderflow/shipment"
  return new InboundValidationError(400, `this SOAP message is a ${push.kind === "inventory" ? "stock update" : "despatch"}: post it to ${other}, not /orderflow/${route}`, {
    format: "soap",
  })
}
