import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { buildInboundError, inboundFormatOf, InboundFormat } from "../../lib/inbound"

/** The reply format follows the request: XML for XML bodies, JSON otherwise. */
export function requestFormat(req: MedusaRequest): InboundFormat {
  const format = inboundFormatOf(req.headers["content-type"])
  return format === "xml" ? "xml" : "json"
}

export function replyInboundError(
  req: MedusaRequest,
  res: MedusaResponse,
  status: number,
  message: string,
  format: InboundFormat | null = null
) {
  // A SOAP sender gets a SOAP fault; the parser knows when a body was SOAP.
  const reply = buildInboundError(message, format ?? requestFormat(req))
  res.status(status).setHeader("Content-Type", reply.contentType)
  res.send(reply.body)
}
