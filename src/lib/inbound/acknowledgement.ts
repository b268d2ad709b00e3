import { escapeXmlText } from "../xml/xml-escape"
import { InboundFormat } from "./types"

// What the store answers OrderFlow. OrderFlow counts a push as delivered on
// HTTP 200 (or when the acknowledgement matches its configured rules), and the
// Magento extension answers `Success - Message 71 Received` (seed 000, Single
// Stock Push), so we answer the same text in the request's own format.

export type InboundReply = { contentType: string; body: string }

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
const SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
/** The response element names of the Magento 2 extension's inventory (seed 000) and shipment services. */
export const SOAP_UPDATE_RESPONSE = "realtimeDespatchOrderFlowInventoryRequestManagementV1UpdateResponse"
export const SOAP_CREATE_RESPONSE = "realtimeDespatchOrderFlowShipmentRequestManagementV1CreateResponse"
const SOAP_NAMESPACE = "urn:medusa-plugin-orderflow"

export function acknowledgementText(messageSeqId: number | null): string {
  return messageSeqId === null ? "Success - Message Received" : `Success - Message ${messageSeqId} Received`
}

function soapEnvelope(content: string): string {
  return `${XML_DECLARATION}<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENV}"><SOAP-ENV:Body>${content}</SOAP-ENV:Body></SOAP-ENV:Envelope>`
}

/** The 200 body acknowledging a stored message. */
export function buildAcknowledgement(messageSeqId: number | null, format: InboundFormat, type: "inventory" | "shipment" = "inventory"): InboundReply {
  const text = acknowledgementText(messageSeqId)
  switch (format) {
    case "json":
      return { contentType: "application/json; charset=utf-8", body: JSON.stringify(text) }
    case "xml":
      return { contentType: "application/xml; charset=utf-8", body: `${XML_DECLARATION}<response>${escapeXmlText(text)}</response>` }
    case "soap":
      return {
        contentType: "text/xml; charset=utf-8",
        body: soapEnvelope(
          `<ns1:${type === "shipment" ? SOAP_CREATE_RESPONSE : SOAP_UPDATE_RESPONSE} xmlns:ns1="${SOAP_NAMESPACE}"><result>${escapeXmlText(text)}</result></ns1:${type === "shipment" ? SOAP_CREATE_RESPONSE : SOAP_UPDATE_RESPONSE}>`
        ),
      }
  }
}

/** A 4xx body naming the problem; the message is escaped for the format. */
export function buildInboundError(message: string, format: InboundFormat): InboundReply {
  switch (format) {
    case "json":
      return { contentType: "application/json; charset=utf-8", body: JSON.stringify({ message }) }
    case "xml":
      return {
        contentType: "application/xml; charset=utf-8",
        body: `${XML_DECLARATION}<error><message>${escapeXmlText(message)}</message></error>`,
      }
    case "soap":
      return {
        contentType: "text/xml; charset=utf-8",
        body: soapEnvelope(
          `<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>${escapeXmlText(message)}</faultstring></SOAP-ENV:Fault>`
        ),
      }
  }
}
