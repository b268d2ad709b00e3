import { Heading, Table } from "@medusajs/ui"
import { useState } from "react"
import { Link } from "react-router-dom"
import { FilterSelect, Nav, Pager, Section, StatusPill, when } from "../../../components/common"
import { useExports } from "../../../hooks/api/history"

const LIMIT = 20

const ExportsPage = () => {
  const [offset, setOffset] = useState(0)
  const [operation, setOperation] = useState("")
  const { data, isLoading } = useExports({ limit: LIMIT, offset, operation: operation || undefined })
  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">OrderFlow exports</Heading>
        <Nav />
      </div>
      <Section
        title="Calls to OrderFlow"
        actions={
          <FilterSelect
            value={operation}
            onChange={(v) => { setOperation(v); setOffset(0) }}
            all="All operations"
            options={[["product_export", "Products"], ["order_export", "Orders"], ["order_cancel", "Cancellations"], ["connection_test", "Connection tests"]]}
          />
        }
      >
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Export</Table.HeaderCell>
              <Table.HeaderCell>Operation</Table.HeaderCell>
              <Table.HeaderCell>Result</Table.HeaderCell>
              <Table.HeaderCell>Successes</Table.HeaderCell>
              <Table.HeaderCell>Duplicates</Table.HeaderCell>
              <Table.HeaderCell>Failures</Table.HeaderCell>
              <Table.HeaderCell>HTTP</Table.HeaderCell>
              <Table.HeaderCell>Duration</Table.HeaderCell>
              <Table.HeaderCell>When</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {isLoading && <Table.Row><Table.Cell>Loading…</Table.Cell></Table.Row>}
            {data?.exports.map((e) => (
              <Table.Row key={e.id}>
                <Table.Cell>
                  <Link className="text-ui-fg-interactive" to={`/orderflow/exports/${e.id}`}>{e.id.slice(-8)}</Link>
                </Table.Cell>
                <Table.Cell>{e.operation.replace(/_/g, " ")} ({e.trigger})</Table.Cell>
                <Table.Cell><StatusPill status={e.status} /></Table.Cell>
                <Table.Cell>{e.success_count}</Table.Cell>
                <Table.Cell>{e.duplicate_count}</Table.Cell>
                <Table.Cell>{e.failure_count}</Table.Cell>
                <Table.Cell>{e.http_status ?? "—"}</Table.Cell>
                <Table.Cell>{e.duration_ms} ms</Table.Cell>
                <Table.Cell>{when(e.created_at)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
        {data && <Pager count={data.count} limit={LIMIT} offset={offset} onChange={setOffset} />}
      </Section>
    </div>
  )
}

export default ExportsPage
