import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { parseOrderDetail } from "../../../../../lib/order-export"
import { ORDERFLOW_MODULE } from "../../../../../modules/orderflow"
import OrderflowModuleService from "../../../../../modules/orderflow/service"
import { callOrderflow } from "../../../../../workflows/cancel-order"
import { parseQuery } from "../../list-query"
import { AdminGetOrderflowOrder } from "../validators"

/**
 * GET /admin/orderflow/orders/:id — the order's export state (the order page
 * widget): status, exported at, last error, cancellation, the link to the
 * order in OrderFlow. With `?live=true` OrderFlow is asked for the order's
 * current state (seed 002, "Order Detail Pull"); read-only, not recorded.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(AdminGetOrderflowOrder, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [item] = await orderflow.listOrderflowExportItems({ entity_type: "order", entity_id: req.params.id }, { take: 1 })
  const { settings } = await orderflow.getCurrentSettings()
  const base = (settings.api.webUrl || settings.api.endpoint).replace(/\/+$/, "")
  const orderflow_url =
    item?.exported_at && base ? `${base}/remoteorder/order/detail.xml?externalReference=${encodeURIComponent(item.reference)}` : null
  let live: { state: string | null; shipment_states: string[] } | { error: string } | null = null
  if (q.live === "true" && item?.exported_at) {
    const call = await callOrderflow(settings, (client) => client.orderDetail(item.reference))
    const detail = call.body && call.outcome.kind === "done" ? parseOrderDetail(call.body) : null
    live = detail
      ? { state: detail.state, shipment_states: detail.shipmentStates }
      : { error: "message" in call.outcome ? call.outcome.message : "no answer" }
  }
  res.json({ order_id: req.params.id, export_item: item ?? null, orderflow_url, live })
}
