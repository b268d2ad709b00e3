import { createHash, randomUUID } from "node:crypto"
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
import { DespatchNotification, InboundFormat, InboundLimits } from "./types"

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

function fromMessage(plain: unknown, format: InboundFormat, limits: InboundLimits): DespatchNotification {
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

/** A despatch already read from its envelope into the REST shape's names (the Magento 2 SOAP face): validated like the other forms. */
export function despatchFromPlain(plain: unknown, format: InboundFormat, limits: InboundLimits = {}): DespatchNotification {
  return fromMessage(plain, format, limits)
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
 * What identifies one parcel leaving the warehouse, whichever way the store
 * hears of it: `parcel:<sha256>` of the order reference, the units per SKU
 * (summed per SKU, sorted), the tracking numbers (sorted) and the ship date
 * (to the second, or none). A pushed notification and the same shipment read
 * by the poll backstop (which knows no message number) get the same parcel
 * key; it is stored beside the request (`parcel_key`) and decides between a
 * push and a poll of one parcel (README "Shipment import", dedupe).
 */
export function despatchParcelKey(notification: DespatchNotification): string {
  const units = new Map<string, number>()
  for (const line of notification.lines) units.set(line.sku, (units.get(line.sku) ?? 0) + line.qty)
  const canonical = JSON.stringify({
    order: notification.orderIncrementId,
    lines: [...units].sort((a, b) => byText(a[0], b[0])),
    tracking: [...new Set(notification.trackingNumbers)].sort(byText),
    dateShipped: notification.dateShipped,
  })
  return `parcel:${createHash("sha256").update(canonical, "utf8").digest("hex")}`
}

/** The dedupe key of a despatch read by the poll backstop: OrderFlow's shipment reference. */
export const polledDespatchKey = (shipmentReference: string) => `shipment:ref:${shipmentReference}`
export const isPolledDespatchKey = (key: string) => key.startsWith("shipment:ref:")

/**
 * Natural key of a pushed despatch message (the queue's unique key; DESIGN.md
 * section 3: type + message number).
 *
 * - With a messageSeqId: `shipment:<messageSeqId>:<hash>`. A re-delivery
 *   (same number, same content) is filed a duplicate at the door; the same
 *   number with other content (edited in OrderFlow, pushed again) is stored,
 *   then refused at processing and alerted, never applied twice. Two numbers
 *   are two messages, even with the same content.
 * - Without a number, with a ship date: `shipment:sha256:<hash>` of the
 *   content; a repeat is the same parcel (a retried push) and a duplicate.
 * - Without a number or a ship date nothing tells a retried push from a
 *   second parcel of the same content: each is stored (`:<nonce>`) and the
 *   processing applies a repeat only when the order has room for all of it,
 *   otherwise files it a duplicate.
 *
 * The hash covers order, lines, tracking, date and site, whatever the order
 * of the lists.
 */
export function despatchDedupeKey(notification: DespatchNotification, nonce: () => string = () => randomUUID()): string {
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
  if (notification.messageSeqId !== null) return `shipment:${notification.messageSeqId}:${hash.slice(0, 32)}`
  return notification.dateShipped ? `shipment:sha256:${hash}` : `shipment:sha256:${hash}:${nonce()}`
}

/** A despatch without number or ship date: a repeat of its content may be a second parcel (see despatchDedupeKey). */
export const isRepeatableDespatchKey = (key: string) => /^shipment:sha256:[0-9a-f]{64}:/.test(key)
