import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { queueOrdersForExportWorkflow } from "../workflows/export-orders"
import { processSoon } from "../workflows/run-operation"

/**
 * A payment was captured (the guide's "invoiced"): its order becomes Pending
 * for export once the captured amount covers the order.
 */
export default async function orderflowOrderPaid({ event, container }: SubscriberArgs<{ id: string }>) {
  if (!event.data?.id) return
  const { result } = await queueOrdersForExportWorkflow(container).run({ input: { payment_ids: [event.data.id], source: "event" } })
  // Exported within seconds, batched with the other orders paid meanwhile.
  if (result.queued.length) processSoon(container, "order_export")
}

export const config: SubscriberConfig = {
  event: "payment.captured",
  context: { subscriberId: "orderflow-order-paid" },
}
