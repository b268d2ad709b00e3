import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"

/** How long the event's own attempt holds a cancellation before the export job may take it. */
export const CANCEL_LEASE_MS = 60_000

/** Cancellation states that need nothing more. */
const SETTLED = ["sent", "not_found", "withdrawn"]

type CancelFields = {
  id: string
  cancel_status: string | null
  cancel_attempts: number
  cancel_next_attempt_at: Date | null
  cancel_error: string | null
}

export type RequestedCancellation = {
  /** The order's export row, when there is something to cancel in OrderFlow or withdraw. */
  item_id: string | null
  /** OrderFlow has (or may have) the order: the cancellation is sent now. */
  send_now: boolean
}

/**
 * Records that Medusa cancelled the order (record first, act second): the
 * export row gets `cancel_status = pending`. Medusa's cancel never waits for
 * OrderFlow; sending (or withdrawing an order still waiting in the queue)
 * happens right after, and the export job retries until it is done. Orders
 * without a row, skipped ones and settled cancellations need nothing.
 */
export const requestOrderCancellationStep = createStep(
  "orderflow-request-order-cancellation",
  async ({ order_id }: { order_id: string }, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const [item] = await orderflow.listOrderflowExportItems(
      { entity_type: "order", entity_id: order_id },
      { select: ["id", "status", "exported_at", "cancel_status", "cancel_attempts", "cancel_next_attempt_at", "cancel_error"], take: 1 }
    )
    if (!item || item.status === "skipped" || item.status === "cancelled" || SETTLED.includes(item.cancel_status ?? "")) {
      return new StepResponse<RequestedCancellation, CancelFields | null>({ item_id: null, send_now: false }, null)
    }
    if (item.cancel_status === "pending" || item.cancel_status === "refused") {
      // Already requested (a repeated event), or refused: leave it as it is.
      return new StepResponse<RequestedCancellation, CancelFields | null>({ item_id: item.id, send_now: false }, null)
    }
    const sendNow = !!item.exported_at && item.status !== "queued"
    const previous: CancelFields = {
      id: item.id,
      cancel_status: item.cancel_status,
      cancel_attempts: item.cancel_attempts,
      cancel_next_attempt_at: item.cancel_next_attempt_at,
      cancel_error: item.cancel_error,
    }
    await orderflow.updateOrderflowExportItems({
      id: item.id,
      cancel_status: "pending",
      cancel_attempts: 0,
      cancel_error: null,
      // The event sends it at once; the lease keeps the export job off it meanwhile.
      cancel_next_attempt_at: sendNow ? new Date(Date.now() + CANCEL_LEASE_MS) : null,
    })
    return new StepResponse<RequestedCancellation, CancelFields | null>({ item_id: item.id, send_now: sendNow }, previous)
  },
  async (previous: CancelFields | null | undefined, { container }) => {
    if (!previous) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.updateOrderflowExportItems(previous)
  }
)
