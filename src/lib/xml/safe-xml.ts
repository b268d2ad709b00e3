import { XMLParser, XMLValidator } from "fast-xml-parser"
import { XmlParseError } from "../errors"

// The one way this plugin reads XML, whether OrderFlow pushed it to us or
// answered one of our calls. Every rule here closes a known hole:
// - a DTD can declare entities (billion laughs, external files), so a document
//   with `<!DOCTYPE` or `<!ENTITY` is refused before any parser sees it;
// - a half-parsed object from malformed input looks like valid data with
//   fields missing, so well-formedness is checked first;
// - `parseTagValue: false` keeps `<sku>00123</sku>` the string "00123";
// - only the five predefined entities and character references are decoded;
//   any other `&name;` is an error rather than text passed through;
// - namespace prefixes are dropped, so `SOAP-ENV:Body` and `ns1:…` read the same.

export type XmlParseOptions = {
  /**
   * Which elements are lists. Called with the element names from the root to
   * the element (namespace prefixes removed); return true to always get an
   * array for that element, even when it occurs once.
   */
  isArray?: (path: readonly string[]) => boolean
  /** Trim text values (default true). The imports round-trip test turns it off. */
  trimValues?: boolean
  /**
   * Put CDATA sections under this property instead of merging them into the
   * text, for callers that treat CDATA content differently (error-document.ts).
   */
  cdataPropName?: string
}

/** A parsed document: element name → string, element object, or array of those. */
export type XmlDocument = Record<string, unknown>

export const XML_ATTRIBUTE_PREFIX = "@_"
export const XML_TEXT_KEY = "#text"
/** Deeper nesting than this is refused: no OrderFlow document comes close. */
export const XML_MAX_DEPTH = 64

const DTD_PATTERN = /<!\s*(DOCTYPE|ENTITY)/i

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
}

const REFERENCE = /&(?:([A-Za-z_][\w.-]*)|#([0-9]+)|#x([0-9A-Fa-f]+));|&/g

function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  )
}

/** Raised inside the parser's entity hook; turned into an XmlParseError by parseXml. */
class ReferenceError_ extends Error {}

/**
 * Decodes `&amp; &lt; &gt; &quot; &apos;` and `&#…;`/`&#x…;` in one pass (so
 * `&amp;lt;` stays `&lt;`). Called by fast-xml-parser for text and attribute
 * values, never for CDATA.
 */
export function decodeXmlReferences(raw: string): string {
  if (!raw.includes("&")) return raw
  return raw.replace(REFERENCE, (match, name?: string, decimal?: string, hex?: string) => {
    if (name !== undefined) {
      const value = PREDEFINED_ENTITIES[name]
      if (value === undefined) throw new ReferenceError_(`undefined entity &${name};`)
      return value
    }
    if (decimal !== undefined || hex !== undefined) {
      const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex as string, 16)
      if (!isXmlChar(codePoint)) throw new ReferenceError_(`character reference ${match} is not a legal XML character`)
      return String.fromCodePoint(codePoint)
    }
    throw new ReferenceError_("'&' must be written as &amp;")
  })
}

const entityDecoder = {
  setExternalEntities: (): void => undefined,
  addInputEntities: (): void => {
    // Unreachable: documents with a DTD are refused before parsing.
    throw new ReferenceError_("entity declarations are not accepted")
  },
  reset: (): void => undefined,
  setXmlVersion: (): void => undefined,
  decode: (text: string): string => {
    if (text.includes("<")) throw new ReferenceError_("'<' is not allowed in an attribute value")
    return decodeXmlReferences(text)
  },
}

function lineAt(xml: string, index: number): number {
  let line = 1
  for (let i = 0; i < index; i++) if (xml.charCodeAt(i) === 10) line++
  return line
}

function notWellFormed(xml: string, index: number, problem: string): XmlParseError {
  const line = lineAt(xml, index)
  return new XmlParseError("XML_NOT_WELL_FORMED", `XML is not well-formed: ${problem} at line ${line}`, { line })
}

/**
 * Exactly one root element and no text outside it. fast-xml-parser's
 * validator misses both when the root is self-closing (`<a/><b/>`,
 * `<a/>junk`), and its parser silently drops such trailing content.
 * Runs after the validator, so tags are known to be balanced.
 */
function checkSingleRoot(xml: string): void {
  let depth = 0
  let rootSeen = false
  let i = 0
  const skipTo = (end: string, from: number): number => {
    const at = xml.indexOf(end, from)
    return at < 0 ? xml.length : at + end.length
  }
  while (i < xml.length) {
    const ch = xml[i]
    if (ch !== "<") {
      if (depth === 0 && !/\s/.test(ch)) throw notWellFormed(xml, i, "text outside the root element")
      const next = xml.indexOf("<", i)
      i = next < 0 ? xml.length : next
      continue
    }
    if (xml.startsWith("<!--", i)) i = skipTo("-->", i + 4)
    else if (xml.startsWith("<![CDATA[", i)) i = skipTo("]]>", i + 9)
    else if (xml.startsWith("<?", i)) i = skipTo("?>", i + 2)
    else if (xml.startsWith("</", i)) {
      depth--
      i = skipTo(">", i + 2)
    } else {
      if (depth === 0 && rootSeen) throw notWellFormed(xml, i, "more than one root element")
      // Scan to the tag's closing '>' outside quoted attribute values.
      let j = i + 1
      let quote: string | null = null
      for (; j < xml.length; j++) {
        const c = xml[j]
        if (quote) {
          if (c === quote) quote = null
        } else if (c === '"' || c === "'") quote = c
        else if (c === ">") break
      }
      const selfClosing = xml[j - 1] === "/"
      if (depth === 0) rootSeen = true
      if (!selfClosing) depth++
      i = j + 1
    }
  }
}

/** Throws XmlParseError unless `xml` is a well-formed document without a DTD. */
export function assertSafeXml(xml: string): string {
  const text = xml.replace(/^\uFEFF/, "").trimStart()
  const dtd = DTD_PATTERN.exec(text)
  if (dtd) {
    throw new XmlParseError(
      "XML_FORBIDDEN_DTD",
      `XML with a DTD or entity declaration (<!${dtd[1].toUpperCase()}) is not accepted`,
      { line: lineAt(text, dtd.index) }
    )
  }
  if (text.length === 0) {
    throw new XmlParseError("XML_NOT_WELL_FORMED", "XML is not well-formed: the document is empty", {
      line: 1,
    })
  }
  const result = XMLValidator.validate(text)
  if (result !== true) {
    const { msg, line, col } = result.err
    throw new XmlParseError(
      "XML_NOT_WELL_FORMED",
      `XML is not well-formed: ${msg} at line ${line}${col ? `, column ${col}` : ""}`,
      { line, column: col }
    )
  }
  checkSingleRoot(text)
  return text
}

/**
 * Parses `xml` into plain objects: attributes as `@_name`, mixed text as
 * `#text`, element values as strings (never numbers).
 * @throws XmlParseError for a DTD, malformed XML, unknown entities or too deep nesting.
 */
export function parseXml(xml: string, options: XmlParseOptions = {}): XmlDocument {
  const text = assertSafeXml(xml)
  const isArray = options.isArray
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: XML_ATTRIBUTE_PREFIX,
    textNodeName: XML_TEXT_KEY,
    parseTagValue: false,
    parseAttributeValue: false,
    removeNSPrefix: true,
    trimValues: options.trimValues ?? true,
    cdataPropName: options.cdataPropName ?? false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
    htmlEntities: false,
    entityDecoder,
    maxNestedTags: XML_MAX_DEPTH,
    jPath: false,
    // Passing `isArray: undefined` would replace the parser's default function.
    ...(isArray && {
      isArray: (_name: string, matcher: unknown, _isLeaf: boolean, isAttribute: boolean): boolean =>
        !isAttribute && typeof matcher === "object" && matcher !== null && isArray((matcher as { toArray(): string[] }).toArray()),
    }),
  })
  try {
    return parser.parse(text) as XmlDocument
  } catch (err) {
    if (err instanceof ReferenceError_) {
      throw new XmlParseError("XML_NOT_WELL_FORMED", `XML is not well-formed: ${err.message}`, {}, { cause: err })
    }
    const message = err instanceof Error ? err.message : String(err)
    throw new XmlParseError(
      "XML_NOT_WELL_FORMED",
      /nested/i.test(message)
        ? `XML is nested deeper than ${XML_MAX_DEPTH} levels`
        : `XML is not well-formed: ${message}`,
      {},
      { cause: err }
    )
  }
}
