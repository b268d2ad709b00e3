import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { definedFilters, listQuery, parseQuery } from "../list-query"
import { CALL_STATUSES } from "../../../../types"

const Query = listQuery({
  operation: z.string().optional(),
  status: z.enum(CALL_STATUSES).optional(),
})

export const EXPORT_LIST_FIELDS = [
  "id", "operation", "trigger", "status", "http_status", "duration_ms", "item_count",
  "success_count", "duplicate_count", "failure_count", "error", "created_at",
] as const

/** GET /admin/orderflow/exports — every call to OrderFlow, newest first. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(Query, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [exports, count] = await orderflow.listAndCountOrderflowExports(
    definedFilters({ operation: q.operation, status: q.status }),
    { take: q.limit, skip: q.offset, order: { created_at: "DESC" }, select: [...EXPORT_LIST_FIELDS] }
  )
  res.json({ exports, count, limit: q.limit, offset: q.offset })
}
