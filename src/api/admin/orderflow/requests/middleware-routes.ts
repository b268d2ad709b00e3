import { MiddlewareRoute, validateAndTransformBody } from "@medusajs/framework/http"
import { AdminResolveOrderflowRequests } from "./validators"

/** Body validation for /admin/orderflow/requests/* actions. */
export const requestsMiddlewareRoutes: MiddlewareRoute[] = [
  {
    matcher: "/admin/orderflow/requests/resolve",
    method: ["POST"],
    middlewares: [validateAndTransformBody(AdminResolveOrderflowRequests)],
  },
]
