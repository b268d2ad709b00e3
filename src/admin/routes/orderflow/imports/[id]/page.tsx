import { Heading, Text } from "@medusajs/ui"
import { Link, useParams } from "react-router-dom"
import { Nav, Section } from "../../../../components/common"
import { ImportLinesTable } from "../../../../components/import-lines"
import { useImport } from "../../../../hooks/api/history"

const ImportPage = () => {
  const { id = "" } = useParams()
  const { data, isLoading, error } = useImport(id)
  if (isLoading) return <Text>Loading…</Text>
  if (error || !data) return <Text className="text-ui-fg-error">{(error as Error)?.message}</Text>
  const i = data.import
  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">
          {i.type === "inventory" ? "Inventory" : "Shipment"} import {i.message_seq_id ?? ""}
        </Heading>
        <Nav />
      </div>
      <Section
        title={`Report (${i.status})`}
        actions={<Link className="text-ui-fg-interactive txt-compact-small" to={`/orderflow/requests/${i.request_id}`}>View request</Link>}
      >
        <ImportLinesTable report={i} />
      </Section>
    </div>
  )
}

export default ImportPage
