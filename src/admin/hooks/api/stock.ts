import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { SequenceResetScope, StockDriftStatus } from "../../../types"
import { sdk } from "../../lib/sdk"
import type { ListResponse } from "./history"

/** One difference of the drift report (GET /admin/orderflow/stock-drift). */
export type StockDifference = {
  id: string
  sku: string
  site: string | null
  location_id: string
  inventory_item_id: string | null
  orderflow_qty: number
  orderflow_inventory_id: number
  expected_qty: number
  actual_qty: number
  status: StockDriftStatus
  first_seen_at: string
  last_seen_at: string
  closed_at: string | null
  closed_by: string | null
  request_id: string | null
}

export type SequenceReset = {
  id: string
  scope: SequenceResetScope
  sku: string | null
  location_id: string | null
  cleared_count: number
  highest_seq_id: number | null
  reset_by: string | null
  reason: string | null
  created_at: string
}

export type SequenceResetBody = { all: true; reason?: string } | { sku?: string; location_id?: string; reason?: string }

/** GET /admin/orderflow/stock-drift: differences of a status (open by default). */
export function useStockDrift(params: { status?: StockDriftStatus; limit: number; offset: number }) {
  return useQuery({
    queryKey: ["orderflow", "stock-drift", params],
    queryFn: () => sdk.client.fetch<ListResponse<"differences", StockDifference>>("/admin/orderflow/stock-drift", { query: params }),
  })
}

/** GET /admin/orderflow/inventory/sequences/resets: the reset history. */
export function useSequenceResets(params: { limit: number; offset: number }) {
  return useQuery({
    queryKey: ["orderflow", "sequence-resets", params],
    queryFn: () => sdk.client.fetch<ListResponse<"resets", SequenceReset>>("/admin/orderflow/inventory/sequences/resets", { query: params }),
  })
}

function useOrderflowMutation<B, R>(fn: (body: B) => Promise<R>) {
  const client = useQueryClient()
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: ["orderflow"] }) })
}

/** POST /admin/orderflow/stock-drift/accept: OrderFlow's figure through the inventory import. */
export function useAcceptStockDrift() {
  return useOrderflowMutation((body: { ids: string[] } | { all: true }) =>
    sdk.client.fetch<{ accepted: number; request_ids: string[] }>("/admin/orderflow/stock-drift/accept", { method: "POST", body })
  )
}

/** POST /admin/orderflow/stock-drift/ignore. */
export function useIgnoreStockDrift() {
  return useOrderflowMutation((body: { ids: string[] }) => sdk.client.fetch<{ ignored: number }>("/admin/orderflow/stock-drift/ignore", { method: "POST", body }))
}

/** POST /admin/orderflow/stock-drift/take-all: pull, then accept every difference. */
export function useTakeOrderflowStock() {
  return useOrderflowMutation((_: void) =>
    sdk.client.fetch<{ report: { differences: number; pulled: number }; accepted: number }>("/admin/orderflow/stock-drift/take-all", { method: "POST" })
  )
}

/** POST /admin/orderflow/inventory/sequences/reset. */
export function useResetSequences() {
  return useOrderflowMutation((body: SequenceResetBody) =>
    sdk.client.fetch<{ reset: { reset_id: string; scope: SequenceResetScope; cleared: number; closed_incidents: number } }>("/admin/orderflow/inventory/sequences/reset", {
      method: "POST",
      body,
    })
  )
}
