import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../../modules/orderflow"
import OrderflowModuleService from "../../../../../modules/orderflow/service"
import { APPLIED_RETURN_STATUSES } from "../../../../../types"
import { definedFilters, listQuery, parseQuery } from "../../list-query"

const Query = listQuery({
  status: z.enum(APPLIED_RETURN_STATUSES).optional(),
  order_id: z.string().trim().min(1).optional(),
})

/**
 * GET /admin/orderflow/returns/applied?status=&order_id= — the applied
 * returns read from OrderFlow, each once: received (with what was restocked
 * and what was received as damaged), unmatched or failed with the reason.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(Query, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [applied, count] = await orderflow.listAndCountOrderflowAppliedReturns(definedFilters({ status: q.status, order_id: q.order_id }), {
    take: q.limit,
    skip: q.offset,
    order: { created_at: "DESC" },
  })
  res.json({ applied_returns: applied, count, limit: q.limit, offset: q.offset })
}
