import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ORDERFLOW_EVENTS } from "../types"
import { processSoon } from "../workflows/run-operation"

/**
 * A stock or despatch message was stored: run its import within a moment
 * (coalesced with whatever else arrives meanwhile) instead of at the next
 * scheduled run, which stays as the backstop.
 */
export default async function orderflowRequestReceived({ event, container }: SubscriberArgs<{ id: string; type: string }>) {
  if (event.data?.type === "inventory") processSoon(container, "inventory_import")
  else if (event.data?.type === "shipment") processSoon(container, "shipment_import")
}

export const config: SubscriberConfig = {
  event: ORDERFLOW_EVENTS.REQUEST_RECEIVED,
  context: { subscriberId: "orderflow-request-received" },
}
