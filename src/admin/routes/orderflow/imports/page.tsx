import { Heading, Table } from "@medusajs/ui"
import { useState } from "react"
import { Link } from "react-router-dom"
import { FilterSelect, Nav, Pager, Section, StatusPill, when } from "../../../components/common"
import { useImports } from "../../../hooks/api/history"

const LIMIT = 20

const ImportsPage = () => {
  const [offset, setOffset] = useState(0)
  const [type, setType] = useState("")
  const { data, isLoading } = useImports({ limit: LIMIT, offset, type: type || undefined })
  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">OrderFlow imports</Heading>
        <Nav />
      </div>
      <Section
        title="Processed messages"
        actions={
          <FilterSelect value={type} onChange={(v) => { setType(v); setOffset(0) }} all="Inventory and shipments" options={[["inventory", "Inventory"], ["shipment", "Shipments"]]} />
        }
      >
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Message</Table.HeaderCell>
              <Table.HeaderCell>Entity</Table.HeaderCell>
              <Table.HeaderCell>Result</Table.HeaderCell>
              <Table.HeaderCell>Lines</Table.HeaderCell>
              <Table.HeaderCell>Applied</Table.HeaderCell>
              <Table.HeaderCell>Stale</Table.HeaderCell>
              <Table.HeaderCell>Unknown / failed</Table.HeaderCell>
              <Table.HeaderCell>Processed</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {isLoading && <Table.Row><Table.Cell>Loading…</Table.Cell></Table.Row>}
            {data?.imports.map((i) => (
              <Table.Row key={i.id}>
                <Table.Cell>
                  <Link className="text-ui-fg-interactive" to={`/orderflow/imports/${i.id}`}>{i.message_seq_id ?? i.id}</Link>
                </Table.Cell>
                <Table.Cell>{i.type}</Table.Cell>
                <Table.Cell><StatusPill status={i.status} /></Table.Cell>
                <Table.Cell>{i.line_count}</Table.Cell>
                <Table.Cell>{i.applied_count}</Table.Cell>
                <Table.Cell>{i.stale_count}</Table.Cell>
                <Table.Cell>{i.unknown_count} / {i.failed_count}</Table.Cell>
                <Table.Cell>{when(i.created_at)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
        {data && <Pager count={data.count} limit={LIMIT} offset={offset} onChange={setOffset} />}
      </Section>
    </div>
  )
}

export default ImportsPage
