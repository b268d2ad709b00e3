import { escapeXmlAttribute, escapeXmlText, stripForbiddenXmlChars } from "./xml-escape"

// Builds the `<imports>` document OrderFlow's importitems.xml operations take
// (seed 002, Product Import / Order Import): one `<import>` per record, its
// text one `key=value` line per field.
//
// How OrderFlow reads the text decides the rules below: it trims each line and
// splits it at the FIRST `=`, so a value may contain `=` but not a line break;
// seed 002 says `[BR]` stands for a line break. Consequences callers should know:
// - a value's leading spaces survive, its trailing spaces are trimmed away by
//   OrderFlow (we still write them as given);
// - a value containing the literal text `[BR]` comes back as a line break;
// - `null`/`undefined` omit the line, `""` writes `key=` (which clears the
//   field on update), `0` and `false` are values.

export type ImportType = "product" | "order"
export type ImportOperation = "insert" | "update" | "merge" | "reinsert"
export type ImportValue = string | number | boolean | null | undefined

export type ImportItem = {
  type: ImportType
  operation: ImportOperation
  externalReference: string
  fields: ReadonlyArray<readonly [key: string, value: ImportValue]>
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

const IMPORT_TYPES: ReadonlySet<string> = new Set<ImportType>(["product", "order"])
const IMPORT_OPERATIONS: ReadonlySet<string> = new Set<ImportOperation>(["insert", "update", "merge", "reinsert"])
const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/
const LINE_BREAK = /\r\n|\r|\n/g

/** Writes a finite number in plain decimal notation: 1e21 → "1000000000000000000000", 1e-7 → "0.0000001". */
export function formatImportNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`an import value must be a finite number, got ${value}`)
  const written = String(value)
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(written)
  if (!match) return written
  const [, sign, whole, fraction = "", exponentText] = match
  const digits = whole + fraction
  const point = whole.length + Number(exponentText)
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

function formatValue(key: string, value: Exclude<ImportValue, null | undefined>): string {
  if (typeof value === "boolean") return value ? "true" : "false"
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`import field ${key} must be a finite number, got ${value}`)
    return formatImportNumber(value)
  }
  if (typeof value !== "string") throw new TypeError(`import field ${key} has an unsupported value type ${typeof value}`)
  // Stripped before line breaks are counted, so "\r<NUL>\n" is one break, as a reader would see it.
  return stripForbiddenXmlChars(value).replace(LINE_BREAK, "[BR]")
}

function buildImportElement(item: ImportItem, index: number): string {
  if (!IMPORT_TYPES.has(item.type)) throw new TypeError(`imports[${index}].type must be product or order, got ${JSON.stringify(item.type)}`)
  if (!IMPORT_OPERATIONS.has(item.operation)) {
    throw new TypeError(`imports[${index}].operation must be insert, update, merge or reinsert, got ${JSON.stringify(item.operation)}`)
  }
  if (typeof item.externalReference !== "string" || stripForbiddenXmlChars(item.externalReference).trim() === "") {
    throw new TypeError(`imports[${index}].externalReference must be a non-empty string`)
  }
  const lines: string[] = []
  for (const [key, value] of item.fields) {
    if (typeof key !== "string" || !KEY_PATTERN.test(key)) {
      throw new TypeError(`imports[${index}] (${item.externalReference}): invalid field key ${JSON.stringify(key)}`)
    }
    if (value === null || value === undefined) continue
    lines.push(`    ${key}=${escapeXmlText(formatValue(key, value))}\n`)
  }
  return (
    `  <import type="${item.type}" operation="${item.operation}" externalReference="${escapeXmlAttribute(item.externalReference)}">\n` +
    lines.join("") +
    "  </import>\n"
  )
}

/** The `<imports>` document for these items, in the given order. */
export function buildImportsDocument(items: readonly ImportItem[]): string {
  if (items.length === 0) return buildEmptyImportsDocument()
  return `${XML_DECLARATION}\n<imports>\n${items.map(buildImportElement).join("")}</imports>\n`
}

/** An `<imports/>` with nothing in it: "Test connection" posts it to check URL, credentials and scope. */
export function buildEmptyImportsDocument(): string {
  return `${XML_DECLARATION}\n<imports/>\n`
}

const IMPORT_ELEMENT = /  <import [^>]*?externalReference="([^"]*)">\n[\s\S]*?  <\/import>\n/g

/**
 * A document built by buildImportsDocument cut down to the elements whose
 * externalReference is one of `references`, in their order (poison
 * isolation sends a failed batch again in parts).
 */
export function subsetImportsDocument(document: string, references: Iterable<string>): string {
  const wanted = new Set([...references].map(escapeXmlAttribute))
  const kept: string[] = []
  for (const match of document.matchAll(IMPORT_ELEMENT)) {
    if (wanted.has(match[1])) kept.push(match[0])
  }
  if (!kept.length) return buildEmptyImportsDocument()
  return `${XML_DECLARATION}\n<imports>\n${kept.join("")}</imports>\n`
}
