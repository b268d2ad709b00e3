import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { definedFilters, listQuery, parseQuery } from "../list-query"

const Query = listQuery({
  type: z.enum(["inventory", "shipment"]).optional(),
  status: z.enum(["success", "partial", "failed"]).optional(),
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
