import { MedusaResponse } from "@medusajs/framework/http"
import { inventoryDedupeKey, parseInventoryUpdate } from "../../../lib/inbound"
import { RawBodyRequest } from "../read-raw-body"
import { receiveOrderflowMessage } from "../receive"

/** POST /orderflow/inventory — a stock update pushed by OrderFlow. */
export async function POST(req: RawBodyRequest, res: MedusaResponse) {
  await receiveOrderflowMessage(req, res, "inventory", (body, contentType, limits) => {
    const update = parseInventoryUpdate(body, contentType, limits)
    return {
      messageSeqId: update.messageSeqId,
      dedupeKey: inventoryDedupeKey(update),
      lineCount: update.lines.length,
      format: update.format,
      payload: update,
    }
  })
}
