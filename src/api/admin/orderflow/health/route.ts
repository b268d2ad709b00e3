import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"

/** GET /admin/orderflow/health — is the integration keeping up? */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  res.json({ health: await orderflow.health(new Date()) })
}
