import { excerpt, OrderflowApiError, OrderflowHttpError, OrderflowResponseError, XmlParseError } from "../errors"
import { parseErrorDocument } from "../xml/error-document"
import { parseXml } from "../xml/safe-xml"
import { attributeOf, isXmlElement, rootElement } from "../xml/xml-tree"

// "Inventory Pull" (seed 002): POST /remotewarehouse/inventory.xml
// (channel/organisation, site, externalReferences, from) answers with
//   <inventory><product inventoryId="615" externalReference="DVD-BLDRNDC"
//     site="global" total="1" allocated="1" available="-1" frozen="0" …/>…</inventory>
// `available` is the figure a push would have carried, `inventoryId` the
// record id a push sends as the line's sequence id.

export type PulledStock = {
  sku: string
  site: string | null
  /** OrderFlow's product inventory record id (a push's per-SKU sequence id). */
  inventoryId: number
  available: number
}

const INTEGER = /^-?\d+$/

/**
 * Reads an inventory document. A product without externalReference, or whose
 * inventoryId or available is not a whole number, makes the document
 * unusable (OrderflowResponseError): a half-read catalogue would report
 * every SKU left out as drift-free.
 */
export function parseInventoryPull(xml: string): PulledStock[] {
  const context = "OrderFlow inventory pull"
  const apiError = parseErrorDocument(xml)
  if (apiError) throw new OrderflowApiError(apiError, context)
  let doc
  try {
    doc = parseXml(xml, { isArray: (path) => path.length === 2 && path[1] === "product" })
  } catch (err) {
    if (!(err instanceof XmlParseError)) throw err
    throw new OrderflowResponseError(`${context} is not usable XML (${err.message}): ${excerpt(xml)}`, xml, { cause: err })
  }
  const root = rootElement(doc)
  if (!root || root.name !== "inventory") {
    throw new OrderflowResponseError(`${context} is not an <inventory> document (root ${root ? `<${root.name}>` : "missing"}): ${excerpt(xml)}`, xml)
  }
  const products = isXmlElement(root.node) && Array.isArray(root.node.product) ? root.node.product : []
  return products.map((p: unknown, i: number) => {
    const where = `${context}: product ${i + 1}`
    const sku = attributeOf(p, "externalReference") ?? ""
    if (!sku) throw new OrderflowResponseError(`${where} has no externalReference`, xml)
    const id = (attributeOf(p, "inventoryId") ?? "").trim()
    const available = (attributeOf(p, "available") ?? "").trim()
    if (!INTEGER.test(id)) throw new OrderflowResponseError(`${where} (${sku}): inventoryId must be a whole number, got ${JSON.stringify(id)}`, xml)
    if (!INTEGER.test(available)) throw new OrderflowResponseError(`${where} (${sku}): available must be a whole number, got ${JSON.stringify(available)}`, xml)
    const site = (attributeOf(p, "site") ?? "").trim()
    return { sku, site: site || null, inventoryId: Number(id), available: Number(available) }
  })
}

/** The raw answer of an inventory.xml POST as rows, or a classified error. */
export function interpretInventoryPullReply(reply: { status: number; body: string }): PulledStock[] {
  const apiError = parseErrorDocument(reply.body)
  if (apiError) throw new OrderflowApiError(apiError, "OrderFlow inventory pull", { status: reply.status })
  if (reply.status < 200 || reply.status > 299) throw new OrderflowHttpError(reply.status, reply.body, "OrderFlow inventory pull")
  return parseInventoryPull(reply.body)
}

/**
 * The seed describes no paging for the inventory pull, and one answer for a
 * whole catalogue can exceed the client's response limit: the SKUs are
 * asked for in chunks of externalReferences instead (the URL stays short
 * enough for any proxy at a few hundred references).
 */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`chunk size must be a positive integer, got ${size}`)
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
