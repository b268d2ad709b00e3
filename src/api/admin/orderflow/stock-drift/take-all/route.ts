import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { takeOrderflowStockWorkflow } from "../../../../../workflows/stock-drift"

/**
 * POST /admin/orderflow/stock-drift/take-all — "Take OrderFlow's stock now"
 * (go-live): pull OrderFlow's inventory, then accept every open difference
 * through the inventory import path.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await takeOrderflowStockWorkflow(req.scope).run({
    input: { trigger: "manual", now: new Date().toISOString(), by: req.auth_context?.actor_id ?? null },
  })
  res.json(result)
}
