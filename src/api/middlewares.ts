import { defineMiddlewares } from "@medusajs/framework/http"
import { adminOrderflowMiddlewares } from "./admin/orderflow/middlewares"

export default defineMiddlewares({
  routes: [...adminOrderflowMiddlewares],
})
