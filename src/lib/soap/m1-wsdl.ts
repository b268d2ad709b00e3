import { escapeXmlAttribute } from "../xml/xml-escape"
import { M1_OPERATIONS, M1_TYPES } from "./m1-services"

// The WSDL Magento 1 serves at api/v2_soap/?wsdl=1 for the operations
// OrderFlow calls (ORDERFLOW-SOAP.md §2.1–2.2): RPC/encoded, SOAP 1.1,
// namespace urn:Magento, soapAction urn:Mage_Api_Model_Server_V2_HandlerAction.
// Built from m1-services.ts only.

const PORT_TYPE = "Mage_Api_Model_Server_V2_HandlerPortType"
const BINDING = "Mage_Api_Model_Server_V2_HandlerBinding"
const ENCODED = 'use="encoded" namespace="urn:Magento" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"'

export function buildM1Wsdl(endpointUrl: string): string {
  const complex = Object.entries(M1_TYPES)
    .map(
      ([name, fields]) =>
        `<complexType name="${name}"><all>${fields.map((f) => `<element name="${f.name}" type="${f.type}" minOccurs="${f.minOccurs}"/>`).join("")}</all></complexType>` +
        `<complexType name="${name}Array"><complexContent><restriction base="soapenc:Array"><attribute ref="soapenc:arrayType" wsdl:arrayType="typens:${name}[]"/></restriction></complexContent></complexType>`
    )
    .join("")
  const messages = M1_OPERATIONS.map(
    (o) =>
      `<message name="${o.name}Request">${o.input.map((p) => `<part name="${p.name}" type="${p.type}"/>`).join("")}</message>` +
      `<message name="${o.name}Response"><part name="${o.output.name}" type="${o.output.type}"/></message>`
  ).join("")
  const operations = M1_OPERATIONS.map(
    (o) => `<operation name="${o.name}"><input message="typens:${o.name}Request"/><output message="typens:${o.name}Response"/></operation>`
  ).join("")
  const bindings = M1_OPERATIONS.map(
    (o) =>
      `<operation name="${o.name}"><soap:operation soapAction="urn:Mage_Api_Model_Server_V2_HandlerAction"/>` +
      `<input><soap:body ${ENCODED}/></input><output><soap:body ${ENCODED}/></output></operation>`
  ).join("")
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<definitions xmlns:typens="urn:Magento" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" ` +
    `xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns="http://schemas.xmlsoap.org/wsdl/" ` +
    `name="Magento" targetNamespace="urn:Magento">` +
    `<types><schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:Magento"><import namespace="http://schemas.xmlsoap.org/soap/encoding/" schemaLocation="http://schemas.xmlsoap.org/soap/encoding/"/>${complex}</schema></types>` +
    messages +
    `<portType name="${PORT_TYPE}">${operations}</portType>` +
    `<binding name="${BINDING}" type="typens:${PORT_TYPE}"><soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>${bindings}</binding>` +
    `<service name="MagentoService"><port name="Mage_Api_Model_Server_V2_HandlerPort" binding="typens:${BINDING}"><soap:address location="${escapeXmlAttribute(endpointUrl)}"/></port></service>` +
    `</definitions>\n`
  )
}
