import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { orderflowSyncOrderChangeWorkflow } from "../workflows/order-changes/sync-order-change"

/**
 * An order edit was confirmed, or an order's addresses or email changed. At
 * the admin routes OrderFlow was asked first and this finds nothing left to
 * do; a change made another way (another plugin, a script) is re-sent to
 * OrderFlow (reinsert) or marked blocked with one alert.
 */
export default async function orderflowOrderChanged({ event, container }: SubscriberArgs<{ id?: string; order_id?: string }>) {
  const orderId = event.data?.order_id ?? event.data?.id
  if (!orderId) return
  const applied = event.name === "order.updated" ? "contact" : "edit"
  await orderflowSyncOrderChangeWorkflow(container).run({ input: { order_id: orderId, kind: "applied", applied } })
}

export const config: SubscriberConfig = {
  event: ["order-edit.confirmed", "order.updated"],
  context: { subscriberId: "orderflow-order-changed" },
}
