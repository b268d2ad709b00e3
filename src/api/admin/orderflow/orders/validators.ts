import { z } from "@medusajs/framework/zod"
import { listQuery } from "../list-query"
import { CANCEL_STATUSES, EXPORT_ITEM_STATUSES } from "../../../../types"

/** POST /admin/orderflow/orders/export: the orders to export now (Medusa order ids). */
export const AdminExportOrderflowOrders = z.strictObject({
  ids: z
    .array(z.string().trim().min(1, "ids must not be empty"))
    .min(1, "Give the ids of the orders to export")
    .max(500, "at most 500 orders at once"),
})
export type AdminExportOrderflowOrdersType = z.infer<typeof AdminExportOrderflowOrders>

const instant = (name: string) =>
  z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: `${name} must be a date (2026-01-31) or a date-time with offset (2026-01-31T00:00:00Z)` })

/**
 * POST /admin/orderflow/orders/backfill: orders placed in [from, to) that
 * the export does not know yet. A dry run (the default) only counts them.
 */
export const AdminBackfillOrderflowOrders = z
  .strictObject({
    from: instant("from"),
    to: instant("to"),
    dry_run: z.boolean().default(true),
  })
  .refine((b) => new Date(b.from).getTime() < new Date(b.to).getTime(), { message: "from must be before to" })
export type AdminBackfillOrderflowOrdersType = z.infer<typeof AdminBackfillOrderflowOrders>

/** GET /admin/orderflow/orders: order export rows, newest change first. */
export const AdminListOrderflowOrders = listQuery({
  status: z.enum(EXPORT_ITEM_STATUSES).optional(),
  cancel_status: z.enum(CANCEL_STATUSES).optional(),
  order_id: z.union([z.string(), z.array(z.string())]).optional(),
})

/** GET /admin/orderflow/orders/:id?live=true also asks OrderFlow for the order's state. */
export const AdminGetOrderflowOrder = z.strictObject({
  live: z.enum(["true", "false"]).optional(),
})
