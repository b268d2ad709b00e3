import { excerpt, XmlParseError } from "../errors"
import { parseErrorDocument } from "../xml/error-document"
import { parseXml } from "../xml/safe-xml"
import { attributeOf, collapseWhitespace, isXmlElement, rootElement } from "../xml/xml-tree"

// Answers to the order operations (seed 002, "Order Cancellation", "Hold
// Order", "Release Order", "Order Detail Pull"). Success is the order's
// detail document, `<order externalReference state>`; failure an `<error>`
// document, often with HTTP 200. MissingDataException means OrderFlow never
// got the order: for a cancellation that counts as done ("allow the
// underlying cancellation to proceed"). Any other `<error>` is OrderFlow
// refusing (packed, despatched, not on hold...). Anything else — no answer,
// HTTP errors without an `<error>` document, HTML pages, truncated XML — says
// nothing about the order and is retried.

export type OrderActionOutcome =
  | { kind: "done"; state: string | null; shipmentStates: string[] }
  | { kind: "not_found"; message: string; exception: string | null }
  | { kind: "refused"; message: string; exception: string | null }
  | { kind: "retry"; message: string }

export type OrderDetail = { externalReference: string | null; state: string | null; shipmentStates: string[] }

/** Reads `<order externalReference state><shipments><shipment state>…`; null when the body is not one. */
export function parseOrderDetail(body: string): OrderDetail | null {
  let root: ReturnType<typeof rootElement>
  try {
    root = rootElement(parseXml(body, { isArray: (path) => path.length === 3 && path[2] === "shipment" }))
  } catch (err) {
    if (err instanceof XmlParseError) return null
    throw err
  }
  if (!root || root.name !== "order") return null
  const shipments = isXmlElement(root.node) && isXmlElement(root.node.shipments) ? root.node.shipments.shipment : undefined
  return {
    externalReference: attributeOf(root.node, "externalReference"),
    state: attributeOf(root.node, "state"),
    shipmentStates: (Array.isArray(shipments) ? shipments : []).map((s) => attributeOf(s, "state") ?? "").filter(Boolean),
  }
}

/**
 * The OrderFlow `<error>` message as a reader should see it: OrderFlow writes
 * `&apos;` literally inside CDATA; error-document.ts already decodes that.
 */
function describe(message: string, exception: string | null): string {
  const short = exception ? exception.replace(/^.*\./, "") : null
  return short ? `${message} (${short})` : message
}

export function interpretOrderActionReply(reply: { status: number; body: string }): OrderActionOutcome {
  const error = parseErrorDocument(reply.body)
  if (error) {
    if (reply.status === 401 || reply.status === 403) {
      return { kind: "retry", message: `OrderFlow refused the credentials (HTTP ${reply.status}): ${error.message}` }
    }
    const exception = error.exception
    if (exception && exception.endsWith("MissingDataException")) {
      return { kind: "not_found", message: describe(error.message, exception), exception }
    }
    return { kind: "refused", message: describe(error.message, exception), exception }
  }
  if (reply.status < 200 || reply.status > 299) {
    return { kind: "retry", message: `OrderFlow answered HTTP ${reply.status}: ${collapseWhitespace(excerpt(reply.body)) || "(empty body)"}` }
  }
  const detail = parseOrderDetail(reply.body)
  if (!detail) {
    return { kind: "retry", message: `OrderFlow's answer is not an order document: ${JSON.stringify(excerpt(reply.body.trim())) || "(empty body)"}` }
  }
  return { kind: "done", state: detail.state, shipmentStates: detail.shipmentStates }
}
