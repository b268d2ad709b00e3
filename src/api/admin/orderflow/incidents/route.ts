import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import type OrderflowModuleService from "../../../../modules/orderflow/service"

/** GET /admin/orderflow/incidents — the open incidents, oldest first, and each endpoint's circuit state. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const { incidents, endpoints } = await orderflow.openIncidentsAndEndpoints()
  res.json({ incidents, endpoints })
}
