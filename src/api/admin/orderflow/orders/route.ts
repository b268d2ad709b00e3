import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { definedFilters, parseQuery } from "../list-query"
import { AdminListOrderflowOrders } from "./validators"

/**
 * GET /admin/orderflow/orders — the orders' OrderFlow export state, newest
 * change first (the order list widget). Filter by `status`, `cancel_status`
 * (e.g. `refused`: orders the warehouse would not cancel) or `order_id` (the
 * order's record and its claims' and exchanges' records, `<ref>-C1`/`-X1`).
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(AdminListOrderflowOrders, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [orders, count] = await orderflow.listAndCountOrderflowExportItems(
    definedFilters({
      entity_type: "order",
      status: q.status,
      cancel_status: q.cancel_status,
      // An order's own record and those of its claims and exchanges (sent as orders of their own).
      $or: q.order_id ? [{ entity_id: q.order_id }, { order_id: q.order_id }] : undefined,
    }),
    { take: q.limit, skip: q.offset, order: { updated_at: "DESC" } }
  )
  res.json({ orders, count, limit: q.limit, offset: q.offset })
}
