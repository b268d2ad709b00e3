import { XmlParseError } from "../../errors"
import { assertSafeXml, decodeXmlReferences, parseXml } from "../safe-xml"

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>`

const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<inventoryUpdate><messageSeqId>&xxe;</messageSeqId></inventoryUpdate>`

function parseError(fn: () => unknown): XmlParseError {
  try {
    fn()
  } catch (err) {
    if (err instanceof XmlParseError) return err
    throw err
  }
  throw new Error("expected an XmlParseError")
}

describe("parseXml", () => {
  it("keeps element and attribute values as strings (leading zeros survive)", () => {
    const doc = parseXml(`<a><sku>00123</sku><qty>1e3</qty><b n="007"/></a>`)
    expect(doc).toEqual({ a: { sku: "00123", qty: "1e3", b: { "@_n": "007" } } })
  })

  it("drops namespace prefixes and the XML declaration", () => {
    const doc = parseXml(
      `<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="urn:x"><SOAP-ENV:Body><ns1:op xmlns:ns1="urn:y"><key>k</key></ns1:op></SOAP-ENV:Body></SOAP-ENV:Envelope>`
    )
    expect(doc).toEqual({ Envelope: { Body: { op: { key: "k" } } } })
  })

  it("decodes CDATA and the five predefined entities, once", () => {
    const doc = parseXml(`<a><m><![CDATA[x < y & z]]></m><t>&amp;lt; &lt; &gt; &quot; &apos; &#65;&#x42;</t></a>`)
    expect(doc).toEqual({ a: { m: "x < y & z", t: "&lt; < > \" ' AB" } })
  })

  it("returns lists for the elements the caller names, even when they occur once", () => {
    const doc = parseXml(`<r><list><item>1</item></list></r>`, { isArray: (path) => path.join("/") === "r/list/item" })
    expect(doc).toEqual({ r: { list: { item: ["1"] } } })
  })

  it("refuses a billion-laughs document before expanding anything", () => {
    const err = parseError(() => parseXml(BILLION_LAUGHS))
    expect(err.code).toBe("XML_FORBIDDEN_DTD")
    expect(err.message).toBe("XML with a DTD or entity declaration (<!DOCTYPE) is not accepted")
    expect(err.line).toBe(2)
  })

  it("refuses external entities, lower-case doctypes and stray ENTITY declarations", () => {
    expect(parseError(() => parseXml(EXTERNAL_ENTITY)).code).toBe("XML_FORBIDDEN_DTD")
    expect(parseError(() => parseXml(`<!doctype html><html/>`)).code).toBe("XML_FORBIDDEN_DTD")
    expect(parseError(() => parseXml(`<a><!ENTITY x "y"></a>`)).code).toBe("XML_FORBIDDEN_DTD")
  })

  it("refuses malformed XML with the line of the problem instead of returning half a document", () => {
    const err = parseError(() => parseXml(`<a>\n<b>1</b>\n<c>2</a>`))
    expect(err.code).toBe("XML_NOT_WELL_FORMED")
    expect(err.message).toMatch(/^XML is not well-formed: .*'c'.* at line 3/)
    expect(err.line).toBe(3)
  })

  it.each([
    ["an empty body", ""],
    ["whitespace only", "  \n "],
    ["plain text", "Service Unavailable"],
    ["two roots", "<a/><b/>"],
    ["a truncated document", "<importResult><importSuccesses>"],
    ["text after the root", "<a/>trailing"],
    ["an undefined entity", "<a>&nbsp;</a>"],
    ["a bare ampersand in an attribute", `<a x="1 & 2"/>`],
    ["a '<' in an attribute", `<a x="1 < 2"/>`],
    ["a reference to a forbidden character", "<a>&#0;</a>"],
  ])("refuses %s", (_what, xml) => {
    expect(parseError(() => parseXml(xml)).code).toBe("XML_NOT_WELL_FORMED")
  })

  it("refuses a second root or text after a self-closing root, naming the line", () => {
    expect(parseError(() => parseXml("<a/>\n<b/>")).message).toBe("XML is not well-formed: more than one root element at line 2")
    expect(parseError(() => parseXml("<a x='/>'/>junk")).message).toBe("XML is not well-formed: text outside the root element at line 1")
    expect(parseXml("<a><!-- <b/> --><![CDATA[<c/>]]></a><!-- after -->\n")).toEqual({ a: "<c/>" })
  })

  it("refuses absurdly deep nesting", () => {
    const deep = "<a>".repeat(200) + "x" + "</a>".repeat(200)
    expect(parseError(() => parseXml(deep)).message).toMatch(/nested deeper than/)
  })

  it("accepts a byte order mark and leading blank lines", () => {
    expect(parseXml(`\uFEFF\n  <?xml version="1.0"?><a>1</a>`)).toEqual({ a: "1" })
    expect(assertSafeXml("\n<a/>")).toBe("<a/>")
  })
})

describe("decodeXmlReferences", () => {
  it("leaves text without references untouched and decodes supplementary-plane references", () => {
    expect(decodeXmlReferences("plain")).toBe("plain")
    expect(decodeXmlReferences("&#x1F600;")).toBe("😀")
  })
})
