import { readFixture } from "../../__tests__/fixture"
import { OrderflowApiError, OrderflowHttpError, OrderflowResponseError } from "../../errors"
import { interpretImportReply, parseImportResult } from "../import-result"

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error("expected an error")
}

describe("parseImportResult", () => {
  it("reads the seed 002 success example", () => {
    const result = parseImportResult(readFixture("seed-002-import-result-success.xml"))
    expect(result.failures).toEqual([])
    expect(result.duplicates).toEqual([])
    expect(result.successes).toEqual([
      {
        type: "product",
        operation: "insert",
        externalReference: "TEST_fullproduct",
        message: null,
        detail: null,
        queryTime: "2014-08-02 12:20:33.575",
      },
      {
        type: "product",
        operation: "insert",
        externalReference: "TEST_min_product",
        message: null,
        detail: null,
        queryTime: "2014-08-02 12:20:33.596",
      },
      {
        type: "product",
        operation: "insert",
        externalReference: "TEST_global_product",
        message: null,
        detail: null,
        queryTime: "2014-08-02 12:20:33.617",
      },
    ])
  })

  it("reads the seed 002 failure and duplicates example, collapsing wrapped lines and decoding &apos;", () => {
    const result = parseImportResult(readFixture("seed-002-import-result-failure-duplicate.xml"))
    expect(result.successes).toEqual([])
    expect(result.failures).toEqual([
      {
        type: "product",
        operation: "insert",
        externalReference: "TEST_fullprosduct",
        message: "Unable to find any entity associated with identifier: ref:channel:missing_channel",
        detail:
          "Unable to find any entity associated with identifier: ref:channel:missing_channel (rtd.exceptions.ImportMissingDataException) ...",
        queryTime: "2014-08-02 12:31:35.582",
      },
    ])
    expect(result.duplicates).toEqual([
      {
        type: "product",
        operation: "insert",
        externalReference: "TEST_min_product",
        message: "An instance of product with reference 'TEST_min_product' is already present in the database.",
        detail:
          "An instance of product with reference 'TEST_min_product' is already present in the database. (rtd.exceptions.ValidationErrorException) ...",
        queryTime: "2014-08-02 12:31:35.717",
      },
      {
        type: "product",
        operation: "insert",
        externalReference: "TEST_global_product",
        message: "An instance of product with reference 'TEST_global_product' is already present in the database.",
        detail:
          "An instance of product with reference 'TEST_global_product' is already present in the database. (rtd.exceptions.ValidationErrorException) ...",
        queryTime: "2014-08-02 12:31:35.784",
      },
    ])
  })

  it("accepts empty, self-closing and absent sections", () => {
    expect(parseImportResult("<importResult/>")).toEqual({ successes: [], failures: [], duplicates: [] })
    expect(
      parseImportResult(
        `<?xml version="1.0"?><importResult><importSuccesses/><importFailures></importFailures>` +
          `<importDuplicates><import type="order" operation="insert" externalReference="1001"/></importDuplicates></importResult>`
      )
    ).toEqual({
      successes: [],
      failures: [],
      duplicates: [
        { type: "order", operation: "insert", externalReference: "1001", message: null, detail: null, queryTime: null },
      ],
    })
  })

  it("keeps a SKU-like reference exactly and an import without reference as empty", () => {
    const result = parseImportResult(
      `<importResult><importSuccesses><import type="product" operation="merge" externalReference="00123"/><import type="asn" operation="insert"/></importSuccesses></importResult>`
    )
    expect(result.successes.map((s) => s.externalReference)).toEqual(["00123", ""])
  })

  it("throws OrderflowApiError for an <error> document", () => {
    const err = thrown(() => parseImportResult(readFixture("seed-002-cancel-error.xml")))
    expect(err).toBeInstanceOf(OrderflowApiError)
    expect((err as OrderflowApiError).error).toEqual({
      message: "Unable to find order for reference 'duff'.",
      exception: "rtd.exceptions.MissingDataException",
      detail: "... error detail below",
    })
  })

  it.each([
    ["an HTML error page", "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>", /not an <importResult> document \(root <html>\): "<html><head><title>502 Bad Gateway/],
    ["an HTML page that is not XML", "<html><body>Bad gateway<br></body></html>", /not usable XML .*"<html><body>Bad gateway<br>/],
    ["truncated XML", "<importResult><importSuccesses><import type=", /not usable XML \(XML is not well-formed/],
    ["an empty body", "", /not usable XML .*\(empty body\)/],
    ["another root", "<imports/>", /root <imports>/],
  ])("throws OrderflowResponseError for %s", (_what, body, message) => {
    const err = thrown(() => parseImportResult(body))
    expect(err).toBeInstanceOf(OrderflowResponseError)
    expect((err as OrderflowResponseError).message).toMatch(message)
    expect((err as OrderflowResponseError).retry).toBe("transient")
  })

  it("quotes at most 200 characters of the body", () => {
    const body = `<html>${"x".repeat(1000)}</html>`
    const err = thrown(() => parseImportResult(body)) as OrderflowResponseError
    expect(err.bodyExcerpt).toBe(`${body.slice(0, 200)}…`)
    expect(err.message.length).toBeLessThan(400)
  })
})

describe("interpretImportReply", () => {
  const success = readFixture("seed-002-import-result-success.xml")

  it("returns the result of a 2xx importResult", () => {
    expect(interpretImportReply({ status: 200, body: success }).successes).toHaveLength(3)
  })

  it("throws OrderflowApiError for an <error> document whatever the status", () => {
    for (const status of [200, 500]) {
      const err = thrown(() => interpretImportReply({ status, body: readFixture("seed-002-cancel-error.xml") }))
      expect(err).toBeInstanceOf(OrderflowApiError)
      expect(err).toMatchObject({ status, code: "ORDERFLOW_API_ERROR", retry: "transient" })
    }
  })

  it("treats an <error> with 401 as refused credentials", () => {
    const err = thrown(() => interpretImportReply({ status: 401, body: "<error><message>denied</message></error>" }))
    expect(err).toMatchObject({ code: "ORDERFLOW_UNAUTHORIZED", retry: "permanent" })
  })

  it.each([
    [502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "ORDERFLOW_HTTP_ERROR", "transient"],
    [503, "", "ORDERFLOW_HTTP_ERROR", "transient"],
    [429, "slow down", "ORDERFLOW_HTTP_ERROR", "transient"],
    [408, "", "ORDERFLOW_HTTP_ERROR", "transient"],
    [404, "<html>Not Found</html>", "ORDERFLOW_HTTP_ERROR", "permanent"],
    [400, "bad", "ORDERFLOW_HTTP_ERROR", "permanent"],
    [401, "<html>Unauthorized</html>", "ORDERFLOW_UNAUTHORIZED", "permanent"],
    [403, "", "ORDERFLOW_UNAUTHORIZED", "permanent"],
    [302, "", "ORDERFLOW_HTTP_ERROR", "permanent"],
  ])("throws OrderflowHttpError for HTTP %i", (status, body, code, retry) => {
    const err = thrown(() => interpretImportReply({ status, body }))
    expect(err).toBeInstanceOf(OrderflowHttpError)
    expect(err).toMatchObject({ status, code, retry, bodyExcerpt: body })
    expect((err as Error).message).toContain(`HTTP ${status}`)
  })

  it("throws OrderflowResponseError for a 2xx that is not an importResult", () => {
    expect(thrown(() => interpretImportReply({ status: 200, body: "<html><body>Login</body></html>" }))).toBeInstanceOf(
      OrderflowResponseError
    )
  })
})
