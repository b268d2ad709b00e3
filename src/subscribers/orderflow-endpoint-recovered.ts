import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ORDERFLOW_EVENTS } from "../types"
import { processSoon } from "../workflows/run-operation"

/**
 * OrderFlow answered again after an outage (the circuit closed) or a block
 * was lifted by a successful call: what waited goes now, in full batches,
 * instead of at the next scheduled run.
 */
export default async function orderflowEndpointRecovered({ event, container }: SubscriberArgs<{ operation: string }>) {
  const operation = event.data?.operation
  if (operation === "order_export" || operation === "product_export") processSoon(container, operation, 0)
}

export const config: SubscriberConfig = {
  event: ORDERFLOW_EVENTS.ENDPOINT_RECOVERED,
  context: { subscriberId: "orderflow-endpoint-recovered" },
}
