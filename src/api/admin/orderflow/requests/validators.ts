import { z } from "@medusajs/framework/zod"

/** POST /admin/orderflow/requests/resolve: the failed requests (dead letters) to close. */
export const AdminResolveOrderflowRequests = z.strictObject({
  ids: z
    .array(z.string().trim().min(1, "ids must not be empty"))
    .min(1, "Give the ids of the failed requests to resolve")
    .max(1000, "at most 1000 ids"),
})
export type AdminResolveOrderflowRequestsType = z.infer<typeof AdminResolveOrderflowRequests>
