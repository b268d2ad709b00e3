import { XML_ATTRIBUTE_PREFIX, XML_TEXT_KEY, XmlDocument } from "./safe-xml"

// Small readers over what parseXml returns, so that parsers never guess at
// fast-xml-parser's shapes: a leaf is a string, an element with attributes or
// children is an object, a repeated element is an array.

export type XmlElement = Record<string, unknown>

export function isXmlElement(node: unknown): node is XmlElement {
  return typeof node === "object" && node !== null && !Array.isArray(node)
}

/** Names of the child elements of `node` (attributes, text and CDATA keys excluded). */
export function childElementNames(node: unknown): string[] {
  if (!isXmlElement(node)) return []
  return Object.keys(node).filter((key) => !key.startsWith(XML_ATTRIBUTE_PREFIX) && !key.startsWith("#") && !key.startsWith("__"))
}

/** The document's root element, or null when there is none. */
export function rootElement(doc: XmlDocument): { name: string; node: unknown } | null {
  const names = childElementNames(doc).filter((name) => !name.startsWith("?"))
  if (names.length !== 1) return null
  const node = doc[names[0]]
  return Array.isArray(node) ? null : { name: names[0], node }
}

/** An attribute value, or null when absent. */
export function attributeOf(node: unknown, name: string): string | null {
  if (!isXmlElement(node)) return null
  const value = node[XML_ATTRIBUTE_PREFIX + name]
  return typeof value === "string" ? value : null
}

/**
 * The text of an element, or null when it has child elements instead of
 * text. An empty element (`<sku/>`) reads as "".
 */
export function textOf(node: unknown): string | null {
  if (typeof node === "string") return node
  if (!isXmlElement(node) || childElementNames(node).length > 0) return null
  const text = node[XML_TEXT_KEY]
  return typeof text === "string" ? text : ""
}

/** `xsi:nil="true"`: the element is present but stands for no value. */
export function isNil(node: unknown): boolean {
  return attributeOf(node, "nil") === "true"
}

/** Collapses whitespace runs (OrderFlow wraps long messages over lines) and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim()
}
