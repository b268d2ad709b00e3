import OrderflowModuleService from "../../modules/orderflow/service"
import type { ExportItemStatus, OrderEditStatus } from "../../types"

/** How long an admin request waits for an export call carrying its order to settle. */
export const IN_FLIGHT_WAIT_MS = 20_000
const POLL_MS = 250

export type OrderExportRow = {
  id: string
  reference: string
  status: ExportItemStatus
  exported_at: Date | null
  unconfirmed_sent_at: Date | null
  send_started_at: Date | null
  cancel_status: string | null
  cancel_attempts: number
  cancel_next_attempt_at: Date | null
  cancel_error: string | null
  cancelled_at: Date | null
  edit_status: OrderEditStatus | null
  edit_message: string | null
  edit_at: Date | null
  synced_order_version: number | null
  synced_contact_hash: string | null
}

const FIELDS = [
  "id", "reference", "status", "exported_at", "unconfirmed_sent_at", "send_started_at",
  "cancel_status", "cancel_attempts", "cancel_next_attempt_at", "cancel_error", "cancelled_at",
  "edit_status", "edit_message", "edit_at", "synced_order_version", "synced_contact_hash",
]

/**
 * The order's export row, once no export call is carrying it: a row that is
 * `queued` is in a batch being sent, and whether OrderFlow has the order is
 * known only when that call settles (seconds, or the claim's lease after a
 * crash). Waits up to `waitMs`; returns the row still queued if it did not
 * settle, and null when the order has no row.
 */
export async function settledExportRow(orderflow: OrderflowModuleService, orderId: string, waitMs = IN_FLIGHT_WAIT_MS): Promise<OrderExportRow | null> {
  const deadline = Date.now() + waitMs
  for (;;) {
    const [row] = await orderflow.listOrderflowExportItems({ entity_type: "order", entity_id: orderId }, { select: FIELDS, take: 1 })
    if (!row) return null
    if (row.status !== "queued" || Date.now() >= deadline) return row as unknown as OrderExportRow
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
}

/** OrderFlow has, or may have, the order: accepted, or sent by a call whose answer never came. */
export function mayBeInOrderflow(row: Pick<OrderExportRow, "exported_at" | "unconfirmed_sent_at" | "send_started_at">): boolean {
  return !!(row.exported_at || row.unconfirmed_sent_at || row.send_started_at)
}

/** The fields a compensation puts back. */
export function restorable(row: OrderExportRow) {
  const { reference: _r, exported_at: _e, unconfirmed_sent_at: _u, send_started_at: _s, ...rest } = row
  return rest
}
