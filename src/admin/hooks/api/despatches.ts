import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import type { ListPage, ListResponse } from "./history"

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

/**
 * GET /admin/orderflow/despatches: despatches applied to orders, newest first;
 * `order_id` narrows to one order, `q` matches a tracking number or order reference.
 */
export function useDespatches(params: ListPage & { order_id?: string; q?: string }) {
  return useQuery({
    queryKey: ["orderflow", "despatches", params],
    placeholderData: keepPreviousData,
    queryFn: () =>
      sdk.client.fetch<ListResponse<"despatches", Despatch>>("/admin/orderflow/despatches", {
        query: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== "")),
      }),
  })
}
