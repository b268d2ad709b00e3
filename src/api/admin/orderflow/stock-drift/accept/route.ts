import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { acceptStockDriftWorkflow } from "../../../../../workflows/stock-drift"
import { AdminAcceptStockDriftType } from "../validators"

/**
 * POST /admin/orderflow/stock-drift/accept `{ ids }` or `{ all: true }` —
 * OrderFlow's figure is stored as a stock message and applied by the
 * inventory import like a push (import history, sequence-safe). Differences
 * no longer open are left out.
 */
export async function POST(req: AuthenticatedMedusaRequest<AdminAcceptStockDriftType>, res: MedusaResponse) {
  const { result } = await acceptStockDriftWorkflow(req.scope).run({
    input: { ids: req.validatedBody.all ? null : req.validatedBody.ids ?? [], by: req.auth_context?.actor_id ?? null },
  })
  res.json(result)
}
