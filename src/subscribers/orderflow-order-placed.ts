import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { queueOrdersForExportWorkflow } from "../workflows/export-orders"
import { processSoon } from "../workflows/run-operation"

/**
 * An order was placed (cart completion, draft order converted): it becomes
 * Pending for export when it is already eligible (paid, with stock items).
 * Most orders are not paid yet here; payment.captured queues those later,
 * and the export job's sweep catches any event that was lost.
 */
export default async function orderflowOrderPlaced({ event, container }: SubscriberArgs<{ id: string }>) {
  if (!event.data?.id) return
  const { result } = await queueOrdersForExportWorkflow(container).run({ input: { order_ids: [event.data.id], source: "event" } })
  // Exported within seconds, batched with the other orders paid meanwhile.
  if (result.queued.length) processSoon(container, "order_export")
}

export const config: SubscriberConfig = {
  event: "order.placed",
  context: { subscriberId: "orderflow-order-placed" },
}
