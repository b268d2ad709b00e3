import { z } from "@medusajs/framework/zod"

/**
 * GET /admin/orderflow/activity: how many hours back, 1 to 168 (a week),
 * 24 when not given. Whole numbers only: "abc" or "2.5" is an error, not 24.
 */
export const AdminOrderflowActivityQuery = z.strictObject({
  hours: z
    .string()
    .regex(/^\d+$/, "hours must be a whole number of hours from 1 to 168")
    .transform(Number)
    .pipe(z.number().int().min(1, "hours must be at least 1").max(168, "hours must be at most 168 (a week)"))
    .default(24),
})
export type AdminOrderflowActivityQueryType = z.infer<typeof AdminOrderflowActivityQuery>
