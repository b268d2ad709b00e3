import { operationWorkflow } from "../common/operation"
import { MedusaError } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { callOrderflow, OrderCall } from "../cancel-order/call-orderflow"
import { recordOrderCall } from "../cancel-order/record-order-call"

export type OrderflowOrderAction = "hold" | "release"

export type OrderActionInput = { order_id: string; action: OrderflowOrderAction }

export type OrderActionResult = {
  order_id: string
  reference: string
  action: OrderflowOrderAction
  /** done: OrderFlow did it; refused: OrderFlow said no (packed, not on hold...); failed: no usable answer. */
  outcome: "done" | "refused" | "failed"
  /** OrderFlow's order state after a successful call (on_hold, created...). */
  state: string | null
  message: string
}

type Target = { order_id: string; reference: string }

/** Read-only: the order must be in OrderFlow (exported) and not cancelled there. */
export const prepareOrderActionStep = createStep(
  "orderflow-prepare-order-action",
  async ({ order_id, action }: OrderActionInput, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const [item] = await orderflow.listOrderflowExportItems({ entity_type: "order", entity_id: order_id }, { take: 1 })
    if (!item?.exported_at) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Order ${order_id} has not been exported to OrderFlow; there is nothing to ${action} there`)
    }
    if (item.status === "cancelled") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Order ${item.reference} was cancelled in OrderFlow`)
    }
    return new StepResponse<Target>({ order_id, reference: item.reference })
  }
)

/** POST hold.xml / release.xml (seed 002, "Hold Order", "Release Order"). Cannot be undone. */
export const sendOrderActionStep = createStep(
  "orderflow-send-order-action",
  async ({ target, action }: { target: Target; action: OrderflowOrderAction }, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const { settings } = await orderflow.getCurrentSettings()
    const call = await callOrderflow(settings, (client) =>
      action === "hold" ? client.holdOrder(target.reference) : client.releaseOrder(target.reference)
    )
    return new StepResponse<OrderCall>(call)
  }
)

/** The call in the export history; the compensation removes the record. */
export const recordOrderActionStep = createStep(
  "orderflow-record-order-action",
  async ({ target, action, call }: { target: Target; action: OrderflowOrderAction; call: OrderCall }, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const o = call.outcome
    const outcome: OrderActionResult["outcome"] = o.kind === "done" ? "done" : o.kind === "retry" ? "failed" : "refused"
    const verb = action === "hold" ? "put on hold" : "released"
    const message =
      o.kind === "done"
        ? `Order ${target.reference} ${verb} in OrderFlow${o.state ? ` (state ${o.state})` : ""}`
        : o.kind === "retry"
          ? `OrderFlow could not be reached: ${o.message}`
          : `OrderFlow refused: ${o.message}`
    const exportId = await recordOrderCall(orderflow, {
      operation: `order_${action}`,
      trigger: "manual",
      reference: target.reference,
      order_id: target.order_id,
      request: `POST /remoteorder/order/${action}.xml?externalReference=${encodeURIComponent(target.reference)}`,
      http_status: call.http_status,
      duration_ms: call.duration_ms,
      response_body: call.body,
      error: o.kind === "retry" ? o.message : null,
      outcome: o.kind === "done" ? "success" : "failure",
      message,
    })
    return new StepResponse<OrderActionResult, string>(
      { order_id: target.order_id, reference: target.reference, action, outcome, state: o.kind === "done" ? o.state : null, message },
      exportId
    )
  },
  async (exportId, { container }) => {
    if (!exportId) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.deleteOrderflowExports([exportId])
  }
)

/** Hold or release an exported order in OrderFlow (the order page's buttons). */
export const orderflowOrderActionWorkflow = createWorkflow(operationWorkflow("orderflow-order-action"), (input: OrderActionInput) => {
  const target = prepareOrderActionStep(input)
  const call = sendOrderActionStep({ target, action: input.action })
  const result = recordOrderActionStep({ target, action: input.action, call })
  return new WorkflowResponse(result)
})
