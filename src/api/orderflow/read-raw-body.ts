import { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { replyInboundError } from "./reply"

export type RawBodyRequest = MedusaRequest & { orderflowRawBody?: string }

/**
 * Medusa does not parse XML bodies, so the inbound routes read the raw body
 * themselves (bodyParser is off for them), refusing anything larger than the
 * configured limit as soon as it is exceeded: 413, nothing stored.
 */
export async function readRawBody(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const { settings } = await orderflow.getCurrentSettings({ maxAgeMs: 3000 })
  const limit = settings.inbound.maxBodyBytes
  const declared = Number(req.headers["content-length"] ?? NaN)
  if (Number.isFinite(declared) && declared > limit) {
    res.setHeader("Connection", "close")
    return replyInboundError(req, res, 413, `Message is ${declared} bytes; the limit is ${limit} bytes`)
  }
  const chunks: Buffer[] = []
  let size = 0
  let tooLarge = false
  try {
    await new Promise<void>((resolve, reject) => {
      req.on("data", (chunk: Buffer) => {
        if (tooLarge) return
        size += chunk.length
        if (size > limit) {
          tooLarge = true
          resolve()
          return
        }
        chunks.push(chunk)
      })
      req.on("end", () => resolve())
      req.on("error", reject)
    })
  } catch (e) {
    return replyInboundError(req, res, 400, `Could not read the message: ${(e as Error).message}`)
  }
  if (tooLarge) {
    res.setHeader("Connection", "close")
    return replyInboundError(req, res, 413, `Message is larger than the limit of ${limit} bytes`)
  }
  ;(req as RawBodyRequest).orderflowRawBody = Buffer.concat(chunks).toString("utf8")
  next()
}
