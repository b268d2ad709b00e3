import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { PROCESSABLE_REQUEST_STATUSES } from "../../../../../../types"
import { ORDERFLOW_MODULE } from "../../../../../../modules/orderflow"
import OrderflowModuleService from "../../../../../../modules/orderflow/service"
import { processRequestNowWorkflow } from "../../../../../../workflows/requeue-request"

/**
 * POST /admin/orderflow/requests/:id/process — "process now": a pending,
 * failed or processed_with_errors message is made due (with its attempts
 * back) and its operation runs at once; for one processed with errors only
 * the lines that failed can change (applied lines are stale by then, a
 * despatch finds its fulfilment). Processed, duplicate and resolved
 * messages are never re-applied.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const request = await orderflow.retrieveOrderflowRequest(req.params.id)
  if (!PROCESSABLE_REQUEST_STATUSES.some((s) => s === request.status)) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Request ${request.id} is ${request.status}; only ${PROCESSABLE_REQUEST_STATUSES.slice(0, -1).join(", ")} or ${PROCESSABLE_REQUEST_STATUSES.at(-1)} messages can be processed`
    )
  }
  const { result: run } = await processRequestNowWorkflow(req.scope).run({
    input: { id: request.id, operation: request.type === "inventory" ? "inventory_import" : "shipment_import" },
  })
  const after = await orderflow.retrieveOrderflowRequest(request.id)
  res.json({ request: after, run })
}
