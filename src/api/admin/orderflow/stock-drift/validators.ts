import { z } from "@medusajs/framework/zod"

const ids = z.array(z.string().trim().min(1, "ids must not be empty")).min(1, "Give the ids of the differences").max(1000, "at most 1000 ids")

/** POST /admin/orderflow/stock-drift/accept: the differences whose OrderFlow figure to apply, or all open ones. */
export const AdminAcceptStockDrift = z
  .strictObject({ ids: ids.optional(), all: z.literal(true).optional() })
  .refine((b) => (b.all === true) !== (b.ids !== undefined), { message: "Give ids, or all: true (not both)" })
export type AdminAcceptStockDriftType = z.infer<typeof AdminAcceptStockDrift>

/** POST /admin/orderflow/stock-drift/ignore: the differences to close without sending anything. */
export const AdminIgnoreStockDrift = z.strictObject({ ids })
export type AdminIgnoreStockDriftType = z.infer<typeof AdminIgnoreStockDrift>
