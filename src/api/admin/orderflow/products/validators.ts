import { z } from "@medusajs/framework/zod"

const ids = (what: string) => z.array(z.string().trim().min(1, `${what} must not be empty`)).max(1000, `at most 1000 ${what}`)

/** POST /admin/orderflow/products/export: the products and/or variants to export now. */
export const AdminExportOrderflowProducts = z
  .strictObject({
    product_ids: ids("product_ids").optional(),
    variant_ids: ids("variant_ids").optional(),
  })
  .refine((b) => (b.product_ids?.length ?? 0) + (b.variant_ids?.length ?? 0) > 0, {
    message: "Give product_ids and/or variant_ids to export",
  })
export type AdminExportOrderflowProductsType = z.infer<typeof AdminExportOrderflowProducts>

/** POST /admin/orderflow/products/reset: back to pending, by ids or for the whole catalog. */
export const AdminResetOrderflowProducts = z
  .strictObject({
    product_ids: ids("product_ids").optional(),
    variant_ids: ids("variant_ids").optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => b.all === true || (b.product_ids?.length ?? 0) + (b.variant_ids?.length ?? 0) > 0, {
    message: "Give product_ids and/or variant_ids, or all: true",
  })
  .refine((b) => !(b.all && (b.product_ids?.length || b.variant_ids?.length)), {
    message: "all: true resets every product; do not combine it with ids",
  })
export type AdminResetOrderflowProductsType = z.infer<typeof AdminResetOrderflowProducts>
