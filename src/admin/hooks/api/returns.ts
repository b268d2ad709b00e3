import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import type { AppliedReturnStatus, ReturnStatus } from "../../../types"
import type { ListPage, ListResponse } from "./history"

export type ReturnLineRecord = {
  id: string
  line_number: number
  item_id: string
  sku: string
  quantity: number
  medusa_reason: string | null
  reason: string
  condition: string
  received_quantity: number
  damaged_quantity: number
  applied_condition: string | null
}

export type ReturnRecord = {
  id: string
  return_id: string
  order_id: string
  order_reference: string | null
  authorisation: string
  status: ReturnStatus
  skip_reason: string | null
  attempts: number
  next_attempt_at: string | null
  last_error: string | null
  requested_at: string
  sent_at: string | null
  received_at: string | null
  orderflow_return_id: string | null
  lines: ReturnLineRecord[]
}

export type AppliedReturnRecord = {
  id: string
  orderflow_id: string
  status: AppliedReturnStatus
  order_reference: string | null
  originating_order_reference: string | null
  completed: string | null
  lines_text: string | null
  total_quantity: number
  restocked_quantity: number
  damaged_quantity: number
  order_id: string | null
  return_id: string | null
  error: string | null
  created_at: string
}

const query = (params: Record<string, unknown>) => Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ""))

/** GET /admin/orderflow/returns: Medusa returns towards OrderFlow with their lines, newest first. */
export function useReturns(params: ListPage & { status?: ReturnStatus; order_id?: string }) {
  return useQuery({
    queryKey: ["orderflow", "returns", params],
    placeholderData: keepPreviousData,
    queryFn: () => sdk.client.fetch<ListResponse<"returns", ReturnRecord>>("/admin/orderflow/returns", { query: query(params) }),
  })
}

/** GET /admin/orderflow/returns/applied: applied returns read from OrderFlow, each once. */
export function useAppliedReturns(params: ListPage & { status?: AppliedReturnStatus; order_id?: string }) {
  return useQuery({
    queryKey: ["orderflow", "applied-returns", params],
    placeholderData: keepPreviousData,
    queryFn: () => sdk.client.fetch<ListResponse<"applied_returns", AppliedReturnRecord>>("/admin/orderflow/returns/applied", { query: query(params) }),
  })
}
