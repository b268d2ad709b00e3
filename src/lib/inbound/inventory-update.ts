import { createHash } from "node:crypto"
import { z } from "zod"
import { InboundValidationError } from "../errors"
import { rootElement, childElementNames, isXmlElement } from "../xml/xml-tree"
import {
  dateTimeCheck,
  field,
  INT32_MAX,
  integerCheck,
  listOf,
  nonEmptyTextCheck,
  optionalField,
  parseOrderflowDateTime,
  record,
  referenceCheck,
} from "./fields"
import { checkInboundBody, checkListLengths, parseJsonBody, parseXmlBody, toInboundError, xmlToPlain } from "./inbound-body"
import { InboundFormat, InboundLimits, InventoryLine, InventoryUpdate } from "./types"

// A stock update pushed by OrderFlow (DESIGN §3, seed 000 "Handling Inventory
// Duplicates"), in any of its three forms:
// - JSON, the Magento 2 extension's REST shape:
//   { productQtys: [{ sku, qty, source? }], productSeqs: [{ sku, seq, lastOrderExported?, source? }], messageSeqId }
// - XML: the same names as elements, under any root element; the entries of
//   productQtys/productSeqs may have any element name;
// - SOAP: Envelope/Body/<operation> holding skusQty and skusSeqId (items of
//   key = sku, value = qty or seq), messageSeqId, and a sessionId we ignore.
// Quantities and sequence ids come in two parallel lists; each quantity must
// find its sequence id, or the stale-update check downstream cannot work.

/** |qty| above this is a data error, not stock. */
export const MAX_ABS_QTY = 1_000_000_000

const sku = field(referenceCheck(255))
const quantity = field(integerCheck(-MAX_ABS_QTY, MAX_ABS_QTY))
const sequence = field(integerCheck(0, INT32_MAX))
const source = optionalField(nonEmptyTextCheck(255))

const productQtySchema = record({ sku, qty: quantity, source })
const productSeqSchema = record({ sku, seq: sequence, lastOrderExported: optionalField(dateTimeCheck()), source })

const inventoryMessageSchema = record({
  productQtys: listOf(productQtySchema),
  productSeqs: listOf(productSeqSchema),
  messageSeqId: sequence,
})

const soapItem = <T extends z.ZodType>(value: T) => record({ key: sku, value })

const soapMessageSchema = record({
  sessionId: z.unknown().optional(),
  skusQty: listOf(soapItem(quantity)),
  // Magento 1's skuSeq may carry lastOrderExported (ORDERFLOW-SOAP.md §2.2).
  skusSeqId: listOf(record({ key: sku, value: sequence, lastOrderExported: optionalField(dateTimeCheck()) })),
  messageSeqId: sequence,
})

const LIST_NAMES = ["productQtys", "productSeqs"] as const
const SOAP_LIST_NAMES = ["skusQty", "skusSeqId"] as const

type QtyEntry = { sku: string; qty: number; source: string | null }
type SeqEntry = { sku: string; seq: number; source: string | null; lastOrderExported: string | null }
type Names = { qtys: string; seqs: string }

/**
 * Pairs each quantity with the sequence id for the same SKU (and the same
 * source when the sequence entry names one). A SKU sent k times is paired by
 * order of occurrence. Every entry of either list must find its partner.
 */
function pairLines(qtys: readonly QtyEntry[], seqs: readonly SeqEntry[], names: Names, format: InboundFormat): InventoryLine[] {
  const unused = new Map<string, number[]>()
  seqs.forEach((entry, i) => {
    const list = unused.get(entry.sku)
    if (list) list.push(i)
    else unused.set(entry.sku, [i])
  })
  const lines = qtys.map((entry, index): InventoryLine => {
    const candidates = unused.get(entry.sku) ?? []
    const at = candidates.findIndex((i) => seqs[i].source === null || seqs[i].source === entry.source)
    if (at < 0) {
      throw new InboundValidationError(
        400,
        `${names.qtys}[${index}] (sku ${JSON.stringify(entry.sku)}${
          entry.source ? `, source ${JSON.stringify(entry.source)}` : ""
        }) has no sequence id in ${names.seqs}`,
        { format }
      )
    }
    const seq = seqs[candidates[at]]
    candidates.splice(at, 1)
    return {
      index,
      sku: entry.sku,
      qty: entry.qty,
      seq: seq.seq,
      source: entry.source ?? seq.source,
      lastOrderExported: seq.lastOrderExported,
    }
  })
  const leftover = [...unused.values()].flat().sort((a, b) => a - b)
  if (leftover.length > 0) {
    const i = leftover[0]
    throw new InboundValidationError(
      400,
      `${names.seqs}[${i}] (sku ${JSON.stringify(seqs[i].sku)}) has no quantity in ${names.qtys}`,
      { format }
    )
  }
  if (lines.length === 0) throw new InboundValidationError(400, `${names.qtys} must contain at least one line`, { format })
  return lines
}

function fromMessage(plain: unknown, format: InboundFormat, limits: InboundLimits): InventoryUpdate {
  checkListLengths(plain, LIST_NAMES, limits, format)
  const parsed = inventoryMessageSchema.safeParse(plain)
  if (!parsed.success) throw toInboundError(parsed.error, format, "inventory message")
  const { productQtys, productSeqs, messageSeqId } = parsed.data
  const zone = limits.timeZone ?? "UTC"
  // dateTimeCheck accepted the text; read it in OrderFlow's zone unless it names one.
  const seqs = productSeqs.map((s) => ({ ...s, lastOrderExported: s.lastOrderExported === null ? null : parseOrderflowDateTime(s.lastOrderExported, zone) }))
  return {
    messageSeqId,
    lines: pairLines(productQtys, seqs, { qtys: "productQtys", seqs: "productSeqs" }, format),
    format,
  }
}

function fromSoap(envelope: unknown, limits: InboundLimits): InventoryUpdate {
  const format = "soap"
  const body = isXmlElement(envelope) ? envelope.Body : undefined
  const operationName = childElementNames(body)[0]
  if (!operationName) throw new InboundValidationError(400, "SOAP Envelope has no Body element with an operation", { format })
  if (operationName === "Fault") throw new InboundValidationError(400, "SOAP Body holds a Fault, not a stock update", { format })
  const operation = (body as Record<string, unknown>)[operationName]
  const plain = xmlToPlain(operation, (path) => path.length === 1 && (SOAP_LIST_NAMES as readonly string[]).includes(path[0]), format)
  checkListLengths(plain, SOAP_LIST_NAMES, limits, format)
  const parsed = soapMessageSchema.safeParse(plain)
  if (!parsed.success) throw toInboundError(parsed.error, format, operationName)
  const { skusQty, skusSeqId, messageSeqId } = parsed.data
  return {
    messageSeqId,
    lines: pairLines(
      skusQty.map((item) => ({ sku: item.key, qty: item.value, source: null })),
      skusSeqId.map((item) => ({
        sku: item.key,
        seq: item.value,
        source: null,
        lastOrderExported: item.lastOrderExported ? parseOrderflowDateTime(item.lastOrderExported, limits.timeZone ?? "UTC") : null,
      })),
      { qtys: "skusQty", seqs: "skusSeqId" },
      format
    ),
    format,
  }
}

/**
 * A stock update already read from its envelope into the REST shape's names
 * (the Magento 2 SOAP face, src/lib/soap): validated like the JSON and XML forms.
 */
export function inventoryUpdateFromPlain(plain: unknown, format: InboundFormat, limits: InboundLimits = {}): InventoryUpdate {
  return fromMessage(plain, format, limits)
}

/**
 * Validates a stock update message.
 * @throws InboundValidationError 415 (media type), 413 (size, more than
 *   maxLines entries in a list) or 400 (syntax, DTD, a field, pairing).
 */
export function parseInventoryUpdate(body: string, contentType: string | undefined, limits: InboundLimits = {}): InventoryUpdate {
  const format = checkInboundBody(body, contentType, limits)
  if (format === "json") return fromMessage(parseJsonBody(body), "json", limits)
  const root = rootElement(parseXmlBody(body))
  if (!root) throw new InboundValidationError(400, "XML has no root element", { format })
  if (root.name === "Envelope") return fromSoap(root.node, limits)
  const plain = xmlToPlain(root.node, (path) => path.length === 1 && (LIST_NAMES as readonly string[]).includes(path[0]), format)
  return fromMessage(plain, "xml", limits)
}

/**
 * Natural key of a stock message: its messageSeqId and a hash of what it
 * says. A re-delivery (same number, same content, whatever its format) is
 * acknowledged and never applied twice. The same number with different
 * content is not a re-delivery (OrderFlow's counter was reset, or another
 * OrderFlow instance pushes too): it is kept as a message of its own rather
 * than silently dropped, and the per-SKU sequence ids decide what applies.
 */
export function inventoryDedupeKey(update: Pick<InventoryUpdate, "messageSeqId" | "lines">): string {
  const canonical = JSON.stringify(update.lines.map((l) => [l.sku, l.qty, l.seq, l.source, l.lastOrderExported]))
  return `inventory:${update.messageSeqId}:${createHash("sha256").update(canonical, "utf8").digest("hex").slice(0, 32)}`
}
