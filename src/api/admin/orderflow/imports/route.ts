import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { definedFilters, listQuery, parseQuery } from "../list-query"
import { CALL_STATUSES, REQUEST_TYPES } from "../../../../types"

const Query = listQuery({
  type: z.enum(REQUEST_TYPES).optional(),
  status: z.enum(CALL_STATUSES).optional(),
  request_id: z.string().optional(),
})

/** GET /admin/orderflow/imports — reports of processed messages, newest first. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(Query, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [imports, count] = await orderflow.listAndCountOrderflowImports(
    definedFilters({ type: q.type, status: q.status, request_id: q.request_id }),
    { take: q.limit, skip: q.offset, order: { created_at: "DESC" } }
  )
  res.json({ imports, count, limit: q.limit, offset: q.offset })
}
