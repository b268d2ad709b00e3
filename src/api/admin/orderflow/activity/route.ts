import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import type OrderflowModuleService from "../../../../modules/orderflow/service"
import { parseQuery } from "../list-query"
import { AdminOrderflowActivityQuery } from "./validators"

/**
 * GET /admin/orderflow/activity?hours=24 — per hour, oldest first: calls to
 * OrderFlow that succeeded / failed and messages from OrderFlow processed /
 * failed (the overview page's chart).
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { hours } = parseQuery(AdminOrderflowActivityQuery, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  res.json({ hours, activity: await orderflow.activity(new Date(), hours) })
}

