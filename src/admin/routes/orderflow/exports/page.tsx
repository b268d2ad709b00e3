import { Heading, createDataTableColumnHelper, createDataTableFilterHelper } from "@medusajs/ui"
import { CALL_STATUSES, EXPORT_CALL_OPERATIONS } from "../../../../types"
import { humanize, Nav, StatusPill, when } from "../../../components/common"
import { CellLink, HistoryTable, optionsOf, useHistoryList } from "../../../components/history-table"
import { ExportRecord, useExports } from "../../../hooks/api/history"

const column = createDataTableColumnHelper<ExportRecord>()
const filter = createDataTableFilterHelper<ExportRecord>()

const FILTERS = [
  filter.accessor("operation", { type: "select", label: "Operation", options: optionsOf(EXPORT_CALL_OPERATIONS) }),
  filter.accessor("status", { type: "select", label: "Result", options: optionsOf(CALL_STATUSES) }),
]

const COLUMNS = [
  column.accessor("id", {
    header: "Export",
    cell: ({ getValue }) => <CellLink to={`/orderflow/exports/${getValue()}`}>{getValue().slice(-8)}</CellLink>,
  }),
  column.accessor("operation", { header: "Operation", cell: ({ row }) => `${humanize(row.original.operation)} (${row.original.trigger})` }),
  column.accessor("status", { header: "Result", cell: ({ getValue }) => <StatusPill status={getValue()} /> }),
  column.accessor("success_count", { header: "Successes", align: "right" }),
  column.accessor("duplicate_count", { header: "Duplicates", align: "right" }),
  column.accessor("failure_count", { header: "Failures", align: "right" }),
  column.accessor("http_status", { header: "HTTP", align: "right", cell: ({ getValue }) => getValue() ?? "—" }),
  column.accessor("duration_ms", { header: "Duration", align: "right", cell: ({ getValue }) => `${getValue()} ms` }),
  column.accessor("created_at", { header: "When", cell: ({ getValue }) => when(getValue()) }),
]

const ExportsPage = () => {
  const list = useHistoryList(FILTERS)
  const query = useExports({
    limit: list.limit,
    offset: list.offset,
    operation: list.value("operation", EXPORT_CALL_OPERATIONS),
    status: list.value("status", CALL_STATUSES),
  })
  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">OrderFlow exports</Heading>
        <Nav />
      </div>
      <HistoryTable
        heading="Calls to OrderFlow"
        list={list}
        columns={COLUMNS}
        filters={FILTERS}
        query={query}
        rows={query.data?.exports}
        count={query.data?.count}
        rowLink={(e) => `/orderflow/exports/${e.id}`}
        empty={{
          heading: "No exports yet",
          description: "Every call to OrderFlow (product and order exports, cancellations, holds) is logged here. Run an export from the Overview page.",
        }}
      />
    </div>
  )
}

export default ExportsPage
