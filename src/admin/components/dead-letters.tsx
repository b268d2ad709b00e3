import { Button, Checkbox, Table, Text, toast } from "@medusajs/ui"
import { useEffect, useMemo, useState } from "react"
import { Link } from "react-router-dom"
import { RequestRecord, useProcessRequest, useRequests, useResolveRequests } from "../hooks/api/history"
import { humanize, when } from "./common"
import { runForEach } from "./history-table"

const LIMIT = 50

/**
 * Dead letters: messages from OrderFlow that failed for good and wait for an
 * admin. Retry runs "process now" for each selected one (it may fail again:
 * the toast and the list say what they came to); Resolve closes them without
 * applying anything. The full list, with filters, is Requests?status=failed.
 */
export function DeadLetters() {
  const query = useRequests({ status: "failed", limit: LIMIT, offset: 0 })
  const process = useProcessRequest()
  const resolve = useResolveRequests()
  const rows = useMemo(() => query.data?.requests ?? [], [query.data])
  const [selected, setSelected] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  // Rows that left the list (processed, resolved) leave the selection.
  useEffect(() => setSelected((s) => s.filter((id) => rows.some((r) => r.id === id))), [rows])

  const all = rows.length > 0 && selected.length === rows.length
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...new Set([...s, id])] : s.filter((x) => x !== id)))

  const retry = async () => {
    setBusy(true)
    try {
      await runForEach("Retry", selected, async (id) => (await process.mutateAsync(id)).request.status)
      // Done with them; those that failed again stay listed, unticked.
      setSelected([])
    } finally {
      setBusy(false)
    }
  }
  const resolveSelected = async () => {
    setBusy(true)
    try {
      const { count } = await resolve.mutateAsync(selected)
      toast.success(`Resolved ${count} dead letter${count === 1 ? "" : "s"}`)
      setSelected([])
    } catch (e) {
      toast.error("Could not resolve", { description: (e as Error).message })
    } finally {
      setBusy(false)
    }
  }

  if (query.isLoading) return <Text className="px-6 py-4">Loading…</Text>
  if (query.error) return <Text className="text-ui-fg-error px-6 py-4">{(query.error as Error).message}</Text>
  if (!rows.length) {
    return (
      <Text size="small" className="text-ui-fg-subtle px-6 py-4">
        No dead letters: every message from OrderFlow was processed or resolved.
      </Text>
    )
  }
  return (
    <div data-testid="orderflow-dead-letters">
      <div className="flex items-center justify-between px-6 py-3">
        <Text size="small" className="text-ui-fg-subtle">
          {selected.length ? `${selected.length} selected` : `${query.data?.count ?? rows.length} failed message${rows.length === 1 ? "" : "s"}`}
          {(query.data?.count ?? 0) > LIMIT ? ` (the newest ${LIMIT} are listed here; see Requests for all)` : ""}
        </Text>
        <div className="flex gap-x-2">
          <Button size="small" variant="secondary" disabled={!selected.length || busy} isLoading={busy && process.isPending} onClick={retry}>
            Retry
          </Button>
          <Button size="small" variant="secondary" disabled={!selected.length || busy} isLoading={busy && resolve.isPending} onClick={resolveSelected}>
            Resolve
          </Button>
        </div>
      </div>
      <Table>
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell className="w-8">
              <Checkbox aria-label="Select all dead letters" checked={all ? true : selected.length ? "indeterminate" : false} onCheckedChange={(c) => setSelected(c === true ? rows.map((r) => r.id) : [])} />
            </Table.HeaderCell>
            <Table.HeaderCell>Message</Table.HeaderCell>
            <Table.HeaderCell>Received</Table.HeaderCell>
            <Table.HeaderCell>Attempts</Table.HeaderCell>
            <Table.HeaderCell>Error</Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {rows.map((r: RequestRecord) => (
            <Table.Row key={r.id} data-testid="orderflow-dead-letter">
              <Table.Cell>
                <Checkbox aria-label={`Select ${r.id}`} checked={selected.includes(r.id)} onCheckedChange={(c) => toggle(r.id, c === true)} />
              </Table.Cell>
              <Table.Cell>
                <Link to={`/orderflow/requests/${r.id}`} className="text-ui-fg-interactive hover:underline">
                  {humanize(r.type)} {r.message_seq_id ?? r.id}
                </Link>
              </Table.Cell>
              <Table.Cell>{when(r.received_at)}</Table.Cell>
              <Table.Cell>{r.attempts}</Table.Cell>
              <Table.Cell className="text-ui-fg-error max-w-md truncate" title={r.error ?? undefined}>
                {r.error ?? "—"}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  )
}
