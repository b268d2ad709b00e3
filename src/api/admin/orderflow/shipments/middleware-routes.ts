import { MiddlewareRoute } from "@medusajs/framework/http"

/** Body/query validation for /admin/orderflow/shipments/* routes. */
export const shipmentsMiddlewareRoutes: MiddlewareRoute[] = []
