import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../../modules/orderflow"
import type OrderflowModuleService from "../../../../../modules/orderflow/service"
import { definedFilters, listQuery, parseQuery } from "../../list-query"

const Query = listQuery({ sku: z.string().trim().min(1).optional(), location_id: z.string().trim().min(1).optional() })

/** GET /admin/orderflow/inventory/sequences?sku=&location_id= — the stored last-applied sequence id per SKU and location. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(Query, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [sequences, count] = await orderflow.listAndCountOrderflowInventorySequences(definedFilters({ sku: q.sku, location_id: q.location_id }), {
    take: q.limit,
    skip: q.offset,
    order: { sku: "ASC", location_id: "ASC" },
    select: ["sku", "location_id", "seq_id", "request_id", "applied_at"],
  })
  res.json({ sequences, count, limit: q.limit, offset: q.offset })
}
