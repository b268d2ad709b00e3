import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Container, Heading, Text } from "@medusajs/ui"
import { when } from "../components/common"
import { describeOrderExport, useOrderflowOrders } from "../hooks/api/orders"

/**
 * Order page: the order's claims and exchanges that travel to OrderFlow as
 * orders of their own (`<ref>-C1`, `<ref>-X1`), with their export state.
 * Shows nothing for an order without any.
 */
const OrderOrderflowChangesWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data } = useOrderflowOrders({ limit: 50, order_id: order.id })
  const changes = (data?.orders ?? []).filter((r) => r.order_id)
  if (!changes.length) return null
  return (
    <Container className="divide-y p-0" data-testid="orderflow-order-changes">
      <div className="px-6 py-4">
        <Heading level="h2">OrderFlow: claims and exchanges</Heading>
      </div>
      <div className="py-2">
        {changes.map((r) => {
          const s = describeOrderExport(r)
          return (
            <div key={r.id} className="grid grid-cols-2 items-start gap-x-2 px-6 py-2">
              <Text size="small" weight="plus" className="text-ui-fg-subtle">
                {r.reference} ({r.change_kind ?? "change"})
              </Text>
              <div className="flex flex-col items-end gap-1">
                <Badge size="2xsmall" color={s.tone}>
                  {s.label}
                </Badge>
                <Text size="xsmall" className="text-ui-fg-subtle text-right">
                  {r.exported_at ? `exported ${when(r.exported_at)}` : r.skip_reason ?? r.last_error ?? ""}
                </Text>
              </div>
            </div>
          )
        })}
      </div>
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
})

export default OrderOrderflowChangesWidget
