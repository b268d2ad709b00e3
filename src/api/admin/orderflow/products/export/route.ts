import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { exportProductsNowWorkflow } from "../../../../../workflows/export-products"
import { AdminExportOrderflowProductsType } from "../validators"

/**
 * POST /admin/orderflow/products/export — the guide's manual export (seed 000
 * "Export Types"): the products' SKUs are queued and sent at once, whatever
 * the schedule, and the answer is what OrderFlow said about each SKU.
 */
export async function POST(req: AuthenticatedMedusaRequest<AdminExportOrderflowProductsType>, res: MedusaResponse) {
  const { product_ids = [], variant_ids = [] } = req.validatedBody
  const { result } = await exportProductsNowWorkflow(req.scope).run({ input: { product_ids, variant_ids } })
  res.json(result)
}
