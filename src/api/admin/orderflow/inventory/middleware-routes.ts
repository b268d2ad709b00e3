import { MiddlewareRoute, validateAndTransformBody } from "@medusajs/framework/http"
import { AdminResetInventorySequences } from "./validators"

/** Body validation for /admin/orderflow/inventory/* actions. */
export const inventoryMiddlewareRoutes: MiddlewareRoute[] = [
  {
    matcher: "/admin/orderflow/inventory/sequences/reset",
    method: ["POST"],
    middlewares: [validateAndTransformBody(AdminResetInventorySequences)],
  },
]
