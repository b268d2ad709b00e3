import { MedusaContainer } from "@medusajs/framework/types"
import { loadChangeExportRows, orderChangeIdsSince } from "./load-order-changes"
import { queueOrderChangesForExportWorkflow } from "./queue-order-changes"
import { SWEEP_LOOKBACK_MS } from "./sweep-missed-orders"

const QUEUE_CHUNK = 200

export type ChangeSweepResult = { candidates: number; unknown: number; queued: number; skipped: number }

/**
 * The safety net of the order.claim_created / order.exchange_created
 * subscriber: claims and exchanges created since max(exportFrom, now - 72 h)
 * that have no export row are assessed and queued as the event would have.
 * Those not confirmed yet ship nothing and are looked at again next run.
 */
export async function sweepMissedOrderChanges(container: MedusaContainer, { exportFrom, now }: { exportFrom: Date; now: Date }): Promise<ChangeSweepResult> {
  const since = new Date(Math.max(exportFrom.getTime(), now.getTime() - SWEEP_LOOKBACK_MS))
  const ids = await orderChangeIdsSince(container, since)
  const known = new Set((await loadChangeExportRows(container, ids)).map((r) => r.entity_id))
  const unknown = ids.filter((id) => !known.has(id))
  const result: ChangeSweepResult = { candidates: ids.length, unknown: unknown.length, queued: 0, skipped: 0 }
  for (let i = 0; i < unknown.length; i += QUEUE_CHUNK) {
    const { result: queued } = await queueOrderChangesForExportWorkflow(container).run({
      input: { change_ids: unknown.slice(i, i + QUEUE_CHUNK), source: "sweep" },
    })
    result.queued += queued.queued.length
    result.skipped += queued.skipped.length
  }
  return result
}
