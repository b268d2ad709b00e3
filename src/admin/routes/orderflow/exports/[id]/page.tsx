import { Heading, Table, Text } from "@medusajs/ui"
import { useParams } from "react-router-dom"
import { Document, Nav, Section, StatusPill, when } from "../../../../components/common"
import { useExport } from "../../../../hooks/api/history"

const ExportPage = () => {
  const { id = "" } = useParams()
  const { data, isLoading, error } = useExport(id)
  if (isLoading) return <Text>Loading…</Text>
  if (error || !data) return <Text className="text-ui-fg-error">{(error as Error)?.message}</Text>
  const e = data.export
  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">Export {e.id.slice(-8)}</Heading>
        <Nav />
      </div>
      <Section title={`${e.operation.replace(/_/g, " ")} — ${e.status}`}>
        <div className="grid grid-cols-2 gap-2 px-6 py-4">
          <Text size="small">When: {when(e.created_at)} ({e.trigger})</Text>
          <Text size="small">HTTP status: {e.http_status ?? "—"}, {e.duration_ms} ms</Text>
          <Text size="small">
            {e.item_count} items: {e.success_count} exported, {e.duplicate_count} duplicates, {e.failure_count} failures
          </Text>
          {e.error && <Text size="small" className="text-ui-fg-error col-span-2">{e.error}</Text>}
        </div>
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Reference</Table.HeaderCell>
              <Table.HeaderCell>Outcome</Table.HeaderCell>
              <Table.HeaderCell>Message</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {(e.lines ?? []).map((l) => (
              <Table.Row key={l.id}>
                <Table.Cell className="font-mono">{l.reference}</Table.Cell>
                <Table.Cell><StatusPill status={l.outcome} /></Table.Cell>
                <Table.Cell className="max-w-xl whitespace-normal">{l.message}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
        <Document label="Request XML" body={e.request_body} />
        <Document label="Response" body={e.response_body} />
      </Section>
    </div>
  )
}

export default ExportPage
