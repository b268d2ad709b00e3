import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { CancelStatus, ExportItemStatus, OrderActionOutcome, OrderEditStatus } from "../../../types"
import { sdk } from "../../lib/sdk"

export type OrderExportItem = {
  id: string
  entity_id: string
  /** Set for a claim or exchange sent as an order of its own (entity_id is then the claim or exchange). */
  order_id?: string | null
  reference: string
  status: ExportItemStatus
  skip_reason: string | null
  attempts: number
  next_attempt_at: string | null
  changed_at: string | null
  exported_at: string | null
  last_error: string | null
  last_export_id: string | null
  cancel_status: CancelStatus | null
  cancel_attempts: number
  cancel_next_attempt_at: string | null
  cancel_error: string | null
  cancelled_at: string | null
  edit_status: OrderEditStatus | null
  edit_message: string | null
  edit_at: string | null
  updated_at: string
  change_kind?: "claim" | "exchange" | null
}

export type OrderflowOrderResponse = {
  order_id: string
  export_item: OrderExportItem | null
  orderflow_url: string | null
  live: { state: string | null; shipment_states: string[] } | { error: string } | null
}

export type ManualExportOutcome = {
  order_id: string
  display_id: number | null
  reference: string | null
  outcome: string
  message: string | null
  export_id: string | null
}

export type OrderActionResult = {
  order_id: string
  reference: string
  action: "hold" | "release"
  outcome: OrderActionOutcome
  state: string | null
  message: string
}

export type BackfillResult = {
  dry_run: boolean
  from: string
  to: string
  orders: number
  already_known: number
  eligible: number
  skipped: number
  not_eligible: Record<string, number>
}

const qs = (params: Record<string, unknown>) => Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ""))

/** GET /admin/orderflow/orders/:id (with `live`, OrderFlow is asked for the order's state). */
export function useOrderflowOrder(orderId: string, { live = false }: { live?: boolean } = {}) {
  return useQuery({
    queryKey: ["orderflow", "order", orderId, live],
    queryFn: () => sdk.client.fetch<OrderflowOrderResponse>(`/admin/orderflow/orders/${orderId}`, { query: live ? { live: "true" } : {} }),
  })
}

/** GET /admin/orderflow/orders: export rows of orders, newest change first (with order_id: the order's and its claims' and exchanges'). */
export function useOrderflowOrders(params: { limit: number; offset?: number; status?: ExportItemStatus; cancel_status?: CancelStatus; order_id?: string }) {
  return useQuery({
    queryKey: ["orderflow", "orders", params],
    queryFn: () =>
      sdk.client.fetch<{ orders: OrderExportItem[]; count: number; limit: number; offset: number }>("/admin/orderflow/orders", { query: qs(params) }),
    refetchInterval: 30_000,
  })
}

/** POST /admin/orderflow/orders/export. */
export function useExportOrders() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (ids: string[]) =>
      sdk.client.fetch<{ orders: ManualExportOutcome[]; summary: { requested: number; exported: number; failed: number; not_sent: number } }>(
        "/admin/orderflow/orders/export",
        { method: "POST", body: { ids } }
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orderflow"] }),
  })
}

/** POST /admin/orderflow/orders/:id/hold | release. */
export function useOrderflowOrderAction(orderId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (action: "hold" | "release") =>
      sdk.client.fetch<{ result: OrderActionResult }>(`/admin/orderflow/orders/${orderId}/${action}`, { method: "POST" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orderflow", "order", orderId] }),
  })
}

/** POST /admin/orderflow/orders/backfill. */
export function useBackfillOrders() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: { from: string; to: string; dry_run: boolean }) =>
      sdk.client.fetch<{ backfill: BackfillResult }>("/admin/orderflow/orders/backfill", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orderflow"] }),
  })
}

/** How an order's export state reads to a merchant. */
export function describeOrderExport(item: OrderExportItem | null): { label: string; tone: "green" | "red" | "orange" | "blue" | "grey" | "purple" } {
  if (!item) return { label: "Not queued", tone: "grey" }
  if (item.cancel_status === "refused") return { label: "Cancellation refused by the warehouse", tone: "red" }
  if (item.edit_status === "blocked") return { label: "Change not in OrderFlow", tone: "red" }
  if (item.cancel_status === "pending") return { label: "Cancellation pending", tone: "orange" }
  if (item.cancel_status === "sent") return { label: "Cancelled in OrderFlow", tone: "grey" }
  if (item.cancel_status === "not_found") return { label: "Cancelled (not in OrderFlow)", tone: "grey" }
  if (item.cancel_status === "withdrawn") return { label: "Withdrawn before export", tone: "grey" }
  switch (item.status) {
    case "exported":
      return { label: "Exported", tone: "green" }
    case "pending":
      return { label: item.attempts ? "Pending (retrying)" : "Pending", tone: "blue" }
    case "queued":
      return { label: "Queued", tone: "purple" }
    case "failed":
      return { label: item.next_attempt_at ? "Failed (will retry)" : "Failed", tone: "red" }
    case "skipped":
      return { label: "Not sent", tone: "grey" }
    default:
      return { label: item.status, tone: "grey" }
  }
}
