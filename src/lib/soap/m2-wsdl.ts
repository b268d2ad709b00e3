import { escapeXmlAttribute } from "../xml/xml-escape"
import { M2DataType, M2Field, M2Service, requestElementOf, responseElementOf } from "./m2-services"

// The WSDL Magento 2 generates for the listed services (ORDERFLOW-SOAP.md
// §1.3): document/literal, SOAP 1.2 binding, target namespace = the endpoint
// URL with ?services=, unqualified local elements, arrays as ArrayOf<T> of
// <item>, one GenericFault per operation. Built from m2-services.ts only.

const ucfirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const XSD: Record<string, string> = { string: "xsd:string", int: "xsd:int", anyType: "xsd:anyType" }

function fieldElement(field: M2Field): string {
  const occurs = field.required ? ' minOccurs="1" maxOccurs="1"' : ' minOccurs="0"'
  const type = "arrayOf" in field ? `tns:ArrayOf${field.arrayOf.name}` : XSD[field.type]
  return `<xsd:element name="${field.name}"${occurs} type="${type}"/>`
}

function dataTypes(services: M2Service[]): M2DataType[] {
  const seen = new Map<string, M2DataType>()
  for (const s of services) for (const f of s.request) if ("arrayOf" in f) seen.set(f.arrayOf.name, f.arrayOf)
  return [...seen.values()]
}

export function buildM2Wsdl(services: M2Service[], endpointUrl: string): string {
  const tns = escapeXmlAttribute(endpointUrl)
  const types: string[] = []
  const messages: string[] = []
  const portTypes: string[] = []
  const bindings: string[] = []
  const ports: string[] = []
  for (const t of dataTypes(services)) {
    types.push(
      `<xsd:complexType name="${t.name}"><xsd:sequence>${t.fields
        .map((f) => `<xsd:element name="${f.name}" minOccurs="${f.required ? 1 : 0}" maxOccurs="1" type="xsd:string"/>`)
        .join("")}</xsd:sequence></xsd:complexType>`,
      `<xsd:complexType name="ArrayOf${t.name}"><xsd:sequence><xsd:element name="item" minOccurs="0" maxOccurs="unbounded" type="tns:${t.name}"/></xsd:sequence></xsd:complexType>`
    )
  }
  types.push(
    `<xsd:element name="GenericFault" type="tns:GenericFault"/>`,
    `<xsd:complexType name="GenericFault"><xsd:sequence><xsd:element name="Trace" minOccurs="0" type="xsd:string"/><xsd:element name="Parameters" minOccurs="0" type="tns:ArrayOfGenericFaultParameter"/><xsd:element name="WrappedErrors" minOccurs="0" type="tns:ArrayOfWrappedError"/></xsd:sequence></xsd:complexType>`,
    `<xsd:complexType name="GenericFaultParameter"><xsd:sequence><xsd:element name="key" minOccurs="1" type="xsd:string"/><xsd:element name="value" minOccurs="1" type="xsd:string"/></xsd:sequence></xsd:complexType>`,
    `<xsd:complexType name="ArrayOfGenericFaultParameter"><xsd:sequence><xsd:element name="item" minOccurs="0" maxOccurs="unbounded" type="tns:GenericFaultParameter"/></xsd:sequence></xsd:complexType>`,
    `<xsd:complexType name="WrappedError"><xsd:sequence><xsd:element name="message" minOccurs="1" type="xsd:string"/><xsd:element name="parameters" minOccurs="0" type="tns:ArrayOfGenericFaultParameter"/></xsd:sequence></xsd:complexType>`,
    `<xsd:complexType name="ArrayOfWrappedError"><xsd:sequence><xsd:element name="item" minOccurs="0" maxOccurs="unbounded" type="tns:WrappedError"/></xsd:sequence></xsd:complexType>`
  )
  for (const s of services) {
    const request = requestElementOf(s)
    const response = responseElementOf(s)
    types.push(
      `<xsd:element name="${request}" type="tns:${ucfirst(request)}"/>`,
      `<xsd:complexType name="${ucfirst(request)}"><xsd:sequence>${s.request.map(fieldElement).join("")}</xsd:sequence></xsd:complexType>`,
      `<xsd:element name="${response}" type="tns:${ucfirst(response)}"/>`,
      `<xsd:complexType name="${ucfirst(response)}"><xsd:sequence><xsd:element name="result" minOccurs="1" maxOccurs="1" type="${XSD[s.result]}"/></xsd:sequence></xsd:complexType>`
    )
    messages.push(
      `<message name="${request}"><part name="messageParameters" element="tns:${request}"/></message>`,
      `<message name="${response}"><part name="messageParameters" element="tns:${response}"/></message>`
    )
    portTypes.push(
      `<portType name="${s.service}PortType"><operation name="${s.operation}"><input message="tns:${request}"/><output message="tns:${response}"/><fault name="GenericFault" message="tns:GenericFault"/></operation></portType>`
    )
    bindings.push(
      `<binding name="${s.service}Binding" type="tns:${s.service}PortType"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>` +
        `<operation name="${s.operation}"><soap:operation soapAction="${s.operation}"/><input><soap12:body use="literal"/></input><output><soap12:body use="literal"/></output>` +
        `<fault name="GenericFault"><soap12:fault use="literal" name="GenericFault"/></fault></operation></binding>`
    )
    ports.push(`<service name="${s.service}Service"><port name="${s.service}Port" binding="tns:${s.service}Binding"><soap12:address location="${tns}"/></port></service>`)
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" ` +
    `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="${tns}" name="MagentoWSDL" targetNamespace="${tns}">` +
    `<types><xsd:schema targetNamespace="${tns}">${types.join("")}</xsd:schema></types>` +
    `<message name="GenericFault"><part name="messageParameters" element="tns:GenericFault"/></message>` +
    messages.join("") +
    portTypes.join("") +
    bindings.join("") +
    ports.join("") +
    `</definitions>\n`
  )
}
