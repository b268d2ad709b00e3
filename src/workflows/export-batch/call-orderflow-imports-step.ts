import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { performance } from "node:perf_hooks"
import { errorMessage } from "../../lib/errors"
import type { ExportEntityType } from "../../types"
import { orderflowClientFrom } from "../common/orderflow-client"
import { currentSettings, orderflowService } from "../common/settings"

export type ImportsCall = {
  /** HTTP status and body when OrderFlow answered; null when no answer was read. */
  reply: { status: number; body: string } | null
  /** Set when the call failed before an answer could be read (network, timeout, configuration). */
  error: { message: string; status: number | null } | null
  sent_at: string
  duration_ms: number
}

/**
 * Sends one `<imports>` document (seed 002: product import to
 * /remotewarehouse/imports/importitems.xml, order import to
 * /remoteorder/imports/importitems.xml). It cannot be undone, so it is the
 * last step before settling. Before calling it notes on the items it carries
 * when the call started (`send_started_at`, see markExportItemsSending): if
 * that write fails it throws without calling, and the batch's items go back
 * to pending. After that it never throws — a failed call is an outcome that
 * settling records and retries with back-off.
 */
export const callOrderflowImportsStep = createStep(
  "orderflow-call-imports",
  async (
    { entity_type, document, ids = [], claimed_by = null }: { entity_type: ExportEntityType; document: string | null; ids?: string[]; claimed_by?: string | null },
    { container }
  ) => {
    const sentAt = new Date()
    if (!document) return new StepResponse<ImportsCall>({ reply: null, error: null, sent_at: sentAt.toISOString(), duration_ms: 0 })
    await orderflowService(container).markExportItemsSending({ ids, claimedBy: claimed_by, at: sentAt })
    const started = performance.now()
    try {
      const client = orderflowClientFrom(await currentSettings(container))
      const reply = entity_type === "product" ? await client.importProducts(document) : await client.importOrders(document)
      return new StepResponse<ImportsCall>({
        reply: { status: reply.status, body: reply.body },
        error: null,
        sent_at: sentAt.toISOString(),
        duration_ms: performance.now() - started,
      })
    } catch (e) {
      const status = e && typeof e === "object" && "status" in e && typeof e.status === "number" ? e.status : null
      return new StepResponse<ImportsCall>({
        reply: null,
        error: { message: errorMessage(e), status },
        sent_at: sentAt.toISOString(),
        duration_ms: performance.now() - started,
      })
    }
  }
)
