import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"

export type SettingsGroups = Record<string, Record<string, unknown>>
export type SettingsResponse = {
  settings: SettingsGroups
  locked: string[]
  inbound_urls: { inventory: string; shipment: string }
  /** What to enter in OrderFlow for each connector (README "SOAP connectors"). */
  connectors: Array<{ connector: string; properties: Array<{ property: string; value: string; secret?: boolean }> }>
}
export type ConnectionTestResult = {
  ok: boolean
  status: number | null
  duration_ms: number
  message: string
  endpoint: string
}

const key = ["orderflow", "settings"]

export function useOrderflowSettings() {
  return useQuery({
    queryKey: key,
    queryFn: () => sdk.client.fetch<SettingsResponse>("/admin/orderflow/settings"),
  })
}

export function useUpdateOrderflowSettings() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: SettingsGroups) =>
      sdk.client.fetch<SettingsResponse>("/admin/orderflow/settings", { method: "POST", body }),
    onSuccess: (data) => client.setQueryData(key, data),
  })
}

export function useTestOrderflowConnection() {
  return useMutation({
    mutationFn: (body: SettingsGroups) =>
      sdk.client.fetch<{ result: ConnectionTestResult }>("/admin/orderflow/settings/test", { method: "POST", body }),
  })
}

export type StockLocation = { id: string; name: string }
export function useStockLocations() {
  return useQuery({
    queryKey: ["orderflow", "stock-locations"],
    queryFn: () =>
      sdk.client.fetch<{ stock_locations: StockLocation[] }>("/admin/stock-locations", {
        query: { fields: "id,name", limit: 100 },
      }),
  })
}
