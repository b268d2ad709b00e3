import { Button, Heading, Input, Label, Select, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { STOCK_DRIFT_STATUSES, type StockDriftStatus } from "../../../../types"
import { humanize, Nav, Pager, Section, StatusPill, when } from "../../../components/common"
import { useRunOperation } from "../../../hooks/api/history"
import {
  SequenceResetBody,
  useAcceptStockDrift,
  useIgnoreStockDrift,
  useResetSequences,
  useSequenceResets,
  useStockDrift,
  useTakeOrderflowStock,
} from "../../../hooks/api/stock"

const LIMIT = 50
const fail = (title: string) => (e: unknown) => toast.error(title, { description: (e as Error).message })

/** The drift report's differences, with accept / ignore, the on-demand pull and "Take OrderFlow's stock now". */
function DriftReport() {
  const [status, setStatus] = useState<StockDriftStatus>("open")
  const [offset, setOffset] = useState(0)
  const { data, isLoading, error } = useStockDrift({ status, limit: LIMIT, offset })
  const run = useRunOperation()
  const accept = useAcceptStockDrift()
  const ignore = useIgnoreStockDrift()
  const takeAll = useTakeOrderflowStock()
  const prompt = usePrompt()
  const rows = data?.differences ?? []

  const pull = () =>
    run.mutate("stock_drift", {
      onSuccess: (res) => {
        if (res.run.status === "failed") toast.error("Drift report failed", { description: res.run.error })
        else if (!res.run.ran) toast.info("Drift report did not run", { description: res.run.reason })
        else toast.success("Drift report done", { description: `${res.run.summary?.differences ?? 0} difference(s) among ${res.run.summary?.compared ?? 0} levels compared` })
      },
      onError: fail("Drift report"),
    })

  const onTakeAll = async () => {
    const ok = await prompt({
      title: "Take OrderFlow's stock now?",
      description:
        "OrderFlow's inventory is pulled, and every level that differs is set to OrderFlow's figure (less unsent orders, as a stock push would be), through the inventory import. Use it at go-live; levels changed since the last push are overwritten.",
      confirmText: "Take OrderFlow's stock",
      cancelText: "Cancel",
    })
    if (!ok) return
    takeAll.mutate(undefined, {
      onSuccess: (res) => toast.success("OrderFlow's stock taken", { description: `${res.accepted} level(s) sent to the inventory import (${res.report.pulled} figures pulled)` }),
      onError: fail("Take OrderFlow's stock"),
    })
  }

  return (
    <Section
      title="Drift report"
      actions={
        <div className="flex shrink-0 items-center gap-x-2 whitespace-nowrap">
          <div className="w-[140px]">
          <Select size="small" value={status} onValueChange={(v) => { setStatus(v as StockDriftStatus); setOffset(0) }}>
            <Select.Trigger>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              {STOCK_DRIFT_STATUSES.map((s) => (
                <Select.Item key={s} value={s}>
                  {humanize(s)}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
          </div>
          <Button size="small" variant="secondary" isLoading={run.isPending} onClick={pull}>
            Compare with OrderFlow now
          </Button>
          <Button size="small" variant="secondary" isLoading={accept.isPending} disabled={status !== "open" || !rows.length} onClick={async () => {
            const ok = await prompt({ title: "Accept OrderFlow's figure for every open difference?", description: "Each is sent through the inventory import like a stock push (visible in Imports).", confirmText: "Accept all", cancelText: "Cancel" })
            if (ok) accept.mutate({ all: true }, { onSuccess: (r) => toast.success("Accepted", { description: `${r.accepted} level(s) sent to the inventory import` }), onError: fail("Accept") })
          }}>
            Accept all
          </Button>
          <Button size="small" variant="danger" isLoading={takeAll.isPending} onClick={onTakeAll}>
            Take OrderFlow's stock now
          </Button>
        </div>
      }
    >
      {isLoading && <Text size="small" className="px-6 py-4">Loading…</Text>}
      {error && <Text size="small" className="text-ui-fg-error px-6 py-4">{(error as Error).message}</Text>}
      {data && !rows.length && (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          {status === "open"
            ? "No open differences: Medusa's levels agree with OrderFlow's figures as of the last report. The report runs on its schedule (Settings → OrderFlow → Drift report) or now with the button above."
            : `No ${status} differences.`}
        </Text>
      )}
      {!!rows.length && (
        <>
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>SKU</Table.HeaderCell>
                <Table.HeaderCell>Site / location</Table.HeaderCell>
                <Table.HeaderCell className="text-right">OrderFlow</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Medusa expected</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Medusa actual</Table.HeaderCell>
                <Table.HeaderCell>Since</Table.HeaderCell>
                <Table.HeaderCell>Status</Table.HeaderCell>
                <Table.HeaderCell />
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {rows.map((d) => (
                <Table.Row key={d.id}>
                  <Table.Cell className="whitespace-nowrap font-mono">{d.sku}</Table.Cell>
                  <Table.Cell>
                    {d.site ?? "(default)"} → <span className="font-mono text-xs">{d.location_id}</span>
                  </Table.Cell>
                  <Table.Cell className="text-right">{d.orderflow_qty}</Table.Cell>
                  <Table.Cell className="text-right">{d.expected_qty}</Table.Cell>
                  <Table.Cell className="text-right">{d.actual_qty}</Table.Cell>
                  <Table.Cell>{when(d.first_seen_at)}</Table.Cell>
                  <Table.Cell>
                    <StatusPill status={d.status} />
                  </Table.Cell>
                  <Table.Cell>
                    {d.status === "open" ? (
                      <div className="flex gap-x-2 whitespace-nowrap">
                        <Button size="small" variant="secondary" onClick={() => accept.mutate({ ids: [d.id] }, { onSuccess: () => toast.success(`${d.sku}: OrderFlow's figure sent to the inventory import`), onError: fail("Accept") })}>
                          Accept OrderFlow's
                        </Button>
                        <Button size="small" variant="transparent" onClick={() => ignore.mutate({ ids: [d.id] }, { onSuccess: () => toast.info(`${d.sku}: ignored`), onError: fail("Ignore") })}>
                          Ignore
                        </Button>
                      </div>
                    ) : (
                      <Text size="xsmall" className="text-ui-fg-subtle">
                        {d.closed_by ?? ""} {when(d.closed_at)}
                      </Text>
                    )}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
          <Pager count={data?.count ?? 0} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      )}
    </Section>
  )
}

/** Clears stored sequence ids (per SKU, per location, or all) after a confirmation, and lists the history. */
function SequenceResets() {
  const [sku, setSku] = useState("")
  const [locationId, setLocationId] = useState("")
  const [reason, setReason] = useState("")
  const reset = useResetSequences()
  const history = useSequenceResets({ limit: 20, offset: 0 })
  const prompt = usePrompt()

  const submit = async (all: boolean) => {
    const body: SequenceResetBody = all
      ? { all: true, ...(reason.trim() ? { reason: reason.trim() } : {}) }
      : { ...(sku.trim() ? { sku: sku.trim() } : {}), ...(locationId.trim() ? { location_id: locationId.trim() } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) }
    const what = all ? "every SKU at every location" : [sku.trim() && `SKU ${sku.trim()}`, locationId.trim() && `location ${locationId.trim()}`].filter(Boolean).join(" at ")
    if (!all && !what) {
      toast.error("Give a SKU and/or a location id, or reset all")
      return
    }
    const ok = await prompt({
      title: `Reset the stored sequence ids of ${what}?`,
      description:
        "The next stock update from OrderFlow for them is applied whatever its sequence id, even one older than the last applied. Do this after OrderFlow's inventory was re-initialised (Initialize button), then push all stock levels from OrderFlow.",
      confirmText: "Reset",
      cancelText: "Cancel",
    })
    if (!ok) return
    reset.mutate(body, {
      onSuccess: (r) => toast.success("Sequence ids reset", { description: `${r.reset.cleared} stored id(s) cleared` }),
      onError: fail("Sequence reset"),
    })
  }

  const resets = history.data?.resets ?? []
  return (
    <Section title="Sequence ids">
      <div className="flex flex-col gap-y-3 px-6 py-4">
        <Text size="small" className="text-ui-fg-subtle">
          A stock line is applied only when its sequence id (OrderFlow's inventory record id) is above the last one applied for its SKU and location. After OrderFlow's
          Initialize button its ids start lower and every update is discarded as stale: reset the stored ids (an alert says when this is detected).
        </Text>
        <div className="grid grid-cols-3 gap-x-3">
          <div className="flex flex-col gap-y-1">
            <Label size="small" htmlFor="reset-sku">SKU</Label>
            <Input id="reset-sku" size="small" value={sku} onChange={(e) => setSku(e.target.value)} placeholder="e.g. ABC-123" />
          </div>
          <div className="flex flex-col gap-y-1">
            <Label size="small" htmlFor="reset-location">Stock location id</Label>
            <Input id="reset-location" size="small" value={locationId} onChange={(e) => setLocationId(e.target.value)} placeholder="sloc_…" />
          </div>
          <div className="flex flex-col gap-y-1">
            <Label size="small" htmlFor="reset-reason">Reason (kept in the history)</Label>
            <Input id="reset-reason" size="small" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="OrderFlow re-initialised" />
          </div>
        </div>
        <div className="flex gap-x-2">
          <Button size="small" variant="secondary" isLoading={reset.isPending} onClick={() => submit(false)}>
            Reset for this SKU / location
          </Button>
          <Button size="small" variant="danger" isLoading={reset.isPending} onClick={() => submit(true)}>
            Reset all sequence ids
          </Button>
        </div>
      </div>
      {resets.length ? (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>When</Table.HeaderCell>
              <Table.HeaderCell>Scope</Table.HeaderCell>
              <Table.HeaderCell>SKU</Table.HeaderCell>
              <Table.HeaderCell>Location</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Ids cleared</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Highest cleared</Table.HeaderCell>
              <Table.HeaderCell>By</Table.HeaderCell>
              <Table.HeaderCell>Reason</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {resets.map((r) => (
              <Table.Row key={r.id}>
                <Table.Cell>{when(r.created_at)}</Table.Cell>
                <Table.Cell>{humanize(r.scope)}</Table.Cell>
                <Table.Cell className="font-mono">{r.sku ?? "—"}</Table.Cell>
                <Table.Cell className="font-mono text-xs">{r.location_id ?? "—"}</Table.Cell>
                <Table.Cell className="text-right">{r.cleared_count}</Table.Cell>
                <Table.Cell className="text-right">{r.highest_seq_id ?? "—"}</Table.Cell>
                <Table.Cell>{r.reset_by ?? "—"}</Table.Cell>
                <Table.Cell>{r.reason ?? "—"}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      ) : (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          {history.isLoading ? "Loading…" : "No resets yet."}
        </Text>
      )}
    </Section>
  )
}

const StockPage = () => (
  <div className="flex flex-col gap-y-3">
    <div className="flex items-center justify-between">
      <Heading level="h1">OrderFlow stock</Heading>
      <Nav />
    </div>
    <DriftReport />
    <SequenceResets />
  </div>
)

export default StockPage
