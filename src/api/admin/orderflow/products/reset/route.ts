import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { queueProductExportWorkflow, resetAllProductExportWorkflow } from "../../../../../workflows/export-products"
import { AdminResetOrderflowProductsType } from "../validators"

/**
 * POST /admin/orderflow/products/reset — "Reset Export Status (OF)" (seed 000):
 * the products go back to pending and are sent by the next runs. With
 * `all: true`, every product row is reset and products without one are queued.
 */
export async function POST(req: AuthenticatedMedusaRequest<AdminResetOrderflowProductsType>, res: MedusaResponse) {
  const { product_ids = [], variant_ids = [], all } = req.validatedBody
  if (all) {
    const { result } = await resetAllProductExportWorkflow(req.scope).run({ input: {} })
    res.json(result)
    return
  }
  const { result } = await queueProductExportWorkflow(req.scope).run({ input: { product_ids, variant_ids } })
  res.json({ reset: result.pending, skipped: result.skipped })
}
