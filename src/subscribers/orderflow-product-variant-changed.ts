import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { queueProductExportWorkflow } from "../workflows/export-products"
import { processSoon } from "../workflows/run-operation"

/** Medusa sends one event per id; an array is accepted too. */
const idsOf = (data: { id: string | string[] }) => [data?.id ?? []].flat().filter((id): id is string => typeof id === "string" && id !== "")

/**
 * A variant was created, edited (title, SKU, barcode, sizes, prices) or
 * deleted: its SKU goes back to Pending, or is switched off in OrderFlow
 * when the variant is gone.
 */
export default async function orderflowProductVariantChanged({ event, container }: SubscriberArgs<{ id: string | string[] }>) {
  const ids = idsOf(event.data)
  if (!ids.length) return
  const { result } = await queueProductExportWorkflow(container).run({ input: { variant_ids: ids } })
  // Sent within seconds, batched with the other changes made meanwhile.
  if (result.pending || result.removed) processSoon(container, "product_export")
}

export const config: SubscriberConfig = {
  event: ["product-variant.created", "product-variant.updated", "product-variant.deleted"],
  context: { subscriberId: "orderflow-product-variant-changed" },
}
