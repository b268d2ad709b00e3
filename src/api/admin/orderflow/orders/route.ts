import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { definedFilters, parseQuery } from "../list-query"
import { AdminListOrderflowOrders } from "./validators"

/**
 * GET /admin/orderflow/orders — the orders' OrderFlow export state, newest
 * change first (the order list widget). Filter by `status`, `cancel_status`
 * (e.g. `refused`: orders the warehouse would not cancel) or `order_id`.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(AdminListOrderflowOrders, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [orders, count] = await orderflow.listAndCountOrderflowExportItems(
    definedFilters({ entity_type: "order", status: q.status, cancel_status: q.cancel_status, entity_id: q.order_id }),
    { take: q.limit, skip: q.offset, order: { updated_at: "DESC" } }
  )
  res.json({ orders, count, limit: q.limit, offset: q.offset })
}
