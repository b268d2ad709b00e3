import { MiddlewareRoute, validateAndTransformBody } from "@medusajs/framework/http"
import { ordersMiddlewareRoutes } from "./orders/middleware-routes"
import { productsMiddlewareRoutes } from "./products/middleware-routes"
import { requestsMiddlewareRoutes } from "./requests/middleware-routes"
import { inventoryMiddlewareRoutes } from "./inventory/middleware-routes"
import { stockDriftMiddlewareRoutes } from "./stock-drift/middleware-routes"
import { AdminTestOrderflowConnection, AdminUpdateOrderflowSettings } from "./settings/validators"

export const adminOrderflowMiddlewares: MiddlewareRoute[] = [
  {
    matcher: "/admin/orderflow/settings",
    method: ["POST"],
    middlewares: [validateAndTransformBody(AdminUpdateOrderflowSettings)],
  },
  {
    matcher: "/admin/orderflow/settings/test",
    method: ["POST"],
    middlewares: [validateAndTransformBody(AdminTestOrderflowConnection)],
  },
  ...productsMiddlewareRoutes,
  ...ordersMiddlewareRoutes,
  ...requestsMiddlewareRoutes,
  ...inventoryMiddlewareRoutes,
  ...stockDriftMiddlewareRoutes,
]
