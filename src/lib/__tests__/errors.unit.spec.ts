import {
  classifyError,
  InboundValidationError,
  OrderflowApiError,
  OrderflowConfigError,
  OrderflowError,
  OrderflowHttpError,
  OrderflowResponseError,
  OrderflowTransportError,
  causeKey,
  readableBody,
  XmlParseError,
} from "../errors"

describe("error taxonomy", () => {
  it("gives transport errors their code, a transient class and the cause", () => {
    const cause = new Error("socket hang up")
    const err = new OrderflowTransportError("ORDERFLOW_NETWORK", "POST /x: network error", { cause })
    expect(err).toBeInstanceOf(OrderflowError)
    expect(err).toBeInstanceOf(Error)
    expect(err).toMatchObject({ name: "OrderflowTransportError", code: "ORDERFLOW_NETWORK", retry: "transient", cause })
    expect(new OrderflowTransportError("ORDERFLOW_TIMEOUT", "t").code).toBe("ORDERFLOW_TIMEOUT")
  })

  it.each([
    [500, "ORDERFLOW_HTTP_ERROR", "transient"],
    [503, "ORDERFLOW_HTTP_ERROR", "transient"],
    [429, "ORDERFLOW_HTTP_ERROR", "transient"],
    [408, "ORDERFLOW_HTTP_ERROR", "transient"],
    [400, "ORDERFLOW_HTTP_ERROR", "permanent"],
    [404, "ORDERFLOW_HTTP_ERROR", "permanent"],
    [401, "ORDERFLOW_UNAUTHORIZED", "permanent"],
    [403, "ORDERFLOW_UNAUTHORIZED", "permanent"],
  ])("classifies HTTP %i as %s/%s", (status, code, retry) => {
    const err = new OrderflowHttpError(status, "body", "POST /remotewarehouse/imports/importitems.xml")
    expect(err).toMatchObject({ status, code, retry, bodyExcerpt: "body" })
    expect(err.message).toBe(
      `POST /remotewarehouse/imports/importitems.xml: OrderFlow answered HTTP ${status}${
        code === "ORDERFLOW_UNAUTHORIZED" ? " (check the API username, password, organisation and channel)" : ""
      }: body`
    )
  })

  it("keeps only 200 characters of a body", () => {
    const err = new OrderflowHttpError(502, "y".repeat(5000), "ctx")
    expect(err.bodyExcerpt).toHaveLength(201)
    expect(err.message.length).toBeLessThan(260)
  })

  it("makes response errors transient and API errors transient unless credentials are refused", () => {
    expect(new OrderflowResponseError("bad", "<html/>")).toMatchObject({ code: "ORDERFLOW_BAD_RESPONSE", retry: "transient" })
    const doc = { message: "Unable to find order", exception: "rtd.exceptions.MissingDataException", detail: null }
    const api = new OrderflowApiError(doc, "cancel 1001")
    expect(api).toMatchObject({ code: "ORDERFLOW_API_ERROR", retry: "transient", error: doc, status: null })
    expect(api.exception).toBe("rtd.exceptions.MissingDataException")
    expect(api.message).toBe("cancel 1001: OrderFlow returned an error: Unable to find order (rtd.exceptions.MissingDataException)")
    expect(new OrderflowApiError(doc, "x", { status: 403 })).toMatchObject({ code: "ORDERFLOW_UNAUTHORIZED", retry: "permanent" })
    expect(new OrderflowApiError(doc, "x", { retry: "permanent" }).retry).toBe("permanent")
  })

  it("makes inbound, configuration and XML errors permanent", () => {
    expect(new InboundValidationError(413, "too big")).toMatchObject({ status: 413, code: "INBOUND_TOO_LARGE", retry: "permanent", format: null })
    expect(new InboundValidationError(415, "type", { format: "json" })).toMatchObject({ code: "INBOUND_UNSUPPORTED_MEDIA_TYPE", format: "json" })
    expect(new InboundValidationError(400, "x").code).toBe("INBOUND_INVALID")
    expect(new OrderflowConfigError("no endpoint").retry).toBe("permanent")
    expect(new XmlParseError("XML_NOT_WELL_FORMED", "m", { line: 3 })).toMatchObject({ line: 3, column: null, retry: "permanent" })
  })

  it("classifies unknown errors as transient", () => {
    expect(classifyError(new OrderflowHttpError(404, "", "x"))).toBe("permanent")
    expect(classifyError(new OrderflowHttpError(503, "", "x"))).toBe("transient")
    expect(classifyError(new TypeError("boom"))).toBe("transient")
    expect(classifyError("a string")).toBe("transient")
    expect(classifyError(undefined)).toBe("transient")
  })
})

describe("readableBody", () => {
  it("reduces an HTML error page to its title, or to its text without markup, and leaves other bodies as their excerpt", () => {
    expect(readableBody('<!doctype html><html lang="en"><head><title>HTTP Status 401 – Unauthorized</title><style>body{x}</style></head><body><h1>401</h1></body></html>')).toBe(
      "HTTP Status 401 – Unauthorized (HTML page)"
    )
    expect(readableBody("<html><body><h1>502  Bad\nGateway</h1><script>x()</script></body></html>")).toBe("502 Bad Gateway (HTML page)")
    expect(readableBody("<error><message>no</message></error>")).toBe("<error><message>no</message></error>")
    expect(new OrderflowHttpError(401, "<html><head><title>Unauthorized</title></head></html>", "OrderFlow import").message).toBe(
      "OrderFlow import: OrderFlow answered HTTP 401 (check the API username, password, organisation and channel): Unauthorized (HTML page)"
    )
  })
})

describe("causeKey", () => {
  it("gives messages that differ only in references, quoted values and numbers the same key, and other causes another", () => {
    const a = causeKey("Unable to find any entity associated with identifier: ref:product:HOOD-S")
    expect(causeKey("Unable to find any entity associated with identifier: ref:product:TEE-L")).toBe(a)
    expect(causeKey('order #1042 failed 3 times: "X"')).toBe(causeKey('order #7 failed 12 times: "Y"'))
    expect(causeKey("Unable to find any entity associated with identifier: ref:channel:web")).not.toBe(a)
    expect(causeKey(null)).toBe("failed")
  })
})
