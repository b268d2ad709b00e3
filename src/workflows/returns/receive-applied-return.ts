import {
  beginReceiveReturnWorkflow,
  confirmReturnReceiveWorkflow,
  dismissItemReturnRequestWorkflow,
  receiveItemReturnRequestWorkflow,
} from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { AppliedReturn, OpenReturn, planReceipt, ReceivePlan, receiveItems, RestockAction } from "../../lib/returns"
import { currentSettings, orderflowService } from "../common/settings"

export type ReceiveAppliedReturnInput = { applied: AppliedReturn }

export type PreparedReceipt = {
  /** duplicate: already processed under this OrderFlow id (an overlapping pull). */
  kind: "receive" | "unmatched" | "duplicate"
  applied_id: string | null
  plan: ReceivePlan | null
}

export type ReceiptOutcome = {
  orderflow_id: string
  kind: "received" | "unmatched" | "duplicate"
  applied_id: string | null
  order_id: string | null
  return_id: string | null
  message: string | null
  restocked: number
  damaged: number
}

/** Medusa return states that can still be received. */
const OPEN_MEDUSA_RETURN = ["requested", "partially_received"]

const linesText = (applied: AppliedReturn) =>
  applied.lines.map((l) => `${l.productReference}×${l.quantity}${l.returnCondition ? ` (${l.returnCondition})` : ""}`).join("; ")

/**
 * Records the applied return under OrderFlow's id before anything is done
 * with it (record first): the unique index on orderflow_id makes a second
 * pull of the same return a duplicate, even when two pulls race. It is
 * matched (lib/returns/receive-plan.ts) to a return we sent for the order
 * (orderReference, else originatingOrderReference) that is still open.
 * The compensation removes the row, so a receipt Medusa refused is recorded
 * again as failed by the caller.
 */
export const prepareAppliedReturnStep = createStep(
  "orderflow-prepare-applied-return",
  async ({ applied }: ReceiveAppliedReturnInput, { container }) => {
    const orderflow = orderflowService(container)
    const [seen] = await orderflow.listOrderflowAppliedReturns({ orderflow_id: applied.id }, { select: ["id"], take: 1 })
    if (seen) return new StepResponse<PreparedReceipt, string | null>({ kind: "duplicate", applied_id: seen.id, plan: null }, null)
    const settings = await currentSettings(container)
    const references = [...new Set([applied.orderReference, applied.originatingOrderReference].filter(Boolean))]
    const records = references.length
      ? await orderflow.listOrderflowReturns({ order_reference: references, status: "sent" }, { order: { sent_at: "ASC" } })
      : []
    // Only returns Medusa still expects: one received or cancelled by hand meanwhile is not received again.
    const statuses = new Map<string, string>()
    if (records.length) {
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({ entity: "return", fields: ["id", "status", "canceled_at"], filters: { id: records.map((r) => r.return_id) } })
      for (const r of data) statuses.set(r.id, r.canceled_at ? "canceled" : String(r.status))
    }
    const open = records.filter((r) => OPEN_MEDUSA_RETURN.includes(statuses.get(r.return_id) ?? ""))
    const closed = records.length - open.length
    const lines = open.length ? await orderflow.listOrderflowReturnLines({ return_record_id: open.map((r) => r.id) }, { order: { line_number: "ASC" } }) : []
    const candidates: OpenReturn[] = open.map((r) => ({
      record_id: r.id,
      return_id: r.return_id,
      order_id: r.order_id,
      lines: lines.filter((l) => l.return_record_id === r.id).map((l) => ({ item_id: l.item_id, sku: l.sku, quantity: l.quantity, condition: l.condition })),
    }))
    let plan = planReceipt(applied, candidates, settings.returns.restock as Record<string, RestockAction>)
    if (plan.kind === "unmatched" && closed) {
      plan = { kind: "unmatched", reason: `${plan.reason}; ${closed} return(s) sent for the order were already received or cancelled in Medusa` }
    }
    const row = await orderflow.createOrderflowAppliedReturns({
      orderflow_id: applied.id,
      status: plan.kind === "receive" ? "received" : "unmatched",
      order_reference: applied.orderReference || null,
      originating_order_reference: applied.originatingOrderReference || null,
      completed: applied.completed || null,
      line_count: applied.lines.length,
      total_quantity: applied.lines.reduce((n, l) => n + l.quantity, 0),
      lines_text: linesText(applied).slice(0, 4000) || null,
      return_record_id: plan.kind === "receive" ? plan.record_id : null,
      order_id: plan.kind === "receive" ? plan.order_id : null,
      return_id: plan.kind === "receive" ? plan.return_id : null,
      restocked_quantity: plan.kind === "receive" ? plan.lines.filter((l) => l.action === "restock").reduce((n, l) => n + l.quantity, 0) : 0,
      damaged_quantity: plan.kind === "receive" ? plan.lines.filter((l) => l.action === "damaged").reduce((n, l) => n + l.quantity, 0) : 0,
      error: plan.kind === "unmatched" ? plan.reason : null,
    })
    return new StepResponse<PreparedReceipt, string | null>({ kind: plan.kind, applied_id: row.id, plan }, row.id)
  },
  async (id: string | null | undefined, { container }) => {
    if (id) await orderflowService(container).deleteOrderflowAppliedReturns([id])
  }
)

type ReturnRecordSnapshot = { id: string; status: "sent"; orderflow_return_id: null; received_at: null }
type LineSnapshot = { id: string; received_quantity: number; damaged_quantity: number; applied_condition: string | null }

/** Our return and its lines after the receipt: received, with what came back per line. Compensation restores them. */
export const settleReceiptStep = createStep(
  "orderflow-settle-return-receipt",
  async ({ prepared, applied }: { prepared: PreparedReceipt; applied: AppliedReturn }, { container }) => {
    if (prepared.kind !== "receive" || prepared.plan?.kind !== "receive") return new StepResponse<null, { record: ReturnRecordSnapshot; lines: LineSnapshot[] } | null>(null, null)
    const plan = prepared.plan
    const orderflow = orderflowService(container)
    const lines = await orderflow.listOrderflowReturnLines({ return_record_id: plan.record_id })
    const before: LineSnapshot[] = lines.map((l) => ({ id: l.id, received_quantity: l.received_quantity, damaged_quantity: l.damaged_quantity, applied_condition: l.applied_condition }))
    const updates = lines
      .map((l) => {
        const got = plan.lines.filter((p) => p.item_id === l.item_id && p.sku === l.sku)
        if (!got.length) return null
        return {
          id: l.id,
          received_quantity: l.received_quantity + got.filter((g) => g.action === "restock").reduce((n, g) => n + g.quantity, 0),
          damaged_quantity: l.damaged_quantity + got.filter((g) => g.action === "damaged").reduce((n, g) => n + g.quantity, 0),
          applied_condition: got.map((g) => g.condition).join(", "),
        }
      })
      .filter((u): u is NonNullable<typeof u> => !!u)
    if (updates.length) await orderflow.updateOrderflowReturnLines(updates)
    await orderflow.updateOrderflowReturns({ id: plan.record_id, status: "received", orderflow_return_id: applied.id, received_at: new Date() })
    return new StepResponse<null, { record: ReturnRecordSnapshot; lines: LineSnapshot[] } | null>(null, {
      record: { id: plan.record_id, status: "sent", orderflow_return_id: null, received_at: null },
      lines: before,
    })
  },
  async (previous, { container }) => {
    if (!previous) return
    const orderflow = orderflowService(container)
    if (previous.lines.length) await orderflow.updateOrderflowReturnLines(previous.lines)
    await orderflow.updateOrderflowReturns(previous.record)
  }
)

const receives = (p: PreparedReceipt) => p.kind === "receive" && p.plan?.kind === "receive"
const itemsFor = (p: PreparedReceipt, action: RestockAction) => (p.plan?.kind === "receive" ? receiveItems(p.plan.lines, action) : [])

/**
 * One applied return from OrderFlow: record it (once, by OrderFlow's id),
 * then receive the matched Medusa return through Medusa's own receive
 * workflows — begin receive → receive the restockable items (Medusa puts them
 * back in stock at the return's location) → dismiss the damaged ones
 * (received, not restocked) → confirm — then settle our records. Refunds are
 * left to Medusa (the admin refunds as usual).
 */
export const receiveAppliedReturnWorkflow = createWorkflow("orderflow-receive-applied-return", (input: ReceiveAppliedReturnInput) => {
  const prepared = prepareAppliedReturnStep(input)
  when("orderflow-return-receipt-begins", { prepared }, ({ prepared }) => receives(prepared)).then(() => {
    beginReceiveReturnWorkflow.runAsStep({
      input: transform({ prepared }, ({ prepared }) => ({
        return_id: (prepared.plan as Extract<ReceivePlan, { kind: "receive" }>).return_id,
        description: "Applied in OrderFlow",
      })),
    })
  })
  when("orderflow-return-receipt-restocks", { prepared }, ({ prepared }) => receives(prepared) && itemsFor(prepared, "restock").length > 0).then(() => {
    receiveItemReturnRequestWorkflow.runAsStep({
      input: transform({ prepared }, ({ prepared }) => ({
        return_id: (prepared.plan as Extract<ReceivePlan, { kind: "receive" }>).return_id,
        items: itemsFor(prepared, "restock"),
      })),
    })
  })
  when("orderflow-return-receipt-damaged", { prepared }, ({ prepared }) => receives(prepared) && itemsFor(prepared, "damaged").length > 0).then(() => {
    dismissItemReturnRequestWorkflow.runAsStep({
      input: transform({ prepared }, ({ prepared }) => ({
        return_id: (prepared.plan as Extract<ReceivePlan, { kind: "receive" }>).return_id,
        items: itemsFor(prepared, "damaged"),
      })),
    })
  })
  when("orderflow-return-receipt-confirms", { prepared }, ({ prepared }) => receives(prepared)).then(() => {
    confirmReturnReceiveWorkflow.runAsStep({
      input: transform({ prepared }, ({ prepared }) => ({ return_id: (prepared.plan as Extract<ReceivePlan, { kind: "receive" }>).return_id })),
    })
  })
  settleReceiptStep({ prepared, applied: input.applied })
  return new WorkflowResponse(
    transform({ prepared, input }, ({ prepared, input }): ReceiptOutcome => {
      const plan = prepared.plan
      return {
        orderflow_id: input.applied.id,
        kind: prepared.kind === "receive" ? "received" : prepared.kind,
        applied_id: prepared.applied_id,
        order_id: plan?.kind === "receive" ? plan.order_id : null,
        return_id: plan?.kind === "receive" ? plan.return_id : null,
        message: plan?.kind === "unmatched" ? plan.reason : null,
        restocked: plan?.kind === "receive" ? plan.lines.filter((l) => l.action === "restock").reduce((n, l) => n + l.quantity, 0) : 0,
        damaged: plan?.kind === "receive" ? plan.lines.filter((l) => l.action === "damaged").reduce((n, l) => n + l.quantity, 0) : 0,
      }
    })
  )
})
