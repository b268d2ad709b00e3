import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { DetailWidgetProps, AdminOrder } from "@medusajs/framework/types"
import { Container, Heading, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { StatusPill } from "../components/common"
import { useReturns } from "../hooks/api/returns"

/** This order's returns towards OrderFlow: sent, received (what was restocked), skipped or failed and why. */
const OrderReturnsWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data, isLoading } = useReturns({ order_id: order.id, limit: 50, offset: 0 })
  const returns = data?.returns ?? []
  if (isLoading || returns.length === 0) return null
  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">OrderFlow returns</Heading>
        <Link className="text-ui-fg-interactive txt-compact-small" to="/orderflow/returns">
          All returns
        </Link>
      </div>
      {returns.map((r) => (
        <div key={r.id} className="flex flex-col gap-y-1 px-6 py-3">
          <div className="flex items-center gap-x-2">
            <Text size="small" weight="plus">
              {r.authorisation}
            </Text>
            <StatusPill status={r.status} />
          </div>
          {r.lines.map((l) => (
            <Text key={l.id} size="xsmall" className="text-ui-fg-subtle">
              {l.sku} ×{l.quantity} · {l.reason} · {l.condition}
              {r.status === "received" ? ` → ${l.received_quantity} restocked, ${l.damaged_quantity} damaged` : ""}
            </Text>
          ))}
          {(r.last_error || r.skip_reason) && (
            <Text size="xsmall" className="text-ui-fg-error">
              {r.last_error ?? r.skip_reason}
            </Text>
          )}
        </div>
      ))}
    </Container>
  )
}

export const config = defineWidgetConfig({ zone: "order.details.side.after" })

export default OrderReturnsWidget
