import OrderflowModuleService from "../../modules/orderflow/service"
import type { OperationTrigger } from "../../types"

export type OrderCallRecord = {
  /** order_cancel, order_hold, order_release. */
  operation: string
  trigger: OperationTrigger
  reference: string
  order_id: string
  /** What was sent, e.g. `POST /remoteorder/order/cancel.xml?externalReference=12`. */
  request: string
  http_status: number | null
  duration_ms: number
  response_body: string | null
  error: string | null
  outcome: "success" | "failure"
  message: string
}

/**
 * One call about one order in the export history (DESIGN §5: one record per
 * outbound call, one line per item), like the import calls. Returns the
 * record's id so that a compensation can remove it.
 */
export async function recordOrderCall(orderflow: OrderflowModuleService, call: OrderCallRecord): Promise<string> {
  const success = call.outcome === "success"
  const record = await orderflow.createOrderflowExports({
    operation: call.operation,
    trigger: call.trigger,
    status: success ? "success" : "failed",
    http_status: call.http_status,
    duration_ms: Math.round(call.duration_ms),
    item_count: 1,
    success_count: success ? 1 : 0,
    duplicate_count: 0,
    failure_count: success ? 0 : 1,
    request_body: call.request,
    response_body: call.response_body,
    error: call.error ? call.error.slice(0, 4000) : null,
  })
  await orderflow.createOrderflowExportLines({
    export_id: record.id,
    reference: call.reference,
    entity_id: call.order_id,
    outcome: call.outcome,
    message: call.message.slice(0, 2000),
  })
  return record.id
}
