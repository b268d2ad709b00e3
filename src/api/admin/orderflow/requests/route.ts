import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { definedFilters, listQuery, parseQuery } from "../list-query"
import { REQUEST_STATUSES, REQUEST_TYPES } from "../../../../types"

const Query = listQuery({
  type: z.enum(REQUEST_TYPES).optional(),
  status: z.enum(REQUEST_STATUSES).optional(),
  message_seq_id: z.coerce.number().int().optional(),
  kind: z.string().trim().min(1).max(40).optional(),
  /** Only the first request of each type and kind (what OrderFlow really sent; README "Check the first pushes"). */
  first_of_kind: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
})

const LIST_FIELDS = [
  "id", "type", "message_seq_id", "status", "content_type", "body_bytes", "line_count", "attempts",
  "next_attempt_at", "received_at", "processed_at", "error", "duplicate_of_id", "import_id", "kind", "first_of_kind",
]

/** GET /admin/orderflow/requests — messages received from OrderFlow, newest first. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const q = parseQuery(Query, req.query)
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const [requests, count] = await orderflow.listAndCountOrderflowRequests(
    definedFilters({ type: q.type, status: q.status, message_seq_id: q.message_seq_id, kind: q.kind, first_of_kind: q.first_of_kind }),
    { take: q.limit, skip: q.offset, order: { received_at: "DESC" }, select: LIST_FIELDS }
  )
  res.json({ requests, count, limit: q.limit, offset: q.offset })
}
