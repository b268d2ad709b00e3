import { describeValue, parseOrderflowDateTime } from "../fields"
import { formatPath, inboundFormatOf } from "../inbound-body"

describe("parseOrderflowDateTime", () => {
  it.each([
    ["2024-03-01 10:15:00", "2024-03-01T10:15:00.000Z"],
    ["2014-08-02 12:31:35.784", "2014-08-02T12:31:35.784Z"],
    ["2024-03-01T10:15:00Z", "2024-03-01T10:15:00.000Z"],
    ["2024-03-01T10:15:00.5Z", "2024-03-01T10:15:00.500Z"],
    ["2024-03-01T10:15:00+01:00", "2024-03-01T09:15:00.000Z"],
    ["2024-03-01T00:15:00-0230", "2024-03-01T02:45:00.000Z"],
    ["2024-03-01T10:15", "2024-03-01T10:15:00.000Z"],
    ["2024-03-01", "2024-03-01T00:00:00.000Z"],
    ["2024-02-29 23:59:59", "2024-02-29T23:59:59.000Z"],
    [" 2024-03-01 10:15:00 ", "2024-03-01T10:15:00.000Z"],
  ])("reads %p as %p", (text, iso) => {
    expect(parseOrderflowDateTime(text)).toBe(iso)
  })

  it.each(["2023-02-29 00:00:00", "2024-13-01", "2024-04-31", "2024-03-01 24:00:00", "2024-03-01 10:60:00", "01/03/2024", "2024-03-01T10:15:00+25:00", "", "0099-01-01", "now"])(
    "refuses %p",
    (text) => {
      expect(parseOrderflowDateTime(text)).toBeNull()
    }
  )
})

describe("inboundFormatOf", () => {
  it.each([
    ["application/json", "json"],
    ["Application/JSON; charset=UTF-8", "json"],
    ["application/vnd.api+json", "json"],
    ["application/xml", "xml"],
    ["text/xml;charset=utf-8", "xml"],
    ["application/soap+xml; charset=utf-8; action=x", "xml"],
    ["text/plain", null],
    ["application/jsonp", null],
    ["xml", null],
    [undefined, null],
  ])("maps %p to %p", (contentType, format) => {
    expect(inboundFormatOf(contentType)).toBe(format)
  })
})

describe("message helpers", () => {
  it("formats paths and values as the error messages show them", () => {
    expect(formatPath(["productQtys", 3, "qty"])).toBe("productQtys[3].qty")
    expect(formatPath([])).toBe("")
    expect([describeValue("1.5"), describeValue(1.5), describeValue(null), describeValue([]), describeValue({})]).toEqual([
      '"1.5"',
      "1.5",
      "null",
      "a list",
      "an object",
    ])
    expect(describeValue("x".repeat(100))).toBe(JSON.stringify(`${"x".repeat(60)}…`))
  })
})

describe("text that PostgreSQL cannot store", () => {
  const { referenceCheck, textCheck } = jest.requireActual("../fields")
  it("drops NUL and other control characters from free text, keeping tabs and line breaks", () => {
    expect(textCheck(100)("a\u0000b\u0007c\td\ne\r")).toEqual({ ok: true, value: "abc\td\ne\r" })
  })
  it("replaces a broken surrogate in free text and refuses one in a reference", () => {
    expect(textCheck(100)("x\uD800y")).toEqual({ ok: true, value: "x\uFFFDy" })
    expect(textCheck(100)("ok 😀")).toEqual({ ok: true, value: "ok 😀" })
    expect(referenceCheck()("SKU\uDC00")).toMatchObject({ ok: false })
    expect(referenceCheck()("SKU-😀")).toMatchObject({ ok: true, value: "SKU-😀" })
  })
})
