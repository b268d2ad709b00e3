import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminProduct, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Button, Container, Heading, Table, Text, toast, Tooltip } from "@medusajs/ui"
import { StatusPill, when } from "../components/common"
import { orderflowProductUrl, useExportProducts, useProductExportItems, useProductVariantTitles, useResetProducts } from "../hooks/api/products"
import { useOrderflowSettings } from "../hooks/api/settings"

/**
 * Product page: the OrderFlow export state of each of the product's SKUs
 * (seed 000 "Magento Workflow": Pending → Queued → Exported), why a variant
 * is not sent, the last error, and the manual "Export now" of the guide.
 */
const ProductOrderflowStatusWidget = ({ data: product }: DetailWidgetProps<AdminProduct>) => {
  const { data, isLoading, error } = useProductExportItems(product.id)
  const settings = useOrderflowSettings()
  const exportNow = useExportProducts()
  const reset = useResetProducts()
  const api = settings.data?.settings.api
  const enabled = settings.data?.settings.productExport?.enabled === true
  const variants = useProductVariantTitles(product.id)
  const variantTitle = new Map((variants.data?.variants ?? []).map((v) => [v.id, v.title ?? v.sku ?? v.id]))
  // Rows sent for a kit variant are its components (the kit itself has a skipped row saying so).
  const kits = new Set((data?.export_items ?? []).filter((r) => r.status === "skipped" && r.skip_reason?.startsWith("inventory kit")).map((r) => r.variant_id))
  const variantLabel = (r: { status: string; variant_id: string | null }) => {
    const title = (r.variant_id && variantTitle.get(r.variant_id)) || "—"
    return r.status !== "skipped" && kits.has(r.variant_id) ? `component of ${title}` : title
  }
  const rows = [...(data?.export_items ?? [])].sort((a, b) => (a.status === "skipped" ? 1 : 0) - (b.status === "skipped" ? 1 : 0) || a.reference.localeCompare(b.reference))

  const onExport = () =>
    exportNow.mutate(
      { product_ids: [product.id] },
      {
        onSuccess: (res) => {
          const { exported, duplicates, failed, missing } = res.summary
          const text = `${exported + duplicates} exported, ${failed} failed${missing ? `, ${missing} left pending` : ""}`
          if (res.error || failed) toast.error("OrderFlow export", { description: res.error ?? text })
          else toast.success("OrderFlow export", { description: text })
        },
        onError: (e) => toast.error("OrderFlow export", { description: (e as Error).message }),
      }
    )
  const onReset = () =>
    reset.mutate(
      { product_ids: [product.id] },
      {
        onSuccess: (res) => toast.success("OrderFlow", { description: `${res.reset} SKU(s) set to pending` }),
        onError: (e) => toast.error("OrderFlow", { description: (e as Error).message }),
      }
    )

  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between px-6 py-4">
        <div className="flex flex-col">
          <Heading level="h2">OrderFlow</Heading>
          {!enabled && settings.data && (
            <Text size="small" className="text-ui-fg-subtle">
              Scheduled product export is off (Settings → OrderFlow); Export now still sends.
            </Text>
          )}
        </div>
        <div className="flex gap-x-2">
          <Button size="small" variant="secondary" onClick={onReset} isLoading={reset.isPending}>
            Reset
          </Button>
          <Button size="small" variant="secondary" onClick={onExport} isLoading={exportNow.isPending}>
            Export now
          </Button>
        </div>
      </div>
      {isLoading && <Text className="px-6 py-4">Loading…</Text>}
      {error && <Text className="text-ui-fg-error px-6 py-4">{(error as Error).message}</Text>}
      {data && rows.length === 0 && (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          Not queued yet: the next product export run picks it up.
        </Text>
      )}
      {rows.length > 0 && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>SKU</Table.HeaderCell>
              <Table.HeaderCell>Variant</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Last exported</Table.HeaderCell>
              <Table.HeaderCell>Note</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows.map((r) => {
              const url = r.status !== "skipped" && r.exported_at ? orderflowProductUrl(api, r.reference) : null
              const note =
                r.status === "skipped"
                  ? r.skip_reason
                  : r.last_error
                    ? `${r.last_error}${r.attempts ? ` (attempt ${r.attempts}${r.next_attempt_at ? `, retry ${when(r.next_attempt_at)}` : ", no more retries"})` : ""}`
                    : null
              return (
                <Table.Row key={r.id}>
                  <Table.Cell>
                    {url ? (
                      <a href={url} target="_blank" rel="noreferrer" className="text-ui-fg-interactive hover:underline">
                        {r.reference}
                      </a>
                    ) : (
                      r.reference
                    )}
                  </Table.Cell>
                  <Table.Cell>{variantLabel(r)}</Table.Cell>
                  <Table.Cell>
                    <div className="flex items-center gap-x-1">
                      <StatusPill status={r.status} />
                      {!r.activated && (
                        <Badge size="2xsmall" color="grey">
                          inactive
                        </Badge>
                      )}
                    </div>
                  </Table.Cell>
                  <Table.Cell>{when(r.exported_at)}</Table.Cell>
                  <Table.Cell className="max-w-[280px]">
                    {note ? (
                      <Tooltip content={note}>
                        <Text size="small" className={`truncate ${r.status === "failed" ? "text-ui-fg-error" : "text-ui-fg-subtle"}`}>
                          {note}
                        </Text>
                      </Tooltip>
                    ) : (
                      "—"
                    )}
                  </Table.Cell>
                </Table.Row>
              )
            })}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "product.details.after",
})

export default ProductOrderflowStatusWidget
