// The messages OrderFlow pushes to the store (DESIGN.md section 3; seed 000,
// "Inventory Import", "Handling Inventory Duplicates", "Shipment Import"):
// the typed payload, and its body in each push format. Pure functions.

import { escapeXml as esc } from "./xml"

export type PushFormat = "json" | "xml" | "soap"
export const PUSH_FORMATS: PushFormat[] = ["json", "xml", "soap"]

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

export function renderInventoryUpdate(msg: InventoryUpdate, format: PushFormat, sessionId: string): RenderedMessage {
  if (format === "json") return { contentType: "application/json", body: JSON.stringify(msg) }
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
  const items = (entries: { key: string; value: number }[], type: string) =>
    entries.map(
      (e) =>
        `        <item xsi:type="ns1:${type}">\n` +
        `          <key xsi:type="xsd:string">${esc(e.key)}</key>\n` +
        `          <value xsi:type="xsd:int">${e.value}</value>\n` +
        "        </item>"
    )
  const qtys = msg.productQtys.map((q) => ({ key: q.sku, value: q.qty }))
  const seqs = msg.productSeqs.map((s) => ({ key: s.sku, value: s.seq }))
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<SOAP-ENV:Envelope ${SOAP_NAMESPACES}>`,
    "  <SOAP-ENV:Body>",
    `    <${SOAP_OPERATION}>`,
    `      <sessionId xsi:type="xsd:string">${esc(sessionId)}</sessionId>`,
    `      <skusQty SOAP-ENC:arrayType="ns1:skuQty[${qtys.length}]" xsi:type="ns1:skuQtyArray">`,
    ...items(qtys, "skuQty"),
    "      </skusQty>",
    `      <skusSeqId SOAP-ENC:arrayType="ns1:skuSeq[${seqs.length}]" xsi:type="ns1:skuSeqArray">`,
    ...items(seqs, "skuSeq"),
    "      </skusSeqId>",
    `      <messageSeqId xsi:type="xsd:int">${msg.messageSeqId}</messageSeqId>`,
    `    </${SOAP_OPERATION}>`,
    "  </SOAP-ENV:Body>",
    "</SOAP-ENV:Envelope>",
    "",
  ].join("\n")
  return { contentType: "text/xml; charset=UTF-8", body, headers: { SOAPAction: '""' } }
}

/** JSON, or <shipmentDespatch> (also for --push-format soap: the guide shows shipments in plain XML). */
export function renderShipmentDespatch(msg: ShipmentDespatch, format: PushFormat): RenderedMessage {
  if (format === "json") return { contentType: "application/json", body: JSON.stringify(msg) }
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
