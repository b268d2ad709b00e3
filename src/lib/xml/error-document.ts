import { OrderflowApiError, OrderflowErrorDocument, XmlParseError } from "../errors"
import { decodeXmlReferences, parseXml, XML_TEXT_KEY } from "./safe-xml"
import { collapseWhitespace, isXmlElement, rootElement } from "./xml-tree"

// OrderFlow's `<error>` document (seed 002, Order Cancellation / Hold / Release):
//   <error><message><![CDATA[Unable to find order for reference &apos;duff&apos;.]]></message>
//   <exception>rtd.exceptions.MissingDataException</exception><detail><![CDATA[...]]></detail></error>
// OrderFlow writes entities *inside* its CDATA sections, where XML does not
// decode them, so CDATA content is decoded here once more.

const CDATA_KEY = "__cdata"

function readPart(value: unknown): string {
  if (Array.isArray(value)) return value.map(readPart).join("")
  return typeof value === "string" ? value : ""
}

function textWithCdata(node: unknown): string | null {
  if (node === undefined) return null
  if (typeof node === "string") return node
  if (!isXmlElement(node)) return null
  const text = readPart(node[XML_TEXT_KEY])
  const cdata = node[CDATA_KEY]
  if (cdata === undefined) return text
  let decoded: string
  try {
    decoded = decodeXmlReferences(readPart(cdata))
  } catch {
    // A stray '&' inside CDATA is legal there; keep the text as written.
    decoded = readPart(cdata)
  }
  return text.trim() === "" ? decoded : `${text} ${decoded}`
}

/** The `<error>` document in `body`, or null when the body is anything else (including malformed XML). */
export function parseErrorDocument(body: string): OrderflowErrorDocument | null {
  if (!/<(?:[\w.-]+:)?error[\s/>]/.test(body)) return null
  let root: ReturnType<typeof rootElement>
  try {
    root = rootElement(parseXml(body, { cdataPropName: CDATA_KEY }))
  } catch (err) {
    if (err instanceof XmlParseError) return null
    throw err
  }
  if (!root || root.name !== "error") return null
  const node = isXmlElement(root.node) ? root.node : {}
  const message = textWithCdata(node.message)
  const exception = textWithCdata(node.exception)
  const detail = textWithCdata(node.detail)
  return {
    message: collapseWhitespace(message ?? "") || "(no message)",
    exception: exception === null ? null : collapseWhitespace(exception) || null,
    detail: detail === null ? null : detail.trim() || null,
  }
}

/**
 * True when OrderFlow said the order (or line) is unknown to it. For a
 * cancellation this means there is nothing to cancel there, so the store-side
 * cancellation should go ahead (seed 002, Order Cancellation, Error Cases).
 */
export function isMissingDataException(err: unknown): boolean {
  const exception =
    err instanceof OrderflowApiError
      ? err.exception
      : isXmlElement(err) && typeof err.exception === "string"
        ? err.exception
        : null
  return exception !== null && exception.endsWith("MissingDataException")
}
