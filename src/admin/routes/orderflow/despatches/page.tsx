import { Heading, createDataTableColumnHelper } from "@medusajs/ui"
import { Nav, when } from "../../../components/common"
import { CellLink, HistoryTable, useHistoryList } from "../../../components/history-table"
import { Despatch, useDespatches } from "../../../hooks/api/despatches"

const column = createDataTableColumnHelper<Despatch>()

const COLUMNS = [
  column.accessor("order_reference", {
    header: "Order",
    cell: ({ row }) => <CellLink to={`/orders/${row.original.order_id}`}>#{row.original.order_reference}</CellLink>,
  }),
  column.accessor((d) => (d.tracking_numbers ?? []).join(", "), { id: "tracking_numbers", header: "Tracking numbers", cell: ({ getValue }) => getValue() || "—" }),
  column.accessor((d) => [d.courier_name, d.service_name].filter(Boolean).join(" · "), { id: "courier", header: "Courier", cell: ({ getValue }) => getValue() || "—" }),
  column.accessor("date_shipped", { header: "Shipped", cell: ({ getValue }) => when(getValue()) }),
  column.accessor("notified_at", { header: "Customer notified", cell: ({ getValue }) => (getValue() ? when(getValue()) : "No") }),
  column.accessor("request_id", {
    header: "Message",
    cell: ({ getValue }) => <CellLink to={`/orderflow/requests/${getValue()}`}>Request</CellLink>,
  }),
  column.accessor("created_at", { header: "Recorded", cell: ({ getValue }) => when(getValue()) }),
]

const NO_FILTERS: never[] = []

const DespatchesPage = () => {
  const list = useHistoryList(NO_FILTERS)
  const query = useDespatches({ limit: list.limit, offset: list.offset, q: list.q || undefined })
  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">OrderFlow despatches</Heading>
        <Nav />
      </div>
      <HistoryTable
        heading="Despatches applied to orders"
        list={list}
        columns={COLUMNS}
        searchPlaceholder="Tracking number or order"
        query={query}
        rows={query.data?.despatches}
        count={query.data?.count}
        rowLink={(d) => `/orders/${d.order_id}`}
        empty={{
          heading: "No despatches yet",
          description: "When OrderFlow reports a despatch, the order is fulfilled and shipped, and the despatch with its tracking numbers is listed here.",
        }}
      />
    </div>
  )
}

export default DespatchesPage
