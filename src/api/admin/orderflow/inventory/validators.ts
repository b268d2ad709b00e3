import { z } from "@medusajs/framework/zod"

const text = (what: string) => z.string().trim().min(1, `${what} must not be empty`).max(255, `${what}: at most 255 characters`)

/**
 * POST /admin/orderflow/inventory/sequences/reset: `{ all: true }`, or a
 * `sku` and/or a `location_id`; `reason` is kept in the history.
 */
export const AdminResetInventorySequences = z
  .strictObject({
    all: z.literal(true).optional(),
    sku: text("sku").optional(),
    location_id: text("location_id").optional(),
    reason: z.string().trim().max(1000, "reason: at most 1000 characters").optional(),
  })
  .refine((b) => b.all === true || b.sku !== undefined || b.location_id !== undefined, {
    message: "Give a sku and/or a location_id, or all: true",
  })
  .refine((b) => !(b.all && (b.sku !== undefined || b.location_id !== undefined)), {
    message: "all: true resets every stored sequence id; do not combine it with sku or location_id",
  })
export type AdminResetInventorySequencesType = z.infer<typeof AdminResetInventorySequences>
