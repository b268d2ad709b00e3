import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../../../../modules/orderflow"
import OrderflowModuleService from "../../../../../../modules/orderflow/service"
import { resolveRequestsWorkflow } from "../../../../../../workflows/resolve-requests"

/**
 * POST /admin/orderflow/requests/:id/resolve — closes one dead letter
 * (failed → resolved, with who and when). Any other status: 400, unchanged.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  await resolveRequestsWorkflow(req.scope).run({
    input: { ids: [req.params.id], resolved_by: req.auth_context?.actor_id ?? null },
  })
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  res.json({ request: await orderflow.retrieveOrderflowRequest(req.params.id) })
}
