import { readFixture } from "../../__tests__/fixture"
import { InboundValidationError } from "../../errors"
import { inventoryDedupeKey, parseInventoryUpdate } from "../inventory-update"

const JSON_TYPE = "application/json"
const XML_TYPE = "application/xml"

function refusal(fn: () => unknown): InboundValidationError {
  try {
    fn()
  } catch (err) {
    if (err instanceof InboundValidationError) return err
    throw err
  }
  throw new Error("expected an InboundValidationError")
}

const json = (value: unknown): string => JSON.stringify(value)

function message(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    productQtys: [
      { sku: "00123", qty: 5 },
      { sku: "SHIRT-M", qty: -2, source: "WAREHOUSE_1" },
    ],
    productSeqs: [
      { sku: "00123", seq: 615, lastOrderExported: "2024-03-01 10:15:00" },
      { sku: "SHIRT-M", seq: 616, source: "WAREHOUSE_1" },
    ],
    messageSeqId: 71,
    ...overrides,
  }
}

describe("parseInventoryUpdate (JSON)", () => {
  it("pairs quantities with sequence ids and keeps SKUs exactly", () => {
    expect(parseInventoryUpdate(json(message()), "application/json; charset=utf-8")).toEqual({
      messageSeqId: 71,
      format: "json",
      lines: [
        { index: 0, sku: "00123", qty: 5, seq: 615, source: null, lastOrderExported: "2024-03-01T10:15:00.000Z" },
        { index: 1, sku: "SHIRT-M", qty: -2, seq: 616, source: "WAREHOUSE_1", lastOrderExported: null },
      ],
    })
  })

  it("reads a zone-less lastOrderExported in OrderFlow's time zone; an explicit offset wins", () => {
    const at = (lastOrderExported: string) =>
      parseInventoryUpdate(json(message({ productQtys: [{ sku: "A", qty: 1 }], productSeqs: [{ sku: "A", seq: 1, lastOrderExported }] })), JSON_TYPE, {
        timeZone: "Europe/London",
      }).lines[0].lastOrderExported
    expect(at("2026-07-01 12:30:00")).toBe("2026-07-01T11:30:00.000Z")
    expect(at("2026-01-15 12:30:00")).toBe("2026-01-15T12:30:00.000Z")
    expect(at("2026-07-01T12:30:00Z")).toBe("2026-07-01T12:30:00.000Z")
  })

  it("accepts integers sent as strings, and +json media types", () => {
    const update = parseInventoryUpdate(
      json(message({ productQtys: [{ sku: "A", qty: "-7" }], productSeqs: [{ sku: "A", seq: "9" }], messageSeqId: "72" })),
      "application/vnd.orderflow+json"
    )
    expect(update.lines).toEqual([{ index: 0, sku: "A", qty: -7, seq: 9, source: null, lastOrderExported: null }])
    expect(update.messageSeqId).toBe(72)
  })

  it("keeps duplicate SKUs as separate lines, paired by order of occurrence", () => {
    const update = parseInventoryUpdate(
      json({
        productQtys: [{ sku: "A", qty: 1 }, { sku: "B", qty: 2 }, { sku: "A", qty: 3 }],
        productSeqs: [{ sku: "A", seq: 10 }, { sku: "A", seq: 12 }, { sku: "B", seq: 11 }],
        messageSeqId: 1,
      }),
      JSON_TYPE
    )
    expect(update.lines.map(({ sku, qty, seq }) => [sku, qty, seq])).toEqual([
      ["A", 1, 10],
      ["B", 2, 11],
      ["A", 3, 12],
    ])
  })

  it("pairs by source when the sequence entry names one", () => {
    const update = parseInventoryUpdate(
      json({
        productQtys: [{ sku: "A", qty: 1, source: "S2" }, { sku: "A", qty: 2, source: "S1" }],
        productSeqs: [{ sku: "A", seq: 21, source: "S1" }, { sku: "A", seq: 22, source: "S2" }],
        messageSeqId: 1,
      }),
      JSON_TYPE
    )
    expect(update.lines.map(({ qty, seq, source }) => [qty, seq, source])).toEqual([
      [1, 22, "S2"],
      [2, 21, "S1"],
    ])
  })

  it.each([
    [{ qty: "1.5" }, 'productQtys[3].qty must be an integer, got "1.5"'],
    [{ qty: 1.5 }, "productQtys[3].qty must be an integer, got 1.5"],
    [{ qty: "abc" }, 'productQtys[3].qty must be an integer, got "abc"'],
    [{ qty: "" }, 'productQtys[3].qty must be an integer, got ""'],
    [{ qty: " 5" }, 'productQtys[3].qty must be an integer, got " 5"'],
    [{ qty: "1e3" }, 'productQtys[3].qty must be an integer, got "1e3"'],
    [{ qty: true }, "productQtys[3].qty must be an integer, got true"],
    [{ qty: null }, "productQtys[3].qty is required"],
    [{ qty: 1_000_000_001 }, "productQtys[3].qty must be between -1000000000 and 1000000000, got 1000000001"],
    [{ sku: 123 }, "productQtys[3].sku must be a string, got 123"],
    [{ sku: "" }, "productQtys[3].sku must not be empty"],
    [{ sku: "A\nB" }, "productQtys[3].sku must not contain control characters"],
    [{ sku: "x".repeat(256) }, "productQtys[3].sku must be at most 255 characters, got 256"],
    [{ source: "" }, "productQtys[3].source must be a non-empty string"],
    [{ colour: "red" }, "productQtys[3].colour is not a known field"],
  ])("refuses the quantity entry %p", (entry, expected) => {
    const body = message({
      productQtys: [{ sku: "P0", qty: 0 }, { sku: "P1", qty: 1 }, { sku: "P2", qty: 2 }, { sku: "P3", qty: 3, ...entry }],
      productSeqs: [0, 1, 2, 3].map((i) => ({ sku: `P${i}`, seq: i })),
    })
    const err = refusal(() => parseInventoryUpdate(json(body), JSON_TYPE))
    expect(err.status).toBe(400)
    expect(err.format).toBe("json")
    expect(err.message).toBe(expected)
  })

  it.each([
    [{ messageSeqId: undefined }, "messageSeqId is required"],
    [{ messageSeqId: -1 }, "messageSeqId must be between 0 and 2147483647, got -1"],
    [{ messageSeqId: 2147483648 }, "messageSeqId must be between 0 and 2147483647, got 2147483648"],
    [{ productSeqs: undefined }, "productSeqs is required"],
    [{ productQtys: {} }, "productQtys must be a list, got an object"],
    [{ extra: 1 }, "extra is not a known field"],
    [{ productSeqs: [{ sku: "00123", seq: 1.5 }, { sku: "SHIRT-M", seq: 1 }] }, "productSeqs[0].seq must be an integer, got 1.5"],
    [
      { productSeqs: [{ sku: "00123", seq: 1, lastOrderExported: "2024-02-30 10:00:00" }, { sku: "SHIRT-M", seq: 1 }] },
      'productSeqs[0].lastOrderExported must be a date as yyyy-MM-dd HH:mm:ss or ISO 8601, got "2024-02-30 10:00:00"',
    ],
  ])("refuses the message %p", (overrides, expected) => {
    expect(refusal(() => parseInventoryUpdate(json(message(overrides)), JSON_TYPE)).message).toBe(expected)
  })

  it("names a quantity without sequence id and a sequence id without quantity", () => {
    expect(
      refusal(() => parseInventoryUpdate(json(message({ productSeqs: [{ sku: "00123", seq: 1 }] })), JSON_TYPE)).message
    ).toBe('productQtys[1] (sku "SHIRT-M", source "WAREHOUSE_1") has no sequence id in productSeqs')
    expect(
      refusal(() =>
        parseInventoryUpdate(
          json(message({ productSeqs: [{ sku: "00123", seq: 1 }, { sku: "SHIRT-M", seq: 2 }, { sku: "HAT", seq: 3 }] })),
          JSON_TYPE
        )
      ).message
    ).toBe('productSeqs[2] (sku "HAT") has no quantity in productQtys')
    expect(
      refusal(() =>
        parseInventoryUpdate(
          json(message({ productSeqs: [{ sku: "00123", seq: 1 }, { sku: "SHIRT-M", seq: 2, source: "OTHER" }] })),
          JSON_TYPE
        )
      ).message
    ).toMatch(/^productQtys\[1\] .* has no sequence id/)
  })

  it("requires at least one line", () => {
    expect(refusal(() => parseInventoryUpdate(json(message({ productQtys: [], productSeqs: [] })), JSON_TYPE)).message).toBe(
      "productQtys must contain at least one line"
    )
  })

  it("refuses bodies that are not a JSON object", () => {
    expect(refusal(() => parseInventoryUpdate("[1]", JSON_TYPE)).message).toBe("inventory message must be an object, got a list")
    expect(refusal(() => parseInventoryUpdate("{", JSON_TYPE)).message).toMatch(/^body is not valid JSON/)
    expect(refusal(() => parseInventoryUpdate(`{"__proto__": {"x": 1}}`, JSON_TYPE)).message).toContain("__proto__ is not a known field")
  })

  it("refuses a body over 5 MiB with 413", () => {
    const big = json(message({ padding: "x".repeat(6 * 1024 * 1024) }))
    const err = refusal(() => parseInventoryUpdate(big, JSON_TYPE))
    expect(err.status).toBe(413)
    expect(err.message).toMatch(/^body is 629\d+ bytes; the limit is 5242880$/)
  })

  it("counts bytes, not characters", () => {
    const body = json(message({ padding: "é".repeat(60) }))
    // 60 more bytes than characters: a character count would let it through.
    expect(refusal(() => parseInventoryUpdate(body, JSON_TYPE, { maxBytes: body.length + 10 })).status).toBe(413)
    expect(refusal(() => parseInventoryUpdate(body, JSON_TYPE, { maxBytes: body.length + 60 })).status).toBe(400)
  })

  it("refuses more than 10,000 lines with 413", () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => i)
    const body = json({
      productQtys: lines.map((i) => ({ sku: `S${i}`, qty: 1 })),
      productSeqs: lines.map((i) => ({ sku: `S${i}`, seq: i })),
      messageSeqId: 1,
    })
    const err = refusal(() => parseInventoryUpdate(body, JSON_TYPE))
    expect(err.status).toBe(413)
    expect(err.message).toBe("productQtys has 20000 entries; the limit is 10000")
    expect(refusal(() => parseInventoryUpdate(json(message()), JSON_TYPE, { maxLines: 1 })).status).toBe(413)
  })

  it.each([["text/plain"], ["multipart/form-data; boundary=x"], ["application/x-www-form-urlencoded"], [""], [undefined]])(
    "refuses the content type %p with 415",
    (contentType) => {
      expect(refusal(() => parseInventoryUpdate(json(message()), contentType)).status).toBe(415)
    }
  )
})

const XML_MESSAGE = `<?xml version="1.0" encoding="UTF-8"?>
<inventoryUpdate>
  <messageSeqId>71</messageSeqId>
  <productQtys>
    <productQty><sku>00123</sku><qty>-4</qty><source/></productQty>
    <productQty><sku>00123</sku><qty>6</qty></productQty>
  </productQtys>
  <productSeqs>
    <productSeq><sku>00123</sku><seq>101</seq><lastOrderExported>2024-03-01T10:15:00+01:00</lastOrderExported></productSeq>
    <productSeq><sku>00123</sku><seq>102</seq><lastOrderExported></lastOrderExported></productSeq>
  </productSeqs>
</inventoryUpdate>`

describe("parseInventoryUpdate (XML)", () => {
  it("reads the element form, keeping leading zeros and duplicate SKUs", () => {
    expect(parseInventoryUpdate(XML_MESSAGE, "text/xml; charset=UTF-8")).toEqual({
      messageSeqId: 71,
      format: "xml",
      lines: [
        { index: 0, sku: "00123", qty: -4, seq: 101, source: null, lastOrderExported: "2024-03-01T09:15:00.000Z" },
        { index: 1, sku: "00123", qty: 6, seq: 102, source: null, lastOrderExported: null },
      ],
    })
  })

  it("accepts any root and any entry element name, and a single entry", () => {
    const update = parseInventoryUpdate(
      `<stock><productQtys><item><sku>7</sku><qty>1</qty></item></productQtys><productSeqs><item><sku>7</sku><seq>3</seq></item></productSeqs><messageSeqId>5</messageSeqId></stock>`,
      "application/xml"
    )
    expect(update.lines).toEqual([{ index: 0, sku: "7", qty: 1, seq: 3, source: null, lastOrderExported: null }])
  })

  it("names the element of an invalid value as in JSON", () => {
    const err = refusal(() => parseInventoryUpdate(XML_MESSAGE.replace("<qty>6</qty>", "<qty>6.5</qty>"), XML_TYPE))
    expect(err).toMatchObject({ status: 400, format: "xml", message: 'productQtys[1].qty must be an integer, got "6.5"' })
  })

  it("refuses unknown elements, repeated fields and mixed entry names", () => {
    expect(refusal(() => parseInventoryUpdate(XML_MESSAGE.replace("<source/>", "<colour>red</colour>"), XML_TYPE)).message).toBe(
      "productQtys[0].colour is not a known field"
    )
    expect(
      refusal(() => parseInventoryUpdate(XML_MESSAGE.replace("<messageSeqId>71</messageSeqId>", "<messageSeqId>71</messageSeqId><messageSeqId>72</messageSeqId>"), XML_TYPE)).message
    ).toBe("messageSeqId occurs more than once")
    expect(
      refusal(() => parseInventoryUpdate(XML_MESSAGE.replace("<productQty><sku>00123</sku><qty>6", "<line><sku>00123</sku><qty>6").replace("</qty></productQty>\n  </productQtys>", "</qty></line>\n  </productQtys>"), XML_TYPE)).message
    ).toBe("productQtys must hold one kind of element, got <productQty> and <line>")
  })

  it("refuses a missing messageSeqId", () => {
    expect(refusal(() => parseInventoryUpdate(XML_MESSAGE.replace("<messageSeqId>71</messageSeqId>", ""), XML_TYPE)).message).toBe(
      "messageSeqId is required"
    )
  })

  it("refuses the billion laughs with 400 before expanding anything", () => {
    const body = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<inventoryUpdate><messageSeqId>1</messageSeqId><productQtys><productQty><sku>&lol2;</sku><qty>1</qty></productQty></productQtys></inventoryUpdate>`
    const err = refusal(() => parseInventoryUpdate(body, XML_TYPE))
    expect(err).toMatchObject({ status: 400, code: "INBOUND_INVALID" })
    expect(err.message).toBe("XML with a DTD or entity declaration (<!DOCTYPE) is not accepted")
  })

  it("refuses external entities with 400", () => {
    const body = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r><messageSeqId>&xxe;</messageSeqId></r>`
    expect(refusal(() => parseInventoryUpdate(body, "text/xml")).status).toBe(400)
  })

  it("refuses malformed XML with 400 naming the line", () => {
    expect(refusal(() => parseInventoryUpdate("<a>\n<b>\n</a>", XML_TYPE)).message).toMatch(/^XML is not well-formed: .* at line 3/)
  })

  it("refuses 20,000 XML lines with 413", () => {
    const items = Array.from({ length: 20_000 }, (_, i) => `<q><sku>S${i}</sku><qty>1</qty></q>`).join("")
    const body = `<u><messageSeqId>1</messageSeqId><productQtys>${items}</productQtys><productSeqs/></u>`
    expect(refusal(() => parseInventoryUpdate(body, XML_TYPE))).toMatchObject({
      status: 413,
      message: "productQtys has 20000 entries; the limit is 10000",
    })
  })

  it("refuses a 6 MB XML body with 413 before parsing it", () => {
    const body = `<u>${"<x/>".repeat(1_600_000)}</u>`
    expect(refusal(() => parseInventoryUpdate(body, XML_TYPE)).status).toBe(413)
  })
})

describe("parseInventoryUpdate (SOAP)", () => {
  it("reads the seed 000 envelope (skusQty / skusSeqId, sessionId ignored)", () => {
    expect(parseInventoryUpdate(readFixture("seed-000-soap-inventory.xml"), "text/xml; charset=utf-8")).toEqual({
      messageSeqId: 4,
      format: "soap",
      lines: [{ index: 0, sku: "hdd000", qty: 0, seq: 10, source: null, lastOrderExported: null }],
    })
  })

  it("takes a lastOrderExported inside a skusSeqId item (Magento 1's skuSeq), in OrderFlow's time zone", () => {
    const fixture = readFixture("seed-000-soap-inventory.xml").replace(
      '<value xsi:type="xsd:int">10</value>',
      '<value xsi:type="xsd:int">10</value><lastOrderExported xsi:type="xsd:dateTime">2026-07-01 12:00:00</lastOrderExported>'
    )
    expect(fixture).toContain("lastOrderExported")
    expect(parseInventoryUpdate(fixture, "text/xml", { timeZone: "Europe/London" }).lines[0].lastOrderExported).toBe("2026-07-01T11:00:00.000Z")
  })

  it("refuses the envelope exactly as printed in the guide, which is not well-formed", () => {
    const err = refusal(() => parseInventoryUpdate(readFixture("seed-000-soap-inventory-as-published.txt"), "text/xml"))
    expect(err.status).toBe(400)
    expect(err.message).toMatch(/^XML is not well-formed/)
  })

  it("names SOAP items in errors and pairs by key", () => {
    const fixture = readFixture("seed-000-soap-inventory.xml")
    const bad = fixture.replace('<value xsi:type="xsd:int">0</value>', '<value xsi:type="xsd:int">zero</value>')
    expect(refusal(() => parseInventoryUpdate(bad, "text/xml"))).toMatchObject({
      status: 400,
      format: "soap",
      message: 'skusQty[0].value must be an integer, got "zero"',
    })
    const unpaired = fixture.replace('<key xsi:type="xsd:string">hdd000</key>\n                <value xsi:type="xsd:int">10</value>', '<key xsi:type="xsd:string">hdd001</key>\n                <value xsi:type="xsd:int">10</value>')
    expect(refusal(() => parseInventoryUpdate(unpaired, "text/xml")).message).toBe('skusQty[0] (sku "hdd000") has no sequence id in skusSeqId')
  })

  it("refuses an envelope without operation or with a Fault", () => {
    const ns = `xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"`
    expect(refusal(() => parseInventoryUpdate(`<SOAP-ENV:Envelope ${ns}><SOAP-ENV:Body/></SOAP-ENV:Envelope>`, "text/xml")).message).toBe(
      "SOAP Envelope has no Body element with an operation"
    )
    expect(
      refusal(() =>
        parseInventoryUpdate(`<SOAP-ENV:Envelope ${ns}><SOAP-ENV:Body><SOAP-ENV:Fault/></SOAP-ENV:Body></SOAP-ENV:Envelope>`, "text/xml")
      ).message
    ).toBe("SOAP Body holds a Fault, not a stock update")
  })
})

describe("inventoryDedupeKey", () => {
  it("is the message type, messageSeqId and a hash of the content, the same for a re-delivery in any format", () => {
    const update = parseInventoryUpdate(json(message()), JSON_TYPE)
    const key = inventoryDedupeKey(update)
    expect(key).toMatch(/^inventory:71:[0-9a-f]{32}$/)
    expect(inventoryDedupeKey(parseInventoryUpdate(json(message()), JSON_TYPE))).toBe(key)
    // The same update as an XML delivery (a variable: the key's input type has no format field).
    const asXml = { ...update, format: "xml" as const }
    expect(inventoryDedupeKey(asXml)).toBe(key)
  })

  it("differs when the same messageSeqId carries other figures", () => {
    const update = parseInventoryUpdate(json(message()), JSON_TYPE)
    const changed = { ...update, lines: update.lines.map((l, i) => (i === 0 ? { ...l, qty: l.qty + 1 } : l)) }
    expect(inventoryDedupeKey(changed)).not.toBe(inventoryDedupeKey(update))
    expect(inventoryDedupeKey(changed)).toMatch(/^inventory:71:/)
  })
})
