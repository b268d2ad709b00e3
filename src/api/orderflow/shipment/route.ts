import { MedusaResponse } from "@medusajs/framework/http"
import { despatchDedupeKey, despatchParcelKey, parseDespatchNotification } from "../../../lib/inbound"
import { soapPushIn, wrongRoute } from "../../../lib/soap/soap-push"
import { RawBodyRequest } from "../read-raw-body"
import { receiveOrderflowMessage } from "../receive"

/** POST /orderflow/shipment — a despatch notification pushed by OrderFlow (REST, XML, or a connector's SOAP envelope). */
export async function POST(req: RawBodyRequest, res: MedusaResponse) {
  await receiveOrderflowMessage(req, res, "shipment", (body, contentType, limits) => {
    const soap = soapPushIn(body, contentType, limits)
    if (soap && soap.kind !== "shipment") throw wrongRoute(soap, "shipment")
    const notification = soap?.kind === "shipment" ? soap.notification : parseDespatchNotification(body, contentType, limits)
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
