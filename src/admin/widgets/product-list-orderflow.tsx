import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { Button, Checkbox, Container, Heading, Input, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { Link } from "react-router-dom"
import { Pager, StatusPill } from "../components/common"
import { useHealth } from "../hooks/api/history"
import { ProductExportItem, useExportItemsForProducts, useExportProducts, useProductPicker, useResetProducts } from "../hooks/api/products"

const LIMIT = 10
const ORDER: ProductExportItem["status"][] = ["failed", "queued", "pending", "exported", "skipped"]

/** The worst state among a product's SKUs, for the picker (failed first). */
function productState(items: ProductExportItem[]): ProductExportItem["status"] | null {
  for (const status of ORDER) if (items.some((i) => i.status === status)) return status
  return null
}

/**
 * Product list: the guide's bulk actions (seed 000 "Export Types": manual
 * export of selected products, "Reset Export Status (OF)" for selected or all
 * products). The dashboard's own list has no extension point for bulk
 * actions, so the widget brings its own product picker.
 */
const ProductListOrderflowWidget = () => {
  const [open, setOpen] = useState(false)
  const [q, setQ] = useState("")
  const [offset, setOffset] = useState(0)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const health = useHealth()
  const picker = useProductPicker({ q, limit: LIMIT, offset })
  const products = picker.data?.products ?? []
  const states = useExportItemsForProducts(products.map((p) => p.id))
  const exportNow = useExportProducts()
  const reset = useResetProducts()
  const prompt = usePrompt()
  const queue = health.data?.health.exports.product ?? {}
  const ids = [...selected]

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })
  const fail = (e: unknown) => toast.error("OrderFlow", { description: (e as Error).message })

  const onExport = () =>
    exportNow.mutate(
      { product_ids: ids },
      {
        onSuccess: (res) => {
          const { exported, duplicates, failed, missing, skipped } = res.summary
          const text = `${exported + duplicates} SKU(s) exported, ${failed} failed, ${missing} left pending, ${skipped} not sent (see each product)`
          if (res.error || failed) toast.error("OrderFlow export", { description: res.error ?? text })
          else toast.success("OrderFlow export", { description: text })
          setSelected(new Set())
        },
        onError: fail,
      }
    )
  const onReset = () =>
    reset.mutate(
      { product_ids: ids },
      {
        onSuccess: (res) => {
          toast.success("OrderFlow", { description: `${res.reset} SKU(s) set to pending` })
          setSelected(new Set())
        },
        onError: fail,
      }
    )
  const onResetAll = async () => {
    const ok = await prompt({
      title: "Reset the export status of every product?",
      description: "Every SKU goes back to Pending and is sent to OrderFlow again, batch by batch, by the scheduled product export.",
      confirmText: "Reset all",
      cancelText: "Cancel",
    })
    if (!ok) return
    reset.mutate(
      { all: true },
      { onSuccess: (res) => toast.success("OrderFlow", { description: `${res.reset + (res.queued ?? 0)} SKU(s) set to pending` }), onError: fail }
    )
  }

  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between px-6 py-4">
        <div className="flex flex-col">
          <Heading level="h2">OrderFlow product export</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {Number(queue.pending ?? 0)} pending · {Number(queue.queued ?? 0)} in flight · {Number(queue.failed ?? 0)} failed ·{" "}
            {Number(queue.exported ?? 0)} exported · {Number(queue.skipped ?? 0)} not sent
          </Text>
        </div>
        <div className="flex gap-x-2">
          <Button size="small" variant="secondary" onClick={onResetAll} isLoading={reset.isPending && !ids.length}>
            Reset all
          </Button>
          <Button size="small" variant="secondary" onClick={() => setOpen(!open)}>
            {open ? "Hide" : "Select products"}
          </Button>
        </div>
      </div>
      {open && (
        <>
          <div className="flex items-center justify-between gap-x-2 px-6 py-3">
            <Input
              size="small"
              type="search"
              placeholder="Search products"
              value={q}
              onChange={(e) => {
                setQ(e.target.value)
                setOffset(0)
              }}
            />
            <div className="flex shrink-0 gap-x-2">
              <Button size="small" variant="secondary" disabled={!ids.length} onClick={onReset} isLoading={reset.isPending && ids.length > 0}>
                Reset selected
              </Button>
              <Button size="small" disabled={!ids.length} onClick={onExport} isLoading={exportNow.isPending}>
                Export selected ({ids.length})
              </Button>
            </div>
          </div>
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell />
                <Table.HeaderCell>Product</Table.HeaderCell>
                <Table.HeaderCell>SKUs</Table.HeaderCell>
                <Table.HeaderCell>OrderFlow</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {products.map((p) => {
                const items = (states.data?.export_items ?? []).filter((i) => i.product_id === p.id)
                const state = productState(items)
                return (
                  <Table.Row key={p.id}>
                    <Table.Cell>
                      <Checkbox checked={selected.has(p.id)} onCheckedChange={(v) => toggle(p.id, v === true)} />
                    </Table.Cell>
                    <Table.Cell>
                      <Link to={`/products/${p.id}`} className="text-ui-fg-interactive hover:underline">
                        {p.title}
                      </Link>
                    </Table.Cell>
                    <Table.Cell>
                      <Text size="small" className="text-ui-fg-subtle truncate">
                        {(p.variants ?? []).map((v) => v.sku).filter(Boolean).join(", ") || "—"}
                      </Text>
                    </Table.Cell>
                    <Table.Cell>{state ? <StatusPill status={state} /> : "—"}</Table.Cell>
                  </Table.Row>
                )
              })}
            </Table.Body>
          </Table>
          <Pager count={picker.data?.count ?? 0} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "product.list.before",
})

export default ProductListOrderflowWidget
