import { MiddlewareRoute, validateAndTransformBody } from "@medusajs/framework/http"
import { AdminAcceptStockDrift, AdminIgnoreStockDrift } from "./validators"

/** Body validation for /admin/orderflow/stock-drift/* actions. */
export const stockDriftMiddlewareRoutes: MiddlewareRoute[] = [
  { matcher: "/admin/orderflow/stock-drift/accept", method: ["POST"], middlewares: [validateAndTransformBody(AdminAcceptStockDrift)] },
  { matcher: "/admin/orderflow/stock-drift/ignore", method: ["POST"], middlewares: [validateAndTransformBody(AdminIgnoreStockDrift)] },
]
