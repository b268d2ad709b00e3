import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { deliverAlert } from "../../../workflows/send-alert"
import { orderflowCancelFirstWorkflow } from "../../../workflows/order-changes/cancel-first"
import { orderflowSyncOrderChangeWorkflow, ContactPatch } from "../../../workflows/order-changes/sync-order-change"

// OrderFlow first, Medusa second (seed 002, "Order Cancellation"): these run
// in front of Medusa's own admin routes that cancel an order, confirm an
// order edit or change an order's addresses. Each asks OrderFlow (one
// workflow) and either lets Medusa's handler run or answers 400 with
// OrderFlow's reason, so nothing is refunded or changed in Medusa.
// Unauthenticated requests are passed on untouched: Medusa's own auth
// answers them, and OrderFlow is never called for them.

type Req = MedusaRequest & { auth_context?: { actor_id?: string } }

/** When Medusa fails after OrderFlow changed, the two disagree: tell someone. */
function alertIfMedusaFails(req: Req, res: MedusaResponse, what: string, reference: string) {
  res.on("finish", () => {
    if (res.statusCode < 400) return
    void deliverAlert(req.scope, {
      title: `Order ${reference}: ${what} in OrderFlow but Medusa's request failed`,
      description: `OrderFlow accepted the ${what} of order ${reference}, then Medusa answered HTTP ${res.statusCode} and did not apply it. Repeat the action in Medusa (OrderFlow already has it), or undo it in OrderFlow.`,
      key: `medusa-failed-after-orderflow:${req.params.id}:${Date.now()}`,
      resource_type: "order",
      resource_id: req.params.id,
    }).catch(() => undefined)
  })
}

export async function cancelInOrderflowFirst(req: Req, res: MedusaResponse, next: MedusaNextFunction) {
  if (!req.auth_context?.actor_id) return next()
  try {
    const { result } = await orderflowCancelFirstWorkflow(req.scope).run({ input: { order_id: req.params.id } })
    if (!result.proceed) return next(new MedusaError(MedusaError.Types.NOT_ALLOWED, result.message))
    if (result.called) alertIfMedusaFails(req, res, "cancellation", result.reference)
    next()
  } catch (e) {
    next(e)
  }
}

async function syncFirst(req: Req, res: MedusaResponse, next: MedusaNextFunction, kind: "edit" | "contact", contact?: ContactPatch) {
  if (!req.auth_context?.actor_id) return next()
  try {
    const { result } = await orderflowSyncOrderChangeWorkflow(req.scope).run({ input: { order_id: req.params.id, kind, contact } })
    if (!result.proceed) return next(new MedusaError(MedusaError.Types.NOT_ALLOWED, result.message))
    if (result.called) alertIfMedusaFails(req, res, kind === "edit" ? "order edit" : "address change", result.reference)
    next()
  } catch (e) {
    next(e)
  }
}

export function editInOrderflowFirst(req: Req, res: MedusaResponse, next: MedusaNextFunction) {
  return syncFirst(req, res, next, "edit")
}

export function contactInOrderflowFirst(req: Req, res: MedusaResponse, next: MedusaNextFunction) {
  const body = (req.body ?? {}) as Record<string, unknown>
  const contact: ContactPatch = {}
  if (body.shipping_address !== undefined) contact.shipping_address = body.shipping_address as ContactPatch["shipping_address"]
  if (body.billing_address !== undefined) contact.billing_address = body.billing_address as ContactPatch["billing_address"]
  if (body.email !== undefined) contact.email = body.email as string | null
  if (!Object.keys(contact).length) return next()
  return syncFirst(req, res, next, "contact", contact)
}

export const adminOrdersOrderflowMiddlewares: MiddlewareRoute[] = [
  { matcher: "/admin/orders/:id/cancel", method: ["POST"], middlewares: [cancelInOrderflowFirst] },
  { matcher: "/admin/order-edits/:id/confirm", method: ["POST"], middlewares: [editInOrderflowFirst] },
  { matcher: "/admin/orders/:id", method: ["POST"], middlewares: [contactInOrderflowFirst] },
]
