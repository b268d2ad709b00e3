// XML reading and writing helpers.
//
// Reading: fast-xml-parser with its own entity handling switched off. We decode
// the five predefined XML entities and numeric character references ourselves
// and reject every other entity (&nbsp;, DTD-declared ones), as a conforming
// XML parser on the OrderFlow side would; CDATA sections are kept verbatim.
// Writing: plain strings, so the output can follow the documented examples
// byte for byte (indentation, empty elements, &apos;).

import { XMLParser, XMLValidator } from "fast-xml-parser"

export class XmlError extends Error {}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }

/** Decodes character and predefined entity references; throws on any other entity. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text
  return text.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(";")) throw new XmlError(`Malformed entity reference '${whole}'`)
    if (ref.startsWith("#x") || ref.startsWith("#X")) {
      const code = parseInt(ref.slice(2), 16)
      if (!/^[0-9a-fA-F]+$/.test(ref.slice(2)) || code > 0x10ffff) {
        throw new XmlError(`Invalid character reference '${whole}'`)
      }
      return String.fromCodePoint(code)
    }
    if (ref.startsWith("#")) {
      const code = Number(ref.slice(1))
      if (!/^\d+$/.test(ref.slice(1)) || code > 0x10ffff) {
        throw new XmlError(`Invalid character reference '${whole}'`)
      }
      return String.fromCodePoint(code)
    }
    const named = NAMED[ref]
    if (named === undefined) throw new XmlError(`The entity "${ref}" was referenced, but not declared.`)
    return named
  })
}

/** Escapes text for element content and attribute values; ' becomes &apos; as in the documented output. */
export function escapeXml(value: string | number | boolean): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
}

/** A CDATA section; a "]]>" inside the text is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`
}

export interface RawImport {
  /** Attributes of the <import> element, entity-decoded. */
  attributes: Record<string, string>
  /** The element's text, with entities decoded and CDATA sections inlined verbatim. */
  text: string
}

type OrderedNode = Record<string, unknown> & { ":@"?: Record<string, string> }

const orderedParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  trimValues: false,
  cdataPropName: "__cdata",
  commentPropName: "#comment",
  ignoreDeclaration: true,
  ignorePiTags: true,
})

function nodeName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ":@")
}

/** Well-formedness check shared by every XML body the simulator accepts. */
export function assertWellFormed(xml: string): void {
  if (!xml.trim()) throw new XmlError("Premature end of file.")
  const result = XMLValidator.validate(xml)
  if (result !== true) {
    throw new XmlError(`${result.err.msg} (line ${result.err.line}, column ${result.err.col})`)
  }
  if (/<!DOCTYPE/i.test(xml)) {
    // OrderFlow imports never carry a DTD; refusing it keeps entity expansion out.
    throw new XmlError("DOCTYPE is disallowed in import documents.")
  }
}

/**
 * Parses an <imports> document into its <import> items. Throws XmlError for a
 * malformed document, a wrong root element or an undeclared entity.
 */
export function parseImportsDocument(xml: string): RawImport[] {
  // A byte order mark is legal before the declaration; Java parsers skip it.
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1)
  assertWellFormed(xml)
  const nodes = orderedParser.parse(xml) as OrderedNode[]
  const root = nodes.find((n) => {
    const name = nodeName(n)
    return name !== undefined && name !== "#text" && name !== "#comment"
  })
  const rootName = root && nodeName(root)
  if (!root || rootName !== "imports") {
    throw new XmlError(`Expected root element <imports> but found <${rootName ?? "nothing"}>`)
  }
  const items: RawImport[] = []
  for (const child of (root[rootName] as OrderedNode[]) ?? []) {
    const name = nodeName(child)
    if (name === "#text") {
      if (String(child["#text"]).trim()) throw new XmlError("Unexpected text directly inside <imports>")
      continue
    }
    if (name === "#comment") continue
    if (name !== "import") throw new XmlError(`Unexpected element <${name}> inside <imports>`)
    const attributes: Record<string, string> = {}
    for (const [k, v] of Object.entries(child[":@"] ?? {})) attributes[k] = decodeEntities(String(v))
    let text = ""
    for (const part of (child.import as OrderedNode[]) ?? []) {
      const partName = nodeName(part)
      if (partName === "#text") text += decodeEntities(String(part["#text"]))
      else if (partName === "__cdata") {
        for (const c of part.__cdata as OrderedNode[]) text += String(c["#text"] ?? "")
      } else if (partName === "#comment") continue
      else throw new XmlError(`Unexpected element <${partName}> inside <import>`)
    }
    items.push({ attributes, text })
  }
  return items
}
