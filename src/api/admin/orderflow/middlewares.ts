import { MiddlewareRoute, validateAndTransformBody } from "@medusajs/framework/http"
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
]
