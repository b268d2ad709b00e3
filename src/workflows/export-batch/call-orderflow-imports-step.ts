import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { performance } from "node:perf_hooks"
import { classifyError, errorMessage, OrderflowError } from "../../lib/errors"
import { CallFailure, sendIsolating } from "../../lib/export/isolate"
import type { SentItem } from "../../lib/export/line-outcome"
import { ImportResult, interpretImportReply } from "../../lib/xml/import-result"
import { subsetImportsDocument } from "../../lib/xml/imports-document"
import type { ExportEntityType } from "../../types"
import { orderflowClientFrom } from "../common/orderflow-client"
import { currentSettings, orderflowService } from "../common/settings"

export type ImportsCall = {
  /** Export item ids carried by this call. */
  ids: string[]
  document: string
  /** HTTP status and body when OrderFlow answered; null when no answer was read. */
  reply: { status: number; body: string } | null
  /** The importResult, when the call went through. */
  result: ImportResult | null
  /** Set when the call failed as a whole: no answer (network, timeout, configuration) or an answer that is not an importResult. */
  error: CallFailure | null
  /** Failed and sent again in halves (poison isolation): recorded, its items settled by the later calls. */
  split: boolean
  sent_at: string
  duration_ms: number
}

export type ImportsCalls = { calls: ImportsCall[] }

export type CallImportsInput = {
  entity_type: ExportEntityType
  document: string | null
  sent: SentItem[]
  claimed_by?: string | null
  /** Send the halves of a batch OrderFlow failed as a whole (see lib/export/isolate.ts). */
  isolate?: boolean
}

/**
 * Sends one `<imports>` document (seed 002: product import to
 * /remotewarehouse/imports/importitems.xml, order import to
 * /remoteorder/imports/importitems.xml) and, with `isolate`, its halves when
 * OrderFlow fails it as a whole. It cannot be undone, so it is the last step
 * before settling. Before calling it notes on the items when the call
 * started (`send_started_at`, see markExportItemsSending): if that write
 * fails it throws without calling, and the batch's items go back to pending.
 * After that it never throws — a failed call is an outcome that settling records.
 */
export const callOrderflowImportsStep = createStep(
  "orderflow-call-imports",
  async ({ entity_type, document, sent, claimed_by = null, isolate = false }: CallImportsInput, { container }) => {
    if (!document || !sent.length) return new StepResponse<ImportsCalls>({ calls: [] })
    const startedAt = new Date()
    await orderflowService(container).markExportItemsSending({ ids: sent.map((s) => s.id), claimedBy: claimed_by, at: startedAt })
    const referenceOf = new Map(sent.map((s) => [s.id, s.reference]))
    const client = orderflowClientFrom(await currentSettings(container))
    const calls: ImportsCall[] = []

    const sendPart = async (ids: string[]) => {
      const whole = ids.length === sent.length
      const body = whole ? document : subsetImportsDocument(document, ids.map((id) => referenceOf.get(id)!))
      const sentAt = calls.length ? new Date() : startedAt
      const started = performance.now()
      const call: ImportsCall = { ids, document: body, reply: null, result: null, error: null, split: false, sent_at: sentAt.toISOString(), duration_ms: 0 }
      try {
        const reply = entity_type === "product" ? await client.importProducts(body) : await client.importOrders(body)
        call.reply = { status: reply.status, body: reply.body }
        try {
          call.result = interpretImportReply(call.reply)
        } catch (e) {
          call.error = { message: errorMessage(e), status: reply.status, retry: classifyError(e), code: codeOf(e), answered: true }
        }
      } catch (e) {
        const status = e && typeof e === "object" && "status" in e && typeof e.status === "number" ? e.status : null
        call.error = { message: errorMessage(e), status, retry: classifyError(e), code: codeOf(e), answered: false }
      }
      call.duration_ms = performance.now() - started
      calls.push(call)
      return call.result ? { ok: true as const, result: call.result } : { ok: false as const, failure: call.error! }
    }

    const made = await sendIsolating(
      sent.map((s) => s.id),
      sendPart,
      { isolate }
    )
    made.forEach((m, i) => (calls[i].split = m.split))
    return new StepResponse<ImportsCalls>({ calls })
  }
)

const codeOf = (e: unknown): string | null => (e instanceof OrderflowError ? e.code : null)
