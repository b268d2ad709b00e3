import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../../../modules/orderflow"
import OrderflowModuleService from "../../../../../modules/orderflow/service"

/** GET /admin/orderflow/imports/:id — one report with a line per SKU or despatched item. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const report = await orderflow.retrieveOrderflowImport(req.params.id, { relations: ["lines"] })
  report.lines?.sort((a, b) => a.sku.localeCompare(b.sku))
  res.json({ import: report })
}
