// Escaping for the documents we write. OrderFlow reads them with a real XML
// parser, so every value must survive as XML 1.0 text.

// C0 controls other than tab/LF/CR, U+FFFE/U+FFFF and unpaired surrogates are
// not allowed anywhere in an XML 1.0 document, not even as references.
const FORBIDDEN_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

export function stripForbiddenXmlChars(value: string): string {
  return value.replace(FORBIDDEN_XML_CHARS, "")
}

/** Text content: `&`, `<` and `>` escaped, so neither a tag nor `]]>` can appear. */
export function escapeXmlText(value: string): string {
  return stripForbiddenXmlChars(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
}

/**
 * A double-quoted attribute value. Tab, LF and CR are written as references
 * because a parser would otherwise normalise them to spaces.
 */
export function escapeXmlAttribute(value: string): string {
  return stripForbiddenXmlChars(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
}
