import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../../../modules/orderflow"
import OrderflowModuleService from "../../../../../modules/orderflow/service"

/** GET /admin/orderflow/exports/:id — one call with its XML documents and a line per item. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const record = await orderflow.retrieveOrderflowExport(req.params.id, { relations: ["lines"] })
  record.lines?.sort((a, b) => a.reference.localeCompare(b.reference))
  res.json({ export: record })
}
