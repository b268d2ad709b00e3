import { createHash } from "node:crypto"
import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { OrderEditPlan, interpretReinsertReply, planOrderEdit } from "../../lib/order-changes/edit-plan"
import {
  buildOrderImportsDocument,
  mapOrder,
  planOrderLines,
  SourceAddress,
  SourceLineItem,
  SourceOrder,
  withoutChangeItems,
} from "../../lib/order-export"
import { OrderflowSettings } from "../../lib/settings"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { callOrderflow } from "../cancel-order/call-orderflow"
import { recordOrderCall } from "../cancel-order/record-order-call"
import { loadOrderFacts, loadVariants } from "../export-orders/load-order-facts"
import { loadOrderChanges } from "../export-orders/load-order-changes"
import { sendAlertStep, SendAlertInput } from "../send-alert/send-alert-step"
import { mayBeInOrderflow, OrderExportRow, restorable, settledExportRow } from "./in-flight"

// An exported order changed in Medusa (an order edit; new delivery, invoice
// or contact details) must change in OrderFlow too, or the warehouse ships
// the old content. Seed 002 offers order line cancellation and, from
// OrderFlow 4.3.3, `reinsert`; lib/order-changes/edit-plan.ts picks one.
// At the admin routes (src/api/admin/orders-orderflow/middlewares.ts) this
// runs before Medusa applies the change, and OrderFlow's "no" refuses it.
// A change that reached Medusa some other way (the `order-edit.confirmed`
// and `order.updated` events) can only be followed: reinsert, or `blocked`
// with one alert.

export type ContactPatch = { shipping_address?: SourceAddress | null; billing_address?: SourceAddress | null; email?: string | null }

export type SyncOrderChangeInput = {
  order_id: string
  /** edit: an order edit about to be confirmed (its preview); contact: the order's details about to change; applied: Medusa changed it already. */
  kind: "edit" | "contact" | "applied"
  contact?: ContactPatch
  /** For `applied`: what changed (an order edit moves the order's version; an address change does not). */
  applied?: "edit" | "contact"
}

type Prepared = {
  order_id: string
  kind: SyncOrderChangeInput["kind"]
  row: OrderExportRow | null
  reference: string
  /** The Medusa order version OrderFlow's copy will reflect when this goes through. */
  target_version: number
  /** The contact details OrderFlow's copy will have (fingerprint). */
  target_contact_hash: string
  plan: OrderEditPlan | { kind: "busy"; reason: string }
  document: string | null
}

export type SyncOrderChangeResult = {
  /** The admin route may let Medusa apply the change. */
  proceed: boolean
  /** Something was sent to OrderFlow. */
  called: boolean
  reference: string
  status: "none" | "synced" | "refused" | "blocked"
  message: string
  alert: SendAlertInput | null
}

type CallRecord = { operation: "order_line_cancel" | "order_reinsert"; request: string; http_status: number | null; body: string | null; duration_ms: number; ok: boolean; message: string }
type SendResult = { outcome: "done" | "refused" | "retry" | "partial" | "none"; message: string; calls: CallRecord[] }

const ADDRESS_KEYS: Array<keyof SourceAddress> = ["first_name", "last_name", "company", "address_1", "address_2", "city", "province", "postal_code", "country_code", "phone"]

function contactChanged(source: SourceOrder, patch: ContactPatch): boolean {
  const differs = (now: SourceAddress | null | undefined, next: SourceAddress | null | undefined) =>
    next !== undefined && ADDRESS_KEYS.some((k) => k in (next ?? {}) && String((next ?? {})[k] ?? "") !== String((now ?? {})[k] ?? ""))
  return (
    differs(source.shipping_address, patch.shipping_address) ||
    differs(source.billing_address, patch.billing_address) ||
    (patch.email !== undefined && (patch.email ?? "") !== (source.email ?? ""))
  )
}

/** A fingerprint of what OrderFlow holds of the order's contact details (both addresses and the email). */
export function contactHash(source: Pick<SourceOrder, "shipping_address" | "billing_address" | "email">): string {
  const pick = (a: SourceAddress | null | undefined) => ADDRESS_KEYS.map((k) => String(a?.[k] ?? ""))
  return createHash("sha256")
    .update(JSON.stringify([pick(source.shipping_address), pick(source.billing_address), source.email ?? ""]))
    .digest("hex")
    .slice(0, 32)
}

function withContact(source: SourceOrder, patch: ContactPatch): SourceOrder {
  return {
    ...source,
    email: patch.email !== undefined ? patch.email : source.email,
    shipping_address: patch.shipping_address !== undefined ? { ...(source.shipping_address ?? {}), ...(patch.shipping_address ?? {}) } : source.shipping_address,
    billing_address: patch.billing_address !== undefined ? { ...(source.billing_address ?? {}), ...(patch.billing_address ?? {}) } : source.billing_address,
  }
}

/** The order as it will be once the pending order edit is confirmed (Medusa's own preview). */
async function previewed(container: MedusaContainer, source: SourceOrder): Promise<SourceOrder> {
  const preview: any = await container.resolve(Modules.ORDER).previewOrderChange(source.id)
  const items: SourceLineItem[] = (preview.items ?? []).map((i: any) => ({
    id: i.id,
    title: i.title,
    product_title: i.product_title,
    variant_title: i.variant_title,
    variant_id: i.variant_id,
    variant_sku: i.variant_sku,
    quantity: i.quantity ?? i.detail?.quantity ?? 0,
    requires_shipping: i.requires_shipping,
    is_giftcard: i.is_giftcard,
    total: i.total,
    tax_total: i.tax_total,
    adjustments: i.adjustments,
  }))
  const pick = (k: keyof SourceOrder) => (preview[k] !== undefined && preview[k] !== null ? preview[k] : source[k])
  return {
    ...source,
    items,
    total: pick("total") as SourceOrder["total"],
    tax_total: pick("tax_total") as SourceOrder["tax_total"],
    shipping_total: pick("shipping_total") as SourceOrder["shipping_total"],
    shipping_tax_total: pick("shipping_tax_total") as SourceOrder["shipping_tax_total"],
    discount_total: pick("discount_total") as SourceOrder["discount_total"],
  }
}

function buildReinsert(settings: OrderflowSettings, source: SourceOrder, reference: string, ctx: { variants: Map<string, any>; shippingOptions: Map<string, any> }) {
  const { order, problems } = mapOrder(source, {
    reference,
    channel: settings.api.channel,
    variants: ctx.variants,
    shippingOptions: ctx.shippingOptions,
    orderAttributes: settings.orderExport.orderAttributes,
  })
  if (problems.length) return { document: null, problems }
  return { document: buildOrderImportsDocument([{ order, operation: "reinsert" }], settings.api.timeZone), problems }
}

async function prepareOrderChange(container: MedusaContainer, input: SyncOrderChangeInput): Promise<Prepared> {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  if (input.kind === "applied") {
    // The hot path (every order.updated): an order OrderFlow does not have needs nothing, so its export
    // row is read before the order, its changes and its version are loaded.
    const [row] = await orderflow.listOrderflowExportItems(
      { entity_type: "order", entity_id: input.order_id },
      { select: ["status", "exported_at", "unconfirmed_sent_at", "send_started_at"], take: 1 }
    )
    if (!row || row.status === "skipped" || row.status === "cancelled" || (row.status !== "queued" && !mayBeInOrderflow(row as any))) {
      const reason = "not in OrderFlow"
      return { order_id: input.order_id, kind: input.kind, document: null, row: null, reference: "", target_version: 0, target_contact_hash: "", plan: { kind: "none", reason } }
    }
  }
  const { settings } = await orderflow.getCurrentSettings()
  const facts = await loadOrderFacts(container, [input.order_id], { forExport: true })
  // Claims' and exchanges' new items travel as orders of their own (<ref>-C1, -X1): never part of the original here.
  const changes = await loadOrderChanges(container, [input.order_id], "order_id")
  const changeItems = new Set(changes.flatMap((c) => c.items.map((i) => i.item_id)))
  const loaded = facts.orders.get(input.order_id)
  const source = loaded ? withoutChangeItems(loaded, changeItems) : undefined
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ["id", "version"], filters: { id: input.order_id } })
  const version = Number(data[0]?.version ?? 0)
  const base = { order_id: input.order_id, kind: input.kind, document: null }
  const none = (row: OrderExportRow | null, reason: string, target = version): Prepared => ({
    ...base,
    row,
    reference: row?.reference ?? "",
    target_version: target,
    target_contact_hash: source ? contactHash(source) : "",
    plan: { kind: "none", reason },
  })
  if (!source || source.status === "canceled") return none(null, "no open order")
  const row = await settledExportRow(orderflow, input.order_id)
  // OrderFlow gets the order as it is when it is exported: nothing to tell it yet.
  if (!row || row.status === "skipped" || row.status === "cancelled" || !mayBeInOrderflow(row)) return none(row, "not in OrderFlow")
  // Confirming an order edit moves the order to the next version; an address change does not.
  const target = input.kind === "edit" ? version + 1 : version
  if (row.status === "queued") {
    return {
      ...base,
      row,
      reference: row.reference,
      target_version: target,
      target_contact_hash: contactHash(source),
      plan: { kind: "busy", reason: `Order ${row.reference} is being sent to OrderFlow right now; try again in a minute` },
    }
  }
  if (input.kind === "applied") {
    const synced =
      input.applied === "contact"
        ? row.synced_contact_hash === contactHash(source)
        : row.synced_order_version !== null && row.synced_order_version >= version
    if (synced) return none(row, "already synced at the admin route")
  }

  let after: SourceOrder = source
  let plan: OrderEditPlan
  const version_ = settings.orderExport.orderflowVersion
  if (input.kind === "edit") {
    after = withoutChangeItems(await previewed(container, source), changeItems)
    const missing = (after.items ?? []).map((i) => i.variant_id).filter((id): id is string => !!id && !facts.variants.has(id))
    if (missing.length) for (const [id, v] of await loadVariants(container, missing)) facts.variants.set(id, v)
    plan = planOrderEdit({
      before: planOrderLines(source.items ?? [], facts.variants).lines,
      after: planOrderLines(after.items ?? [], facts.variants).lines,
      orderflowVersion: version_,
    })
  } else if (input.kind === "contact") {
    after = withContact(source, input.contact ?? {})
    const lines = planOrderLines(source.items ?? [], facts.variants).lines
    plan = planOrderEdit({ before: lines, after: lines, contactChanged: contactChanged(source, input.contact ?? {}), orderflowVersion: version_ })
  } else {
    // Medusa already applied it and what OrderFlow holds is not known line by
    // line: the whole order again is the only faithful way.
    const lines = planOrderLines(source.items ?? [], facts.variants).lines
    plan = lines.length
      ? planOrderEdit({ before: [], after: lines, contactChanged: true, orderflowVersion: version_ })
      : { kind: "blocked", reason: "the change leaves nothing for the warehouse to ship; cancel the order in OrderFlow" }
    if (plan.kind === "reinsert") plan = { kind: "reinsert", reason: "the order was changed outside the admin's order edit" }
    if (plan.kind === "blocked") plan = { ...plan, reason: `the order was changed outside the admin's order edit: ${plan.reason}` }
  }
  let document: string | null = null
  if (plan.kind === "reinsert") {
    const built = buildReinsert(settings, after, row.reference, facts)
    if (!built.document) plan = { kind: "blocked", reason: `the changed order cannot be sent: ${built.problems.join("; ")}` }
    document = built.document
  }
  return { ...base, row, reference: row.reference, target_version: target, target_contact_hash: contactHash(after), plan, document }
}

/** Read-only: what OrderFlow must be told, and the document for a reinsert. */
export const prepareOrderChangeStep = createStep("orderflow-prepare-order-change", async (input: SyncOrderChangeInput, { container }) => {
  return new StepResponse<Prepared>(await prepareOrderChange(container as MedusaContainer, input))
})

/** The line cancellations or the reinsert. Cannot be undone, so last before the record. */
export const sendOrderChangeStep = createStep("orderflow-send-order-change", async (prepared: Prepared, { container }) => {
  const plan = prepared.plan
  if (plan.kind !== "cancel_lines" && plan.kind !== "reinsert") return new StepResponse<SendResult>({ outcome: "none", message: "", calls: [] })
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const { settings } = await orderflow.getCurrentSettings()
  const calls: CallRecord[] = []
  if (plan.kind === "reinsert") {
    const call = await callOrderflow(settings, (client) => client.importOrders(prepared.document!), (reply) => interpretReinsertReply(reply, prepared.reference))
    const outcome = call.outcome
    const message = outcome.kind === "done" ? `Re-sent to OrderFlow (reinsert): ${plan.reason}` : outcome.message
    calls.push({
      operation: "order_reinsert",
      request: prepared.document!,
      http_status: call.http_status,
      body: call.body,
      duration_ms: call.duration_ms,
      ok: outcome.kind === "done",
      message,
    })
    return new StepResponse<SendResult>({ outcome: outcome.kind, message, calls })
  }
  let done = 0
  for (const line of plan.lines) {
    const call = await callOrderflow(settings, (client) => client.cancelOrderLine({ orderReference: prepared.reference, ...line }))
    const o = call.outcome
    // MissingDataException: the line is not in OrderFlow, which is what we want.
    const ok = o.kind === "done" || o.kind === "not_found"
    const message = ok ? `Line ${line.productReference} cancelled in OrderFlow` : "message" in o ? o.message : ""
    calls.push({
      operation: "order_line_cancel",
      request: `POST /remoteorder/order/cancel.xml?orderReference=${encodeURIComponent(prepared.reference)}&productReference=${encodeURIComponent(line.productReference)}&thirdPartyReference=${encodeURIComponent(line.thirdPartyReference)}`,
      http_status: call.http_status,
      body: call.body,
      duration_ms: call.duration_ms,
      ok,
      message,
    })
    if (!ok) {
      const kind = done > 0 ? "partial" : o.kind === "retry" ? "retry" : "refused"
      const partial = done > 0 ? ` (after ${done} of ${plan.lines.length} line(s) were cancelled in OrderFlow)` : ""
      return new StepResponse<SendResult>({ outcome: kind, message: `${message}${partial}`, calls })
    }
    done++
  }
  return new StepResponse<SendResult>({ outcome: "done", message: `Line(s) cancelled in OrderFlow: ${plan.lines.map((l) => l.productReference).join(", ")}`, calls })
})

/**
 * The outcome on the export row (edit_status, the order version OrderFlow
 * now reflects) and each call in the export history, plus the decision for
 * the admin route and the alert for what nobody can see at the route. The
 * compensation puts the row back and removes the history records.
 */
export const recordOrderChangeStep = createStep(
  "orderflow-record-order-change",
  async ({ prepared, sent }: { prepared: Prepared; sent: SendResult }, { container }) => {
    const intercepted = prepared.kind !== "applied"
    const row = prepared.row
    const base = { reference: prepared.reference, called: sent.calls.length > 0, alert: null }
    const plan = prepared.plan
    if (!row || (plan.kind === "none" && !intercepted)) {
      return new StepResponse<SyncOrderChangeResult, null>({ ...base, proceed: true, status: "none", message: plan.reason }, null)
    }
    if (plan.kind === "busy") {
      return new StepResponse<SyncOrderChangeResult, null>({ ...base, proceed: !intercepted, status: "none", message: plan.reason }, null)
    }
    let status: SyncOrderChangeResult["status"]
    let message: string
    if (plan.kind === "none") {
      status = "none"
      message = plan.reason
    } else if (plan.kind === "blocked") {
      status = intercepted ? "refused" : "blocked"
      message = intercepted ? `OrderFlow cannot take this change: ${plan.reason}` : `OrderFlow could not be told: ${plan.reason}`
    } else if (sent.outcome === "done") {
      status = "synced"
      message = sent.message
    } else if (sent.outcome === "partial") {
      status = "blocked"
      message = `OrderFlow took part of the change and refused the rest: ${sent.message}`
    } else if (sent.outcome === "refused") {
      status = intercepted ? "refused" : "blocked"
      message = `${intercepted ? "Change refused by OrderFlow" : "Medusa changed the order but OrderFlow refused the change"}: ${sent.message}`
    } else {
      status = intercepted ? "refused" : "blocked"
      message = intercepted
        ? `OrderFlow could not be reached (${sent.message}), so the change was not made: try again when OrderFlow answers`
        : `Medusa changed the order but OrderFlow could not be reached: ${sent.message}`
    }
    const proceed = status === "none" || status === "synced"
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const update: Record<string, unknown> = { id: row.id }
    if (proceed) Object.assign(update, { synced_order_version: prepared.target_version, synced_contact_hash: prepared.target_contact_hash })
    if (status !== "none") Object.assign(update, { edit_status: status, edit_message: message.slice(0, 4000), edit_at: new Date() })
    // The history first, the row's status last: whoever sees the status also finds the calls behind it.
    const exportIds: string[] = []
    for (const call of sent.calls) {
      exportIds.push(
        await recordOrderCall(orderflow, {
          operation: call.operation,
          trigger: intercepted ? "manual" : "event",
          reference: prepared.reference,
          order_id: prepared.order_id,
          request: call.request,
          http_status: call.http_status,
          duration_ms: call.duration_ms,
          response_body: call.body,
          error: call.ok ? null : call.message,
          outcome: call.ok ? "success" : "failure",
          message: call.message,
        })
      )
    }
    await orderflow.updateOrderflowExportItems(update as any)
    const alert: SendAlertInput | null =
      status === "blocked"
        ? {
            title: `Order ${prepared.reference} changed in Medusa but not in OrderFlow`,
            description: `${message}. The warehouse still has the order as it was before the change: correct it in OrderFlow (or cancel it there), then check the order in Medusa.`,
            key: `order-change:${row.id}:${prepared.target_version}`,
            resource_type: "order",
            resource_id: prepared.order_id,
          }
        : null
    return new StepResponse<SyncOrderChangeResult, { row: ReturnType<typeof restorable>; export_ids: string[] }>(
      { ...base, proceed, status, message, alert },
      { row: restorable(row), export_ids: exportIds }
    )
  },
  async (written, { container }) => {
    if (!written) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.updateOrderflowExportItems(written.row)
    if (written.export_ids.length) await orderflow.deleteOrderflowExports(written.export_ids)
  }
)

/** Tell OrderFlow about a change to an exported order: line cancellation, reinsert, or refused/blocked. */
export const orderflowSyncOrderChangeWorkflow = createWorkflow("orderflow-sync-order-change", (input: SyncOrderChangeInput) => {
  const prepared = prepareOrderChangeStep(input)
  const sent = sendOrderChangeStep(prepared)
  const result = recordOrderChangeStep({ prepared, sent })
  when("orderflow-order-change-alerts", { result }, ({ result }) => !!result.alert).then(() => {
    sendAlertStep(transform({ result }, ({ result }) => result.alert!))
  })
  return new WorkflowResponse(result)
})
