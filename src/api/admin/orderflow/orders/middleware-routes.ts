import { MiddlewareRoute } from "@medusajs/framework/http"

/** Body/query validation for /admin/orderflow/orders/* routes. */
export const ordersMiddlewareRoutes: MiddlewareRoute[] = []
