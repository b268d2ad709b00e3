import { Heading, createDataTableColumnHelper, createDataTableFilterHelper, toast } from "@medusajs/ui"
import { PROCESSABLE_REQUEST_STATUSES, REQUEST_STATUSES, REQUEST_TYPES } from "../../../../types"
import { humanize, Nav, StatusPill, when } from "../../../components/common"
import { BulkAction, CellLink, HistoryTable, optionsOf, runForEach, useHistoryList } from "../../../components/history-table"
import { RequestRecord, useProcessRequest, useRequests, useResolveRequests } from "../../../hooks/api/history"

const column = createDataTableColumnHelper<RequestRecord>()
const filter = createDataTableFilterHelper<RequestRecord>()

const FILTERS = [
  filter.accessor("type", { type: "select", label: "Type", options: optionsOf(REQUEST_TYPES) }),
  filter.accessor("status", { type: "select", label: "Status", options: optionsOf(REQUEST_STATUSES) }),
]

const COLUMNS = [
  column.accessor("message_seq_id", {
    header: "Message",
    cell: ({ row }) => <CellLink to={`/orderflow/requests/${row.original.id}`}>{row.original.message_seq_id ?? row.original.id}</CellLink>,
  }),
  column.accessor("type", { header: "Type", cell: ({ getValue }) => humanize(getValue()) }),
  column.accessor("kind", {
    header: "Via",
    cell: ({ row }) => (
      <span title={row.original.first_of_kind ? "The first message of this kind: kept as it came (never cleaned)" : undefined}>
        {row.original.kind ?? "—"}
        {row.original.first_of_kind ? " · first" : ""}
      </span>
    ),
  }),
  column.accessor("status", { header: "Status", cell: ({ getValue }) => <StatusPill status={getValue()} /> }),
  column.accessor("line_count", { header: "Lines", align: "right" }),
  column.accessor("attempts", { header: "Attempts", align: "right" }),
  column.accessor("received_at", { header: "Received", cell: ({ getValue }) => when(getValue()) }),
  column.accessor("processed_at", { header: "Processed", cell: ({ getValue }) => (getValue() ? when(getValue()) : "Not yet") }),
  column.accessor("import_id", {
    header: "Import",
    cell: ({ getValue }) => {
      const importId = getValue()
      return importId ? <CellLink to={`/orderflow/imports/${importId}`}>Import report</CellLink> : "—"
    },
  }),
]

const isProcessable = (r: RequestRecord) => PROCESSABLE_REQUEST_STATUSES.some((s) => s === r.status)

const RequestsPage = () => {
  const list = useHistoryList(FILTERS)
  const query = useRequests({
    limit: list.limit,
    offset: list.offset,
    type: list.value("type", REQUEST_TYPES),
    status: list.value("status", REQUEST_STATUSES),
  })
  const process = useProcessRequest()
  const resolve = useResolveRequests()
  const resolveFailed = async (ids: string[]) => {
    // Only dead letters can be resolved; the rest of the selection is left as it is.
    const failed = (query.data?.requests ?? []).filter((r) => ids.includes(r.id) && r.status === "failed").map((r) => r.id)
    if (!failed.length) return void toast.info("Resolve: none of the selected messages is failed")
    try {
      const { count } = await resolve.mutateAsync(failed)
      toast.success(`Resolved ${count} dead letter${count === 1 ? "" : "s"}`, { description: failed.length < ids.length ? `${ids.length - failed.length} selected were not failed and were left as they are` : undefined })
    } catch (e) {
      toast.error("Could not resolve", { description: (e as Error).message })
    }
  }
  const bulkActions: BulkAction[] = [
    { label: "Process now", shortcut: "p", run: (ids) => runForEach("Process now", ids, async (id) => (await process.mutateAsync(id)).request.status) },
    { label: "Resolve", shortcut: "r", run: resolveFailed },
  ]
  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">OrderFlow requests</Heading>
        <Nav />
      </div>
      <HistoryTable
        heading="Messages received from OrderFlow"
        list={list}
        columns={COLUMNS}
        filters={FILTERS}
        query={query}
        rows={query.data?.requests}
        count={query.data?.count}
        rowLink={(r) => `/orderflow/requests/${r.id}`}
        bulkActions={bulkActions}
        canSelect={isProcessable}
        empty={{
          heading: "No requests yet",
          description: "Stock and despatch messages OrderFlow pushes to the store's inbound URLs (see Settings) are listed here as they arrive.",
        }}
      />
    </div>
  )
}

export default RequestsPage
