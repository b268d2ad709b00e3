import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { exportOrdersNowWorkflow } from "../../../../../workflows/export-orders"
import { AdminExportOrderflowOrdersType } from "../validators"

/**
 * POST /admin/orderflow/orders/export — export these orders now (seed 000,
 * "Manual Order Export"). One outcome per order: exported, duplicate,
 * failed (with OrderFlow's message), retrying, or why it was not sent
 * (not_eligible with the reason, e.g. "not paid"; already_exported; skipped).
 */
export async function POST(req: AuthenticatedMedusaRequest<AdminExportOrderflowOrdersType>, res: MedusaResponse) {
  const { result: orders } = await exportOrdersNowWorkflow(req.scope).run({ input: { order_ids: req.validatedBody.ids } })
  const count = (outcome: string) => orders.filter((o) => o.outcome === outcome).length
  res.json({
    orders,
    summary: {
      requested: orders.length,
      exported: count("exported") + count("duplicate"),
      failed: count("failed") + count("retrying"),
      not_sent: orders.length - count("exported") - count("duplicate") - count("failed") - count("retrying"),
    },
  })
}
