import { z } from "zod"
import { InboundValidationError, XmlParseError } from "../errors"
import { XmlDocument, parseXml } from "../xml/safe-xml"
import { childElementNames, isNil, isXmlElement, textOf } from "../xml/xml-tree"
import { DEFAULT_INBOUND_LIMITS, InboundFormat, InboundLimits } from "./types"

// The steps every inbound message goes through before its own schema: media
// type (415), size (413), syntax (400), list lengths (413), and the reader
// that turns XML into the same plain shape as the JSON form so that one zod
// schema validates both.

export type BodyFormat = "json" | "xml"

const TOKEN = "[a-z0-9!#$&^_.+-]+"
const JSON_TYPE = new RegExp(`^(application/json|${TOKEN}/${TOKEN}\\+json)$`)
const XML_TYPE = new RegExp(`^(application/xml|text/xml|${TOKEN}/${TOKEN}\\+xml)$`)

/** "json" or "xml" from a Content-Type header (parameters such as charset allowed), or null. */
export function inboundFormatOf(contentType: string | undefined): BodyFormat | null {
  if (!contentType) return null
  const mediaType = contentType.split(";")[0].trim().toLowerCase()
  if (JSON_TYPE.test(mediaType)) return "json"
  if (XML_TYPE.test(mediaType)) return "xml"
  return null
}

/**
 * Checks media type and size; returns the body format.
 * @throws InboundValidationError 415 (unsupported or missing Content-Type) or 413 (too large).
 */
export function checkInboundBody(body: string, contentType: string | undefined, limits: InboundLimits = {}): BodyFormat {
  const format = inboundFormatOf(contentType)
  if (format === null) {
    throw new InboundValidationError(
      415,
      contentType
        ? `Content-Type ${JSON.stringify(contentType)} is not supported; send application/json, application/xml or text/xml`
        : "Content-Type is missing; send application/json, application/xml or text/xml"
    )
  }
  const maxBytes = limits.maxBytes ?? DEFAULT_INBOUND_LIMITS.maxBytes
  const bytes = Buffer.byteLength(body, "utf8")
  if (bytes > maxBytes) {
    throw new InboundValidationError(413, `body is ${bytes} bytes; the limit is ${maxBytes}`, { format })
  }
  return format
}

export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch (err) {
    throw new InboundValidationError(400, `body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, {
      format: "json",
      cause: err,
    })
  }
}

/** Parses through the one safe XML entry point; DTDs, entities and malformed XML are 400. */
export function parseXmlBody(body: string): XmlDocument {
  try {
    return parseXml(body)
  } catch (err) {
    if (err instanceof XmlParseError) throw new InboundValidationError(400, err.message, { format: "xml", cause: err })
    throw err
  }
}

/** `["productQtys", 3, "qty"]` → `productQtys[3].qty`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = ""
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`
    else out += out === "" ? String(part) : `.${String(part)}`
  }
  return out
}

const MAX_REPORTED_ISSUES = 10

/** One 400 naming every offending field (up to ten): `productQtys[3].qty must be an integer, got "1.5"`. */
export function toInboundError(error: z.ZodError, format: InboundFormat, subject: string): InboundValidationError {
  const messages: string[] = []
  for (const issue of error.issues) {
    const at = formatPath(issue.path)
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) messages.push(`${at === "" ? key : `${at}.${key}`} is not a known field`)
    } else {
      messages.push(`${at === "" ? subject : at} ${issue.message}`)
    }
  }
  const shown = messages.slice(0, MAX_REPORTED_ISSUES).join("; ")
  const more = messages.length > MAX_REPORTED_ISSUES ? ` (and ${messages.length - MAX_REPORTED_ISSUES} more)` : ""
  return new InboundValidationError(400, shown + more, { format })
}

/** Refuses (413) a message whose lists hold more than `maxLines` entries each. */
export function checkListLengths(
  plain: unknown,
  listNames: readonly string[],
  limits: InboundLimits,
  format: InboundFormat
): void {
  if (!isXmlElement(plain)) return
  const maxLines = limits.maxLines ?? DEFAULT_INBOUND_LIMITS.maxLines
  for (const name of listNames) {
    const list = plain[name]
    if (Array.isArray(list) && list.length > maxLines) {
      throw new InboundValidationError(413, `${name} has ${list.length} entries; the limit is ${maxLines}`, { format })
    }
  }
}

/**
 * Reads an XML element into the plain shape of the JSON form: text elements
 * become strings (empty or `xsi:nil` ones null), the list containers named by
 * `isList` become arrays of whatever elements they hold, attributes are
 * ignored. A repeated element outside a list is an error, not a silent pick.
 * @param path element names below the message element, e.g. ["productQtys"]
 */
export function xmlToPlain(
  node: unknown,
  isList: (path: readonly string[]) => boolean,
  format: InboundFormat,
  path: readonly string[] = [],
  display = ""
): unknown {
  const where = display || "the message element"
  if (Array.isArray(node)) throw new InboundValidationError(400, `${where} occurs more than once`, { format })
  if (isNil(node)) return null
  const names = childElementNames(node)
  if (isList(path)) {
    if (names.length === 0) {
      const text = textOf(node) ?? ""
      if (text.trim() !== "") throw new InboundValidationError(400, `${where} must be a list of elements, got text`, { format })
      return []
    }
    if (names.length > 1) {
      throw new InboundValidationError(
        400,
        `${where} must hold one kind of element, got ${names.map((name) => `<${name}>`).join(" and ")}`,
        { format }
      )
    }
    const itemName = names[0]
    const raw = (node as Record<string, unknown>)[itemName]
    const items = Array.isArray(raw) ? raw : [raw]
    return items.map((item, i) => xmlToPlain(item, isList, format, [...path, itemName], `${display}[${i}]`))
  }
  if (names.length === 0) {
    const text = textOf(node) ?? ""
    return text === "" ? null : text
  }
  const element = node as Record<string, unknown>
  const plain: Record<string, unknown> = {}
  for (const name of names) {
    plain[name] = xmlToPlain(element[name], isList, format, [...path, name], display === "" ? name : `${display}.${name}`)
  }
  return plain
}
