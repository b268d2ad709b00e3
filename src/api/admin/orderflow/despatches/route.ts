import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { definedFilters, listQuery, parseQuery } from "../list-query"

const Query = listQuery({ order_id: z.string().optional() })

/** GET /admin/orderflow/despatches?order_id= — despatches applied to orders, with tracking numbers. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(Query, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [despatches, count] = await orderflow.listAndCountOrderflowDespatches(definedFilters({ order_id: q.order_id }), {
    take: q.limit,
    skip: q.offset,
    order: { created_at: "DESC" },
  })
  res.json({ despatches, count, limit: q.limit, offset: q.offset })
}
