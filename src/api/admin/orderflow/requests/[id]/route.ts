import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../../../modules/orderflow"
import OrderflowModuleService from "../../../../../modules/orderflow/service"

/** GET /admin/orderflow/requests/:id — the message as received (raw body) and its import report. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const request = await orderflow.retrieveOrderflowRequest(req.params.id)
  const [report] = request.import_id
    ? await orderflow.listOrderflowImports({ id: request.import_id }, { relations: ["lines"] })
    : [null]
  res.json({ request, import: report })
}
