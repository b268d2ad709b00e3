import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { RETURN_STATUSES } from "../../../../types"
import { definedFilters, listQuery, parseQuery } from "../list-query"

const Query = listQuery({
  status: z.enum(RETURN_STATUSES).optional(),
  order_id: z.string().trim().min(1).optional(),
  return_id: z.string().trim().min(1).optional(),
})

/**
 * GET /admin/orderflow/returns?status=&order_id=&return_id= — Medusa returns
 * and what became of them in OrderFlow (sent, received, skipped with the
 * reason, failed with the error), each with its lines (reason and condition
 * sent, quantities received and damaged), newest first.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(Query, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [rows, count] = await orderflow.listAndCountOrderflowReturns(definedFilters({ status: q.status, order_id: q.order_id, return_id: q.return_id }), {
    take: q.limit,
    skip: q.offset,
    order: { requested_at: "DESC" },
  })
  const lines = rows.length ? await orderflow.listOrderflowReturnLines({ return_record_id: rows.map((r) => r.id) }, { order: { line_number: "ASC" } }) : []
  const returns = rows.map((r) => ({ ...r, lines: lines.filter((l) => l.return_record_id === r.id) }))
  res.json({ returns, count, limit: q.limit, offset: q.offset })
}
