import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { orderCanceledWorkflow } from "../workflows/cancel-order"

/**
 * An order was cancelled in Medusa. Medusa's cancel has already happened and
 * never waits for OrderFlow: the cancellation is recorded, sent at once when
 * OrderFlow has the order, and retried by the export job until it is done.
 */
export default async function orderflowOrderCanceled({ event, container }: SubscriberArgs<{ id: string }>) {
  if (!event.data?.id) return
  await orderCanceledWorkflow(container).run({ input: { order_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: "order.canceled",
  context: { subscriberId: "orderflow-order-canceled" },
}
