import { InboundValidationError, XmlParseError } from "../errors"
import { despatchFromPlain } from "../inbound/despatch-notification"
import { inventoryUpdateFromPlain } from "../inbound/inventory-update"
import { DespatchNotification, InboundLimits, InventoryUpdate } from "../inbound/types"
import { parseXml } from "../xml/safe-xml"
import { escapeXmlAttribute, escapeXmlText } from "../xml/xml-escape"
import { childElementNames, isXmlElement, rootElement, textOf } from "../xml/xml-tree"
import { M2Service, m2ServiceByRequestElement, responseElementOf } from "./m2-services"
import { phpFlag } from "./php-flag"

// What OrderFlow's "Magento 2" connector sends and what Magento answers
// (ORDERFLOW-SOAP.md §1.5–1.8): read as leniently as PHP's ext/soap reads it
// (elements by local name, any order, unknown elements ignored, xsi:type
// ignored, empty = absent), answered in the caller's SOAP version, faults
// always as Magento's SOAP 1.2 env:Fault with HTTP 200.

export type SoapVersion = "1.1" | "1.2"

const SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
const SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"

/**
 * A fault in Magento's words: `message` is the raw text with %placeholders,
 * `parameters` their values (env:Detail GenericFault), `receiver` for the
 * store's own failures (env:Receiver), otherwise the caller's (env:Sender).
 */
export class M2Fault extends Error {
  constructor(
    message: string,
    readonly parameters: Record<string, string> = {},
    readonly receiver = false
  ) {
    super(message)
    this.name = "M2Fault"
  }

  /** The message with its placeholders filled in, for logs and the request history. */
  get text(): string {
    return this.message.replace(/%(\w+)/g, (whole, key: string) => this.parameters[key] ?? whole)
  }
}

export type M2Call =
  | { kind: "inventory"; service: M2Service; version: SoapVersion; update: InventoryUpdate }
  | { kind: "shipment"; service: M2Service; version: SoapVersion; notification: DespatchNotification }
  | { kind: "token"; service: M2Service; version: SoapVersion; username: string; password: string }

/** SOAP 1.2 by its envelope namespace or media type; anything else is read as 1.1. */
export function soapVersionOf(body: string, contentType: string | undefined): SoapVersion {
  if ((contentType ?? "").toLowerCase().startsWith("application/soap+xml")) return "1.2"
  return body.includes(SOAP12_ENV) ? "1.2" : "1.1"
}

const textValue = (node: unknown): string | null => {
  if (node === undefined || node === null) return null
  if (isXmlElement(node) && childElementNames(node).length > 0) return null
  const text = isXmlElement(node) ? textOf(node) : typeof node === "string" ? node : null
  return text === null || text.trim() === "" ? null : text.trim()
}

/** The fields of the described items only (unknown elements such as a per-track courierName are ignored, as ext/soap does). */
function itemsOf(node: unknown, fields: string[]): Array<Record<string, string | null>> {
  if (!isXmlElement(node)) return []
  const raw = node.item
  const items = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
  return items.map((item) => Object.fromEntries(fields.map((f) => [f, isXmlElement(item) ? textValue(item[f]) : null])))
}

/**
 * Reads one call. Throws M2Fault with Magento's text for a malformed
 * envelope, an unknown operation, a service not listed in `?services=`, a
 * missing required parameter or a value our validation refuses.
 */
export function parseM2Request(
  body: string,
  { contentType, services, limits = {} }: { contentType: string | undefined; services: M2Service[]; limits?: InboundLimits }
): M2Call {
  const version = soapVersionOf(body, contentType)
  if (body.trim() === "") throw new M2Fault("Invalid XML")
  let doc
  try {
    doc = parseXml(body)
  } catch (err) {
    if (err instanceof XmlParseError) {
      throw new M2Fault(/DOCTYPE|DTD/i.test(err.message) ? "Invalid XML: Detected use of illegal DOCTYPE" : "Invalid XML")
    }
    throw err
  }
  const root = rootElement(doc)
  if (!root || root.name !== "Envelope" || !isXmlElement(root.node)) throw new M2Fault("Invalid XML: the body is not a SOAP Envelope")
  const soapBody = root.node.Body
  const element = childElementNames(soapBody)[0]
  if (!element) throw new M2Fault("Invalid XML: the SOAP Body holds no operation")
  const service = m2ServiceByRequestElement(element)
  if (!service) throw new M2Fault('Function ("%function") is not a valid method for this service.', { function: element.replace(/Request$/, "") })
  if (!services.some((s) => s.service === service.service)) {
    throw new M2Fault('Requested service is not available: "%service"', { service: service.service })
  }
  const node = (soapBody as Record<string, unknown>)[element]
  if (Array.isArray(node)) throw new M2Fault("Invalid XML: the SOAP Body holds more than one operation")
  const call = isXmlElement(node) ? node : {}
  // Magento's input processor: a parameter with no default must be there.
  for (const field of service.request) {
    if (!field.required) continue
    const value = call[field.name]
    const present = "arrayOf" in field ? value !== undefined && value !== null : textValue(value) !== null
    if (!present) throw new M2Fault('"%fieldName" is required. Enter and try again.', { fieldName: field.name })
  }
  const fault = (err: unknown): never => {
    if (err instanceof InboundValidationError) throw new M2Fault(err.message)
    throw err
  }
  try {
    if (service.kind === "token") {
      return { kind: "token", service, version, username: textValue(call.username) ?? "", password: textValue(call.password) ?? "" }
    }
    if (service.kind === "inventory") {
      const qtys = itemsOf(call.productQtys, ["sku", "qty", "source"])
      // The module pairs by SKU, the last sequence entry of a SKU winning, and one sequence may serve
      // several quantity entries of that SKU (one per MSI source): each quantity gets its SKU's entry.
      const seqBySku = new Map(itemsOf(call.productSeqs, ["sku", "seq", "lastOrderExported"]).map((s) => [s.sku, s]))
      const plain = {
        productQtys: qtys,
        productSeqs: qtys.map((q) => {
          const seq = seqBySku.get(q.sku)
          return seq ? { ...seq, source: q.source } : { sku: q.sku, seq: null, lastOrderExported: null, source: q.source }
        }),
        messageSeqId: textValue(call.messageSeqId),
      }
      return { kind: "inventory", service, version, update: inventoryUpdateFromPlain(plain, "soap", limits) }
    }
    const skuQty = itemsOf(call.skuQty, ["sku", "qty", "source"])
    // The module makes one shipment per MSI source; here one message has one site: the source all lines share.
    const sources = [...new Set(skuQty.map((l) => l.source).filter((s): s is string => !!s))]
    const scalar = (name: string) => textValue(call[name])
    const flag = (name: string) => phpFlag(scalar(name))
    const plain = {
      orderIncrementId: scalar("orderIncrementId"),
      skuQty: skuQty.map(({ sku, qty }) => ({ sku, qty })),
      tracks: itemsOf(call.tracks, ["trackingNumber"]),
      trackingNumber: scalar("trackingNumber"),
      courierName: scalar("courierName"),
      serviceName: scalar("serviceName"),
      comment: scalar("comment"),
      email: flag("email"),
      includeComment: flag("includeComment"),
      dateShipped: scalar("dateShipped"),
      messageSeqId: scalar("messageSeqId"),
      source: sources.length === 1 ? sources[0] : null,
    }
    return { kind: "shipment", service, version, notification: despatchFromPlain(plain, "soap", limits) }
  } catch (err) {
    return fault(err)
  }
}

export type SoapReply = { status: number; contentType: string; body: string }

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

/** `<ns1:<operation>Response><result>…</result>` in the caller's SOAP version (HTTP 200). */
export function m2Response(version: SoapVersion, service: M2Service, endpointUrl: string, result: string): SoapReply {
  const [prefix, ns, contentType] =
    version === "1.2" ? ["env", SOAP12_ENV, "application/soap+xml; charset=utf-8"] : ["SOAP-ENV", SOAP11_ENV, "text/xml; charset=utf-8"]
  const element = responseElementOf(service)
  return {
    status: 200,
    contentType,
    body:
      `${XML_DECLARATION}<${prefix}:Envelope xmlns:${prefix}="${ns}" xmlns:ns1="${escapeXmlAttribute(endpointUrl)}">` +
      `<${prefix}:Body><ns1:${element}><result>${escapeXmlText(result)}</result></ns1:${element}></${prefix}:Body></${prefix}:Envelope>\n`,
  }
}

/** Magento's fault: always SOAP 1.2, HTTP 200, the raw message with placeholders and a GenericFault with their values. */
export function m2FaultResponse(fault: M2Fault, endpointUrl: string): SoapReply {
  const params = Object.entries(fault.parameters)
  const detail = params.length
    ? `<env:Detail><m:GenericFault><m:Parameters>${params
        .map(([k, v]) => `<m:GenericFaultParameter><m:key>${escapeXmlText(k)}</m:key><m:value>${escapeXmlText(v)}</m:value></m:GenericFaultParameter>`)
        .join("")}</m:Parameters></m:GenericFault></env:Detail>`
    : ""
  const m = params.length ? ` xmlns:m="${escapeXmlAttribute(encodeURIComponent(`${endpointUrl}&wsdl=1`))}"` : ""
  return {
    status: 200,
    contentType: "application/soap+xml; charset=utf-8",
    body:
      `${XML_DECLARATION}<env:Envelope xmlns:env="${SOAP12_ENV}"${m}><env:Body><env:Fault>` +
      `<env:Code><env:Value>${fault.receiver ? "env:Receiver" : "env:Sender"}</env:Value></env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${escapeXmlText(fault.message)}</env:Text></env:Reason>${detail}</env:Fault></env:Body></env:Envelope>\n`,
  }
}
