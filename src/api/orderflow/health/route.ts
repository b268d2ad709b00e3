import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../modules/orderflow"
import type OrderflowModuleService from "../../../modules/orderflow/service"

/**
 * GET /orderflow/health — for uptime monitors (DESIGN.md section 8): no
 * login, no data. 200 {"status":"ok"}; 503 {"status":"down"} while OrderFlow
 * is unreachable or refuses the store's calls, {"status":"degraded"} while
 * another incident is open; `checks` names what is wrong, nothing more.
 * The details are on GET /admin/orderflow/health.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const health = await orderflow.publicHealth()
  res.setHeader("Cache-Control", "no-store")
  if (health.status === "ok") {
    res.status(200).json({ status: "ok" })
    return
  }
  res.status(503).json({ status: health.status, checks: health.checks })
}
