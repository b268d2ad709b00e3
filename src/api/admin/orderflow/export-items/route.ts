import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { definedFilters, listQuery, parseQuery } from "../list-query"
import { EXPORT_ENTITY_TYPES, EXPORT_ITEM_STATUSES } from "../../../../types"

const ids = z.union([z.string(), z.array(z.string())]).optional()
const Query = listQuery({
  entity_type: z.enum(EXPORT_ENTITY_TYPES).optional(),
  status: z.enum(EXPORT_ITEM_STATUSES).optional(),
  entity_id: ids,
  product_id: ids,
  variant_id: ids,
  reference: ids,
})

/** GET /admin/orderflow/export-items — export state of SKUs and orders (used by the widgets). */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(Query, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [export_items, count] = await orderflow.listAndCountOrderflowExportItems(
    definedFilters({
      entity_type: q.entity_type,
      status: q.status,
      entity_id: q.entity_id,
      product_id: q.product_id,
      variant_id: q.variant_id,
      reference: q.reference,
    }),
    { take: q.limit, skip: q.offset, order: { changed_at: "DESC" } }
  )
  res.json({ export_items, count, limit: q.limit, offset: q.offset })
}
