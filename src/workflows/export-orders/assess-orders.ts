import { MedusaContainer } from "@medusajs/framework/types"
import { assessOrder, IneligibleCode, orderReference } from "../../lib/order-export"
import { KnownOrderRow, loadExportRows, loadOrderFacts } from "./load-order-facts"

export type OrderAssessment = {
  order_id: string
  display_id: number | null
  /** prefix + display id; null when the order does not exist. */
  reference: string | null
  /** The order's export row, when it already has one. */
  existing: KnownOrderRow | null
  eligible: boolean
  code: IneligibleCode | "not_found" | null
  reason: string | null
}

/**
 * Eligibility of each order (lib/order-export/eligibility.ts) with its export
 * row, in a fixed number of queries for the whole set. Read-only.
 */
export async function assessOrders(
  container: MedusaContainer,
  orderIds: string[],
  { exportFrom, referencePrefix }: { exportFrom: Date | null; referencePrefix: string }
): Promise<OrderAssessment[]> {
  const ids = [...new Set(orderIds)]
  if (!ids.length) return []
  const [facts, rows] = await Promise.all([loadOrderFacts(container, ids), loadExportRows(container, ids)])
  return ids.map((id): OrderAssessment => {
    const order = facts.orders.get(id)
    const existing = rows.get(id) ?? null
    if (!order) {
      return { order_id: id, display_id: null, reference: null, existing, eligible: false, code: "not_found", reason: "no such order" }
    }
    const verdict = assessOrder(order, facts.variants, { exportFrom })
    return {
      order_id: id,
      display_id: Number(order.display_id),
      reference: existing?.reference ?? orderReference(referencePrefix, order.display_id),
      existing,
      eligible: verdict.eligible,
      code: verdict.eligible ? null : verdict.code,
      reason: verdict.eligible ? null : verdict.reason,
    }
  })
}
