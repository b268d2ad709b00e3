import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { checkAlarmsWorkflow } from "../../../../../workflows/incidents"

/**
 * POST /admin/orderflow/alarms/check — evaluates the alarms now (the job
 * does it every minute): which fire, incidents opened (alerted) and cleared.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await checkAlarmsWorkflow(req.scope).run({ input: {} })
  res.json({ alarms: result })
}
