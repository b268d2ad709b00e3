import { MedusaResponse } from "@medusajs/framework/http"
import { InboundValidationError } from "../../lib/errors"
import { buildAcknowledgement, InboundFormat } from "../../lib/inbound"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { receiveInboundMessageWorkflow } from "../../workflows/receive-inbound-message"
import { RawBodyRequest } from "./read-raw-body"
import { replyInboundError } from "./reply"
import type { RequestType } from "../../types"

export type Parsed = {
  messageSeqId: number | null
  dedupeKey: string
  lineCount: number
  format: InboundFormat
  payload: unknown
  parcelKey?: string | null
  /** How it came (default `rest-<format>`); see orderflow_request.kind. */
  kind?: string
}

/**
 * Intake shared by both inbound routes (DESIGN.md section 3): validate,
 * store durably, then acknowledge with "Success - Message N Received".
 * A re-delivery is acknowledged the same way; it is stored as a duplicate and
 * never applied, except that a re-delivery of a dead-lettered (failed)
 * message puts that message back in the queue. Invalid messages get a 4xx naming the problem; nothing stored.
 */
export async function receiveOrderflowMessage(
  req: RawBodyRequest,
  res: MedusaResponse,
  type: RequestType,
  parse: (body: string, contentType: string | undefined, limits: { maxBytes: number; maxLines: number; timeZone: string }) => Parsed
) {
  const body = req.orderflowRawBody ?? ""
  const contentType = req.headers["content-type"]
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const { settings } = await orderflow.getCurrentSettings({ maxAgeMs: 3000 })
  let parsed: Parsed
  try {
    parsed = parse(body, contentType, { maxBytes: settings.inbound.maxBodyBytes, maxLines: settings.inbound.maxLines, timeZone: settings.api.timeZone })
  } catch (e) {
    if (e instanceof InboundValidationError) return replyInboundError(req, res, e.status, e.message, e.format)
    throw e
  }
  const result = await storeOrderflowMessage(req, type, parsed, body)
  const ack = buildAcknowledgement(parsed.messageSeqId, parsed.format, type)
  res.status(200)
  res.setHeader("X-OrderFlow-Request-Id", result.id)
  if (result.status === "duplicate") res.setHeader("X-OrderFlow-Duplicate-Of", result.duplicate_of_id ?? "")
  if (result.requeued) res.setHeader("X-OrderFlow-Requeued", "true")
  res.setHeader("Content-Type", ack.contentType)
  res.send(ack.body)
}

/**
 * Stores a validated message (the request table: dedupe, then processing by
 * its operation). Shared by the REST/XML routes and the SOAP faces.
 */
export async function storeOrderflowMessage(req: RawBodyRequest, type: RequestType, parsed: Parsed, body: string) {
  const { result } = await receiveInboundMessageWorkflow(req.scope).run({
    input: {
      type,
      message_seq_id: parsed.messageSeqId,
      dedupe_key: parsed.dedupeKey,
      content_type: String(req.headers["content-type"] ?? ""),
      body,
      payload: parsed.payload,
      line_count: parsed.lineCount,
      received_at: new Date().toISOString(),
      remote_address: req.ip ?? null,
      parcel_key: parsed.parcelKey ?? null,
      kind: parsed.kind ?? `rest-${parsed.format}`,
    },
  })
  return result
}
