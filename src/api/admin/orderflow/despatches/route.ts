import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { listQuery, parseQuery } from "../list-query"

const Query = listQuery({
  order_id: z.string().optional(),
  /** A tracking number or order reference, or part of one (case-insensitive). */
  q: z.string().trim().max(200).optional(),
})

/** GET /admin/orderflow/despatches?order_id=&q= — despatches applied to orders, with tracking numbers, newest first. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(Query, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [despatches, count] = await orderflow.listAndCountDespatchesMatching(
    { order_id: q.order_id || undefined, q: q.q || undefined },
    { limit: q.limit, offset: q.offset }
  )
  res.json({ despatches, count, limit: q.limit, offset: q.offset })
}
