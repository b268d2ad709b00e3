import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Button, Container, Heading, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { when } from "../components/common"
import { describeOrderExport, useExportOrders, useOrderflowOrder, useOrderflowOrderAction } from "../hooks/api/orders"

/**
 * Order page (seed 000, "Order Embellishments"): the order's OrderFlow export
 * status, when it was exported, the last error, the cancellation state (a
 * refusal by the warehouse is flagged), a link to the order in OrderFlow,
 * Export now, and Hold / Release in OrderFlow for exported orders.
 */
const OrderOrderflowStatusWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const [live, setLive] = useState(false)
  const { data, isLoading, error, refetch, isFetching } = useOrderflowOrder(order.id, { live })
  const exportNow = useExportOrders()
  const action = useOrderflowOrderAction(order.id)
  const item = data?.export_item ?? null
  const status = describeOrderExport(item)
  const inOrderflow = !!item?.exported_at && item.status !== "cancelled"
  const canExport = !item?.exported_at && item?.status !== "queued" && item?.status !== "cancelled" && item?.status !== "skipped"

  const onExport = () =>
    exportNow.mutate([order.id], {
      onSuccess: (res) => {
        const o = res.orders[0]
        const text = `${o.outcome.replace(/_/g, " ")}${o.message ? `: ${o.message}` : ""}`
        if (o.outcome === "exported" || o.outcome === "duplicate") toast.success("OrderFlow", { description: `Order ${o.reference} exported` })
        else toast.error("OrderFlow", { description: text })
      },
      onError: (e) => toast.error("OrderFlow", { description: (e as Error).message }),
    })
  const onAction = (kind: "hold" | "release") =>
    action.mutate(kind, {
      onSuccess: ({ result }) => (result.outcome === "done" ? toast.success("OrderFlow", { description: result.message }) : toast.error("OrderFlow", { description: result.message })),
      onError: (e) => toast.error("OrderFlow", { description: (e as Error).message }),
    })

  const row = (label: string, value: React.ReactNode) => (
    <div className="grid grid-cols-2 items-start gap-x-2 px-6 py-2">
      <Text size="small" weight="plus" className="text-ui-fg-subtle">
        {label}
      </Text>
      <div className="break-words text-right">{typeof value === "string" ? <Text size="small">{value}</Text> : value}</div>
    </div>
  )
  const liveState = data?.live && "state" in data.live ? data.live.state : null
  const liveError = data?.live && "error" in data.live ? data.live.error : null

  return (
    <Container className="divide-y p-0" data-testid="orderflow-order-status">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">OrderFlow</Heading>
        <Badge size="2xsmall" color={status.tone}>
          {status.label}
        </Badge>
      </div>
      {isLoading && <Text className="px-6 py-4">Loading…</Text>}
      {error && <Text className="text-ui-fg-error px-6 py-4">{(error as Error).message}</Text>}
      {data && (
        <div className="py-2">
          {row("Reference", item?.reference ?? "—")}
          {row("Exported at", when(item?.exported_at))}
          {item?.status === "skipped" && row("Why not sent", item.skip_reason ?? "—")}
          {item?.last_error &&
            row(
              "Last error",
              <Text size="small" className="text-ui-fg-error">
                {item.last_error}
                {item.attempts ? ` (attempt ${item.attempts}${item.next_attempt_at ? `, retry ${when(item.next_attempt_at)}` : ", no more retries"})` : ""}
              </Text>
            )}
          {item?.cancel_status &&
            row(
              "Cancellation",
              <Text size="small" className={item.cancel_status === "refused" || item.cancel_status === "vetoed" ? "text-ui-fg-error" : undefined}>
                {item.cancel_status === "refused"
                  ? "Cancelled in Medusa, refused by the warehouse"
                  : item.cancel_status === "vetoed"
                    ? "Cancellation refused by OrderFlow"
                    : item.cancel_status.replace(/_/g, " ")}
                {item.cancel_error ? `: ${item.cancel_error}` : ""}
                {item.cancel_status === "pending" && item.cancel_next_attempt_at ? ` (retry ${when(item.cancel_next_attempt_at)})` : ""}
              </Text>
            )}
          {item?.edit_status &&
            row(
              "Last change",
              <Text size="small" className={item.edit_status === "synced" ? undefined : "text-ui-fg-error"}>
                {item.edit_status === "synced" ? "Sent to OrderFlow" : item.edit_status === "blocked" ? "Not in OrderFlow (blocked)" : "Refused"}
                {item.edit_message ? `: ${item.edit_message}` : ""}
                {item.edit_at ? ` (${when(item.edit_at)})` : ""}
              </Text>
            )}
          {inOrderflow && live && row("State in OrderFlow", liveError ? <Text size="small" className="text-ui-fg-error">{liveError}</Text> : liveState ?? "—")}
          {data.orderflow_url &&
            row(
              "In OrderFlow",
              <a href={data.orderflow_url} target="_blank" rel="noreferrer" className="text-ui-fg-interactive txt-compact-small hover:underline">
                Open order {item?.reference}
              </a>
            )}
        </div>
      )}
      <div className="flex flex-wrap justify-end gap-2 px-6 py-4">
        {inOrderflow && (
          <Button size="small" variant="transparent" isLoading={isFetching && live} onClick={() => (live ? refetch() : setLive(true))}>
            Check state
          </Button>
        )}
        {inOrderflow && (
          <>
            <Button size="small" variant="secondary" isLoading={action.isPending && action.variables === "hold"} onClick={() => onAction("hold")}>
              Hold in OrderFlow
            </Button>
            <Button size="small" variant="secondary" isLoading={action.isPending && action.variables === "release"} onClick={() => onAction("release")}>
              Release
            </Button>
          </>
        )}
        {canExport && (
          <Button size="small" variant="secondary" isLoading={exportNow.isPending} onClick={onExport}>
            Export now
          </Button>
        )}
      </div>
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
})

export default OrderOrderflowStatusWidget
