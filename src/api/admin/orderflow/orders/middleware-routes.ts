import { MiddlewareRoute, validateAndTransformBody } from "@medusajs/framework/http"
import { AdminBackfillOrderflowOrders, AdminExportOrderflowOrders } from "./validators"

/** Body validation for /admin/orderflow/orders/* routes (queries are parsed in the routes, as in ../list-query.ts). */
export const ordersMiddlewareRoutes: MiddlewareRoute[] = [
  {
    matcher: "/admin/orderflow/orders/export",
    method: ["POST"],
    middlewares: [validateAndTransformBody(AdminExportOrderflowOrders)],
  },
  {
    matcher: "/admin/orderflow/orders/backfill",
    method: ["POST"],
    middlewares: [validateAndTransformBody(AdminBackfillOrderflowOrders)],
  },
]
