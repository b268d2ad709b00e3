import {
  Button,
  Container,
  DataTable,
  DataTableColumnDef,
  DataTableEmptyStateContent,
  DataTableFilter,
  DataTableFilteringState,
  DataTablePaginationState,
  DataTableRowSelectionState,
  Heading,
  Text,
  createDataTableColumnHelper,
  createDataTableCommandHelper,
  toast,
  useDataTable,
} from "@medusajs/ui"
import { MouseEvent, ReactNode, useMemo, useState } from "react"
import { Link, useNavigate, useSearchParams } from "react-router-dom"
import { humanize } from "./common"

const PAGE_SIZE = 20

/** Filter options from one of the shared status lists (src/types): value as stored, label readable. */
export function optionsOf(values: readonly string[]) {
  return values.map((value) => ({ value, label: humanize(value) }))
}

/**
 * A history list's state, kept in the page URL (`?status=failed&offset=20&q=…`)
 * so a filtered view can be linked to and survives going to a detail page and
 * back. Each filter's id is the list route's query parameter of that name.
 */
export function useHistoryList(filters: DataTableFilter[], { pageSize = PAGE_SIZE }: { pageSize?: number } = {}) {
  const [params, setParams] = useSearchParams()
  // Whole pages only: DataTable pages by index, so an offset between pages would show the wrong range.
  const offset = Math.max(0, Math.floor((Number(params.get("offset")) || 0) / pageSize) * pageSize)
  const q = params.get("q") ?? ""
  const filtering = useMemo(() => {
    const state: DataTableFilteringState = {}
    for (const f of filters) {
      const v = params.get(f.id)
      if (v) state[f.id] = v
    }
    return state
  }, [params, filters])

  /** Sets (or, with undefined/"", removes) search params; a change of filter or search goes back to the first page. */
  const update = (patch: Record<string, string | undefined>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev)
        for (const [k, v] of Object.entries(patch)) {
          if (v === undefined || v === "" || (k === "offset" && v === "0")) next.delete(k)
          else next.set(k, v)
        }
        return next
      },
      { replace: true }
    )

  return {
    limit: pageSize,
    offset,
    q,
    filtering,
    /** The filter's value if it is one of `allowed` (the URL is user input), else undefined. */
    value<V extends string>(id: string, allowed: readonly V[]): V | undefined {
      const v = filtering[id]
      return allowed.find((a) => a === v)
    },
    setOffset: (next: number) => update({ offset: String(next) }),
    setFiltering: (state: DataTableFilteringState) =>
      update({
        offset: undefined,
        ...Object.fromEntries(filters.map((f) => [f.id, typeof state[f.id] === "string" ? (state[f.id] as string) : undefined])),
      }),
    setQ: (next: string) => update({ q: next.trim() || undefined, offset: undefined }),
  }
}

export type HistoryList = ReturnType<typeof useHistoryList>

/** An action on the selected rows; `run` gets their ids and reports its own outcome. */
export type BulkAction = { label: string; shortcut: string; run: (ids: string[]) => Promise<void> }

type HistoryTableProps<T extends { id: string }> = {
  heading: string
  list: HistoryList
  columns: DataTableColumnDef<T, any>[]
  /** Select filters; ids are the list route's query parameters. */
  filters?: DataTableFilter[]
  /** Free-text search, sent as `q`. */
  searchPlaceholder?: string
  /** The list hook's result for the current page. */
  query: { data?: unknown; isLoading: boolean; isError: boolean; error: unknown; refetch: () => unknown }
  rows: T[] | undefined
  count: number | undefined
  /** Where a row leads (row click navigates). */
  rowLink: (row: T) => string
  /** Bulk actions on selected rows; rows are selectable only when given. */
  bulkActions?: BulkAction[]
  /** Which rows a bulk action applies to. */
  canSelect?: (row: T) => boolean
  /** Shown when the list has no rows at all (no filter): what will fill it. */
  empty: DataTableEmptyStateContent
  actions?: ReactNode
}

/** The plugin's history lists (requests, imports, exports, despatches) on Medusa's DataTable. */
export function HistoryTable<T extends { id: string }>(props: HistoryTableProps<T>) {
  const { list, query, bulkActions } = props
  const navigate = useNavigate()
  const [selection, setSelection] = useState<DataTableRowSelectionState>({})
  const rows = props.rows ?? []

  const columns = useMemo(() => {
    if (!bulkActions?.length) return props.columns
    return [createDataTableColumnHelper<T>().select(), ...props.columns]
  }, [props.columns, bulkActions])

  const commands = useMemo(() => {
    const helper = createDataTableCommandHelper()
    return (bulkActions ?? []).map((a) =>
      helper.command({
        label: a.label,
        shortcut: a.shortcut,
        action: async (selected) => {
          const ids = Object.keys(selected).filter((id) => selected[id])
          try {
            await a.run(ids)
          } finally {
            setSelection({})
          }
        },
      })
    )
  }, [bulkActions])

  const pagination: DataTablePaginationState = { pageIndex: Math.floor(list.offset / list.limit), pageSize: list.limit }

  const table = useDataTable<T>({
    data: rows,
    columns,
    getRowId: (row) => row.id,
    rowCount: props.count ?? 0,
    isLoading: query.isLoading,
    filters: props.filters,
    commands,
    pagination: {
      state: pagination,
      onPaginationChange: (p) => {
        setSelection({})
        list.setOffset(p.pageIndex * p.pageSize)
      },
    },
    filtering: {
      state: list.filtering,
      onFilteringChange: (state) => {
        setSelection({})
        list.setFiltering(state)
      },
    },
    search: props.searchPlaceholder ? { state: list.q, onSearchChange: list.setQ } : undefined,
    rowSelection: bulkActions?.length
      ? {
          state: selection,
          onRowSelectionChange: setSelection,
          enableRowSelection: props.canSelect ? (row) => props.canSelect!(row.original) : true,
        }
      : undefined,
    // DataTable hands over its row object (with `original`), whatever the type says.
    onRowClick: (event: MouseEvent<HTMLTableRowElement>, row: T | { original: T }) => {
      if (event.defaultPrevented) return
      navigate(props.rowLink("original" in row ? row.original : row))
    },
  })

  return (
    <Container className="flex flex-col overflow-hidden p-0">
    <DataTable instance={table}>
      <DataTable.Toolbar className="flex flex-col items-start justify-between gap-2 md:flex-row md:items-center">
        <Heading level="h2">{props.heading}</Heading>
        <div className="flex items-center gap-x-2">
          {props.searchPlaceholder && <DataTable.Search placeholder={props.searchPlaceholder} />}
          {props.filters?.length ? <DataTable.FilterMenu tooltip="Filter" /> : null}
          {props.actions}
        </div>
      </DataTable.Toolbar>
      {query.isError ? (
        <div className="flex min-h-[250px] flex-col items-center justify-center gap-y-3 border-y px-6 py-4" role="alert">
          <Text size="base" weight="plus">
            Could not load this list
          </Text>
          <Text className="text-ui-fg-error">{(query.error as Error | null)?.message ?? "Unknown error"}</Text>
          <Button size="small" variant="secondary" onClick={() => query.refetch()}>
            Try again
          </Button>
        </div>
      ) : (
        <>
          <DataTable.Table
            emptyState={{
              empty: props.empty,
              filtered: { heading: "Nothing matches", description: "No rows match this search or these filters. Change or clear them to see more." },
            }}
          />
          {rows.length > 0 || query.isLoading ? <DataTable.Pagination /> : null}
        </>
      )}
      {bulkActions?.length ? <DataTable.CommandBar selectedLabel={(n) => `${n} selected`} /> : null}
    </DataTable>
    </Container>
  )
}

/** A link inside a clickable row: follows itself without also triggering the row's navigation. */
export function CellLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link className="text-ui-fg-interactive hover:underline" to={to} onClick={(e) => e.stopPropagation()}>
      {children}
    </Link>
  )
}

/**
 * Runs one call per id, one after another, and reports in one toast: how many
 * calls went through, what they came to (the outcome each call returns, e.g.
 * the request's new status), and the first errors.
 */
export async function runForEach(label: string, ids: string[], call: (id: string) => Promise<string | undefined>) {
  const outcomes = new Map<string, number>()
  const errors: string[] = []
  for (const id of ids) {
    try {
      const outcome = await call(id)
      if (outcome) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
    } catch (e) {
      errors.push(`${id}: ${(e as Error).message}`)
    }
  }
  const summary = [...outcomes].map(([outcome, n]) => `${n} ${humanize(outcome).toLowerCase()}`).join(", ")
  const title = `${label}: ran for ${ids.length - errors.length} of ${ids.length}`
  if (!errors.length) toast.success(title, { description: summary ? `Now: ${summary}` : undefined })
  else toast.error(title, { description: [summary && `Now: ${summary}`, ...errors.slice(0, 3)].filter(Boolean).join("\n") })
}
