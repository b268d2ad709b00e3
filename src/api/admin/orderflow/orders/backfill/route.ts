import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { backfillOrdersWorkflow } from "../../../../../workflows/export-orders"
import { AdminBackfillOrderflowOrdersType } from "../validators"

/**
 * POST /admin/orderflow/orders/backfill — orders placed in [from, to) before
 * order export was enabled (or missed for longer than the sweep looks back).
 * `dry_run` (default true) only counts what would be queued; with
 * `dry_run: false` the eligible ones are queued and leave with the next runs.
 */
export async function POST(req: AuthenticatedMedusaRequest<AdminBackfillOrderflowOrdersType>, res: MedusaResponse) {
  const { from, to, dry_run } = req.validatedBody
  const { result: backfill } = await backfillOrdersWorkflow(req.scope).run({ input: { from, to, dry_run } })
  res.json({ backfill })
}
