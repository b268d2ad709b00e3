import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../../lib/errors"
import type { BuiltDocument } from "../../lib/export/settle-plan"
import type { ExportItemRow } from "../../modules/orderflow/service"
import { currentSettings } from "../common/settings"
import { exportProductsWorkflow } from "./export-products"

/**
 * The product batch's build: runs the `orderflow-export-products` workflow
 * (load, map, the merchant's `productExportFields` hook, build). A build that
 * throws (a failing hook, say) rejects the batch's items with the reason, so
 * they are retried with back-off and alerted once the retries are used up,
 * rather than silently taken again on every run.
 */
export const buildProductDocumentStep = createStep(
  "orderflow-build-product-document",
  async ({ items }: { items: ExportItemRow[] }, { container }) => {
    if (!items.length) return new StepResponse<BuiltDocument>({ document: null, sent: [], rejected: [] })
    const settings = await currentSettings(container)
    try {
      const { result } = await exportProductsWorkflow(container).run({
        input: {
          items: items.map((i) => ({
            id: i.id,
            entity_id: i.entity_id,
            reference: i.reference,
            variant_id: i.variant_id,
            product_id: i.product_id,
            activated: i.activated,
          })),
          options: {
            channel: settings.api.channel,
            includeImage: settings.productExport.includeImage,
            placeholderImage: settings.productExport.placeholderImage,
            extendedFields: settings.productExport.extendedFields,
          },
        },
      })
      return new StepResponse<BuiltDocument>(result)
    } catch (e) {
      const message = `could not build the document: ${errorMessage(e)}`
      return new StepResponse<BuiltDocument>({ document: null, sent: [], rejected: items.map((i) => ({ id: i.id, reference: i.reference, message })) })
    }
  }
)
