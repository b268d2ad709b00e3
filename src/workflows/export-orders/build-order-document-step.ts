import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../../lib/errors"
import type { BuiltDocument } from "../../lib/export/settle-plan"
import type { ExportItemRow } from "../../modules/orderflow/service"
import { currentSettings } from "../common/settings"
import { buildOrderExportDocument } from "./build-order-document"

/**
 * The order batch's build (build-order-document.ts). A build that throws
 * rejects the batch's orders with the reason: retried with back-off and
 * alerted when the retries are used up, never silently taken again forever.
 */
export const buildOrderDocumentStep = createStep(
  "orderflow-build-order-document",
  async ({ items }: { items: ExportItemRow[] }, { container }) => {
    if (!items.length) return new StepResponse<BuiltDocument>({ document: null, sent: [], rejected: [] })
    try {
      return new StepResponse<BuiltDocument>(await buildOrderExportDocument(container, await currentSettings(container), items))
    } catch (e) {
      const message = `could not build the document: ${errorMessage(e)}`
      return new StepResponse<BuiltDocument>({ document: null, sent: [], rejected: items.map((i) => ({ id: i.id, reference: i.reference, message })) })
    }
  }
)
