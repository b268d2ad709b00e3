import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ignoreStockDriftWorkflow } from "../../../../../workflows/stock-drift"
import { AdminIgnoreStockDriftType } from "../validators"

/** POST /admin/orderflow/stock-drift/ignore `{ ids }` — closes the differences; nothing is sent or applied. */
export async function POST(req: AuthenticatedMedusaRequest<AdminIgnoreStockDriftType>, res: MedusaResponse) {
  const { result } = await ignoreStockDriftWorkflow(req.scope).run({ input: { ids: req.validatedBody.ids, by: req.auth_context?.actor_id ?? null } })
  res.json({ ignored: result.length })
}
