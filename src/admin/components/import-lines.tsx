import { Table, Text } from "@medusajs/ui"
import { ImportRecord } from "../hooks/api/history"
import { StatusPill } from "./common"

const n = (v: number | null | undefined) => (v === null || v === undefined ? "—" : String(v))

/** One row per SKU (inventory) or despatched item (shipment), with what was received and done. */
export function ImportLinesTable({ report }: { report: ImportRecord }) {
  const lines = report.lines ?? []
  const inventory = report.type === "inventory"
  return (
    <>
      <div className="px-6 py-3">
        <Text size="small" className="text-ui-fg-subtle">
          {report.line_count} lines: {report.applied_count} {inventory ? "applied" : "shipped"}, {report.stale_count} stale,{" "}
          {report.unknown_count} unknown SKU, {report.duplicate_count} duplicate, {report.failed_count} failed — {report.duration_ms} ms
        </Text>
        {report.error && <Text size="small" className="text-ui-fg-error">{report.error}</Text>}
      </div>
      <Table>
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>SKU</Table.HeaderCell>
            {inventory ? (
              <>
                <Table.HeaderCell>Site</Table.HeaderCell>
                <Table.HeaderCell>Received</Table.HeaderCell>
                <Table.HeaderCell>Sequence ID</Table.HeaderCell>
                <Table.HeaderCell>Unsent orders</Table.HeaderCell>
                <Table.HeaderCell>Active carts</Table.HeaderCell>
                <Table.HeaderCell>Available set</Table.HeaderCell>
              </>
            ) : (
              <>
                <Table.HeaderCell>Quantity</Table.HeaderCell>
                <Table.HeaderCell>Order</Table.HeaderCell>
                <Table.HeaderCell>Fulfillment</Table.HeaderCell>
              </>
            )}
            <Table.HeaderCell>Outcome</Table.HeaderCell>
            <Table.HeaderCell>Message</Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {lines.map((l) => (
            <Table.Row key={l.id}>
              <Table.Cell className="font-mono">{l.sku}</Table.Cell>
              {inventory ? (
                <>
                  <Table.Cell>{l.source ?? "default"}</Table.Cell>
                  <Table.Cell>{n(l.received_qty)}</Table.Cell>
                  <Table.Cell>
                    {n(l.seq_id)}
                    {l.previous_seq_id !== null ? <span className="text-ui-fg-muted"> (was {l.previous_seq_id})</span> : null}
                  </Table.Cell>
                  <Table.Cell>{n(l.unsent_order_qty)}</Table.Cell>
                  <Table.Cell>{n(l.active_cart_qty)}</Table.Cell>
                  <Table.Cell>{n(l.applied_qty)}</Table.Cell>
                </>
              ) : (
                <>
                  <Table.Cell>{n(l.received_qty)}</Table.Cell>
                  <Table.Cell>{l.order_id ?? "—"}</Table.Cell>
                  <Table.Cell>{l.fulfillment_id ?? "—"}</Table.Cell>
                </>
              )}
              <Table.Cell><StatusPill status={l.outcome} /></Table.Cell>
              <Table.Cell className="max-w-md whitespace-normal">{l.message}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </>
  )
}
