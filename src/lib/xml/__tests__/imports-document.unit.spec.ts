import { readFixture } from "../../__tests__/fixture"
import { buildEmptyImportsDocument, buildImportsDocument, formatImportNumber, ImportItem, ImportValue, subsetImportsDocument } from "../imports-document"
import { parseXml } from "../safe-xml"
import { attributeOf, isXmlElement } from "../xml-tree"

type ReadImport = { type: string | null; operation: string | null; externalReference: string | null; lines: [string, string][] }

/**
 * Reads an `<imports>` document the way OrderFlow does: each line of an
 * `<import>`'s text is trimmed at the start, blank lines are skipped, the line
 * is split at its FIRST '=', and `[BR]` stands for a line break.
 */
function readImports(xml: string): ReadImport[] {
  const doc = parseXml(xml, { trimValues: false, isArray: (path) => path.join("/") === "imports/import" })
  const root = doc.imports
  const imports = isXmlElement(root) && Array.isArray(root.import) ? root.import : []
  return imports.map((node: unknown) => {
    const text = isXmlElement(node) && typeof node["#text"] === "string" ? node["#text"] : typeof node === "string" ? node : ""
    const lines: [string, string][] = []
    for (const raw of text.split("\n")) {
      const line = raw.trimStart()
      if (line === "") continue
      const at = line.indexOf("=")
      lines.push([line.slice(0, at), line.slice(at + 1).replace(/\[BR\]/g, "\n")])
    }
    return {
      type: attributeOf(node, "type"),
      operation: attributeOf(node, "operation"),
      externalReference: attributeOf(node, "externalReference"),
      lines,
    }
  })
}

const product = (fields: ImportItem["fields"], externalReference = "SKU-1"): ImportItem => ({
  type: "product",
  operation: "merge",
  externalReference,
  fields,
})

function linesOf(fields: ImportItem["fields"]): [string, string][] {
  return readImports(buildImportsDocument([product(fields)]))[0].lines
}

describe("buildImportsDocument", () => {
  it("writes the seed 002 product import example so that OrderFlow reads the same imports", () => {
    const expected = readImports(readFixture("seed-002-product-import-request.xml"))
    const items: ImportItem[] = expected.map((item) => ({
      type: item.type as "product",
      operation: item.operation as "insert",
      externalReference: item.externalReference as string,
      fields: item.lines,
    }))
    const built = buildImportsDocument(items)
    expect(readImports(built)).toEqual(expected)
    // Spot-check the literal example itself, so a broken reader cannot make both sides agree on nothing.
    expect(expected).toHaveLength(3)
    expect(expected[0].lines[0]).toEqual(["externalReference", "TEST_fullproduct"])
    expect(expected[0].lines).toContainEqual(["userDefined2", ""])
    expect(expected[1]).toMatchObject({ type: "product", operation: "insert", externalReference: "TEST_min_product" })
  })

  it("writes the fields of the seed 002 order import example, including dotted keys", () => {
    const [order] = readImports(readFixture("seed-002-order-import-request.xml"))
    expect(order.lines).toContainEqual(["orderLine.1.product.externalReference", "DVD-BELOVED"])
    expect(order.lines).toContainEqual(["shipment.deliveryInstruction", "Please leave with neighbour if nobody at home"])
    expect(order.lines).toHaveLength(128) // every key=value line of TEST_order1 (counted with awk)
    const built = buildImportsDocument([
      { type: "order", operation: "insert", externalReference: "TEST_order1", fields: order.lines },
    ])
    expect(readImports(built)).toEqual([order])
  })

  it("has the documented layout", () => {
    const xml = buildImportsDocument([product([["description", "A"], ["weight", 100]])])
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        "<imports>\n" +
        '  <import type="product" operation="merge" externalReference="SKU-1">\n' +
        "    description=A\n" +
        "    weight=100\n" +
        "  </import>\n" +
        "</imports>\n"
    )
  })

  it("omits null and undefined, writes empty strings, zero and false as values", () => {
    const fields: [string, ImportValue][] = [
      ["a", null],
      ["b", undefined],
      ["c", ""],
      ["d", 0],
      ["e", false],
      ["f", true],
      ["g", -0],
      ["h", 10.5],
    ]
    expect(linesOf(fields)).toEqual([
      ["c", ""],
      ["d", "0"],
      ["e", "false"],
      ["f", "true"],
      ["g", "0"],
      ["h", "10.5"],
    ])
  })

  it("keeps fields in the given order, duplicates included", () => {
    expect(linesOf([["type", "default"], ["activated", true], ["type", "default"]]).map(([key]) => key)).toEqual([
      "type",
      "activated",
      "type",
    ])
  })

  it.each([NaN, Infinity, -Infinity])("refuses the non-finite number %p", (value) => {
    expect(() => buildImportsDocument([product([["weight", value]])])).toThrow(/weight must be a finite number/)
  })

  it("writes numbers without exponent notation", () => {
    expect(linesOf([["a", 1e21], ["b", 1.5e-7], ["c", -2.5e22], ["d", 123456789.125]])).toEqual([
      ["a", "1000000000000000000000"],
      ["b", "0.00000015"],
      ["c", "-25000000000000000000000"],
      ["d", "123456789.125"],
    ])
    expect(formatImportNumber(1e-7)).toBe("0.0000001")
    expect(formatImportNumber(-1.25e-10)).toBe("-0.000000000125")
  })

  it("turns every kind of line break into [BR] and keeps '=' inside values", () => {
    const xml = buildImportsDocument([product([["description", "one\r\ntwo\rthree\nfour"], ["note", "a=b=c"]])])
    expect(xml).toContain("    description=one[BR]two[BR]three[BR]four\n")
    expect(xml).toContain("    note=a=b=c\n")
  })

  it("escapes markup in text so that no tag or CDATA end can appear", () => {
    const xml = buildImportsDocument([product([["description", `<b>x</b> & ]]> "q" 'a'`]])])
    expect(xml).toContain(`    description=&lt;b&gt;x&lt;/b&gt; &amp; ]]&gt; "q" 'a'\n`)
    expect(xml).not.toContain("]]>")
  })

  it("escapes the externalReference attribute", () => {
    const xml = buildImportsDocument([product([], `A&B "<C>"\tD`)])
    expect(xml).toContain('externalReference="A&amp;B &quot;&lt;C&gt;&quot;&#9;D"')
    expect(readImports(xml)[0].externalReference).toBe(`A&B "<C>"\tD`)
  })

  it("strips characters XML 1.0 forbids and keeps tab, astral characters and emoji", () => {
    expect(linesOf([["d", "a\u0000b\u0008c\u000Bd\u001Fe\uFFFEf\uFFFFg\uD800h\uDFFFi\tj😀k"]])).toEqual([
      ["d", "abcdefghi\tj😀k"],
    ])
  })

  it("preserves leading and trailing whitespace of values as written", () => {
    const xml = buildImportsDocument([product([["d", "  padded  "]])])
    expect(xml).toContain("    d=  padded  \n")
  })

  it.each(["", "1abc", "a b", "a..b", "a.", ".a", "a=b", "a-b", "a_b", "orderLine.1.", "é"])(
    "refuses the key %p",
    (key) => {
      expect(() => buildImportsDocument([product([[key, "x"]])])).toThrow(/invalid field key/)
    }
  )

  it("accepts OrderFlow's dotted, indexed keys", () => {
    expect(linesOf([["orderLine.1.product.externalReference", "X"], ["userDefined1", "u"]])).toHaveLength(2)
  })

  it("refuses an unknown type or operation and an empty externalReference", () => {
    expect(() => buildImportsDocument([{ ...product([]), type: "asn" as "product" }])).toThrow(/type must be product or order/)
    expect(() => buildImportsDocument([{ ...product([]), operation: "delete" as "insert" }])).toThrow(/operation must be/)
    expect(() => buildImportsDocument([product([], " ")])).toThrow(/externalReference must be a non-empty string/)
  })

  it("builds an empty document for no items and for Test connection", () => {
    expect(buildEmptyImportsDocument()).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<imports/>\n')
    expect(buildImportsDocument([])).toBe(buildEmptyImportsDocument())
    expect(parseXml(buildEmptyImportsDocument())).toEqual({ imports: "" })
  })
})

// Property test: whatever a merchant types, OrderFlow reads back the same value.

function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a |= 0
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FRAGMENTS = [
  "<", ">", "&", "&amp;", "&lt;", "]]>", "<![CDATA[", "-->", '"', "'", "=", "==", "\n", "\r\n", "\r", "\t", " ", "  ",
  "a", "Z", "0", "é", "ß", "中文", "😀", "👍🏽", "\u0000", "\u0007", "\u001F", "\uD800", "\uDC00", "\uFFFE", "\uFFFF",
  "[", "]", "B", "R", "#", "key=value", "</import>", "<imports>", "\\", "%", "\u2028", "\u0085",
]

/** What a reader should get back: forbidden characters gone, every line break one "\n". Written independently of the builder. */
function expectedValue(value: string): string {
  let kept = ""
  for (const ch of value) {
    const cp = ch.codePointAt(0) as number
    const allowed =
      cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000
    if (allowed) kept += ch
  }
  return kept.replace(/\r\n|\r/g, "\n").replace(/\[BR\]/g, "\n")
}

describe("buildImportsDocument round trip (property)", () => {
  it("gives back every hostile value through a straightforward OrderFlow-style reader", () => {
    const seed = 20240216
    const random = mulberry32(seed)
    const pick = (): string => FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]
    const hostile = (): string => Array.from({ length: Math.floor(random() * 12) }, pick).join("")
    for (let run = 0; run < 300; run++) {
      const values = Array.from({ length: 5 }, hostile)
      const externalReference = `ref${run}${hostile()}`
      const xml = buildImportsDocument([
        { type: "order", operation: "insert", externalReference, fields: values.map((v, i) => [`field${i}`, v] as const) },
      ])
      expect(xml).not.toMatch(/\]\]>/)
      const [read] = readImports(xml)
      expect({ run, seed, lines: read.lines }).toEqual({
        run,
        seed,
        lines: values.map((v, i) => [`field${i}`, expectedValue(v)]),
      })
      // Attribute values keep tabs and line breaks (written as character references).
      expect(read.externalReference).toBe(stripOnly(externalReference))
    }
  })
})

function stripOnly(value: string): string {
  let kept = ""
  for (const ch of value) {
    const cp = ch.codePointAt(0) as number
    if (cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000) kept += ch
  }
  return kept
}

describe("subsetImportsDocument", () => {
  const item = (ref: string): ImportItem => ({ type: "order", operation: "insert", externalReference: ref, fields: [["order.externalReference", ref], ["order.note", `a <note> & "quote" for ${ref}`]] })
  const refs = ["1001", 'A&B "x"', "1003", "1004"]
  const whole = buildImportsDocument(refs.map(item))

  it("keeps exactly the named elements, in document order, byte for byte as a document of only those would be", () => {
    expect(subsetImportsDocument(whole, ["1004", 'A&B "x"'])).toBe(buildImportsDocument([item('A&B "x"'), item("1004")]))
    expect(subsetImportsDocument(whole, refs)).toBe(whole)
  })

  it("gives an empty <imports/> when no reference matches", () => {
    expect(subsetImportsDocument(whole, ["9999"])).toBe(buildEmptyImportsDocument())
  })
})
