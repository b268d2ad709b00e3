import { Heading, createDataTableColumnHelper, createDataTableFilterHelper } from "@medusajs/ui"
import { CALL_STATUSES, REQUEST_TYPES } from "../../../../types"
import { humanize, Nav, StatusPill, when } from "../../../components/common"
import { CellLink, HistoryTable, optionsOf, useHistoryList } from "../../../components/history-table"
import { ImportRecord, useImports } from "../../../hooks/api/history"

const column = createDataTableColumnHelper<ImportRecord>()
const filter = createDataTableFilterHelper<ImportRecord>()

const FILTERS = [
  filter.accessor("type", { type: "select", label: "Type", options: optionsOf(REQUEST_TYPES) }),
  filter.accessor("status", { type: "select", label: "Result", options: optionsOf(CALL_STATUSES) }),
]

const COLUMNS = [
  column.accessor("message_seq_id", {
    header: "Message",
    cell: ({ row }) => <CellLink to={`/orderflow/imports/${row.original.id}`}>{row.original.message_seq_id ?? row.original.id}</CellLink>,
  }),
  column.accessor("type", { header: "Type", cell: ({ getValue }) => humanize(getValue()) }),
  column.accessor("status", { header: "Result", cell: ({ getValue }) => <StatusPill status={getValue()} /> }),
  column.accessor("line_count", { header: "Lines", align: "right" }),
  column.accessor("applied_count", { header: "Applied", align: "right" }),
  column.accessor("stale_count", { header: "Stale", align: "right" }),
  column.accessor((i) => `${i.unknown_count} / ${i.failed_count}`, { id: "problems", header: "Unknown / failed", align: "right" }),
  column.accessor("created_at", { header: "Processed", cell: ({ getValue }) => when(getValue()) }),
]

const ImportsPage = () => {
  const list = useHistoryList(FILTERS)
  const query = useImports({
    limit: list.limit,
    offset: list.offset,
    type: list.value("type", REQUEST_TYPES),
    status: list.value("status", CALL_STATUSES),
  })
  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">OrderFlow imports</Heading>
        <Nav />
      </div>
      <HistoryTable
        heading="Processed messages"
        list={list}
        columns={COLUMNS}
        filters={FILTERS}
        query={query}
        rows={query.data?.imports}
        count={query.data?.count}
        rowLink={(i) => `/orderflow/imports/${i.id}`}
        empty={{
          heading: "No imports yet",
          description: "Each stock or despatch message gets an import report once it is processed. Messages waiting to be processed are under Requests.",
        }}
      />
    </div>
  )
}

export default ImportsPage
