import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { returnRequestedWorkflow } from "../workflows/returns"

/**
 * A return was requested in Medusa (admin "request return", or a return
 * created and completed at once). Medusa's return never waits for
 * OrderFlow: the return is recorded, sent at once when OrderFlow has the
 * order, and retried by the returns operation until it is accepted.
 */
export default async function orderflowReturnRequested({ event, container }: SubscriberArgs<{ order_id: string; return_id: string }>) {
  if (!event.data?.return_id || !event.data?.order_id) return
  await returnRequestedWorkflow(container).run({ input: { order_id: event.data.order_id, return_id: event.data.return_id } })
}

export const config: SubscriberConfig = {
  event: "order.return_requested",
  context: { subscriberId: "orderflow-return-requested" },
}
