import { excerpt, OrderflowApiError, OrderflowHttpError, OrderflowResponseError, XmlParseError } from "../errors"
import { parseErrorDocument } from "../xml/error-document"
import { parseXml } from "../xml/safe-xml"
import { attributeOf, collapseWhitespace, isXmlElement, rootElement, textOf } from "../xml/xml-tree"
import { parseOrderflowDateTime } from "./fields"
import { DespatchNotification } from "./types"

// "Despatched Shipments Per Time Period" (seed 002): POST
// /remoteorder/shipment/despatches.xml (channel, from, to, includeOrderLines)
// answers with
//   <shipments><shipment><reference/><orderReference/><originatingOrderReference/>
//     <state>despatched</state><carrier/><service/><despatchReference/><completed/>
//     <packages><package despatchReference="…">…</package>…</packages>   (several parcels only)
//     <orderLines><orderLine><productReference/><quantity/><thirdPartyReference/></orderLine>…</orderLines>
//   </shipment>…</shipments>
// It is the poll backstop for despatch pushes OrderFlow gave up on: each
// shipment becomes the DespatchNotification a push would have carried.

export type DespatchedShipmentLine = { productReference: string; quantity: number }

export type DespatchedShipment = {
  /** OrderFlow's shipment reference (e.g. 831). */
  reference: string
  orderReference: string
  state: string
  carrier: string
  service: string
  /** Every parcel's tracking number: the packages' despatchReferences, else the shipment's; empties dropped. */
  trackingNumbers: string[]
  /** ISO 8601 UTC, from `completed` (yyyy-MM-dd HH:mm:ss). */
  completed: string
  lines: DespatchedShipmentLine[]
}

const text = (node: unknown, name: string): string => {
  if (!isXmlElement(node)) return ""
  const value = textOf(node[name])
  return value === null ? "" : collapseWhitespace(value)
}

const listOf = (node: unknown, outer: string, inner: string): unknown[] => {
  const wrapper = isXmlElement(node) ? node[outer] : undefined
  const items = isXmlElement(wrapper) ? wrapper[inner] : undefined
  return Array.isArray(items) ? items : []
}

function readShipment(node: unknown, index: number, xml: string, timeZone: string): DespatchedShipment {
  const where = `OrderFlow despatched shipments: shipment ${index + 1}`
  const reference = text(node, "reference")
  if (!reference) throw new OrderflowResponseError(`${where} has no <reference>`, xml)
  const orderReference = text(node, "orderReference")
  if (!orderReference) throw new OrderflowResponseError(`${where} (${reference}) has no <orderReference>`, xml)
  const completedText = text(node, "completed")
  const completed = parseOrderflowDateTime(completedText, timeZone)
  if (!completed) throw new OrderflowResponseError(`${where} (${reference}): <completed> must be a date, got ${JSON.stringify(completedText)}`, xml)
  const lines = listOf(node, "orderLines", "orderLine").map((line, n) => {
    const productReference = text(line, "productReference")
    const quantityText = text(line, "quantity")
    if (!productReference) throw new OrderflowResponseError(`${where} (${reference}) line ${n + 1}: productReference is missing`, xml)
    if (!/^\d+$/.test(quantityText) || Number(quantityText) <= 0) {
      throw new OrderflowResponseError(`${where} (${reference}) line ${n + 1}: quantity must be a positive whole number, got ${JSON.stringify(quantityText)}`, xml)
    }
    return { productReference, quantity: Number(quantityText) }
  })
  const packages = listOf(node, "packages", "package").map((p) => (attributeOf(p, "despatchReference") ?? "").trim())
  const tracking = [...packages, text(node, "despatchReference")].filter((t) => t.length > 0)
  return {
    reference,
    orderReference,
    state: text(node, "state"),
    carrier: text(node, "carrier"),
    service: text(node, "service"),
    trackingNumbers: [...new Set(tracking)],
    completed,
    lines,
  }
}

/**
 * Reads a despatched-shipments document. A shipment without reference, order
 * reference or completion date, or a line that is not a positive whole
 * quantity of a product, makes the whole document unusable
 * (OrderflowResponseError): nothing of it is stored and the window is pulled
 * again next time rather than half-applied. `completed` without a zone is
 * OrderFlow's wall-clock time in `timeZone` (setting `api.timeZone`).
 */
export function parseDespatchedShipments(xml: string, timeZone: string = "UTC"): DespatchedShipment[] {
  const context = "OrderFlow despatched shipments"
  const apiError = parseErrorDocument(xml)
  if (apiError) throw new OrderflowApiError(apiError, context)
  let doc
  try {
    doc = parseXml(xml, {
      isArray: (path) =>
        (path.length === 2 && path[1] === "shipment") ||
        (path.length === 4 && (path[3] === "orderLine" || path[3] === "package")) ||
        (path.length === 6 && path[5] === "packageLine"),
    })
  } catch (err) {
    if (!(err instanceof XmlParseError)) throw err
    throw new OrderflowResponseError(`${context} is not usable XML (${err.message}): ${excerpt(xml)}`, xml, { cause: err })
  }
  const root = rootElement(doc)
  if (!root || root.name !== "shipments") {
    throw new OrderflowResponseError(`${context} is not a <shipments> document (root ${root ? `<${root.name}>` : "missing"}): ${excerpt(xml)}`, xml)
  }
  const node = root.node
  const shipments = isXmlElement(node) && Array.isArray(node.shipment) ? node.shipment : []
  return shipments.map((s: unknown, i: number) => readShipment(s, i, xml, timeZone))
}

/** The raw answer of a despatches.xml POST as shipments, or a classified error (like interpretAppliedReturnsReply). */
export function interpretDespatchedShipmentsReply(reply: { status: number; body: string }, timeZone: string = "UTC"): DespatchedShipment[] {
  const apiError = parseErrorDocument(reply.body)
  if (apiError) throw new OrderflowApiError(apiError, "OrderFlow despatched shipments", { status: reply.status })
  if (reply.status < 200 || reply.status > 299) throw new OrderflowHttpError(reply.status, reply.body, "OrderFlow despatched shipments")
  return parseDespatchedShipments(reply.body, timeZone)
}

/**
 * The despatch notification a push of this shipment would have carried:
 * units summed per SKU, every parcel's tracking number, `completed` as the
 * ship date. No messageSeqId (the poll does not know it) and no comment;
 * `email` as the caller says (the feed does not carry OrderFlow's choice).
 * Null for a shipment without lines (pulled without includeOrderLines, or
 * not despatched): there is nothing to apply.
 */
export function despatchFromShipment(shipment: DespatchedShipment, { email = false }: { email?: boolean } = {}): DespatchNotification | null {
  if (shipment.state && shipment.state !== "despatched") return null
  const units = new Map<string, number>()
  for (const line of shipment.lines) units.set(line.productReference, (units.get(line.productReference) ?? 0) + line.quantity)
  if (units.size === 0) return null
  return {
    messageSeqId: null,
    orderIncrementId: shipment.orderReference,
    lines: [...units].map(([sku, qty], index) => ({ index, sku, qty })),
    trackingNumbers: shipment.trackingNumbers,
    courierName: shipment.carrier || null,
    serviceName: shipment.service || null,
    comment: null,
    email,
    includeComment: false,
    dateShipped: shipment.completed,
    source: null,
    format: "xml",
  }
}

/**
 * The window of the next pull: from the last successful pull's `to` minus
 * the overlap (a despatch recorded late in OrderFlow is not missed), or
 * `lookBackHours` before now on the first run; to now, rounded up to the next
 * whole second (OrderFlow's `to` is exclusive and its dates have whole
 * seconds). A failed pull leaves `lastTo` where it was, so the next window
 * covers it.
 */
export function despatchPollWindow(args: { now: Date; lastTo: Date | null; overlapMinutes: number; lookBackHours: number }): { from: Date; to: Date } {
  const nowMs = args.now.getTime()
  const to = new Date(Math.floor(nowMs / 1000) * 1000 + 1000)
  const base = args.lastTo ? args.lastTo.getTime() - args.overlapMinutes * 60_000 : nowMs - args.lookBackHours * 3_600_000
  return { from: new Date(Math.min(base, nowMs)), to }
}
