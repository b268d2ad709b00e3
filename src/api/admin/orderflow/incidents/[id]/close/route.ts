import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { ORDERFLOW_MODULE } from "../../../../../../modules/orderflow"
import type OrderflowModuleService from "../../../../../../modules/orderflow/service"

/**
 * POST /admin/orderflow/incidents/:id/close — an administrator dealt with
 * it. The next occurrence of its cause opens (and alerts) a new incident.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const closed = await orderflow.closeIncident(req.params.id, { now: new Date(), by: `admin ${req.auth_context?.actor_id ?? ""}`.trim() })
  if (!closed) throw new MedusaError(MedusaError.Types.NOT_FOUND, `No open OrderFlow incident ${req.params.id}`)
  res.json({ incident: closed })
}
