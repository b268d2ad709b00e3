import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { testOrderflowConnectionWorkflow } from "../../../../../workflows/test-connection"
import { AdminTestOrderflowConnection } from "../validators"

/**
 * POST /admin/orderflow/settings/test — "Test connection" with the saved
 * settings overlaid with any unsaved values from the form; see
 * testOrderflowConnectionStep.
 */
export async function POST(req: AuthenticatedMedusaRequest<z.infer<typeof AdminTestOrderflowConnection>>, res: MedusaResponse) {
  const { result } = await testOrderflowConnectionWorkflow(req.scope).run({ input: { api: req.validatedBody?.api } })
  res.json({ result })
}
