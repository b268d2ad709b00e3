import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { ExportItemStatus, ExportLineOutcome } from "../../../types"
import { sdk } from "../../lib/sdk"
import type { ListResponse } from "./history"

/** One row of the product export queue (GET /admin/orderflow/export-items). */
export type ProductExportItem = {
  id: string
  entity_id: string
  reference: string
  variant_id: string | null
  product_id: string | null
  /** Product rows are never "cancelled" (that is an order state). */
  status: Exclude<ExportItemStatus, "cancelled">
  skip_reason: string | null
  activated: boolean
  attempts: number
  next_attempt_at: string | null
  changed_at: string | null
  exported_at: string | null
  last_error: string | null
  last_export_id: string | null
}

export type ProductExportOutcome = {
  id: string
  reference: string
  inventory_item_id: string | null
  variant_id: string | null
  product_id: string | null
  /** OrderFlow's answer for the SKU, or why it was not sent (already in flight, or skipped). */
  outcome: ExportLineOutcome | "in_flight" | "skipped"
  status: ExportItemStatus
  message: string | null
  exported_at: string | null
}

export type ProductExportResponse = {
  export_ids: string[]
  error: string | null
  summary: { sent: number; exported: number; duplicates: number; failed: number; missing: number; in_flight: number; skipped: number }
  items: ProductExportOutcome[]
}

export type ProductSelection = { product_ids?: string[]; variant_ids?: string[] }

/** Export state of every SKU of a product (its variants and its kits' components). */
export function useProductExportItems(productId: string) {
  return useQuery({
    queryKey: ["orderflow", "product-export-items", productId],
    queryFn: () =>
      sdk.client.fetch<ListResponse<"export_items", ProductExportItem>>("/admin/orderflow/export-items", {
        query: { entity_type: "product", product_id: productId, limit: 200 },
      }),
  })
}

/** The product's variants (titles for the widget's rows). */
export function useProductVariantTitles(productId: string) {
  return useQuery({
    queryKey: ["orderflow", "product-variant-titles", productId],
    queryFn: () =>
      sdk.client.fetch<ListResponse<"variants", { id: string; title: string | null; sku: string | null }>>(`/admin/products/${productId}/variants`, {
        query: { fields: "id,title,sku", limit: 200 },
      }),
  })
}

/** POST /admin/orderflow/products/export: send now, answer per SKU. */
export function useExportProducts() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: ProductSelection) =>
      sdk.client.fetch<ProductExportResponse>("/admin/orderflow/products/export", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orderflow"] }),
  })
}

/** POST /admin/orderflow/products/reset: back to pending, by ids or all. */
export function useResetProducts() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: ProductSelection | { all: true }) =>
      sdk.client.fetch<{ reset: number; skipped?: number; queued?: number }>("/admin/orderflow/products/reset", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orderflow"] }),
  })
}

export type ProductSummary = { id: string; title: string; status: string; thumbnail: string | null; variants?: Array<{ id: string; sku: string | null }> }

/** A page of the catalog for the product list widget's picker (Medusa's own admin products route). */
export function useProductPicker(params: { q: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: ["orderflow", "product-picker", params],
    queryFn: () =>
      sdk.client.fetch<ListResponse<"products", ProductSummary>>("/admin/products", {
        query: { fields: "id,title,status,thumbnail,variants.id,variants.sku", limit: params.limit, offset: params.offset, ...(params.q ? { q: params.q } : {}) },
      }),
  })
}

/** Export state of the SKUs of a page of products (one request for the page). */
export function useExportItemsForProducts(productIds: string[]) {
  return useQuery({
    queryKey: ["orderflow", "product-export-items", "many", productIds],
    enabled: productIds.length > 0,
    queryFn: () =>
      sdk.client.fetch<ListResponse<"export_items", ProductExportItem>>("/admin/orderflow/export-items", {
        query: { entity_type: "product", product_id: productIds, limit: 500 },
      }),
  })
}

/** "View in OrderFlow": the product search of the OrderFlow web UI (settings api.webUrl, else the endpoint). */
export function orderflowProductUrl(api: Record<string, unknown> | undefined, sku: string): string | null {
  const base = String(api?.webUrl || api?.endpoint || "").replace(/\/+$/, "")
  return base ? `${base}/inventory/product/search.htm?externalReference=${encodeURIComponent(sku)}` : null
}
