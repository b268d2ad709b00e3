import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { looksReinitialised } from "../../lib/inventory/reinitialised-push"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { fromPlannedLineRow, PreparedInventoryImport } from "./prepare-inventory-import-step"

export type InventoryImportOutcome = {
  request_id: string
  import_id: string
  lines: number
  applied: number
  stale: number
  unknown_sku: number
  failed: number
  message_seq_id: number | null
  /** One failed line per distinct message (its SKU and message), for the alerts. */
  failed_lines: Array<{ sku: string; message: string }>
  /** Every line with a stored sequence id was below it, in a message long enough to be a full push: OrderFlow was re-initialised. */
  reinitialised?: boolean
  /** With `reinitialised`: the lowest id received and the highest stored, for the alert. */
  seq_range?: { received_min: number; stored_max: number }
}

/** The failed lines of a message, one per distinct message: a renamed site fails every line with the same text. */
type RecordedLine = ReturnType<typeof fromPlannedLineRow>

function distinctFailures(lines: RecordedLine[]) {
  const seen = new Map<string, { sku: string; message: string }>()
  for (const l of lines) {
    if (l.outcome !== "failed") continue
    const message = l.message ?? "failed"
    if (!seen.has(message)) seen.set(message, { sku: l.sku, message })
  }
  return [...seen.values()]
}

function reinitialisation(lines: RecordedLine[]) {
  if (!looksReinitialised(lines)) return {}
  const compared = lines.filter((l) => l.previousSeq !== null)
  return {
    reinitialised: true,
    seq_range: { received_min: Math.min(...compared.map((l) => l.seq)), stored_max: Math.max(...compared.map((l) => l.previousSeq as number)) },
  }
}

/**
 * Last step: the import reports, the new sequence ids and the requests
 * marked processed, in one transaction. If it fails, the stock written by
 * the previous step is compensated, so stock and sequence ids change
 * together; the same when the requests are no longer this run's claim
 * (another worker took them after the lease passed and will apply them
 * itself). Nothing after it can fail, so it needs no compensation itself.
 */
export const recordInventoryImportStep = createStep(
  "orderflow-record-inventory-import",
  async (plan: PreparedInventoryImport, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const now = new Date()
    const duration = Math.round((now.getTime() - new Date(plan.started_at).getTime()) / Math.max(1, plan.messages.length))
    const count = (lines: RecordedLine[], o: string) => lines.filter((l) => l.outcome === o).length
    const messages = plan.messages.map((m) => ({ requestId: m.request_id, messageSeqId: m.message_seq_id, lines: m.lines.map(fromPlannedLineRow) }))
    const recorded = await orderflow.recordImports({
      imports: messages.map((m) => {
        const failed = count(m.lines, "failed")
        return {
          request_id: m.requestId,
          type: "inventory" as const,
          message_seq_id: m.messageSeqId,
          status: failed === 0 ? ("success" as const) : failed < m.lines.length ? ("partial" as const) : ("failed" as const),
          duration_ms: duration,
          lines: m.lines.map((l) => ({
            sku: l.sku,
            source: l.source,
            location_id: l.locationId,
            inventory_item_id: l.inventoryItemId,
            received_qty: l.receivedQty,
            seq_id: l.seq,
            previous_seq_id: l.previousSeq,
            unsent_order_qty: l.unsentOrderQty,
            active_cart_qty: l.activeCartQty,
            reserved_qty: l.reservedQty,
            applied_qty: l.appliedQty,
            outcome: l.outcome,
            message: l.message,
          })),
        }
      }),
      sequence_writes: plan.sequences.map(([sku, location_id, seq_id]) => ({ sku, location_id, seq_id })),
      now,
      claimed_by: plan.claimed_by,
    })
    const importOf = new Map(recorded.map((r) => [r.request_id, r.import_id]))
    return new StepResponse<InventoryImportOutcome[]>(
      messages.map((m) => ({
        request_id: m.requestId,
        import_id: importOf.get(m.requestId)!,
        lines: m.lines.length,
        applied: count(m.lines, "applied"),
        stale: count(m.lines, "stale"),
        unknown_sku: count(m.lines, "unknown_sku"),
        failed: count(m.lines, "failed"),
        message_seq_id: m.messageSeqId,
        failed_lines: distinctFailures(m.lines),
        ...reinitialisation(m.lines),
      }))
    )
  }
)
