import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { orderflowOrderActionWorkflow } from "../../../../../../workflows/hold-order"

/**
 * POST /admin/orderflow/orders/:id/hold — put an exported order on hold in OrderFlow (seed 002, "Hold Order").
 * 200 with the outcome: done (with OrderFlow's order state), refused (OrderFlow's
 * reason, e.g. already packed) or failed (OrderFlow could not be reached).
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await orderflowOrderActionWorkflow(req.scope).run({ input: { order_id: req.params.id, action: "hold" } })
  res.json({ result })
}
