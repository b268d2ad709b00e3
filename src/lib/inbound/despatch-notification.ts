import { createHash } from "node:crypto"
import { InboundValidationError } from "../errors"
import { rootElement } from "../xml/xml-tree"
import {
  booleanCheck,
  dateTimeCheck,
  field,
  INT32_MAX,
  integerCheck,
  listOf,
  nonEmptyTextCheck,
  optionalField,
  optionalListOf,
  parseOrderflowDateTime,
  record,
  referenceCheck,
  textCheck,
} from "./fields"
import { checkInboundBody, checkListLengths, parseJsonBody, parseXmlBody, toInboundError, xmlToPlain } from "./inbound-body"
import { DespatchNotification, InboundLimits } from "./types"

// A despatch (shipment) notification pushed by OrderFlow (DESIGN §3):
// JSON in the Magento 2 extension's REST shape
//   { orderIncrementId, skuQty: [{ sku, qty }], tracks: [{ trackingNumber }], comment?, email?,
//     includeComment?, courierName?, serviceName?, trackingNumber?, dateShipped?, messageSeqId?, source? }
// or the same names as XML elements under any root (`<skuQty><item>…`, `<tracks><track>…`).
// Unlike stock, every despatch must be applied exactly once — a late, earlier
// partial despatch is still news — so the dedupe key identifies the message itself.

export const MAX_COMMENT_LENGTH = 4000
export const MAX_DESPATCH_QTY = 1_000_000_000

const despatchSchema = record({
  orderIncrementId: field(referenceCheck(255)),
  skuQty: listOf(record({ sku: field(referenceCheck(255)), qty: field(integerCheck(1, MAX_DESPATCH_QTY, "a positive integer")) })),
  tracks: optionalListOf(record({ trackingNumber: optionalField(textCheck(255)) })),
  trackingNumber: optionalField(textCheck(255)),
  courierName: optionalField(textCheck(255)),
  serviceName: optionalField(textCheck(255)),
  comment: optionalField(textCheck(MAX_COMMENT_LENGTH)),
  email: optionalField(booleanCheck()),
  includeComment: optionalField(booleanCheck()),
  dateShipped: optionalField(dateTimeCheck()),
  messageSeqId: optionalField(integerCheck(0, INT32_MAX)),
  source: optionalField(nonEmptyTextCheck(255)),
})

const LIST_NAMES = ["skuQty", "tracks"] as const

function trackingNumbersOf(first: string | null, tracks: ReadonlyArray<{ trackingNumber: string | null }>): string[] {
  const seen = new Set<string>()
  for (const candidate of [first, ...tracks.map((track) => track.trackingNumber)]) {
    const value = candidate?.trim()
    if (value) seen.add(value)
  }
  return [...seen]
}

function fromMessage(plain: unknown, format: "json" | "xml", limits: InboundLimits): DespatchNotification {
  checkListLengths(plain, LIST_NAMES, limits, format)
  const parsed = despatchSchema.safeParse(plain)
  if (!parsed.success) throw toInboundError(parsed.error, format, "despatch message")
  const data = parsed.data
  if (data.skuQty.length === 0) throw new InboundValidationError(400, "skuQty must contain at least one line", { format })
  return {
    messageSeqId: data.messageSeqId,
    orderIncrementId: data.orderIncrementId,
    lines: data.skuQty.map((line, index) => ({ index, sku: line.sku, qty: line.qty })),
    trackingNumbers: trackingNumbersOf(data.trackingNumber, data.tracks),
    courierName: data.courierName,
    serviceName: data.serviceName,
    comment: data.comment,
    email: data.email ?? false,
    includeComment: data.includeComment ?? false,
    // dateTimeCheck accepted the text; read in OrderFlow's zone unless it names one.
    dateShipped: data.dateShipped === null ? null : parseOrderflowDateTime(data.dateShipped, limits.timeZone ?? "UTC"),
    source: data.source,
    format,
  }
}

/**
 * Validates a despatch notification.
 * @throws InboundValidationError 415, 413 or 400 naming the field.
 */
export function parseDespatchNotification(
  body: string,
  contentType: string | undefined,
  limits: InboundLimits = {}
): DespatchNotification {
  const format = checkInboundBody(body, contentType, limits)
  if (format === "json") return fromMessage(parseJsonBody(body), "json", limits)
  const root = rootElement(parseXmlBody(body))
  if (!root) throw new InboundValidationError(400, "XML has no root element", { format })
  const plain = xmlToPlain(root.node, (path) => path.length === 1 && (LIST_NAMES as readonly string[]).includes(path[0]), format)
  return fromMessage(plain, "xml", limits)
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Natural key of a despatch.
 *
 * With a ship date: `shipment:despatch:<hash>` of what identifies one parcel
 * leaving the warehouse whichever way the store hears of it — the order
 * reference, the units per SKU (sorted, summed per SKU), the tracking numbers
 * (sorted) and the ship date to the second. A pushed notification and the
 * same shipment read by the poll backstop (Despatched Shipments Per Time
 * Period, which knows no messageSeqId) get the same key, so whichever is
 * stored first is applied and the other is filed a duplicate. The message
 * number is left out on purpose: OrderFlow re-sending one despatch is the
 * same parcel, and two parcels never share order, content, tracking and
 * second.
 *
 * Without a ship date (the poll always has one): `shipment:<messageSeqId>:<hash>`
 * when OrderFlow sent a number, otherwise a hash of the content (order,
 * lines, tracking, source), so a retried notification is still recognised
 * whatever order its lists come in.
 */
export function despatchDedupeKey(notification: DespatchNotification): string {
  if (notification.dateShipped) {
    const units = new Map<string, number>()
    for (const line of notification.lines) units.set(line.sku, (units.get(line.sku) ?? 0) + line.qty)
    const canonical = JSON.stringify({
      order: notification.orderIncrementId,
      lines: [...units].sort((a, b) => byText(a[0], b[0])),
      tracking: [...new Set(notification.trackingNumbers)].sort(byText),
      dateShipped: notification.dateShipped,
    })
    return `shipment:despatch:${createHash("sha256").update(canonical, "utf8").digest("hex")}`
  }
  const canonical = JSON.stringify({
    order: notification.orderIncrementId,
    lines: notification.lines
      .map((line): [string, number] => [line.sku, line.qty])
      .sort((a, b) => byText(a[0], b[0]) || a[1] - b[1]),
    tracking: [...notification.trackingNumbers].sort(byText),
    dateShipped: notification.dateShipped,
    source: notification.source,
  })
  const hash = createHash("sha256").update(canonical, "utf8").digest("hex")
  // With a messageSeqId the number and the content together identify the
  // message (a reused number with other content is a different despatch).
  return notification.messageSeqId !== null
    ? `shipment:${notification.messageSeqId}:${hash.slice(0, 32)}`
    : `shipment:sha256:${hash}`
}
