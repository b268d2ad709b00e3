import { readFixture } from "../../__tests__/fixture"
import { OrderflowApiError, OrderflowHttpError } from "../../errors"
import { isMissingDataException, parseErrorDocument } from "../error-document"

describe("parseErrorDocument", () => {
  it("reads the seed 002 cancellation error, decoding &apos; inside CDATA", () => {
    expect(parseErrorDocument(readFixture("seed-002-cancel-error.xml"))).toEqual({
      message: "Unable to find order for reference 'duff'.",
      exception: "rtd.exceptions.MissingDataException",
      detail: "... error detail below",
    })
  })

  it("reads the seed 002 order line cancellation error", () => {
    expect(parseErrorDocument(readFixture("seed-002-order-line-cancel-error.xml"))?.message).toBe(
      "Unable to find order line with product 'duff'."
    )
  })

  it("decodes plain text once and keeps the lines of a detail", () => {
    expect(
      parseErrorDocument(
        "<error><message>Cannot cancel &amp;apos;packed&amp;apos; order</message><detail>line 1\n  at x\n</detail></error>"
      )
    ).toEqual({ message: "Cannot cancel &apos;packed&apos; order", exception: null, detail: "line 1\n  at x" })
  })

  it("copes with an error without message and with a prefixed root", () => {
    expect(parseErrorDocument("<error/>")).toEqual({ message: "(no message)", exception: null, detail: null })
    expect(parseErrorDocument(`<of:error xmlns:of="urn:x"><of:message>m</of:message></of:error>`)?.message).toBe("m")
  })

  it.each([
    ["an importResult", readFixture("seed-002-import-result-success.xml")],
    ["an HTML page", "<html><body>error</body></html>"],
    ["a malformed error", "<error><message>oops</error>"],
    ["an empty body", ""],
    ["an element merely named like error", "<errors><error>1</error></errors>"],
  ])("returns null for %s", (_what, body) => {
    expect(parseErrorDocument(body)).toBeNull()
  })
})

describe("isMissingDataException", () => {
  const apiError = (exception: string | null) => new OrderflowApiError({ message: "m", exception, detail: null }, "cancel")

  it("is true for MissingDataException and its Import variant", () => {
    expect(isMissingDataException(apiError("rtd.exceptions.MissingDataException"))).toBe(true)
    expect(isMissingDataException(apiError("rtd.exceptions.ImportMissingDataException"))).toBe(true)
    expect(isMissingDataException({ message: "m", exception: "rtd.exceptions.MissingDataException", detail: null })).toBe(true)
  })

  it("is false for other exceptions and other errors", () => {
    expect(isMissingDataException(apiError("rtd.exceptions.UnauthorizedDataAccessException"))).toBe(false)
    expect(isMissingDataException(apiError(null))).toBe(false)
    expect(isMissingDataException(new OrderflowHttpError(404, "MissingDataException", "cancel"))).toBe(false)
    expect(isMissingDataException(new Error("MissingDataException"))).toBe(false)
    expect(isMissingDataException(undefined)).toBe(false)
  })
})
