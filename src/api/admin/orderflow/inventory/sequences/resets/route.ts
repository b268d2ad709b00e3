import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDERFLOW_MODULE } from "../../../../../../modules/orderflow"
import type OrderflowModuleService from "../../../../../../modules/orderflow/service"
import { listQuery, parseQuery } from "../../../list-query"

const Query = listQuery({})

/** GET /admin/orderflow/inventory/sequences/resets — the sequence reset history, newest first. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(Query, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [resets, count] = await orderflow.listAndCountOrderflowSequenceResets(
    {},
    {
      take: q.limit,
      skip: q.offset,
      order: { created_at: "DESC" },
      select: ["id", "scope", "sku", "location_id", "cleared_count", "highest_seq_id", "reset_by", "reason", "created_at"],
    }
  )
  res.json({ resets, count, limit: q.limit, offset: q.offset })
}
