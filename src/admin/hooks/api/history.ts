import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type {
  CallStatus,
  ExportCallOperation,
  ExportLineOutcome,
  ImportLineOutcome,
  OperationName,
  OperationRunStatus,
  OperationTrigger,
  RequestStatus,
  RequestType,
} from "../../../types"
import { sdk } from "../../lib/sdk"
import type { EndpointState, Incident } from "./incidents"

export type ListResponse<K extends string, T> = { [key in K]: T[] } & { count: number; limit: number; offset: number }

export type ExportRecord = {
  id: string
  /** One of EXPORT_CALL_OPERATIONS; older rows may carry other names. */
  operation: ExportCallOperation | (string & {})
  trigger: OperationTrigger
  status: CallStatus
  http_status: number | null
  duration_ms: number
  item_count: number
  success_count: number
  duplicate_count: number
  failure_count: number
  error: string | null
  created_at: string
  request_body?: string | null
  response_body?: string | null
  lines?: Array<{ id: string; reference: string; entity_id: string | null; outcome: ExportLineOutcome; message: string | null; detail: string | null }>
}

export type RequestRecord = {
  id: string
  type: RequestType
  message_seq_id: number | null
  status: RequestStatus
  content_type: string
  body_bytes: number
  line_count: number
  attempts: number
  next_attempt_at: string | null
  received_at: string
  processed_at: string | null
  error: string | null
  duplicate_of_id: string | null
  import_id: string | null
  /** How it came: rest-json, rest-xml, rest-soap, soap-m2, soap-m1, poll, drift. */
  kind?: string | null
  /** The first of its type and kind: kept verbatim. */
  first_of_kind?: boolean
  resolved_at?: string | null
  resolved_by?: string | null
  body?: string | null
}

export type ImportLine = {
  id: string
  sku: string
  source: string | null
  location_id: string | null
  received_qty: number | null
  seq_id: number | null
  previous_seq_id: number | null
  unsent_order_qty: number | null
  active_cart_qty: number | null
  reserved_qty: number | null
  applied_qty: number | null
  order_id: string | null
  fulfillment_id: string | null
  outcome: ImportLineOutcome
  message: string | null
}

export type ImportRecord = {
  id: string
  type: RequestType
  request_id: string
  message_seq_id: number | null
  status: CallStatus
  line_count: number
  applied_count: number
  stale_count: number
  unknown_count: number
  duplicate_count: number
  failed_count: number
  duration_ms: number
  error: string | null
  created_at: string
  lines?: ImportLine[]
}

const qs = (params: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ""))

export type ListPage = { limit: number; offset: number }

export function useExports(params: ListPage & { operation?: ExportCallOperation; status?: CallStatus }) {
  return useQuery({
    queryKey: ["orderflow", "exports", params],
    placeholderData: keepPreviousData,
    queryFn: () => sdk.client.fetch<ListResponse<"exports", ExportRecord>>("/admin/orderflow/exports", { query: qs(params) }),
  })
}

export function useExport(id: string) {
  return useQuery({
    queryKey: ["orderflow", "export", id],
    queryFn: () => sdk.client.fetch<{ export: ExportRecord }>(`/admin/orderflow/exports/${id}`),
  })
}

export function useRequests(params: ListPage & { type?: RequestType; status?: RequestStatus }) {
  return useQuery({
    queryKey: ["orderflow", "requests", params],
    placeholderData: keepPreviousData,
    queryFn: () => sdk.client.fetch<ListResponse<"requests", RequestRecord>>("/admin/orderflow/requests", { query: qs(params) }),
  })
}

export function useRequest(id: string) {
  return useQuery({
    queryKey: ["orderflow", "request", id],
    queryFn: () => sdk.client.fetch<{ request: RequestRecord; import: ImportRecord | null }>(`/admin/orderflow/requests/${id}`),
  })
}

/** POST /admin/orderflow/requests/:id/process ("process now"); the id is the mutation's variable. */
export function useProcessRequest() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch<{ request: RequestRecord }>(`/admin/orderflow/requests/${id}/process`, { method: "POST" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orderflow"] }),
  })
}

/** POST /admin/orderflow/requests/:id/resolve (one dead letter) or /requests/resolve `{ ids }` (several); the ids are the mutation's variable. */
export function useResolveRequests() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (ids: string[]) =>
      ids.length === 1
        ? sdk.client.fetch<{ request: RequestRecord }>(`/admin/orderflow/requests/${ids[0]}/resolve`, { method: "POST" }).then((r) => ({ count: 1, requests: [r.request] }))
        : sdk.client.fetch<{ requests: RequestRecord[]; count: number }>("/admin/orderflow/requests/resolve", { method: "POST", body: { ids } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orderflow"] }),
  })
}

export function useImports(params: ListPage & { type?: RequestType; status?: CallStatus }) {
  return useQuery({
    queryKey: ["orderflow", "imports", params],
    placeholderData: keepPreviousData,
    queryFn: () => sdk.client.fetch<ListResponse<"imports", ImportRecord>>("/admin/orderflow/imports", { query: qs(params) }),
  })
}

export function useImport(id: string) {
  return useQuery({
    queryKey: ["orderflow", "import", id],
    queryFn: () => sdk.client.fetch<{ import: ImportRecord }>(`/admin/orderflow/imports/${id}`),
  })
}

export type Health = {
  exports: Record<string, Record<string, number | string | null>>
  requests: Record<string, Record<string, number | string | null>>
  last_message_from_orderflow: Record<string, string | null>
  last_export_error: { id: string; operation: string; error: string; created_at: string } | null
  last_request_error: { id: string; type: RequestType; message_seq_id: number | null; error: string; updated_at: string } | null
  /** Per type, the newest message applied except some lines. */
  last_processed_with_errors: Partial<Record<RequestType, { id: string; message_seq_id: number | null; error: string | null; processed_at: string | null }>>
  operations: Array<{ operation: OperationName; last_started_at: string | null; last_finished_at: string | null; last_status: OperationRunStatus | null; last_error: string | null; last_summary: Record<string, unknown> | null; run_count: number }>
  open_incidents: Incident[]
  endpoints: EndpointState[]
}

export function useHealth() {
  return useQuery({
    queryKey: ["orderflow", "health"],
    queryFn: () => sdk.client.fetch<{ health: Health }>("/admin/orderflow/health"),
    refetchInterval: 15_000,
  })
}

export function useRunOperation() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (operation: OperationName) =>
      sdk.client.fetch<{ run: { ran: boolean; status?: OperationRunStatus; summary?: Record<string, unknown>; error?: string; reason?: string } }>(
        `/admin/orderflow/operations/${operation}/run`,
        { method: "POST" }
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orderflow"] }),
  })
}
