import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { queueProductExportWorkflow } from "../workflows/export-products"
import { processSoon } from "../workflows/run-operation"

/** Medusa sends one event per id; an array is accepted too. */
const idsOf = (data: { id: string | string[] }) => [data?.id ?? []].flat().filter((id): id is string => typeof id === "string" && id !== "")

/**
 * A product was created, edited or deleted: its SKUs go back to Pending
 * (seed 000, implicit export); a deleted product's SKUs are switched off in
 * OrderFlow (activated=false). Only product and variant events are listened
 * to, never inventory ones, so stock written by the inventory import cannot
 * send a product again.
 */
export default async function orderflowProductChanged({ event, container }: SubscriberArgs<{ id: string | string[] }>) {
  const ids = idsOf(event.data)
  if (!ids.length) return
  const { result } = await queueProductExportWorkflow(container).run({ input: { product_ids: ids } })
  // Sent within seconds, batched with the other changes made meanwhile.
  if (result.pending || result.removed) processSoon(container, "product_export")
}

export const config: SubscriberConfig = {
  event: ["product.created", "product.updated", "product.deleted"],
  context: { subscriberId: "orderflow-product-changed" },
}
