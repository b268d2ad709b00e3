import { parseXml } from "../../xml/safe-xml"
import { M1Fault, m1FaultResponse, m1Response, parseM1Request } from "../m1-face"
import { M1_OPERATIONS, m1OperationByName } from "../m1-services"
import { buildM1Wsdl } from "../m1-wsdl"

// The literal RPC/encoded requests of ORDERFLOW-SOAP.md §2.4 (S000's shape).
const envelope = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:Magento"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/"
    SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">
  <SOAP-ENV:Body>${inner}</SOAP-ENV:Body>
</SOAP-ENV:Envelope>`
const SESSION = "4b0c6f2e9d1a8b7c3e5f60718293a4b5"
const INVENTORY = `<ns1:orderflowInventoryMultiUpdate>
      <sessionId xsi:type="xsd:string">${SESSION}</sessionId>
      <skusQty SOAP-ENC:arrayType="ns1:skuQty[1]" xsi:type="ns1:skuQtyArray">
        <item xsi:type="ns1:skuQty"><key xsi:type="xsd:string">hdd000</key><value xsi:type="xsd:int">0</value></item>
      </skusQty>
      <skusSeqId SOAP-ENC:arrayType="ns1:skuSeq[1]" xsi:type="ns1:skuSeqArray">
        <item xsi:type="ns1:skuSeq">
          <key xsi:type="xsd:string">hdd000</key>
          <value xsi:type="xsd:int">10</value>
          <lastOrderExported xsi:type="xsd:dateTime">2016-06-03T08:08:36</lastOrderExported>
        </item>
      </skusSeqId>
      <messageSeqId xsi:type="xsd:int">4</messageSeqId>
    </ns1:orderflowInventoryMultiUpdate>`
const SHIPMENT = `<ns1:orderflowShipmentCreate>
      <sessionId xsi:type="xsd:string">${SESSION}</sessionId>
      <orderIncrementId xsi:type="xsd:string">100000123</orderIncrementId>
      <skuQty SOAP-ENC:arrayType="ns1:skuQty[2]" xsi:type="ns1:skuQtyArray">
        <item xsi:type="ns1:skuQty"><key xsi:type="xsd:string">hdd000</key><value xsi:type="xsd:int">1</value></item>
        <item xsi:type="ns1:skuQty"><key xsi:type="xsd:string">cab010</key><value xsi:type="xsd:int">2</value></item>
      </skuQty>
      <comment xsi:type="xsd:string">Shipment Created</comment>
      <email xsi:type="xsd:int">1</email>
      <includeComment xsi:type="xsd:int">0</includeComment>
      <courierName xsi:type="xsd:string">Royal Mail</courierName>
      <serviceName xsi:type="xsd:string">Tracked 24</serviceName>
      <trackingNumber xsi:type="xsd:string">TT222211069GB</trackingNumber>
      <dateShipped xsi:type="xsd:date">2017-03-22 15:25:16</dateShipped>
      <messageSeqId xsi:type="xsd:long">98765</messageSeqId>
    </ns1:orderflowShipmentCreate>`

const faultOf = (f: () => unknown): M1Fault => {
  try {
    f()
  } catch (e) {
    if (e instanceof M1Fault) return e
    throw e
  }
  throw new Error("no fault")
}

describe("Magento 1 SOAP face", () => {
  it("reads login and endSession", () => {
    expect(parseM1Request(envelope(`<ns1:login><username xsi:type="xsd:string">orderflow</username><apiKey xsi:type="xsd:string">api-key-here</apiKey></ns1:login>`))).toMatchObject({
      kind: "login",
      username: "orderflow",
      apiKey: "api-key-here",
    })
    expect(parseM1Request(envelope(`<ns1:endSession><sessionId xsi:type="xsd:string">${SESSION}</sessionId></ns1:endSession>`))).toMatchObject({ kind: "endSession", sessionId: SESSION })
  })

  it("reads the inventory multi-update with lastOrderExported inside the sequence item", () => {
    const call = parseM1Request(envelope(INVENTORY))
    if (call.kind !== "inventory") throw new Error(call.kind)
    expect(call.sessionId).toBe(SESSION)
    expect(call.update.messageSeqId).toBe(4)
    expect(call.update.lines.map((l) => [l.sku, l.qty, l.seq, l.lastOrderExported])).toEqual([["hdd000", 0, 10, "2016-06-03T08:08:36.000Z"]])
  })

  it("reads the shipment create: one tracking number, email as 1/0, the ship date", () => {
    const call = parseM1Request(envelope(SHIPMENT))
    if (call.kind !== "shipment") throw new Error(call.kind)
    expect(call.notification).toMatchObject({
      orderIncrementId: "100000123",
      lines: [
        { sku: "hdd000", qty: 1 },
        { sku: "cab010", qty: 2 },
      ],
      trackingNumbers: ["TT222211069GB"],
      email: true,
      includeComment: false,
      courierName: "Royal Mail",
      dateShipped: "2017-03-22T15:25:16.000Z",
      messageSeqId: 98765,
    })
  })

  it("resolves Axis-style href/multiRef references", () => {
    const axis = envelope(
      `<ns1:orderflowInventoryMultiUpdate><sessionId>${SESSION}</sessionId><skusQty href="#id0"/><skusSeqId href="#id1"/><messageSeqId>5</messageSeqId></ns1:orderflowInventoryMultiUpdate>` +
        `<multiRef id="id0"><item href="#id2"/></multiRef><multiRef id="id1"><item><key>A</key><value>3</value></item></multiRef><multiRef id="id2"><key>A</key><value>7</value></multiRef>`
    )
    const call = parseM1Request(axis)
    if (call.kind !== "inventory") throw new Error(call.kind)
    expect(call.update.lines.map((l) => [l.sku, l.qty, l.seq])).toEqual([["A", 7, 3]])
  })

  it("faults with Magento 1's codes: 6 for a login without key, 3 for an unknown operation, 1 with the reason for a bad value or malformed XML", () => {
    expect(faultOf(() => parseM1Request(envelope(`<ns1:login><username>orderflow</username><apiKey></apiKey></ns1:login>`)))).toMatchObject({ code: 6 })
    expect(faultOf(() => parseM1Request(envelope(`<ns1:catalogProductList/>`)))).toMatchObject({ code: 3, message: "Invalid api path." })
    const bad = faultOf(() => parseM1Request(envelope(INVENTORY.replace('<value xsi:type="xsd:int">0</value>', "<value>none</value>"))))
    expect(bad.code).toBe(1)
    expect(bad.message).toContain("productQtys[0].qty")
    expect(faultOf(() => parseM1Request("<SOAP-ENV:Envelope")).code).toBe(1)
    expect(faultOf(() => parseM1Request(`<!DOCTYPE x [<!ENTITY e "x">]>${envelope(INVENTORY)}`)).code).toBe(1)
  })

  it("answers as PHP's SoapServer: RPC/encoded result with its xsi:type; faults with a bare numeric faultcode and HTTP 500", () => {
    const ok = m1Response(m1OperationByName("orderflowInventoryMultiUpdate")!, "Success - Message 4 Received")
    expect([ok.status, ok.contentType]).toEqual([200, "text/xml; charset=UTF-8"])
    expect(ok.body).toContain('<result xsi:type="xsd:string">Success - Message 4 Received</result>')
    expect((parseXml(ok.body) as any).Envelope.Body.orderflowInventoryMultiUpdateResponse.result["#text"]).toBe("Success - Message 4 Received")
    expect(m1Response(m1OperationByName("endSession")!, true).body).toContain('<endSessionReturn xsi:type="xsd:boolean">true</endSessionReturn>')
    const fault = m1FaultResponse(new M1Fault(5, "Session expired. Try to relogin."))
    expect(fault.status).toBe(500)
    const parsed = (parseXml(fault.body) as any).Envelope.Body.Fault
    expect([parsed.faultcode, parsed.faultstring]).toEqual(["5", "Session expired. Try to relogin."])
  })

  it("builds a WSDL that is XML, RPC/encoded, and names every operation with its parts", () => {
    const wsdl = parseXml(buildM1Wsdl("https://shop.example/orderflow/api/v2_soap/index/"), {
      isArray: (path) => ["message", "part", "operation"].includes(path[path.length - 1]),
    }) as any
    expect(wsdl.definitions["@_targetNamespace"]).toBe("urn:Magento")
    expect(wsdl.definitions.portType.operation.map((o: any) => o["@_name"])).toEqual(M1_OPERATIONS.map((o) => o.name))
    const request = wsdl.definitions.message.find((m: any) => m["@_name"] === "orderflowInventoryMultiUpdateRequest")
    expect(request.part.map((p: any) => [p["@_name"], p["@_type"]])).toEqual([
      ["sessionId", "xsd:string"],
      ["skusQty", "typens:skuQtyArray"],
      ["skusSeqId", "typens:skuSeqArray"],
      ["messageSeqId", "xsd:long"],
    ])
    expect(wsdl.definitions.binding.binding["@_style"]).toBe("rpc")
    expect(wsdl.definitions.service.port.address["@_location"]).toBe("https://shop.example/orderflow/api/v2_soap/index/")
  })
})
