import { InboundValidationError } from "../../errors"
import { soapPushIn, wrongRoute } from "../soap-push"

// A connector's SOAP push posted to the plain REST routes is read as its face reads it.
const m2 = (inner: string) =>
  `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:x"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`
const M2_STOCK = m2(
  `<ns1:realtimeDespatchOrderFlowInventoryRequestManagementV1UpdateRequest><productQtys><item><sku>A</sku><qty>3</qty></item></productQtys>` +
    `<productSeqs><item><sku>A</sku><seq>9</seq><lastOrderExported>2026-07-01 12:00:00</lastOrderExported></item></productSeqs><messageSeqId>5</messageSeqId></ns1:realtimeDespatchOrderFlowInventoryRequestManagementV1UpdateRequest>`
)
const M1_DESPATCH = m2(
  `<ns1:orderflowShipmentCreate><sessionId>ignored</sessionId><orderIncrementId>1001</orderIncrementId><skuQty><item><key>A</key><value>2</value></item></skuQty>` +
    `<trackingNumber>T1</trackingNumber><messageSeqId>7</messageSeqId></ns1:orderflowShipmentCreate>`
)

describe("soapPushIn", () => {
  it("reads a Magento 2 stock update, lastOrderExported in OrderFlow's time zone", () => {
    const push = soapPushIn(M2_STOCK, "text/xml", { timeZone: "Europe/London" })
    expect(push).toMatchObject({ kind: "inventory", update: { messageSeqId: 5, lines: [{ sku: "A", qty: 3, seq: 9, lastOrderExported: "2026-07-01T11:00:00.000Z" }] } })
  })

  it("reads a Magento 1 despatch, ignoring its session id", () => {
    expect(soapPushIn(M1_DESPATCH, "text/xml")).toMatchObject({ kind: "shipment", notification: { orderIncrementId: "1001", lines: [{ sku: "A", qty: 2 }], trackingNumbers: ["T1"], messageSeqId: 7 } })
  })

  it("leaves JSON, plain XML and the guide's older stock envelope to the route's own parser", () => {
    expect(soapPushIn('{"messageSeqId":1}', "application/json")).toBeNull()
    expect(soapPushIn("<inventoryUpdate/>", "application/xml")).toBeNull()
    expect(soapPushIn(m2("<ns1:orderflowInventoryUpdate/>"), "text/xml")).toBeNull()
    expect(soapPushIn("<Envelope", "text/xml")).toBeNull()
  })

  it("refuses with the face's text as a 400, and names the right route for a message posted to the other", () => {
    let err: unknown
    try {
      soapPushIn(M2_STOCK.replace("<messageSeqId>5</messageSeqId>", ""), "text/xml")
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InboundValidationError)
    expect((err as InboundValidationError).message).toBe('"messageSeqId" is required. Enter and try again.')
    expect(wrongRoute(soapPushIn(M1_DESPATCH, "text/xml")!, "inventory").message).toBe("this SOAP message is a despatch: post it to /orderflow/shipment, not /orderflow/inventory")
  })
})
