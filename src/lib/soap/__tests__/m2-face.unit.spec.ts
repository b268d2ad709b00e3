import { parseXml } from "../../xml/safe-xml"
import { M2Fault, m2FaultResponse, m2Response, parseM2Request, soapVersionOf } from "../m2-face"
import { M2_SERVICES, m2EndpointUrl, m2ServiceByName, parseServicesParam, requestElementOf } from "../m2-services"
import { buildM2Wsdl } from "../m2-wsdl"

// The literal requests of ORDERFLOW-SOAP.md §1.8 (SOAP 1.1, as OrderFlow's Magento 2 connector is inferred to send).
const BASE = "https://shop.example.com/orderflow/soap/default"
const INVENTORY = "realtimeDespatchOrderFlowInventoryRequestManagementV1"
const SHIPMENT = "realtimeDespatchOrderFlowShipmentRequestManagementV1"
const TOKEN = "integrationAdminTokenServiceV1"
const envelope11 = (service: string, inner: string) => `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="${BASE}?services=${service}">
  <SOAP-ENV:Body>${inner}</SOAP-ENV:Body>
</SOAP-ENV:Envelope>`
const envelope12 = (service: string, inner: string) =>
  `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ns1="${BASE}?services=${service}"><env:Body>${inner}</env:Body></env:Envelope>`

const INVENTORY_CALL = `<ns1:realtimeDespatchOrderFlowInventoryRequestManagementV1UpdateRequest>
      <productQtys>
        <item><sku>24-MB01</sku><qty>90</qty><source>default</source></item>
        <item><sku>24-MB02</sku><qty>0</qty></item>
      </productQtys>
      <productSeqs>
        <item><sku>24-MB01</sku><seq>123456</seq><lastOrderExported>2024-05-01 10:00:00</lastOrderExported></item>
        <item><sku>24-MB02</sku><seq>123457</seq><lastOrderExported>2024-05-01 10:00:00</lastOrderExported></item>
      </productSeqs>
      <messageSeqId>71</messageSeqId>
    </ns1:realtimeDespatchOrderFlowInventoryRequestManagementV1UpdateRequest>`
const SHIPMENT_CALL = `<ns1:realtimeDespatchOrderFlowShipmentRequestManagementV1CreateRequest>
      <orderIncrementId>000000123</orderIncrementId>
      <skuQty><item><sku>24-MB01</sku><qty>1</qty><source>default</source></item></skuQty>
      <tracks>
        <item><trackingNumber>TT222211069GB</trackingNumber></item>
        <item><trackingNumber>TT222211070GB</trackingNumber><courierName>per-track (PR #18)</courierName></item>
      </tracks>
      <comment>Shipment Created</comment>
      <email>1</email>
      <includeComment>0</includeComment>
      <courierName>Royal Mail</courierName>
      <serviceName>Tracked 24</serviceName>
      <trackingNumber>TT222211069GB</trackingNumber>
      <dateShipped>2017-03-22 15:25:16</dateShipped>
      <messageSeqId>98765</messageSeqId>
    </ns1:realtimeDespatchOrderFlowShipmentRequestManagementV1CreateRequest>`

const services = (...names: string[]) => names.map((n) => m2ServiceByName(n)!)
const faultOf = (f: () => unknown): M2Fault => {
  try {
    f()
  } catch (e) {
    if (e instanceof M2Fault) return e
    throw e
  }
  throw new Error("no fault")
}

describe("Magento 2 SOAP face: requests", () => {
  it("reads the inventory update of the connector: quantities paired with sequences by SKU, lastOrderExported kept", () => {
    const call = parseM2Request(envelope11(INVENTORY, INVENTORY_CALL), { contentType: "text/xml; charset=utf-8", services: services(INVENTORY) })
    expect(call.kind).toBe("inventory")
    if (call.kind !== "inventory") return
    expect(call.version).toBe("1.1")
    expect(call.update.messageSeqId).toBe(71)
    expect(call.update.lines.map((l) => [l.sku, l.qty, l.seq, l.source, l.lastOrderExported])).toEqual([
      ["24-MB01", 90, 123456, "default", "2024-05-01T10:00:00.000Z"],
      ["24-MB02", 0, 123457, null, "2024-05-01T10:00:00.000Z"],
    ])
  })

  it("gives one sequence entry to every quantity of its SKU (several MSI sources), the last entry of a SKU winning", () => {
    const call = parseM2Request(
      envelope11(
        INVENTORY,
        `<ns1:realtimeDespatchOrderFlowInventoryRequestManagementV1UpdateRequest><productQtys><item><sku>A</sku><qty>5</qty><source>north</source></item><item><sku>A</sku><qty>7</qty><source>south</source></item></productQtys><productSeqs><item><sku>A</sku><seq>1</seq></item><item><sku>A</sku><seq>9</seq></item></productSeqs><messageSeqId>3</messageSeqId></ns1:realtimeDespatchOrderFlowInventoryRequestManagementV1UpdateRequest>`
      ),
      { contentType: "text/xml", services: services(INVENTORY) }
    )
    if (call.kind !== "inventory") throw new Error(call.kind)
    expect(call.update.lines.map((l) => [l.source, l.qty, l.seq])).toEqual([
      ["north", 5, 9],
      ["south", 7, 9],
    ])
  })

  it("reads the shipment create of the connector in SOAP 1.2 too: tracks merged with trackingNumber, email 1 / includeComment 0, the lines' source as the site", () => {
    const call = parseM2Request(envelope12(SHIPMENT, SHIPMENT_CALL), { contentType: "application/soap+xml; charset=utf-8", services: services(SHIPMENT) })
    if (call.kind !== "shipment") throw new Error(call.kind)
    expect(call.version).toBe("1.2")
    expect(call.notification).toMatchObject({
      orderIncrementId: "000000123",
      lines: [{ sku: "24-MB01", qty: 1 }],
      trackingNumbers: ["TT222211069GB", "TT222211070GB"],
      courierName: "Royal Mail",
      serviceName: "Tracked 24",
      comment: "Shipment Created",
      email: true,
      includeComment: false,
      dateShipped: "2017-03-22T15:25:16.000Z",
      messageSeqId: 98765,
      source: "default",
    })
  })

  it("reads the token call's username and password", () => {
    const body = envelope11(TOKEN, `<ns1:integrationAdminTokenServiceV1CreateAdminAccessTokenRequest><username>orderflow</username><password>s3cret-pass</password></ns1:integrationAdminTokenServiceV1CreateAdminAccessTokenRequest>`)
    expect(parseM2Request(body, { contentType: "text/xml", services: services(TOKEN) })).toMatchObject({ kind: "token", username: "orderflow", password: "s3cret-pass" })
  })

  it("faults like Magento: a missing required parameter names it, an unknown operation, a service not listed, malformed XML, a DOCTYPE, a bad value", () => {
    const noSeq = INVENTORY_CALL.replace("<messageSeqId>71</messageSeqId>", "")
    const missing = faultOf(() => parseM2Request(envelope11(INVENTORY, noSeq), { contentType: "text/xml", services: services(INVENTORY) }))
    expect([missing.message, missing.parameters, missing.text]).toEqual(['"%fieldName" is required. Enter and try again.', { fieldName: "messageSeqId" }, '"messageSeqId" is required. Enter and try again.'])
    expect(faultOf(() => parseM2Request(envelope11(INVENTORY, "<ns1:catalogProductRepositoryV1GetRequest/>"), { contentType: "text/xml", services: services(INVENTORY) })).text).toBe(
      'Function ("catalogProductRepositoryV1Get") is not a valid method for this service.'
    )
    expect(faultOf(() => parseM2Request(envelope11(INVENTORY, INVENTORY_CALL), { contentType: "text/xml", services: services(SHIPMENT) })).text).toBe(
      `Requested service is not available: "${INVENTORY}"`
    )
    expect(faultOf(() => parseM2Request("<SOAP-ENV:Envelope", { contentType: "text/xml", services: services(INVENTORY) })).text).toBe("Invalid XML")
    expect(faultOf(() => parseM2Request("", { contentType: "text/xml", services: services(INVENTORY) })).text).toBe("Invalid XML")
    const doctype = `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${envelope11(INVENTORY, INVENTORY_CALL)}`
    expect(faultOf(() => parseM2Request(doctype, { contentType: "text/xml", services: services(INVENTORY) })).text).toBe("Invalid XML: Detected use of illegal DOCTYPE")
    const badQty = faultOf(() => parseM2Request(envelope11(INVENTORY, INVENTORY_CALL.replace("<qty>90</qty>", "<qty>ninety</qty>")), { contentType: "text/xml", services: services(INVENTORY) }))
    expect(badQty.text).toContain("productQtys[0].qty")
    expect(faultOf(() => parseM2Request("<a/>", { contentType: "text/xml", services: services(INVENTORY) })).text).toBe("Invalid XML: the body is not a SOAP Envelope")
  })

  it("tells SOAP 1.2 from 1.1 by media type or envelope namespace", () => {
    expect(soapVersionOf("<x/>", "application/soap+xml")).toBe("1.2")
    expect(soapVersionOf(envelope12(TOKEN, ""), "text/xml")).toBe("1.2")
    expect(soapVersionOf(envelope11(TOKEN, ""), "text/xml")).toBe("1.1")
  })
})

describe("Magento 2 SOAP face: answers and WSDL", () => {
  const endpoint = m2EndpointUrl(BASE, services(INVENTORY))

  it("answers in the caller's version with the operation's response element and an unqualified result", () => {
    const [inventory] = services(INVENTORY)
    const r11 = m2Response("1.1", inventory, endpoint, "Success - Message 71 Received")
    expect(r11.contentType).toBe("text/xml; charset=utf-8")
    const doc11 = parseXml(r11.body) as any
    expect(doc11.Envelope.Body.realtimeDespatchOrderFlowInventoryRequestManagementV1UpdateResponse.result).toBe("Success - Message 71 Received")
    expect(r11.body).toContain('xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"')
    expect(r11.body).toContain(`xmlns:ns1="${BASE}?services=${INVENTORY}"`)
    const r12 = m2Response("1.2", inventory, endpoint, "Success - Message 71 Received")
    expect([r12.status, r12.contentType]).toEqual([200, "application/soap+xml; charset=utf-8"])
    expect(r12.body).toContain('xmlns:env="http://www.w3.org/2003/05/soap-envelope"')
  })

  it("faults as Magento does: SOAP 1.2, HTTP 200, env:Sender, raw text with placeholders and a GenericFault naming them", () => {
    const r = m2FaultResponse(new M2Fault('"%fieldName" is required. Enter and try again.', { fieldName: "messageSeqId" }), endpoint)
    expect([r.status, r.contentType]).toEqual([200, "application/soap+xml; charset=utf-8"])
    const doc = parseXml(r.body) as any
    const fault = doc.Envelope.Body.Fault
    expect(fault.Code.Value).toBe("env:Sender")
    expect(fault.Reason.Text["#text"] ?? fault.Reason.Text).toBe('"%fieldName" is required. Enter and try again.')
    expect(fault.Detail.GenericFault.Parameters.GenericFaultParameter).toEqual({ key: "fieldName", value: "messageSeqId" })
    expect(r.body).toContain(`xmlns:m="${encodeURIComponent(`${endpoint}&wsdl=1`)}"`)
    const internal = m2FaultResponse(new M2Fault("Internal Error. Details are available in Magento log file. Report ID: webapi-1", {}, true), endpoint)
    expect((parseXml(internal.body) as any).Envelope.Body.Fault.Code.Value).toBe("env:Receiver")
    expect(internal.body).not.toContain("env:Detail")
  })

  it("builds a WSDL that is XML, names each listed service's operation, request and response elements, and types arrays as ArrayOf item", () => {
    const listed = services(INVENTORY, SHIPMENT, TOKEN)
    const url = m2EndpointUrl(BASE, listed)
    expect(url).toBe(`${BASE}?services=${INVENTORY}%2C${SHIPMENT}%2C${TOKEN}`)
    const wsdl = buildM2Wsdl(listed, url)
    const doc = parseXml(wsdl, { isArray: (path) => ["operation", "element", "complexType", "message", "portType", "binding", "service"].includes(path[path.length - 1]) }) as any
    expect(doc.definitions["@_targetNamespace"]).toBe(url)
    const operations = doc.definitions.portType.flatMap((p: any) => p.operation.map((o: any) => o["@_name"]))
    expect(operations).toEqual(M2_SERVICES.map((s) => s.operation))
    const elements = doc.definitions.types.schema.element.map((e: any) => e["@_name"])
    for (const s of listed) expect(elements).toEqual(expect.arrayContaining([requestElementOf(s), `${s.operation}Response`]))
    const types = Object.fromEntries(doc.definitions.types.schema.complexType.map((t: any) => [t["@_name"], t]))
    const request = types.RealtimeDespatchOrderFlowInventoryRequestManagementV1UpdateRequest.sequence.element
    expect(request.map((e: any) => [e["@_name"], e["@_type"], e["@_minOccurs"]])).toEqual([
      ["productQtys", "tns:ArrayOfRealtimeDespatchOrderFlowDataQuantityItemInterface", "1"],
      ["productSeqs", "tns:ArrayOfRealtimeDespatchOrderFlowDataSequenceItemInterface", "1"],
      ["messageSeqId", "xsd:int", "1"],
    ])
    expect(types.ArrayOfRealtimeDespatchOrderFlowDataQuantityItemInterface.sequence.element[0]).toMatchObject({ "@_name": "item", "@_maxOccurs": "unbounded" })
    expect(doc.definitions.binding[0].binding[0]["@_style"]).toBe("document")
  })

  it("reads ?services= as Magento does, naming the unknown ones", () => {
    const { services: known, unknown } = parseServicesParam(`${INVENTORY},catalogProductRepositoryV1`)
    expect([known.map((s) => s.service), unknown]).toEqual([[INVENTORY], ["catalogProductRepositoryV1"]])
  })
})
