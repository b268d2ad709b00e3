import { InboundValidationError } from "../../errors"
import { despatchDedupeKey, despatchParcelKey, isPolledDespatchKey, isRepeatableDespatchKey, parseDespatchNotification, polledDespatchKey } from "../despatch-notification"
import { DespatchNotification } from "../types"

const JSON_TYPE = "application/json"

function refusal(fn: () => unknown): InboundValidationError {
  try {
    fn()
  } catch (err) {
    if (err instanceof InboundValidationError) return err
    throw err
  }
  throw new Error("expected an InboundValidationError")
}

function body(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    orderIncrementId: "000000123",
    skuQty: [
      { sku: "00123", qty: 2 },
      { sku: "SHIRT-M", qty: "1" },
    ],
    tracks: [{ trackingNumber: " TT222211109GB " }, { trackingNumber: "" }, { trackingNumber: "TT2" }],
    trackingNumber: "TT2",
    courierName: "royalmail_tracked",
    serviceName: "TPN01",
    comment: "<b>Left with neighbour</b> & co",
    email: "1",
    includeComment: false,
    dateShipped: "2014-04-25 09:30:08",
    messageSeqId: 88,
    ...overrides,
  })
}

describe("parseDespatchNotification (JSON)", () => {
  it("reads the Magento 2 REST shape", () => {
    expect(parseDespatchNotification(body(), "application/json; charset=UTF-8")).toEqual({
      messageSeqId: 88,
      orderIncrementId: "000000123",
      lines: [
        { index: 0, sku: "00123", qty: 2 },
        { index: 1, sku: "SHIRT-M", qty: 1 },
      ],
      trackingNumbers: ["TT2", "TT222211109GB"],
      courierName: "royalmail_tracked",
      serviceName: "TPN01",
      comment: "<b>Left with neighbour</b> & co",
      email: true,
      includeComment: false,
      dateShipped: "2014-04-25T09:30:08.000Z",
      source: null,
      format: "json",
    })
  })

  it("reads a zone-less dateShipped in OrderFlow's time zone", () => {
    expect(parseDespatchNotification(body({ dateShipped: "2026-07-01 09:30:08" }), JSON_TYPE, { timeZone: "Europe/London" }).dateShipped).toBe("2026-07-01T08:30:08.000Z")
    expect(parseDespatchNotification(body({ dateShipped: "2026-07-01T09:30:08+00:00" }), JSON_TYPE, { timeZone: "Europe/London" }).dateShipped).toBe("2026-07-01T09:30:08.000Z")
  })

  it("defaults the optional fields", () => {
    const minimal = JSON.stringify({ orderIncrementId: "1001", skuQty: [{ sku: "A", qty: 1 }] })
    expect(parseDespatchNotification(minimal, JSON_TYPE)).toEqual({
      messageSeqId: null,
      orderIncrementId: "1001",
      lines: [{ index: 0, sku: "A", qty: 1 }],
      trackingNumbers: [],
      courierName: null,
      serviceName: null,
      comment: null,
      email: false,
      includeComment: false,
      dateShipped: null,
      source: null,
      format: "json",
    })
  })

  it.each([
    [true, true],
    [false, false],
    ["true", true],
    ["false", false],
    [1, true],
    [0, false],
    ["1", true],
    ["0", false],
  ])("reads the boolean %p as %p", (value, expected) => {
    expect(parseDespatchNotification(body({ email: value, includeComment: value }), JSON_TYPE)).toMatchObject({
      email: expected,
      includeComment: expected,
    })
  })

  it.each([
    [{ skuQty: [{ sku: "A", qty: 0 }] }, "skuQty[0].qty must be a positive integer, got 0"],
    [{ skuQty: [{ sku: "A", qty: -1 }] }, "skuQty[0].qty must be a positive integer, got -1"],
    [{ skuQty: [{ sku: "A", qty: "2.0" }] }, 'skuQty[0].qty must be a positive integer, got "2.0"'],
    [{ skuQty: [{ sku: "A", qty: "two" }] }, 'skuQty[0].qty must be a positive integer, got "two"'],
    [{ skuQty: [{ sku: 123, qty: 1 }] }, "skuQty[0].sku must be a string, got 123"],
    [{ skuQty: [] }, "skuQty must contain at least one line"],
    [{ skuQty: undefined }, "skuQty is required"],
    [{ orderIncrementId: undefined }, "orderIncrementId is required"],
    [{ orderIncrementId: 123 }, "orderIncrementId must be a string, got 123"],
    [{ email: "yes" }, 'email must be true or false, got "yes"'],
    [{ includeComment: 2 }, "includeComment must be true or false, got 2"],
    [{ comment: "x".repeat(4001) }, "comment must be at most 4000 characters, got 4001"],
    [{ dateShipped: "25/04/2014" }, 'dateShipped must be a date as yyyy-MM-dd HH:mm:ss or ISO 8601, got "25/04/2014"'],
    [{ messageSeqId: "x" }, 'messageSeqId must be an integer, got "x"'],
    [{ tracks: [{ trackingNumber: "T", carrier: "x" }] }, "tracks[0].carrier is not a known field"],
    [{ tracks: "T1" }, 'tracks must be a list, got "T1"'],
    [{ shipped: true }, "shipped is not a known field"],
  ])("refuses %p", (overrides, expected) => {
    const err = refusal(() => parseDespatchNotification(body(overrides), JSON_TYPE))
    expect(err).toMatchObject({ status: 400, format: "json" })
    expect(err.message).toBe(expected)
  })

  it("keeps a 4000-character comment verbatim", () => {
    const comment = `  <script>alert(1)</script>\n${"z".repeat(3970)}`
    expect(comment.length).toBeLessThanOrEqual(4000)
    expect(parseDespatchNotification(body({ comment }), JSON_TYPE).comment).toBe(comment)
  })

  it("refuses oversized bodies, too many lines and other media types", () => {
    expect(refusal(() => parseDespatchNotification(body({ comment: "x".repeat(6_000_000) }), JSON_TYPE)).status).toBe(413)
    const skuQty = Array.from({ length: 20_000 }, (_, i) => ({ sku: `S${i}`, qty: 1 }))
    expect(refusal(() => parseDespatchNotification(body({ skuQty }), JSON_TYPE))).toMatchObject({
      status: 413,
      message: "skuQty has 20000 entries; the limit is 10000",
    })
    expect(refusal(() => parseDespatchNotification(body(), "text/csv")).status).toBe(415)
  })
})

const XML_DESPATCH = `<?xml version="1.0" encoding="UTF-8"?>
<shipmentDespatch>
  <orderIncrementId>000000123</orderIncrementId>
  <skuQty>
    <item><sku>00123</sku><qty>2</qty></item>
    <item><sku>00123</sku><qty>1</qty></item>
  </skuQty>
  <tracks><track><trackingNumber>TT1</trackingNumber></track></tracks>
  <comment><![CDATA[Fragile & heavy]]></comment>
  <email>true</email>
  <includeComment>0</includeComment>
  <courierName/>
  <dateShipped>2014-04-25T09:30:08Z</dateShipped>
  <source>WAREHOUSE_1</source>
</shipmentDespatch>`

describe("parseDespatchNotification (XML)", () => {
  it("reads the element form with leading zeros, repeated SKUs and CDATA", () => {
    expect(parseDespatchNotification(XML_DESPATCH, "text/xml")).toEqual({
      messageSeqId: null,
      orderIncrementId: "000000123",
      lines: [
        { index: 0, sku: "00123", qty: 2 },
        { index: 1, sku: "00123", qty: 1 },
      ],
      trackingNumbers: ["TT1"],
      courierName: null,
      serviceName: null,
      comment: "Fragile & heavy",
      email: true,
      includeComment: false,
      dateShipped: "2014-04-25T09:30:08.000Z",
      source: "WAREHOUSE_1",
      format: "xml",
    })
  })

  it("accepts a single line and names bad XML fields", () => {
    const single = XML_DESPATCH.replace("    <item><sku>00123</sku><qty>1</qty></item>\n", "")
    expect(parseDespatchNotification(single, "application/xml").lines).toHaveLength(1)
    const bad = XML_DESPATCH.replace("<qty>1</qty>", "<qty>0</qty>")
    expect(refusal(() => parseDespatchNotification(bad, "application/xml"))).toMatchObject({
      status: 400,
      format: "xml",
      message: 'skuQty[1].qty must be a positive integer, got "0"',
    })
  })

  it("refuses DTDs", () => {
    const body = `<!DOCTYPE d [<!ENTITY e SYSTEM "http://attacker/">]><shipmentDespatch><orderIncrementId>&e;</orderIncrementId></shipmentDespatch>`
    expect(refusal(() => parseDespatchNotification(body, "text/xml")).status).toBe(400)
  })
})

describe("despatchParcelKey", () => {
  const base = (): DespatchNotification => parseDespatchNotification(body({ messageSeqId: undefined }), JSON_TYPE)

  it("one key per parcel, whatever messageSeqId, site, comment or list order (a pushed and a polled despatch of one shipment match)", () => {
    const key = despatchParcelKey(base())
    expect(key).toMatch(/^parcel:[0-9a-f]{64}$/)
    expect(despatchParcelKey({ ...base(), messageSeqId: 88 })).toBe(key)
    expect(despatchParcelKey({ ...base(), source: "SITE2", comment: "other", courierName: "x" })).toBe(key)
    const reordered = base()
    reordered.lines = [...reordered.lines].reverse().map((line, index) => ({ ...line, index }))
    reordered.trackingNumbers = [...reordered.trackingNumbers].reverse()
    expect(despatchParcelKey(reordered)).toBe(key)
  })

  it("units of one SKU on two lines count as one line of their sum", () => {
    const one = { ...base(), lines: [{ index: 0, sku: "A", qty: 3 }] }
    const split = { ...base(), lines: [{ index: 0, sku: "A", qty: 1 }, { index: 1, sku: "A", qty: 2 }] }
    expect(despatchParcelKey(split)).toBe(despatchParcelKey(one))
  })

  it("tells parcels apart by order, units, tracking and ship date", () => {
    const key = despatchParcelKey(base())
    const other = (change: Partial<DespatchNotification>): string => despatchParcelKey({ ...base(), ...change })
    expect(other({ orderIncrementId: "000000124" })).not.toBe(key)
    expect(other({ lines: [{ index: 0, sku: "00123", qty: 1 }] })).not.toBe(key)
    expect(other({ trackingNumbers: ["TT3"] })).not.toBe(key)
    expect(other({ dateShipped: "2014-04-26T09:30:08.000Z" })).not.toBe(key)
    expect(other({ dateShipped: null })).not.toBe(key)
  })
})

describe("despatchDedupeKey", () => {
  const base = (): DespatchNotification => parseDespatchNotification(body({ messageSeqId: undefined }), JSON_TYPE)
  const undated = (): DespatchNotification => ({ ...base(), dateShipped: null })

  it("with a message number: type + number, with a content hash so that an edited re-push is told apart", () => {
    expect(despatchDedupeKey({ ...base(), messageSeqId: 88 })).toMatch(/^shipment:88:[0-9a-f]{32}$/)
    expect(despatchDedupeKey({ ...undated(), messageSeqId: 0 })).toMatch(/^shipment:0:[0-9a-f]{32}$/)
    expect(despatchDedupeKey({ ...base(), messageSeqId: 5 })).toBe(despatchDedupeKey({ ...base(), messageSeqId: 5 }))
    expect(despatchDedupeKey({ ...base(), messageSeqId: 5 })).not.toBe(despatchDedupeKey({ ...base(), messageSeqId: 5, trackingNumbers: ["OTHER"] }))
    // Two numbers are two messages, even with the same content.
    expect(despatchDedupeKey({ ...base(), messageSeqId: 5 })).not.toBe(despatchDedupeKey({ ...base(), messageSeqId: 6 }))
  })

  it("without a number, with a ship date: hashes the content, whatever the order of lines and tracking numbers", () => {
    const key = despatchDedupeKey(base())
    expect(key).toMatch(/^shipment:sha256:[0-9a-f]{64}$/)
    const reordered = base()
    reordered.lines = [...reordered.lines].reverse().map((line, index) => ({ ...line, index }))
    reordered.trackingNumbers = [...reordered.trackingNumbers].reverse()
    reordered.comment = "a different comment"
    expect(despatchDedupeKey(reordered)).toBe(key)
    expect(isRepeatableDespatchKey(key)).toBe(false)
  })

  it("without a number or a ship date: every delivery gets its own key (the processing decides whether a repeat is a second parcel)", () => {
    let n = 0
    const nonce = () => `n${++n}`
    const first = despatchDedupeKey(undated(), nonce)
    const second = despatchDedupeKey(undated(), nonce)
    expect(first).toMatch(/^shipment:sha256:[0-9a-f]{64}:n1$/)
    expect(second).not.toBe(first)
    expect(second.slice(0, -3)).toBe(first.slice(0, -3))
    expect([isRepeatableDespatchKey(first), isRepeatableDespatchKey(second)]).toEqual([true, true])
  })

  it("tells different dated despatches apart", () => {
    const key = despatchDedupeKey(base())
    const other = (change: Partial<DespatchNotification>): string => despatchDedupeKey({ ...base(), ...change })
    expect(other({ orderIncrementId: "000000124" })).not.toBe(key)
    expect(other({ lines: [{ index: 0, sku: "00123", qty: 1 }] })).not.toBe(key)
    expect(other({ trackingNumbers: ["TT3"] })).not.toBe(key)
    expect(other({ dateShipped: "2014-04-26T09:30:08.000Z" })).not.toBe(key)
    expect(other({ source: "SITE2" })).not.toBe(key)
  })

  it("names a polled despatch by OrderFlow's shipment reference", () => {
    expect(polledDespatchKey("831")).toBe("shipment:ref:831")
    expect(isPolledDespatchKey(polledDespatchKey("831"))).toBe(true)
    expect(isPolledDespatchKey(despatchDedupeKey(base()))).toBe(false)
  })
})
