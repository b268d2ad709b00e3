import { escapeXmlText, stripForbiddenXmlChars } from "../xml/xml-escape"
import { XML_DECLARATION } from "../xml/imports-document"

// The Returns Import (seed 002, "Returns Import"): one `<import type="return"
// operation="insert">` whose text is `return.*` and `returnLine.N.*` lines,
// posted to /remotewarehouse/imports/importitems.xml with the organisation
// header. The example in the seed carries no externalReference attribute;
// the return is identified by `return.authorisation`, which we make unique
// per Medusa return so it can be traced back (and a resend is a duplicate).

/** OrderFlow's example return reasons (configurable in OrderFlow). */
export const ORDERFLOW_RETURN_REASONS = [
  "A - Not wanted",
  "B - Not as described",
  "C - Wrong size",
  "D - Wrong product sent",
  "E - Quality/Manufacturing fault",
  "F - Damaged in transit",
  "G - Late arrival",
  "H - Other",
] as const

/** OrderFlow's example item conditions (configurable in OrderFlow). */
export const ORDERFLOW_RETURN_CONDITIONS = ["As new", "Packaging damaged", "Product damaged (refurbishable)", "Product damaged (irreparable)"] as const

/** The reason used when a Medusa reason is missing or not mapped. */
export const FALLBACK_RETURN_REASON = "H - Other"

export type ReturnLineInput = {
  product: string
  quantity: number
  reason: string
  condition: string
}

export type ReturnImportInput = {
  orderReference: string
  authorisation: string
  type: string
  /** `yyyy-MM-dd HH:mm:ss`, already formatted (see formatOrderflowDateTime). */
  returnDate: string
  organisation: string
  /** Only needed in multi-warehouse installations; left out when empty. */
  site?: string | null
  note?: string | null
  lines: readonly ReturnLineInput[]
}

/** One value per line: line breaks become OrderFlow's `[BR]`, as in the other imports. */
function value(text: string): string {
  return escapeXmlText(stripForbiddenXmlChars(text).replace(/\r\n|\r|\n/g, "[BR]"))
}

/**
 * The `<imports>` document for one return. Throws a TypeError naming the
 * field for input OrderFlow would refuse (no lines, no product, a quantity
 * that is not a positive whole number).
 */
export function buildReturnImportDocument(input: ReturnImportInput): string {
  if (!input.orderReference.trim()) throw new TypeError("return.orderReference must not be empty")
  if (!input.authorisation.trim()) throw new TypeError("return.authorisation must not be empty")
  if (!input.lines.length) throw new TypeError(`return ${input.authorisation} has no lines`)
  const fields: Array<[string, string]> = [
    ["return.orderReference", input.orderReference],
    ["return.authorisation", input.authorisation],
    ["return.authorised", "true"],
    ["return.type", input.type],
    ["return.returnDate", input.returnDate],
    ["return.organisation", input.organisation],
  ]
  if (input.site) fields.push(["return.site", input.site])
  fields.push(["return.note", input.note ?? ""])
  input.lines.forEach((line, i) => {
    const n = i + 1
    if (!line.product.trim()) throw new TypeError(`returnLine.${n}.product must not be empty`)
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      throw new TypeError(`returnLine.${n}.quantity must be a positive whole number, got ${line.quantity}`)
    }
    fields.push(
      [`returnLine.${n}.quantity`, String(line.quantity)],
      [`returnLine.${n}.reason`, line.reason],
      [`returnLine.${n}.condition`, line.condition],
      [`returnLine.${n}.product`, line.product],
      // Links the line to the return item above (seed 002 example).
      [`returnLine.${n}.returnItem`, "return"]
    )
  })
  const body = fields.map(([key, v]) => `    ${key}=${value(v)}\n`).join("")
  return `${XML_DECLARATION}\n<imports>\n  <import type="return" operation="insert">\n${body}  </import>\n</imports>\n`
}

/**
 * OrderFlow's reason for a Medusa return reason (its `value`): the merchant's
 * mapping first, then a value that already is one of OrderFlow's reasons
 * (case-insensitive), else FALLBACK_RETURN_REASON.
 */
export function orderflowReturnReason(medusaValue: string | null | undefined, mapping: Readonly<Record<string, string>>): string {
  const key = (medusaValue ?? "").trim()
  if (!key) return FALLBACK_RETURN_REASON
  const mapped = mapping[key] ?? Object.entries(mapping).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1]
  if (mapped) return mapped
  const same = ORDERFLOW_RETURN_REASONS.find((r) => r.toLowerCase() === key.toLowerCase())
  return same ?? FALLBACK_RETURN_REASON
}

/** The condition sent for a line: the merchant's mapping of the Medusa reason, else the default condition. */
export function orderflowReturnCondition(
  medusaValue: string | null | undefined,
  mapping: Readonly<Record<string, string>>,
  defaultCondition: string
): string {
  const key = (medusaValue ?? "").trim()
  return (key && mapping[key]) || defaultCondition
}

/** The authorisation sent for a Medusa return: traceable to it, unique per return. */
export function returnAuthorisation(prefix: string, returnDisplayId: number | string | null | undefined, returnId: string): string {
  return `${prefix}RET-${returnDisplayId ?? returnId}`
}
