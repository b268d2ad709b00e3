import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { orderflowReturnCondition, orderflowReturnReason, returnAuthorisation } from "../../lib/returns"
import type { ReturnStatus } from "../../types"
import { currentSettings, orderflowService } from "../common/settings"

/** How long the event's own attempt holds a new return before a returns run may send it. */
export const RETURN_SEND_LEASE_MS = 60_000

/** Export states of an order OrderFlow does not have yet but will: its returns wait. */
export const EXPORT_WAITING: readonly string[] = ["pending", "queued"]

/** Why a return is not sent for an order that will never reach OrderFlow. */
export function exportSkipReason(orderId: string, exportStatus: string): string {
  return `OrderFlow never received order ${orderId} (its export is ${exportStatus}): nothing to return there`
}

export type RecordReturnRequestInput = { return_id: string; order_id: string }

export type RecordedReturnRequest = {
  record_id: string | null
  status: ReturnStatus | null
  /** OrderFlow has the order and the return is new: send it now. */
  send_now: boolean
}

type ReturnFacts = {
  id: string
  display_id: number | null
  order_id: string
  requested_at: string | Date | null
  created_at: string | Date | null
  canceled_at: string | Date | null
  items: Array<{
    item_id: string
    quantity: unknown
    note: string | null
    reason: { value: string | null } | null
    item: { variant_sku: string | null } | null
  }>
}

/**
 * Records a return requested in Medusa (record first, act second): one
 * orderflow_return row per Medusa return, one orderflow_return_line per
 * returned item, with the reason and condition OrderFlow will get. A return
 * for an order OrderFlow never had (no export row, or never confirmed
 * exported), with returns disabled, or without a line with a SKU, is
 * recorded as skipped with the reason and never sent. A repeated event
 * finds the row and does nothing.
 */
export const recordReturnRequestStep = createStep(
  "orderflow-record-return-request",
  async ({ return_id, order_id }: RecordReturnRequestInput, { container }) => {
    const orderflow = orderflowService(container)
    const [existing] = await orderflow.listOrderflowReturns({ return_id }, { select: ["id", "status"], take: 1 })
    if (existing) return new StepResponse<RecordedReturnRequest, string | null>({ record_id: existing.id, status: existing.status, send_now: false }, null)

    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "return",
      fields: ["id", "display_id", "order_id", "requested_at", "created_at", "canceled_at", "items.item_id", "items.quantity", "items.note", "items.reason.value", "items.item.variant_sku"],
      filters: { id: return_id },
    })
    const ret = data[0] as unknown as ReturnFacts | undefined
    if (!ret) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Return ${return_id} of order ${order_id} not found`)

    const settings = await currentSettings(container)
    const [exportRow] = await orderflow.listOrderflowExportItems(
      { entity_type: "order", entity_id: ret.order_id },
      { select: ["id", "reference", "exported_at", "status"], take: 1 }
    )
    const lines = ret.items
      .filter((i) => Number(i.quantity) > 0)
      .map((i, n) => ({
        line_number: n + 1,
        item_id: i.item_id,
        sku: (i.item?.variant_sku ?? "").trim(),
        quantity: Number(i.quantity),
        medusa_reason: i.reason?.value ?? null,
        reason: orderflowReturnReason(i.reason?.value, settings.returns.reasons),
        condition: orderflowReturnCondition(i.reason?.value, settings.returns.conditions, settings.returns.defaultCondition),
      }))
    const sendable = lines.filter((l) => l.sku)
    let skip: string | null = null
    if (!settings.returns.enabled) skip = "Returns to OrderFlow are disabled (Settings → OrderFlow → Returns)"
    else if (!exportRow) skip = `OrderFlow never received order ${ret.order_id}: nothing to return there`
    else if (!exportRow.exported_at && !EXPORT_WAITING.includes(exportRow.status)) skip = exportSkipReason(ret.order_id, exportRow.status)
    else if (ret.canceled_at) skip = "The return was cancelled in Medusa"
    else if (!sendable.length) skip = "No returned item has a SKU OrderFlow knows"
    // An order still in the export queue: the return waits for it (the returns run sends it once it is exported).
    const sendNow = !skip && !!exportRow?.exported_at
    const requestedAt = new Date(ret.requested_at ?? ret.created_at ?? Date.now())
    const notes = [...new Set(ret.items.map((i) => i.note?.trim()).filter(Boolean))]
    const record = await orderflow.createOrderflowReturns({
      return_id: ret.id,
      order_id: ret.order_id,
      order_reference: exportRow?.reference ?? null,
      authorisation: returnAuthorisation(settings.orderExport.referencePrefix, ret.display_id, ret.id),
      status: skip ? "skipped" : "pending",
      skip_reason: skip,
      return_type: settings.returns.type,
      note: notes.join("; ") || null,
      requested_at: requestedAt,
      // The event sends it at once; the lease keeps a concurrent returns run off it meanwhile.
      next_attempt_at: sendNow ? new Date(Date.now() + RETURN_SEND_LEASE_MS) : null,
    })
    if (lines.length) {
      await orderflow.createOrderflowReturnLines(lines.map((l) => ({ ...l, return_record_id: record.id })))
    }
    return new StepResponse<RecordedReturnRequest, string | null>({ record_id: record.id, status: record.status, send_now: sendNow }, record.id)
  },
  async (recordId: string | null | undefined, { container }) => {
    if (!recordId) return
    const orderflow = orderflowService(container)
    const lines = await orderflow.listOrderflowReturnLines({ return_record_id: recordId }, { select: ["id"] })
    if (lines.length) await orderflow.deleteOrderflowReturnLines(lines.map((l) => l.id))
    await orderflow.deleteOrderflowReturns([recordId])
  }
)
