import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { DetailWidgetProps, AdminOrder } from "@medusajs/framework/types"
import { Badge, Container, Heading, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { useDespatches } from "../hooks/api/despatches"

/** Despatches OrderFlow reported for this order, with their tracking numbers. */
const OrderDespatchesWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data, isLoading } = useDespatches({ order_id: order.id, limit: 50, offset: 0 })
  const despatches = data?.despatches ?? []
  if (isLoading || despatches.length === 0) return null
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">OrderFlow despatches</Heading>
      </div>
      {despatches.map((d) => (
        <div key={d.id} className="flex flex-col gap-y-1 px-6 py-3">
          <Text size="small" weight="plus">
            {d.date_shipped ? new Date(d.date_shipped).toLocaleString() : new Date(d.created_at).toLocaleString()}
            {d.courier_name ? ` · ${d.courier_name}${d.service_name ? ` (${d.service_name})` : ""}` : ""}
          </Text>
          <div className="flex flex-wrap gap-1">
            {(d.tracking_numbers ?? []).map((t) => (
              <Badge key={t} size="2xsmall" className="font-mono">
                {t}
              </Badge>
            ))}
            {(d.tracking_numbers ?? []).length === 0 && (
              <Text size="xsmall" className="text-ui-fg-muted">
                no tracking number
              </Text>
            )}
          </div>
          {d.comment && (
            <Text size="xsmall" className="text-ui-fg-subtle whitespace-pre-line">
              {d.comment}
            </Text>
          )}
          {!d.fulfillment_id && (
            <Text size="xsmall" className="text-ui-fg-subtle">
              Kit components: no fulfilment yet; fulfilled (with this tracking) when the rest of the kit ships
            </Text>
          )}
          <Text size="xsmall" className="text-ui-fg-muted">
            {d.notified_at ? "Customer notified" : "Customer not notified"} ·{" "}
            <Link className="text-ui-fg-interactive" to={`/orderflow/requests/${d.request_id}`}>
              message
            </Link>
          </Text>
        </div>
      ))}
    </Container>
  )
}

export const config = defineWidgetConfig({ zone: "order.details.side.after" })

export default OrderDespatchesWidget
