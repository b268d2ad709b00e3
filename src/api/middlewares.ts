import { defineMiddlewares } from "@medusajs/framework/http"
import { adminOrderflowMiddlewares } from "./admin/orderflow/middlewares"
import { orderflowInboundMiddlewares } from "./orderflow/middlewares"
import { adminOrdersOrderflowMiddlewares } from "./admin/orders-orderflow/middlewares"

export default defineMiddlewares({
  routes: [...adminOrderflowMiddlewares, ...orderflowInboundMiddlewares, ...adminOrdersOrderflowMiddlewares],
})
