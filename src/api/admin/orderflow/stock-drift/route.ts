import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import type OrderflowModuleService from "../../../../modules/orderflow/service"
import { STOCK_DRIFT_STATUSES } from "../../../../types"
import { definedFilters, listQuery, parseQuery } from "../list-query"

const Query = listQuery({
  status: z.enum(STOCK_DRIFT_STATUSES).optional(),
  sku: z.string().trim().min(1).optional(),
  location_id: z.string().trim().min(1).optional(),
})

const FIELDS = [
  "id", "sku", "site", "location_id", "inventory_item_id", "orderflow_qty", "orderflow_inventory_id", "expected_qty", "actual_qty",
  "status", "first_seen_at", "last_seen_at", "closed_at", "closed_by", "request_id",
]

/**
 * GET /admin/orderflow/stock-drift?status=open — the drift report's
 * differences (SKU, location, OrderFlow's figure, what Medusa should have
 * after the import's adjustment, what it has, since when), oldest first.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(Query, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [differences, count] = await orderflow.listAndCountOrderflowStockDrifts(definedFilters({ status: q.status, sku: q.sku, location_id: q.location_id }), {
    take: q.limit,
    skip: q.offset,
    order: { first_seen_at: "ASC", sku: "ASC" },
    select: FIELDS,
  })
  res.json({ differences, count, limit: q.limit, offset: q.offset })
}
