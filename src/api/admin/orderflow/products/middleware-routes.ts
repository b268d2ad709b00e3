import { MiddlewareRoute, validateAndTransformBody } from "@medusajs/framework/http"
import { AdminExportOrderflowProducts, AdminResetOrderflowProducts } from "./validators"

/** Body/query validation for /admin/orderflow/products/* routes. */
export const productsMiddlewareRoutes: MiddlewareRoute[] = [
  {
    matcher: "/admin/orderflow/products/export",
    method: ["POST"],
    middlewares: [validateAndTransformBody(AdminExportOrderflowProducts)],
  },
  {
    matcher: "/admin/orderflow/products/reset",
    method: ["POST"],
    middlewares: [validateAndTransformBody(AdminResetOrderflowProducts)],
  },
]
