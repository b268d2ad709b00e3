import { MiddlewareRoute } from "@medusajs/framework/http"

/** Body/query validation for /admin/orderflow/products/* routes. */
export const productsMiddlewareRoutes: MiddlewareRoute[] = []
