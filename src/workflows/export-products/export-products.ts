import { createHook, createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { buildProductDocument, ExtraFields, ProductDocument } from "../../lib/product-export"
import { ExportProductsInput, PreparedProductExport, prepareProductExportStep, ProductExportLine } from "./prepare-product-export-step"

/** What a `productExportFields` hook handler receives. */
export type ProductExportFieldsHookInput = PreparedProductExport

function toDocument({ prepared, extra }: { prepared: PreparedProductExport; extra: ExtraFields | undefined }): ProductDocument {
  return buildProductDocument(
    {
      mapped: prepared.lines.map((l) => ({
        export_item_id: l.export_item_id,
        reference: l.reference,
        item: { type: "product", operation: "merge", externalReference: l.reference, fields: Object.entries(l.fields) },
      })),
      rejected: prepared.rejected,
    },
    extra
  )
}

/**
 * Builds the `<imports>` document for one batch of claimed SKUs (seed 002,
 * Product Import/Update, always `merge`): load and map (read-only), the
 * merchant's `productExportFields` hook, build. The call to OrderFlow and
 * the settling of every line are the export engine's
 * (src/workflows/export-batch), so this workflow writes nothing.
 *
 * Extension point: register one handler in your store
 * (src/workflows/hooks/orderflow-product-fields.ts); it receives the lines
 * (`{ lines: [{ reference, inventory_item_id, variant_id, product_id,
 * fields, ... }], rejected }`) and returns extra fields keyed by SKU, e.g.
 * `new StepResponse({ "TEE-M": { userDefined1: "summer" } })`. See
 * the README section "Product export".
 */
export const exportProductsWorkflow = createWorkflow("orderflow-export-products", (input: ExportProductsInput) => {
  const prepared = prepareProductExportStep(input)
  const productExportFields = createHook<"productExportFields", ProductExportFieldsHookInput, ExtraFields>("productExportFields", prepared)
  const document = transform({ prepared, extra: productExportFields.getResult() }, toDocument)
  return new WorkflowResponse(document, { hooks: [productExportFields] })
})

export type { ExportProductsInput, PreparedProductExport, ProductExportLine }
