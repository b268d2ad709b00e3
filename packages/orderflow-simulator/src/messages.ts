// The messages OrderFlow pushes to the store (DESIGN.md section 3; seed 000,
// "Inventory Import", "Handling Inventory Duplicates", "Shipment Import"):
// the typed payload, and its body in each push format. Pure functions.

import { escapeXml as esc } from "./xml"

/**
 * How pushes are sent. `json` (alias `rest`) and `xml`: the Magento 2
 * extension's REST shape to /orderflow/inventory and /orderflow/shipment;
 * `soap`: the guide's M1-style stock envelope to the same routes. The
 * connector modes do what OrderFlow's own connectors do: `soap-m2` fetches
 * the WSDL, asks for an admin token and pushes to the Magento 2 face
 * (/orderflow/soap/default); `soap-m1` logs in and pushes with its session id
 * to the Magento 1 face (/orderflow/api/v2_soap/index/).
 */
export type PushFormat = "json" | "xml" | "soap" | "soap-m2" | "soap-m1"
export const PUSH_FORMATS: PushFormat[] = ["json", "xml", "soap", "soap-m2", "soap-m1"]
/** Names accepted for a push format (the issue tracker's mode names). */
export const PUSH_FORMAT_ALIASES: Record<string, PushFormat> = { rest: "json" }

/** Stands for the M1 session id in a rendered body; replaced at each send with the session then current. */
export const SESSION_PLACEHOLDER = "\u0000SESSION\u0000"

export const M2_SERVICES = {
  inventory: "realtimeDespatchOrderFlowInventoryRequestManagementV1",
  shipment: "realtimeDespatchOrderFlowShipmentRequestManagementV1",
  token: "integrationAdminTokenServiceV1",
} as const
export const M2_OPERATIONS = {
  inventory: `${M2_SERVICES.inventory}Update`,
  shipment: `${M2_SERVICES.shipment}Create`,
  token: `${M2_SERVICES.token}CreateAdminAccessToken`,
} as const

export interface ProductQty {
  sku: string
  /** The available figure. */
  qty: number
  /** The site reference; only when more than one site is configured. */
  source?: string
}

export interface ProductSeq {
  sku: string
  /** The product/site's current inventory record id. */
  seq: number
  source?: string
  /** When the last order import was received (UTC yyyy-MM-dd HH:mm:ss); absent before the first. */
  lastOrderExported?: string
}

export interface InventoryUpdate {
  productQtys: ProductQty[]
  productSeqs: ProductSeq[]
  messageSeqId: number
}

export interface ShipmentDespatch {
  orderIncrementId: string
  skuQty: { sku: string; qty: number }[]
  /** The first package's tracking number; absent for an untracked despatch. */
  trackingNumber?: string
  tracks: { trackingNumber: string }[]
  courierName?: string
  serviceName?: string
  comment: string
  email: boolean
  includeComment: boolean
  /** UTC yyyy-MM-dd HH:mm:ss */
  dateShipped: string
  messageSeqId: number
}

export interface RenderedMessage {
  contentType: string
  body: string
  headers?: Record<string, string>
}

/** The SOAP request element; receivers should match on its local name or just take the Body's child. */
export const SOAP_OPERATION = "ns1:orderflowInventoryUpdate"

const SOAP_NAMESPACES =
  'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:Magento" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"'

/** A SOAP 1.1 envelope as PHP's SoapClient writes one for a document/literal Magento 2 operation. */
function m2Envelope(service: string, element: string, inner: string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:${service}">`,
    "  <SOAP-ENV:Body>",
    `    <ns1:${element}>`,
    ...inner.map((l) => `      ${l}`),
    `    </ns1:${element}>`,
    "  </SOAP-ENV:Body>",
    "</SOAP-ENV:Envelope>",
    "",
  ].join("\n")
}

/** The Magento 2 admin token request (ORDERFLOW-SOAP.md §1.8a). */
export function renderM2TokenRequest(username: string, password: string): RenderedMessage {
  return {
    contentType: "text/xml; charset=utf-8",
    body: m2Envelope(M2_SERVICES.token, `${M2_OPERATIONS.token}Request`, [`<username>${esc(username)}</username>`, `<password>${esc(password)}</password>`]),
    headers: { SOAPAction: `"${M2_OPERATIONS.token}"` },
  }
}

/** Magento 1's login, RPC/encoded (ORDERFLOW-SOAP.md §2.4a). */
export function renderM1Login(username: string, apiKey: string): RenderedMessage {
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<SOAP-ENV:Envelope ${SOAP_NAMESPACES}>`,
    "  <SOAP-ENV:Body>",
    "    <ns1:login>",
    `      <username xsi:type="xsd:string">${esc(username)}</username>`,
    `      <apiKey xsi:type="xsd:string">${esc(apiKey)}</apiKey>`,
    "    </ns1:login>",
    "  </SOAP-ENV:Body>",
    "</SOAP-ENV:Envelope>",
    "",
  ].join("\n")
  return { contentType: "text/xml; charset=utf-8", body, headers: { SOAPAction: '"urn:Mage_Api_Model_Server_V2_HandlerAction"' } }
}

export function renderInventoryUpdate(msg: InventoryUpdate, format: PushFormat, sessionId: string): RenderedMessage {
  if (format === "json") return { contentType: "application/json", body: JSON.stringify(msg) }
  if (format === "soap-m2") {
    const inner = [
      "<productQtys>",
      ...msg.productQtys.map((q) => `  <item><sku>${esc(q.sku)}</sku><qty>${q.qty}</qty>${q.source !== undefined ? `<source>${esc(q.source)}</source>` : ""}</item>`),
      "</productQtys>",
      "<productSeqs>",
      ...msg.productSeqs.map(
        (s) => `  <item><sku>${esc(s.sku)}</sku><seq>${s.seq}</seq><lastOrderExported>${esc(s.lastOrderExported ?? "")}</lastOrderExported></item>`
      ),
      "</productSeqs>",
      `<messageSeqId>${msg.messageSeqId}</messageSeqId>`,
    ]
    return {
      contentType: "text/xml; charset=utf-8",
      body: m2Envelope(M2_SERVICES.inventory, `${M2_OPERATIONS.inventory}Request`, inner),
      headers: { SOAPAction: `"${M2_OPERATIONS.inventory}"` },
    }
  }
  if (format === "xml") {
    const out = ['<?xml version="1.0" encoding="UTF-8"?>', "<inventoryUpdate>", `  <messageSeqId>${msg.messageSeqId}</messageSeqId>`, "  <productQtys>"]
    for (const q of msg.productQtys) {
      out.push("    <productQty>", `      <sku>${esc(q.sku)}</sku>`, `      <qty>${q.qty}</qty>`)
      if (q.source !== undefined) out.push(`      <source>${esc(q.source)}</source>`)
      out.push("    </productQty>")
    }
    out.push("  </productQtys>", "  <productSeqs>")
    for (const s of msg.productSeqs) {
      out.push("    <productSeq>", `      <sku>${esc(s.sku)}</sku>`, `      <seq>${s.seq}</seq>`)
      if (s.source !== undefined) out.push(`      <source>${esc(s.source)}</source>`)
      if (s.lastOrderExported !== undefined) out.push(`      <lastOrderExported>${esc(s.lastOrderExported)}</lastOrderExported>`)
      out.push("    </productSeq>")
    }
    out.push("  </productSeqs>", "</inventoryUpdate>")
    return { contentType: "application/xml", body: out.join("\n") + "\n" }
  }
  // SOAP (seed 000, "Handling Inventory Duplicates"): key/value arrays, no source, no lastOrderExported.
  const items = (entries: { key: string; value: number; lastOrderExported?: string }[], type: string) =>
    entries.map(
      (e) =>
        `        <item xsi:type="ns1:${type}">\n` +
        `          <key xsi:type="xsd:string">${esc(e.key)}</key>\n` +
        `          <value xsi:type="xsd:int">${e.value}</value>\n` +
        (e.lastOrderExported ? `          <lastOrderExported xsi:type="xsd:dateTime">${esc(e.lastOrderExported)}</lastOrderExported>\n` : "") +
        "        </item>"
    )
  const qtys = msg.productQtys.map((q) => ({ key: q.sku, value: q.qty }))
  const seqs = msg.productSeqs.map((s) => ({ key: s.sku, value: s.seq, lastOrderExported: format === "soap-m1" ? s.lastOrderExported : undefined }))
  const operation = format === "soap-m1" ? "ns1:orderflowInventoryMultiUpdate" : SOAP_OPERATION
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<SOAP-ENV:Envelope ${SOAP_NAMESPACES}>`,
    "  <SOAP-ENV:Body>",
    `    <${operation}>`,
    `      <sessionId xsi:type="xsd:string">${format === "soap-m1" ? SESSION_PLACEHOLDER : esc(sessionId)}</sessionId>`,
    `      <skusQty SOAP-ENC:arrayType="ns1:skuQty[${qtys.length}]" xsi:type="ns1:skuQtyArray">`,
    ...items(qtys, "skuQty"),
    "      </skusQty>",
    `      <skusSeqId SOAP-ENC:arrayType="ns1:skuSeq[${seqs.length}]" xsi:type="ns1:skuSeqArray">`,
    ...items(seqs, "skuSeq"),
    "      </skusSeqId>",
    `      <messageSeqId xsi:type="xsd:int">${msg.messageSeqId}</messageSeqId>`,
    `    </${operation}>`,
    "  </SOAP-ENV:Body>",
    "</SOAP-ENV:Envelope>",
    "",
  ].join("\n")
  return {
    contentType: "text/xml; charset=UTF-8",
    body,
    headers: { SOAPAction: format === "soap-m1" ? '"urn:Mage_Api_Model_Server_V2_HandlerAction"' : '""' },
  }
}

/** JSON, or <shipmentDespatch> (also for --push-format soap: the guide shows shipments in plain XML). */
export function renderShipmentDespatch(msg: ShipmentDespatch, format: PushFormat): RenderedMessage {
  if (format === "json") return { contentType: "application/json", body: JSON.stringify(msg) }
  const scalars = (typed: boolean) =>
    (
      [
        ["comment", "xsd:string", msg.comment],
        ["email", "xsd:int", msg.email ? "1" : "0"],
        ["includeComment", "xsd:int", msg.includeComment ? "1" : "0"],
        ["courierName", "xsd:string", msg.courierName],
        ["serviceName", "xsd:string", msg.serviceName],
        ["trackingNumber", "xsd:string", msg.trackingNumber],
        ["dateShipped", typed ? "xsd:date" : "xsd:string", msg.dateShipped],
        ["messageSeqId", "xsd:long", String(msg.messageSeqId)],
      ] as Array<[string, string, string | undefined]>
    )
      .filter(([, , v]) => v !== undefined)
      .map(([name, type, v]) => (typed ? `<${name} xsi:type="${type}">${esc(v!)}</${name}>` : `<${name}>${esc(v!)}</${name}>`))
  if (format === "soap-m2") {
    const inner = [
      `<orderIncrementId>${esc(msg.orderIncrementId)}</orderIncrementId>`,
      "<skuQty>",
      ...msg.skuQty.map((i) => `  <item><sku>${esc(i.sku)}</sku><qty>${i.qty}</qty></item>`),
      "</skuQty>",
      "<tracks>",
      ...msg.tracks.map((t) => `  <item><trackingNumber>${esc(t.trackingNumber)}</trackingNumber></item>`),
      "</tracks>",
      ...scalars(false),
    ]
    return {
      contentType: "text/xml; charset=utf-8",
      body: m2Envelope(M2_SERVICES.shipment, `${M2_OPERATIONS.shipment}Request`, inner),
      headers: { SOAPAction: `"${M2_OPERATIONS.shipment}"` },
    }
  }
  if (format === "soap-m1") {
    // Magento 1's module has no tracks: one tracking number per shipment (the first package's).
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<SOAP-ENV:Envelope ${SOAP_NAMESPACES}>`,
      "  <SOAP-ENV:Body>",
      "    <ns1:orderflowShipmentCreate>",
      `      <sessionId xsi:type="xsd:string">${SESSION_PLACEHOLDER}</sessionId>`,
      `      <orderIncrementId xsi:type="xsd:string">${esc(msg.orderIncrementId)}</orderIncrementId>`,
      `      <skuQty SOAP-ENC:arrayType="ns1:skuQty[${msg.skuQty.length}]" xsi:type="ns1:skuQtyArray">`,
      ...msg.skuQty.map(
        (i) => `        <item xsi:type="ns1:skuQty"><key xsi:type="xsd:string">${esc(i.sku)}</key><value xsi:type="xsd:int">${i.qty}</value></item>`
      ),
      "      </skuQty>",
      ...scalars(true).map((l) => `      ${l}`),
      "    </ns1:orderflowShipmentCreate>",
      "  </SOAP-ENV:Body>",
      "</SOAP-ENV:Envelope>",
      "",
    ].join("\n")
    return { contentType: "text/xml; charset=utf-8", body, headers: { SOAPAction: '"urn:Mage_Api_Model_Server_V2_HandlerAction"' } }
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', "<shipmentDespatch>", `  <orderIncrementId>${esc(msg.orderIncrementId)}</orderIncrementId>`, "  <skuQty>"]
  for (const i of msg.skuQty) out.push("    <item>", `      <sku>${esc(i.sku)}</sku>`, `      <qty>${i.qty}</qty>`, "    </item>")
  out.push("  </skuQty>")
  if (msg.trackingNumber !== undefined) out.push(`  <trackingNumber>${esc(msg.trackingNumber)}</trackingNumber>`)
  out.push("  <tracks>")
  for (const t of msg.tracks) out.push("    <track>", `      <trackingNumber>${esc(t.trackingNumber)}</trackingNumber>`, "    </track>")
  out.push("  </tracks>")
  if (msg.courierName !== undefined) out.push(`  <courierName>${esc(msg.courierName)}</courierName>`)
  if (msg.serviceName !== undefined) out.push(`  <serviceName>${esc(msg.serviceName)}</serviceName>`)
  out.push(
    `  <comment>${esc(msg.comment)}</comment>`,
    `  <email>${msg.email}</email>`,
    `  <includeComment>${msg.includeComment}</includeComment>`,
    `  <dateShipped>${esc(msg.dateShipped)}</dateShipped>`,
    `  <messageSeqId>${msg.messageSeqId}</messageSeqId>`,
    "</shipmentDespatch>"
  )
  return { contentType: format === "soap" ? "text/xml; charset=UTF-8" : "application/xml", body: out.join("\n") + "\n" }
}
