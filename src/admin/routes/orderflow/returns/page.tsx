import { Heading, Table, Text, createDataTableColumnHelper, createDataTableFilterHelper } from "@medusajs/ui"
import { RETURN_STATUSES } from "../../../../types"
import { Nav, Section, StatusPill, when } from "../../../components/common"
import { CellLink, HistoryTable, optionsOf, useHistoryList } from "../../../components/history-table"
import { ReturnRecord, useAppliedReturns, useReturns } from "../../../hooks/api/returns"

const column = createDataTableColumnHelper<ReturnRecord>()
const filter = createDataTableFilterHelper<ReturnRecord>()

const FILTERS = [filter.accessor("status", { type: "select", label: "Status", options: optionsOf(RETURN_STATUSES) })]

const linesOf = (r: ReturnRecord) =>
  r.lines
    .map((l) => {
      const back = r.status === "received" ? ` → ${l.received_quantity} restocked, ${l.damaged_quantity} damaged` : ""
      return `${l.sku} ×${l.quantity} (${l.reason}; ${l.condition})${back}`
    })
    .join("\n")

const COLUMNS = [
  column.accessor("authorisation", { header: "Return", cell: ({ row }) => <CellLink to={`/orders/${row.original.order_id}`}>{row.original.authorisation}</CellLink> }),
  column.accessor("order_reference", { header: "Order", cell: ({ getValue }) => (getValue() ? `#${getValue()}` : "—") }),
  column.accessor("status", { header: "Status", cell: ({ getValue }) => <StatusPill status={getValue()} /> }),
  column.accessor(linesOf, { id: "lines", header: "Lines", cell: ({ getValue }) => <span className="whitespace-pre-line">{getValue()}</span> }),
  column.accessor((r) => r.last_error ?? r.skip_reason ?? "", { id: "why", header: "Error / reason", cell: ({ getValue }) => getValue() || "—" }),
  column.accessor("attempts", { header: "Attempts", align: "right" }),
  column.accessor("requested_at", { header: "Requested", cell: ({ getValue }) => when(getValue()) }),
  column.accessor("sent_at", { header: "Sent", cell: ({ getValue }) => (getValue() ? when(getValue()) : "Not yet") }),
  column.accessor("received_at", { header: "Received", cell: ({ getValue }) => (getValue() ? when(getValue()) : "—") }),
]

/** The latest applied returns read from OrderFlow: what each became (received, unmatched, failed). */
function AppliedReturns() {
  const { data, isLoading } = useAppliedReturns({ limit: 50, offset: 0 })
  const rows = data?.applied_returns ?? []
  return (
    <Section title="Applied in OrderFlow (latest 50)">
      {isLoading ? (
        <Text size="small" className="px-6 py-4">
          Loading…
        </Text>
      ) : !rows.length ? (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          No applied returns read yet. The Returns operation reads them from OrderFlow on its schedule (Settings → OrderFlow → Returns).
        </Text>
      ) : (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>OrderFlow return</Table.HeaderCell>
              <Table.HeaderCell>Order reference</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Lines</Table.HeaderCell>
              <Table.HeaderCell>Restocked / damaged</Table.HeaderCell>
              <Table.HeaderCell>Completed</Table.HeaderCell>
              <Table.HeaderCell>Error</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows.map((a) => (
              <Table.Row key={a.id}>
                <Table.Cell>{a.orderflow_id}</Table.Cell>
                <Table.Cell>{a.order_id ? <CellLink to={`/orders/${a.order_id}`}>#{a.order_reference || a.originating_order_reference}</CellLink> : a.order_reference || a.originating_order_reference || "—"}</Table.Cell>
                <Table.Cell>
                  <StatusPill status={a.status} />
                </Table.Cell>
                <Table.Cell>{a.lines_text ?? "—"}</Table.Cell>
                <Table.Cell>{a.status === "received" ? `${a.restocked_quantity} / ${a.damaged_quantity}` : "—"}</Table.Cell>
                <Table.Cell>{a.completed ?? "—"}</Table.Cell>
                <Table.Cell>{a.error ?? "—"}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Section>
  )
}

const ReturnsPage = () => {
  const list = useHistoryList(FILTERS)
  const query = useReturns({ limit: list.limit, offset: list.offset, status: list.value("status", RETURN_STATUSES) })
  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">OrderFlow returns</Heading>
        <Nav />
      </div>
      <HistoryTable
        heading="Returns sent to OrderFlow"
        list={list}
        columns={COLUMNS}
        filters={FILTERS}
        query={query}
        rows={query.data?.returns}
        count={query.data?.count}
        rowLink={(r) => `/orders/${r.order_id}`}
        empty={{
          heading: "No returns yet",
          description: "When a return is requested for an order OrderFlow holds, it is sent to OrderFlow and listed here; when the warehouse applies it, its items are received in Medusa.",
        }}
      />
      <AppliedReturns />
    </div>
  )
}

export default ReturnsPage
