import { readFixture } from "../../__tests__/fixture"
import { parseXml } from "../../xml/safe-xml"
import { acknowledgementText, buildAcknowledgement, buildInboundError, SOAP_UPDATE_RESPONSE } from "../acknowledgement"

describe("buildAcknowledgement", () => {
  it("answers JSON requests with a JSON string", () => {
    const reply = buildAcknowledgement(71, "json")
    expect(reply).toEqual({ contentType: "application/json; charset=utf-8", body: '"Success - Message 71 Received"' })
    expect(JSON.parse(reply.body)).toBe("Success - Message 71 Received")
  })

  it("answers XML requests with a <response> element", () => {
    expect(buildAcknowledgement(71, "xml")).toEqual({
      contentType: "application/xml; charset=utf-8",
      body: '<?xml version="1.0" encoding="UTF-8"?><response>Success - Message 71 Received</response>',
    })
  })

  it("answers SOAP requests with an UpdateResponse holding the result in a SOAP envelope, as in seed 000; a despatch with the CreateResponse", () => {
    const reply = buildAcknowledgement(71, "soap")
    expect(reply.contentType).toBe("text/xml; charset=utf-8")
    expect(reply.body).toContain('<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">')
    expect(reply.body).toContain('xmlns:ns1="urn:medusa-plugin-orderflow"')
    // Namespace declarations are dropped by the reader; the structure and text remain.
    expect(parseXml(reply.body)).toEqual({
      Envelope: { Body: { realtimeDespatchOrderFlowInventoryRequestManagementV1UpdateResponse: { result: "Success - Message 71 Received" } } },
    })
    expect(parseXml(buildAcknowledgement(98765, "soap", "shipment").body)).toEqual({
      Envelope: { Body: { realtimeDespatchOrderFlowShipmentRequestManagementV1CreateResponse: { result: "Success - Message 98765 Received" } } },
    })
  })

  it("uses the text and element name of the Magento extension's response printed in seed 000", () => {
    const published = readFixture("seed-000-single-stock-push-response-as-published.txt")
    expect(published).toContain(`<ns1:${SOAP_UPDATE_RESPONSE} `)
    expect(published).toContain(acknowledgementText(71))
  })

  it("acknowledges a message without messageSeqId", () => {
    expect(buildAcknowledgement(null, "json").body).toBe('"Success - Message Received"')
  })
})

describe("buildInboundError", () => {
  const hostile = `productQtys[0].sku must not be empty <script> & "quotes"`

  it("escapes the message for JSON", () => {
    const reply = buildInboundError(hostile, "json")
    expect(reply.contentType).toBe("application/json; charset=utf-8")
    expect(JSON.parse(reply.body)).toEqual({ message: hostile })
  })

  it("escapes the message for XML", () => {
    const reply = buildInboundError(hostile, "xml")
    expect(reply.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><error><message>productQtys[0].sku must not be empty &lt;script&gt; &amp; "quotes"</message></error>'
    )
    expect(parseXml(reply.body)).toEqual({ error: { message: hostile } })
  })

  it("answers SOAP requests with a client Fault", () => {
    const doc = parseXml(buildInboundError(hostile, "soap").body)
    expect(doc).toMatchObject({ Envelope: { Body: { Fault: { faultcode: "SOAP-ENV:Client", faultstring: hostile } } } })
  })
})
