import { useQuery } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"

/** One hour of GET /admin/orderflow/activity (hour = its start, UTC). */
export type ActivityBucket = {
  hour: string
  exports_success: number
  exports_failed: number
  messages_processed: number
  messages_failed: number
}

export function useActivity(hours = 24) {
  return useQuery({
    queryKey: ["orderflow", "activity", hours],
    queryFn: () => sdk.client.fetch<{ hours: number; activity: ActivityBucket[] }>("/admin/orderflow/activity", { query: { hours } }),
    refetchInterval: 60_000,
  })
}
