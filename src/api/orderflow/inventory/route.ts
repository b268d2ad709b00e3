import { MedusaResponse } from "@medusajs/framework/http"
import { inventoryDedupeKey, parseInventoryUpdate } from "../../../lib/inbound"
import { soapPushIn, wrongRoute } from "../../../lib/soap/soap-push"
import { RawBodyRequest } from "../read-raw-body"
import { receiveOrderflowMessage } from "../receive"

/** POST /orderflow/inventory — a stock update pushed by OrderFlow (REST, XML, or a connector's SOAP envelope). */
export async function POST(req: RawBodyRequest, res: MedusaResponse) {
  await receiveOrderflowMessage(req, res, "inventory", (body, contentType, limits) => {
    const soap = soapPushIn(body, contentType, limits)
    if (soap && soap.kind !== "inventory") throw wrongRoute(soap, "inventory")
    const update = soap?.kind === "inventory" ? soap.update : parseInventoryUpdate(body, contentType, limits)
    return {
      messageSeqId: update.messageSeqId,
      dedupeKey: inventoryDedupeKey(update),
      lineCount: update.lines.length,
      format: update.format,
      payload: update,
    }
  })
}
