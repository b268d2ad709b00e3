import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { queueOrdersForExportWorkflow } from "../workflows/export-orders"

/**
 * A payment was captured (the guide's "invoiced"): its order becomes Pending
 * for export once the captured amount covers the order.
 */
export default async function orderflowOrderPaid({ event, container }: SubscriberArgs<{ id: string }>) {
  if (!event.data?.id) return
  await queueOrdersForExportWorkflow(container).run({ input: { payment_ids: [event.data.id], source: "event" } })
}

export const config: SubscriberConfig = {
  event: "payment.captured",
  context: { subscriberId: "orderflow-order-paid" },
}
