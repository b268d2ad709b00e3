import { excerpt, OrderflowApiError, OrderflowHttpError, OrderflowResponseError, XmlParseError } from "../errors"
import { parseErrorDocument } from "./error-document"
import { XmlDocument, parseXml } from "./safe-xml"
import { attributeOf, childElementNames, collapseWhitespace, isXmlElement, rootElement, textOf } from "./xml-tree"

// OrderFlow's reply to an `<imports>` POST (seed 002, Product Import):
//   <importResult>
//     <importSuccesses><import type operation externalReference queryTime …/></importSuccesses>
//     <importFailures><import …><failureMessage/><failureDetail/></import></importFailures>
//     <importDuplicates><import …><duplicateMessage/><duplicateDetail/></import></importDuplicates>
//   </importResult>
// Any section may be empty, self-closing or absent. DESIGN §4: successes and
// duplicates both mean "OrderFlow has it"; failures carry their message.

export type ImportOutcome = {
  type: string
  operation: string
  /** "" when OrderFlow sent none (ASN and similar imports have no reference). */
  externalReference: string
  message: string | null
  detail: string | null
  queryTime: string | null
}

export type ImportResult = {
  successes: ImportOutcome[]
  failures: ImportOutcome[]
  duplicates: ImportOutcome[]
}

const SECTIONS = {
  importSuccesses: { key: "successes", message: "successMessage", detail: "successDetail" },
  importFailures: { key: "failures", message: "failureMessage", detail: "failureDetail" },
  importDuplicates: { key: "duplicates", message: "duplicateMessage", detail: "duplicateDetail" },
} as const

type SectionName = keyof typeof SECTIONS

function isSectionName(name: string): name is SectionName {
  return Object.prototype.hasOwnProperty.call(SECTIONS, name)
}

function describeBody(body: string): string {
  const shown = excerpt(body.trim())
  return shown === "" ? "(empty body)" : JSON.stringify(shown)
}

function optionalText(node: unknown): string | null {
  if (node === undefined) return null
  const value = Array.isArray(node) ? node.map((part) => textOf(part) ?? "").join(" ") : textOf(node)
  if (value === null) return null
  return collapseWhitespace(value) || null
}

function readOutcome(node: unknown, section: SectionName): ImportOutcome {
  const names = SECTIONS[section]
  const element = isXmlElement(node) ? node : {}
  const queryTime = attributeOf(element, "queryTime")
  return {
    type: collapseWhitespace(attributeOf(element, "type") ?? ""),
    operation: collapseWhitespace(attributeOf(element, "operation") ?? ""),
    externalReference: (attributeOf(element, "externalReference") ?? "").trim(),
    message: optionalText(element[names.message]),
    detail: optionalText(element[names.detail]),
    queryTime: queryTime === null ? null : collapseWhitespace(queryTime) || null,
  }
}

/**
 * Reads an `importResult` document.
 * @throws OrderflowApiError when the body is an OrderFlow `<error>` document.
 * @throws OrderflowResponseError for anything else that is not an `importResult`
 *   (HTML page, truncated XML, empty body, another root element).
 */
export function parseImportResult(xml: string): ImportResult {
  const context = "OrderFlow import reply"
  const apiError = parseErrorDocument(xml)
  if (apiError) throw new OrderflowApiError(apiError, context)
  let doc: XmlDocument
  try {
    doc = parseXml(xml, {
      isArray: (path) => path.length === 3 && path[2] === "import" && isSectionName(path[1]),
    })
  } catch (err) {
    if (!(err instanceof XmlParseError)) throw err
    throw new OrderflowResponseError(`${context} is not usable XML (${err.message}): ${describeBody(xml)}`, xml, {
      cause: err,
    })
  }
  const root = rootElement(doc)
  if (!root || root.name !== "importResult") {
    throw new OrderflowResponseError(
      `${context} is not an <importResult> document (root ${root ? `<${root.name}>` : "missing"}): ${describeBody(xml)}`,
      xml
    )
  }
  const result: ImportResult = { successes: [], failures: [], duplicates: [] }
  for (const name of childElementNames(root.node)) {
    if (!isSectionName(name)) continue
    const section = (root.node as Record<string, unknown>)[name]
    for (const part of Array.isArray(section) ? section : [section]) {
      const imports = isXmlElement(part) ? part.import : undefined
      if (!Array.isArray(imports)) continue
      for (const node of imports) result[SECTIONS[name].key].push(readOutcome(node, name))
    }
  }
  return result
}

/**
 * Turns the raw answer of an imports POST into a result or a classified error:
 * an `<error>` document (whatever the status) → OrderflowApiError; any other
 * non-2xx → OrderflowHttpError; a 2xx that is not an importResult →
 * OrderflowResponseError.
 */
export function interpretImportReply(reply: { status: number; body: string }): ImportResult {
  const context = "OrderFlow import"
  const apiError = parseErrorDocument(reply.body)
  if (apiError) throw new OrderflowApiError(apiError, context, { status: reply.status })
  if (reply.status < 200 || reply.status > 299) throw new OrderflowHttpError(reply.status, reply.body, context)
  return parseImportResult(reply.body)
}
