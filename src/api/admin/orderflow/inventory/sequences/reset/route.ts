import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { resetInventorySequencesWorkflow } from "../../../../../../workflows/sequence-reset"
import { AdminResetInventorySequencesType } from "../../validators"

/**
 * POST /admin/orderflow/inventory/sequences/reset — clears the stored
 * per-SKU/location sequence ids (one SKU, one location, both, or all), so
 * the next stock update for them is applied whatever its id; recorded in
 * the reset history. `all` also closes the re-initialised OrderFlow incident.
 */
export async function POST(req: AuthenticatedMedusaRequest<AdminResetInventorySequencesType>, res: MedusaResponse) {
  const { sku, location_id, reason } = req.validatedBody
  const { result } = await resetInventorySequencesWorkflow(req.scope).run({
    input: { sku, location_id, reason: reason || null, by: req.auth_context?.actor_id ?? null },
  })
  res.json({ reset: result })
}
