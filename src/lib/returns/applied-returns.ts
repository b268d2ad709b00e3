import { excerpt, OrderflowApiError, OrderflowHttpError, OrderflowResponseError, XmlParseError } from "../errors"
import { parseErrorDocument } from "../xml/error-document"
import { parseXml } from "../xml/safe-xml"
import { collapseWhitespace, isXmlElement, rootElement, textOf } from "../xml/xml-tree"

// "Applied Returns Per Time Period" (seed 002): POST
// /remotewarehouse/returnitem/applied.xml answers with
//   <returns><return><id/>…<orderReference/><originatingOrderReference/>
//     <completed/><returnLines><returnLine><productReference/><quantity/>
//     <state/><returnCondition/><reason/><note/></returnLine>…</returnLines>
//   </return>…</returns>

export type AppliedReturnLine = {
  productReference: string
  quantity: number
  state: string
  returnCondition: string
  reason: string
  note: string
}

export type AppliedReturn = {
  /** OrderFlow's return id: each applied return is processed once by it. */
  id: string
  organisation: string
  site: string
  state: string
  returnDate: string
  note: string
  type: string
  orderReference: string
  originatingOrderReference: string
  created: string
  completed: string
  lines: AppliedReturnLine[]
}

const text = (node: unknown, name: string): string => {
  if (!isXmlElement(node)) return ""
  const value = textOf(node[name])
  return value === null ? "" : collapseWhitespace(value)
}

function readLine(node: unknown, where: string): AppliedReturnLine {
  const quantityText = text(node, "quantity")
  const quantity = Number(quantityText)
  if (!/^\d+$/.test(quantityText) || quantity <= 0) {
    throw new OrderflowResponseError(`${where}: quantity must be a positive whole number, got ${JSON.stringify(quantityText)}`, "")
  }
  const productReference = text(node, "productReference")
  if (!productReference) throw new OrderflowResponseError(`${where}: productReference is missing`, "")
  return {
    productReference,
    quantity,
    state: text(node, "state"),
    returnCondition: text(node, "returnCondition"),
    reason: text(node, "reason"),
    note: text(node, "note"),
  }
}

/**
 * Reads an applied-returns document. A return without an id, or a line
 * without product or with a quantity that is not a positive whole number,
 * makes the whole document unusable (OrderflowResponseError): nothing of it
 * is applied, and the pull is retried rather than half-applied.
 */
export function parseAppliedReturns(xml: string): AppliedReturn[] {
  const context = "OrderFlow applied returns"
  const apiError = parseErrorDocument(xml)
  if (apiError) throw new OrderflowApiError(apiError, context)
  let doc
  try {
    doc = parseXml(xml, {
      isArray: (path) => (path.length === 2 && path[1] === "return") || (path.length === 4 && path[3] === "returnLine"),
    })
  } catch (err) {
    if (!(err instanceof XmlParseError)) throw err
    throw new OrderflowResponseError(`${context} is not usable XML (${err.message}): ${excerpt(xml)}`, xml, { cause: err })
  }
  const root = rootElement(doc)
  if (!root || root.name !== "returns") {
    throw new OrderflowResponseError(`${context} is not a <returns> document (root ${root ? `<${root.name}>` : "missing"}): ${excerpt(xml)}`, xml)
  }
  const node = root.node
  const returns = isXmlElement(node) && Array.isArray(node.return) ? node.return : []
  return returns.map((r: unknown, i: number) => {
    const id = text(r, "id")
    if (!id) throw new OrderflowResponseError(`${context}: return ${i + 1} has no <id>`, xml)
    const linesNode = isXmlElement(r) ? r.returnLines : undefined
    const lineNodes = isXmlElement(linesNode) && Array.isArray(linesNode.returnLine) ? linesNode.returnLine : []
    return {
      id,
      organisation: text(r, "organisation"),
      site: text(r, "site"),
      state: text(r, "state"),
      returnDate: text(r, "returnDate"),
      note: text(r, "note"),
      type: text(r, "type"),
      orderReference: text(r, "orderReference"),
      originatingOrderReference: text(r, "originatingOrderReference"),
      created: text(r, "created"),
      completed: text(r, "completed"),
      lines: lineNodes.map((l: unknown, n: number) => readLine(l, `${context}: return ${id} line ${n + 1}`)),
    }
  })
}

/** The raw answer of an applied.xml POST as returns, or a classified error (like interpretImportReply). */
export function interpretAppliedReturnsReply(reply: { status: number; body: string }): AppliedReturn[] {
  const apiError = parseErrorDocument(reply.body)
  if (apiError) throw new OrderflowApiError(apiError, "OrderFlow applied returns", { status: reply.status })
  if (reply.status < 200 || reply.status > 299) throw new OrderflowHttpError(reply.status, reply.body, "OrderFlow applied returns")
  return parseAppliedReturns(reply.body)
}

