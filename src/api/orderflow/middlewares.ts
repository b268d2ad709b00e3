import { MiddlewareRoute } from "@medusajs/framework/http"
import { authenticateOrderflow } from "./authenticate-orderflow"
import { readRawBody } from "./read-raw-body"

/**
 * The routes OrderFlow calls: our own authentication (before anything is
 * read), our own body reading (XML and size limit), no Medusa body parser.
 */
export const orderflowInboundMiddlewares: MiddlewareRoute[] = [
  {
    matcher: "/orderflow/*",
    methods: ["POST"],
    bodyParser: false,
    middlewares: [authenticateOrderflow, readRawBody],
  },
]
