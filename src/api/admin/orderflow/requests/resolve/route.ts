import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../../../modules/orderflow"
import OrderflowModuleService from "../../../../../modules/orderflow/service"
import { resolveRequestsWorkflow } from "../../../../../workflows/resolve-requests"
import { AdminResolveOrderflowRequestsType } from "../validators"

/**
 * POST /admin/orderflow/requests/resolve `{ ids }` — closes several dead
 * letters at once; all must be failed, otherwise nothing changes.
 */
export async function POST(req: AuthenticatedMedusaRequest<AdminResolveOrderflowRequestsType>, res: MedusaResponse) {
  const { result } = await resolveRequestsWorkflow(req.scope).run({
    input: { ids: req.validatedBody.ids, resolved_by: req.auth_context?.actor_id ?? null },
  })
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const requests = await orderflow.listOrderflowRequests(
    { id: result.resolved },
    { select: ["id", "type", "message_seq_id", "status", "resolved_at", "resolved_by", "error"], take: null }
  )
  res.json({ requests, count: requests.length })
}
