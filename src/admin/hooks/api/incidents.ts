import { useMutation, useQueryClient } from "@tanstack/react-query"
import type { IncidentKind } from "../../../types"
import { sdk } from "../../lib/sdk"

export type Incident = {
  id: string
  key: string
  operation: string
  kind: IncidentKind
  title: string
  description: string
  occurrences: number
  opened_at: string
  last_seen_at: string
}

/** The circuit/block state of one OrderFlow endpoint (product_export, order_export). */
export type EndpointState = {
  endpoint: string
  consecutive_failures: number
  circuit_opened_at: string | null
  blocked_at: string | null
  blocked_reason: string | null
  last_failure: string | null
  last_failure_at: string | null
  last_success_at: string | null
}

/** POST /admin/orderflow/incidents/:id/close; the id is the mutation's variable. */
export function useCloseIncident() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch<{ incident: Incident }>(`/admin/orderflow/incidents/${id}/close`, { method: "POST" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orderflow"] }),
  })
}
