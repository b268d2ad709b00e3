import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { queueOrderChangesForExportWorkflow } from "../workflows/export-orders"
import { processSoon } from "../workflows/run-operation"

/**
 * A claim or exchange was confirmed: its new items become an order of their
 * own for OrderFlow (`<ref>-C1`, `<ref>-X1`), queued with the orders.
 */
export default async function orderflowOrderChangeCreated({
  event,
  container,
}: SubscriberArgs<{ order_id?: string; claim_id?: string; exchange_id?: string }>) {
  const id = event.data?.claim_id ?? event.data?.exchange_id
  if (!id) return
  const { result } = await queueOrderChangesForExportWorkflow(container).run({ input: { change_ids: [id], source: "event" } })
  if (result.queued.length) processSoon(container, "order_export")
}

export const config: SubscriberConfig = {
  event: ["order.claim_created", "order.exchange_created"],
  context: { subscriberId: "orderflow-order-change-created" },
}
