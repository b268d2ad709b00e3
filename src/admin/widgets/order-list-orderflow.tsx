import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { Badge, Button, Container, Heading, Input, Label, Table, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { Link } from "react-router-dom"
import type { CancelStatus, ExportItemStatus } from "../../types"
import { when } from "../components/common"
import { BackfillResult, describeOrderExport, OrderExportItem, useBackfillOrders, useOrderflowOrders } from "../hooks/api/orders"

const VIEWS: Array<{ key: string; label: string; filter: { status?: ExportItemStatus; cancel_status?: CancelStatus } }> = [
  { key: "recent", label: "Recent", filter: {} },
  { key: "failed", label: "Failed", filter: { status: "failed" } },
  { key: "refused", label: "Cancellation refused", filter: { cancel_status: "refused" } },
  { key: "pending", label: "Pending", filter: { status: "pending" } },
]

function ExportRows({ rows }: { rows: OrderExportItem[] }) {
  return (
    <Table>
      <Table.Header>
        <Table.Row>
          <Table.HeaderCell>Order</Table.HeaderCell>
          <Table.HeaderCell>OrderFlow status</Table.HeaderCell>
          <Table.HeaderCell>Exported at</Table.HeaderCell>
          <Table.HeaderCell>Note</Table.HeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {rows.map((r) => {
          const s = describeOrderExport(r)
          const note = r.cancel_error ?? r.last_error ?? r.skip_reason
          return (
            <Table.Row key={r.id}>
              <Table.Cell>
                <Link to={`/orders/${r.order_id ?? r.entity_id}`} className="text-ui-fg-interactive hover:underline">
                  #{r.reference}
                </Link>
              </Table.Cell>
              <Table.Cell>
                <Badge size="2xsmall" color={s.tone}>
                  {s.label}
                </Badge>
              </Table.Cell>
              <Table.Cell>{when(r.exported_at)}</Table.Cell>
              <Table.Cell className="max-w-[360px]">
                <Text size="small" className="text-ui-fg-subtle truncate">
                  {note ?? "—"}
                </Text>
              </Table.Cell>
            </Table.Row>
          )
        })}
      </Table.Body>
    </Table>
  )
}

function Backfill() {
  const [from, setFrom] = useState("")
  const [to, setTo] = useState(new Date().toISOString().slice(0, 10))
  const [counted, setCounted] = useState<BackfillResult | null>(null)
  const backfill = useBackfillOrders()
  const run = (dry_run: boolean) =>
    backfill.mutate(
      { from, to, dry_run },
      {
        onSuccess: ({ backfill: r }) => {
          if (dry_run) setCounted(r)
          else {
            setCounted(null)
            toast.success("OrderFlow", { description: `${r.eligible} order(s) queued for export` })
          }
        },
        onError: (e) => toast.error("OrderFlow", { description: (e as Error).message }),
      }
    )
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4">
      <Text size="small" className="text-ui-fg-subtle">
        Orders placed before order export was enabled are not sent unless you ask. Count them first, then queue them.
      </Text>
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall">Placed from</Label>
          <Input size="small" type="date" value={from} onChange={(e) => { setFrom(e.target.value); setCounted(null) }} />
        </div>
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall">to (not included)</Label>
          <Input size="small" type="date" value={to} onChange={(e) => { setTo(e.target.value); setCounted(null) }} />
        </div>
        <Button size="small" variant="secondary" disabled={!from || !to} isLoading={backfill.isPending && backfill.variables?.dry_run} onClick={() => run(true)}>
          Count
        </Button>
        <Button size="small" disabled={!counted || counted.eligible === 0} isLoading={backfill.isPending && !backfill.variables?.dry_run} onClick={() => run(false)}>
          Queue {counted ? counted.eligible : ""} for export
        </Button>
      </div>
      {counted && (
        <Text size="small">
          {counted.orders} order(s) placed in that range: {counted.eligible} would be exported, {counted.already_known} already known,{" "}
          {counted.skipped} with nothing shipped from stock
          {Object.entries(counted.not_eligible).map(([code, n]) => `, ${n} ${code.replace(/_/g, " ")}`).join("")}.
        </Text>
      )}
    </div>
  )
}

/**
 * Order list: the OrderFlow status of recently changed orders, and the ones
 * that need attention (export failed, cancellation refused by the
 * warehouse), plus the backfill of older orders. Medusa's order table itself
 * cannot take extra columns from a plugin.
 */
const OrderListOrderflowWidget = () => {
  const [view, setView] = useState("recent")
  const [open, setOpen] = useState(false)
  const [showBackfill, setShowBackfill] = useState(false)
  const filter = VIEWS.find((v) => v.key === view)!.filter
  const { data, isLoading, error } = useOrderflowOrders({ limit: 10, ...filter })
  const failed = useOrderflowOrders({ limit: 1, status: "failed" })
  const refused = useOrderflowOrders({ limit: 1, cancel_status: "refused" })
  const attention = (failed.data?.count ?? 0) + (refused.data?.count ?? 0)

  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between px-6 py-4">
        <div className="flex items-center gap-x-3">
          <Heading level="h2">OrderFlow</Heading>
          {failed.data && failed.data.count > 0 && (
            <Badge size="2xsmall" color="red">
              {failed.data.count} failed
            </Badge>
          )}
          {refused.data && refused.data.count > 0 && (
            <Badge size="2xsmall" color="red">
              {refused.data.count} cancellation(s) refused
            </Badge>
          )}
          {attention === 0 && failed.data && refused.data && (
            <Text size="small" className="text-ui-fg-subtle">
              Nothing needs attention
            </Text>
          )}
        </div>
        <div className="flex gap-x-2">
          <Button size="small" variant="transparent" onClick={() => setShowBackfill(!showBackfill)}>
            Export older orders
          </Button>
          <Button size="small" variant="secondary" onClick={() => setOpen(!open)}>
            {open ? "Hide" : "Show"} statuses
          </Button>
        </div>
      </div>
      {showBackfill && <Backfill />}
      {open && (
        <>
          <div className="flex gap-x-2 px-6 py-3">
            {VIEWS.map((v) => (
              <Button key={v.key} size="small" variant={v.key === view ? "primary" : "transparent"} onClick={() => setView(v.key)}>
                {v.label}
              </Button>
            ))}
          </div>
          {isLoading && <Text className="px-6 py-4">Loading…</Text>}
          {error && <Text className="text-ui-fg-error px-6 py-4">{(error as Error).message}</Text>}
          {data && data.orders.length === 0 && (
            <Text size="small" className="text-ui-fg-subtle px-6 py-4">
              No orders here.
            </Text>
          )}
          {data && data.orders.length > 0 && <ExportRows rows={data.orders} />}
        </>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.list.before",
})

export default OrderListOrderflowWidget
