import { InboundValidationError, XmlParseError } from "../errors"
import { despatchFromPlain } from "../inbound/despatch-notification"
import { inventoryUpdateFromPlain } from "../inbound/inventory-update"
import { DespatchNotification, InboundLimits, InventoryUpdate } from "../inbound/types"
import { parseXml, XML_ATTRIBUTE_PREFIX } from "../xml/safe-xml"
import { escapeXmlText } from "../xml/xml-escape"
import { childElementNames, isXmlElement, rootElement, textOf } from "../xml/xml-tree"
import { M1_FAULTS, M1Operation, m1OperationByName } from "./m1-services"
import { phpFlag } from "./php-flag"

// What OrderFlow's "Magento" (1) connector sends to api/v2_soap and what
// Magento 1 answers (ORDERFLOW-SOAP.md §2.3–2.4): RPC/encoded SOAP 1.1, parts
// read by local name, xsi:type and SOAP-ENC:arrayType ignored, Axis-style
// href/multiRef references resolved; numeric faults as Magento 1's.

/** A Magento 1 API fault: numeric `faultcode` and its text. */
export class M1Fault extends Error {
  constructor(
    readonly code: number,
    message: string
  ) {
    super(message)
    this.name = "M1Fault"
  }
  static of(fault: { code: number; message: string }, message = fault.message) {
    return new M1Fault(fault.code, message)
  }
}

export type M1Call =
  | { kind: "login"; operation: M1Operation; username: string; apiKey: string }
  | { kind: "endSession"; operation: M1Operation; sessionId: string }
  | { kind: "inventory"; operation: M1Operation; sessionId: string; update: InventoryUpdate }
  | { kind: "shipment"; operation: M1Operation; sessionId: string; notification: DespatchNotification }

const HREF = `${XML_ATTRIBUTE_PREFIX}href`
const ID = `${XML_ATTRIBUTE_PREFIX}id`

/** Reads a part or field: follows `href="#id"` to its multiRef; empty or xsi:nil is absent. */
function reader(body: Record<string, unknown>) {
  const refs = new Map<string, unknown>()
  const multi = body.multiRef
  for (const m of Array.isArray(multi) ? multi : multi ? [multi] : []) {
    if (isXmlElement(m) && typeof m[ID] === "string") refs.set(m[ID] as string, m)
  }
  const resolve = (node: unknown): unknown => {
    if (isXmlElement(node) && typeof node[HREF] === "string") return refs.get((node[HREF] as string).replace(/^#/, ""))
    return node
  }
  const text = (node: unknown): string | null => {
    const n = resolve(node)
    if (n === undefined || n === null) return null
    const t = typeof n === "string" ? n : textOf(n)
    return t === null || t.trim() === "" ? null : t.trim()
  }
  const items = (node: unknown, fields: string[]): Array<Record<string, string | null>> => {
    const n = resolve(node)
    if (!isXmlElement(n)) return []
    const raw = n.item
    const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
    return list.map((item) => {
      const it = resolve(item)
      return Object.fromEntries(fields.map((f) => [f, isXmlElement(it) ? text(it[f]) : null]))
    })
  }
  return { text, items }
}

/**
 * Reads one call. Throws M1Fault: 3 for an unknown operation, 6 for a login
 * without username or key, 1 (with the reason) for a malformed envelope or a
 * value the REST routes would refuse. Sessions are checked by the caller (5).
 */
export function parseM1Request(body: string, { limits = {} }: { limits?: InboundLimits } = {}): M1Call {
  let doc
  try {
    doc = parseXml(body)
  } catch (err) {
    if (err instanceof XmlParseError) throw M1Fault.of(M1_FAULTS.internal, err.message)
    throw err
  }
  const root = rootElement(doc)
  if (!root || root.name !== "Envelope" || !isXmlElement(root.node) || !isXmlElement(root.node.Body)) {
    throw M1Fault.of(M1_FAULTS.internal, "the body is not a SOAP Envelope")
  }
  const soapBody = root.node.Body as Record<string, unknown>
  const name = childElementNames(soapBody).find((n) => n !== "multiRef")
  const operation = name ? m1OperationByName(name) : undefined
  if (!operation) throw M1Fault.of(M1_FAULTS.invalidPath)
  const node = soapBody[name!]
  const call = isXmlElement(node) ? node : {}
  const { text, items } = reader(soapBody)
  const part = (p: string) => text(call[p])
  try {
    switch (operation.kind) {
      case "login": {
        const username = part("username")
        const apiKey = part("apiKey")
        if (!username || !apiKey) throw M1Fault.of(M1_FAULTS.missingParameter)
        return { kind: "login", operation, username, apiKey }
      }
      case "endSession":
        return { kind: "endSession", operation, sessionId: part("sessionId") ?? "" }
      case "inventory": {
        const plain = {
          productQtys: items(call.skusQty, ["key", "value"]).map((i) => ({ sku: i.key, qty: i.value })),
          productSeqs: items(call.skusSeqId, ["key", "value", "lastOrderExported"]).map((i) => ({ sku: i.key, seq: i.value, lastOrderExported: i.lastOrderExported })),
          messageSeqId: part("messageSeqId"),
        }
        return { kind: "inventory", operation, sessionId: part("sessionId") ?? "", update: inventoryUpdateFromPlain(plain, "soap", limits) }
      }
      case "shipment": {
        const flag = (p: string) => phpFlag(part(p))
        const plain = {
          orderIncrementId: part("orderIncrementId"),
          skuQty: items(call.skuQty, ["key", "value"]).map((i) => ({ sku: i.key, qty: i.value })),
          trackingNumber: part("trackingNumber"),
          courierName: part("courierName"),
          serviceName: part("serviceName"),
          comment: part("comment"),
          email: flag("email"),
          includeComment: flag("includeComment"),
          dateShipped: part("dateShipped"),
          messageSeqId: part("messageSeqId"),
        }
        return { kind: "shipment", operation, sessionId: part("sessionId") ?? "", notification: despatchFromPlain(plain, "soap", limits) }
      }
    }
  } catch (err) {
    if (err instanceof InboundValidationError) throw M1Fault.of(M1_FAULTS.internal, err.message)
    throw err
  }
}

export type M1Reply = { status: number; contentType: string; body: string }

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:Magento" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">\n'

/** `<ns1:<operation>Response><<return part> xsi:type=…>value</…>` as PHP's SoapServer writes it (HTTP 200). */
export function m1Response(operation: M1Operation, value: string | boolean): M1Reply {
  const part = operation.output
  return {
    status: 200,
    contentType: "text/xml; charset=UTF-8",
    body:
      `${ENVELOPE_OPEN}<SOAP-ENV:Body>\n<ns1:${operation.name}Response>\n` +
      `<${part.name} xsi:type="${part.type}">${escapeXmlText(String(value))}</${part.name}>\n` +
      `</ns1:${operation.name}Response>\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n`,
  }
}

/** A SOAP 1.1 fault with Magento 1's bare numeric faultcode; HTTP 500 (ORDERFLOW-SOAP.md §2.3). */
export function m1FaultResponse(fault: M1Fault): M1Reply {
  return {
    status: 500,
    contentType: "text/xml; charset=UTF-8",
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">\n<SOAP-ENV:Body>\n<SOAP-ENV:Fault>\n' +
      `<faultcode>${fault.code}</faultcode>\n<faultstring>${escapeXmlText(fault.message)}</faultstring>\n` +
      "</SOAP-ENV:Fault>\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n",
  }
}
