import { Heading, Table } from "@medusajs/ui"
import { useState } from "react"
import { Link } from "react-router-dom"
import { FilterSelect, Nav, Pager, Section, StatusPill, when } from "../../../components/common"
import { useRequests } from "../../../hooks/api/history"

const LIMIT = 20

const RequestsPage = () => {
  const [offset, setOffset] = useState(0)
  const [type, setType] = useState("")
  const [status, setStatus] = useState("")
  const { data, isLoading } = useRequests({ limit: LIMIT, offset, type: type || undefined, status: status || undefined })
  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">OrderFlow requests</Heading>
        <Nav />
      </div>
      <Section
        title="Messages received from OrderFlow"
        actions={
          <div className="flex gap-x-2">
            <FilterSelect value={type} onChange={(v) => { setType(v); setOffset(0) }} all="All types" options={[["inventory", "Inventory"], ["shipment", "Shipment"]]} />
            <FilterSelect
              value={status}
              onChange={(v) => { setStatus(v); setOffset(0) }}
              all="All statuses"
              options={["pending", "processing", "processed", "failed", "duplicate"].map((x) => [x, x])}
            />
          </div>
        }
      >
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Message</Table.HeaderCell>
              <Table.HeaderCell>Entity</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Lines</Table.HeaderCell>
              <Table.HeaderCell>Received</Table.HeaderCell>
              <Table.HeaderCell>Processed</Table.HeaderCell>
              <Table.HeaderCell>Import</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {isLoading && (
              <Table.Row><Table.Cell>Loading…</Table.Cell></Table.Row>
            )}
            {data?.requests.map((r) => (
              <Table.Row key={r.id}>
                <Table.Cell>
                  <Link className="text-ui-fg-interactive" to={`/orderflow/requests/${r.id}`}>
                    {r.message_seq_id ?? r.id}
                  </Link>
                </Table.Cell>
                <Table.Cell>{r.type}</Table.Cell>
                <Table.Cell><StatusPill status={r.status} /></Table.Cell>
                <Table.Cell>{r.line_count}</Table.Cell>
                <Table.Cell>{when(r.received_at)}</Table.Cell>
                <Table.Cell>{r.processed_at ? when(r.processed_at) : "Pending"}</Table.Cell>
                <Table.Cell>
                  {r.import_id ? (
                    <Link className="text-ui-fg-interactive" to={`/orderflow/imports/${r.import_id}`}>View import report</Link>
                  ) : "—"}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
        {data && <Pager count={data.count} limit={LIMIT} offset={offset} onChange={setOffset} />}
      </Section>
    </div>
  )
}

export default RequestsPage
