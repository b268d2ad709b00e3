import { MedusaResponse } from "@medusajs/framework/http"
import { despatchDedupeKey, despatchParcelKey, parseDespatchNotification } from "../../../lib/inbound"
import { RawBodyRequest } from "../read-raw-body"
import { receiveOrderflowMessage } from "../receive"

/** POST /orderflow/shipment — a despatch notification pushed by OrderFlow. */
export async function POST(req: RawBodyRequest, res: MedusaResponse) {
  await receiveOrderflowMessage(req, res, "shipment", (body, contentType, limits) => {
    const notification = parseDespatchNotification(body, contentType, limits)
    return {
      messageSeqId: notification.messageSeqId,
      dedupeKey: despatchDedupeKey(notification),
      parcelKey: despatchParcelKey(notification),
      lineCount: notification.lines.length,
      format: notification.format,
      payload: notification,
    }
  })
}
