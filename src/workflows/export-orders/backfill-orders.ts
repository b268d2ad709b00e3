import { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { assessOrders } from "./assess-orders"
import { loadExportRows } from "./load-order-facts"
import { queueOrdersForExportWorkflow } from "./queue-orders-for-export"

/** One backfill handles at most this many orders; split larger ranges. */
export const BACKFILL_MAX_ORDERS = 20_000
const PAGE = 500

export type BackfillResult = {
  dry_run: boolean
  from: string
  to: string
  /** Orders placed in [from, to). */
  orders: number
  /** Already known to the export (pending, exported, failed, skipped...): left as they are. */
  already_known: number
  /** Eligible: queued, or with dry_run, would be queued. */
  eligible: number
  /** Paid, but nothing in them is shipped from stock: recorded as skipped (or would be). */
  skipped: number
  /** Not eligible, counted by reason code (not_paid, canceled, draft...). */
  not_eligible: Record<string, number>
}

/**
 * Backfill (issue: orders placed before the plugin was enabled are exported
 * only when the admin asks): every order placed in [from, to) that the export
 * does not know yet is assessed and, unless `dryRun`, queued exactly as the
 * events would queue it — without the exportFrom boundary. Orders already
 * known are never touched, so running a backfill twice queues nothing twice.
 */
export async function backfillOrders(
  container: MedusaContainer,
  { from, to, dryRun }: { from: Date; to: Date; dryRun: boolean }
): Promise<BackfillResult> {
  if (!(from.getTime() < to.getTime())) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "from must be before to")
  }
  const orderModule = container.resolve(Modules.ORDER)
  const filters = { created_at: { $gte: from.toISOString(), $lt: to.toISOString() } }
  const [, total] = await orderModule.listAndCountOrders(filters, { select: ["id"], take: 1 })
  if (total > BACKFILL_MAX_ORDERS) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `${total} orders were placed in that range; a backfill takes at most ${BACKFILL_MAX_ORDERS}: split the range`
    )
  }
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const { settings } = await orderflow.getCurrentSettings()
  const result: BackfillResult = {
    dry_run: dryRun,
    from: from.toISOString(),
    to: to.toISOString(),
    orders: 0,
    already_known: 0,
    eligible: 0,
    skipped: 0,
    not_eligible: {},
  }
  for (let skip = 0; ; skip += PAGE) {
    const page = await orderModule.listOrders(filters, { select: ["id"], take: PAGE, skip, order: { created_at: "ASC" } })
    result.orders += page.length
    const known = await loadExportRows(
      container,
      page.map((o) => o.id)
    )
    result.already_known += known.size
    const unknown = page.map((o) => o.id).filter((id) => !known.has(id))
    if (unknown.length) {
      const assessments = dryRun
        ? await assessOrders(container, unknown, { exportFrom: null, referencePrefix: settings.orderExport.referencePrefix })
        : (await queueOrdersForExportWorkflow(container).run({ input: { order_ids: unknown, source: "backfill" } })).result.assessments
      for (const a of assessments) {
        if (a.eligible) result.eligible++
        else if (a.code === "no_stock_items") result.skipped++
        else result.not_eligible[a.code ?? "unknown"] = (result.not_eligible[a.code ?? "unknown"] ?? 0) + 1
      }
    }
    if (page.length < PAGE) break
  }
  return result
}
