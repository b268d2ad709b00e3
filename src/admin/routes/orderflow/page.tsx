import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ArrowPath } from "@medusajs/icons"
import { Badge, Button, Heading, Table, Text, toast } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { OPERATIONS } from "../../../types"
import { ActivityChart } from "../../components/activity-chart"
import { humanize, Nav, Section, when } from "../../components/common"
import { DeadLetters } from "../../components/dead-letters"
import { IncidentsList } from "../../components/incidents-list"
import { OperationHealthGrid } from "../../components/operation-health"
import { useActivity } from "../../hooks/api/activity"
import { useHealth, useRunOperation } from "../../hooks/api/history"
import { useOrderflowSettings } from "../../hooks/api/settings"
import { useStockDrift } from "../../hooks/api/stock"
import { describeRun, RunTone } from "../../lib/run-summary"

const PILL: Record<RunTone, "green" | "orange" | "red"> = { success: "green", warning: "orange", error: "red" }


const OrderflowOverviewPage = () => {
  const { data, isLoading, error } = useHealth()
  const settings = useOrderflowSettings()
  const activity = useActivity(24)
  const drift = useStockDrift({ status: "open", limit: 1, offset: 0 })
  const driftCount = drift.data?.count ?? 0
  const run = useRunOperation()
  const h = data?.health
  // The same snapshot as the health cards, so a card and the incident list never disagree.
  const open = h?.open_incidents ?? []
  const failedCount = h ? Number(h.requests.inventory?.failed ?? 0) + Number(h.requests.shipment?.failed ?? 0) : 0

  const queueRow = (label: string, q: Record<string, number | string | null> | undefined) => (
    <Table.Row key={label}>
      <Table.Cell>{label}</Table.Cell>
      <Table.Cell>{Number(q?.pending ?? 0)}</Table.Cell>
      <Table.Cell>{Number(q?.queued ?? 0) + Number(q?.processing ?? 0)}</Table.Cell>
      <Table.Cell>{Number(q?.failed ?? 0)}</Table.Cell>
      <Table.Cell>{q && "processed_with_errors" in q ? Number(q.processed_with_errors ?? 0) : "—"}</Table.Cell>
      <Table.Cell>{q?.oldest_pending_age_seconds != null ? `${q.oldest_pending_age_seconds} s` : "—"}</Table.Cell>
    </Table.Row>
  )

  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">OrderFlow</Heading>
        <Nav />
      </div>
      {isLoading && <Text>Loading…</Text>}
      {error && <Text className="text-ui-fg-error">{(error as Error).message}</Text>}
      {h && (
        <>
          <Section title="Health">
            <OperationHealthGrid health={h} settings={settings.data?.settings} />
          </Section>
          <Section
            title="Open incidents"
            actions={
              <Badge size="2xsmall" color={open.length ? "red" : "green"}>
                {open.length}
              </Badge>
            }
          >
            <IncidentsList incidents={open} />
          </Section>
          <Section
            title="Dead letters"
            actions={
              <Link to="/orderflow/requests?status=failed" className="text-ui-fg-interactive txt-compact-small-plus hover:underline">
                {failedCount ? `All ${failedCount} in Requests` : "Requests"}
              </Link>
            }
          >
            <DeadLetters />
          </Section>
          <Section
            title="Stock differences with OrderFlow"
            actions={
              <Badge size="2xsmall" color={driftCount ? "orange" : "green"}>
                {driftCount}
              </Badge>
            }
          >
            <div className="flex items-center justify-between px-6 py-4">
              <Text size="small" className="text-ui-fg-subtle">
                {driftCount
                  ? `${driftCount} SKU/location level${driftCount === 1 ? "" : "s"} differ${driftCount === 1 ? "s" : ""} from OrderFlow's figure as of the last drift report.`
                  : "No open differences as of the last drift report."}
              </Text>
              <Link to="/orderflow/stock" className="text-ui-fg-interactive txt-compact-small-plus hover:underline">
                Stock
              </Link>
            </div>
          </Section>
          <Section title="Last 24 hours">
            {activity.data ? (
              <ActivityChart buckets={activity.data.activity} />
            ) : (
              <Text size="small" className="text-ui-fg-subtle px-6 py-4">
                {activity.error ? (activity.error as Error).message : "Loading…"}
              </Text>
            )}
          </Section>
          <Section title="Queues">
            <Table>
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>Queue</Table.HeaderCell>
                  <Table.HeaderCell>Pending</Table.HeaderCell>
                  <Table.HeaderCell>In flight</Table.HeaderCell>
                  <Table.HeaderCell>Failed</Table.HeaderCell>
                  <Table.HeaderCell>With failed lines</Table.HeaderCell>
                  <Table.HeaderCell>Oldest pending</Table.HeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {queueRow("Products to OrderFlow", h.exports.product)}
                {queueRow("Orders to OrderFlow", h.exports.order)}
                {queueRow("Stock messages from OrderFlow", h.requests.inventory)}
                {queueRow("Despatch messages from OrderFlow", h.requests.shipment)}
              </Table.Body>
            </Table>
            <div className="flex flex-col gap-y-1 px-6 py-4">
              <Text size="small">
                Last message from OrderFlow: stock {when(h.last_message_from_orderflow.inventory)}, despatch{" "}
                {when(h.last_message_from_orderflow.shipment)}
              </Text>
              {h.last_export_error && (
                <Text size="small" className="text-ui-fg-error">
                  Last failed call to OrderFlow ({when(h.last_export_error.created_at)}, {humanize(h.last_export_error.operation).toLowerCase()}):{" "}
                  {h.last_export_error.error ?? "OrderFlow answered with a refusal"} —{" "}
                  <Link to={`/orderflow/exports/${h.last_export_error.id}`} className="text-ui-fg-interactive hover:underline">
                    the call
                  </Link>
                </Text>
              )}
              {Object.entries(h.last_processed_with_errors ?? {}).map(([type, r]) =>
                r ? (
                  <Text size="small" className="text-ui-fg-error" key={type}>
                    Last {type === "inventory" ? "stock" : "despatch"} message applied with failed lines ({when(r.processed_at)}): message{" "}
                    {r.message_seq_id ?? r.id}: {r.error}
                  </Text>
                ) : null
              )}
              {h.last_request_error && (
                <Text size="small" className="text-ui-fg-error">
                  Last message error ({when(h.last_request_error.updated_at)}): {h.last_request_error.error}
                </Text>
              )}
            </div>
          </Section>
          <Section title="Operations">
            <Table>
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>Operation</Table.HeaderCell>
                  <Table.HeaderCell>Last run</Table.HeaderCell>
                  <Table.HeaderCell>Result</Table.HeaderCell>
                  <Table.HeaderCell>Runs</Table.HeaderCell>
                  <Table.HeaderCell />
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {OPERATIONS.map((op) => {
                  const label = humanize(op)
                  const r = h.operations.find((o) => o.operation === op)
                  const view = r?.last_status ? describeRun({ status: r.last_status, summary: r.last_summary, error: r.last_error }) : null
                  return (
                    <Table.Row key={op}>
                      <Table.Cell>{label}</Table.Cell>
                      <Table.Cell>{when(r?.last_finished_at)}</Table.Cell>
                      <Table.Cell>
                        {view ? (
                          <div className="flex items-start gap-x-2" data-testid={`orderflow-run-${op}`} data-tone={view.tone}>
                            <Badge size="2xsmall" color={PILL[view.tone]} className="whitespace-nowrap">
                              {view.label}
                            </Badge>
                            <span className={view.tone === "success" ? "text-ui-fg-subtle" : "text-ui-fg-error"}>{view.text}</span>
                          </div>
                        ) : (
                          "—"
                        )}
                      </Table.Cell>
                      <Table.Cell>{r?.run_count ?? 0}</Table.Cell>
                      <Table.Cell>
                        <Button
                          size="small"
                          variant="secondary"
                          className="whitespace-nowrap"
                          isLoading={run.isPending && run.variables === op}
                          onClick={async () => {
                            try {
                              const res = await run.mutateAsync(op)
                              if (!res.run.ran) toast.info(`${label} did not run`, { description: res.run.reason })
                              else {
                                const v = describeRun({ status: res.run.status, summary: res.run.summary, error: res.run.error })
                                const title = v.tone === "success" ? `${label} done` : `${label}: ${v.label}`
                                toast[v.tone](title, { description: v.text })
                              }
                            } catch (e) {
                              toast.error(`${label} could not run`, { description: (e as Error).message })
                            }
                          }}
                        >
                          Run now
                        </Button>
                      </Table.Cell>
                    </Table.Row>
                  )
                })}
              </Table.Body>
            </Table>
          </Section>
        </>
      )}
    </div>
  )
}

export const config = defineRouteConfig({ label: "OrderFlow", icon: ArrowPath })

export default OrderflowOverviewPage
