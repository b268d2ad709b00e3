import { useQuery } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"

export type Despatch = {
  id: string
  request_id: string
  order_id: string
  order_reference: string
  fulfillment_id: string | null
  tracking_numbers: string[] | null
  courier_name: string | null
  service_name: string | null
  date_shipped: string | null
  comment: string | null
  notified_at: string | null
  created_at: string
}

export function useOrderDespatches(orderId: string) {
  return useQuery({
    queryKey: ["orderflow", "despatches", orderId],
    queryFn: () =>
      sdk.client.fetch<{ despatches: Despatch[]; count: number }>("/admin/orderflow/despatches", {
        query: { order_id: orderId, limit: 50 },
      }),
  })
}
