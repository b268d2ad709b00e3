import { Button, Heading, Text, toast } from "@medusajs/ui"
import { Link, useParams } from "react-router-dom"
import { PROCESSABLE_REQUEST_STATUSES } from "../../../../../types"
import { Document, Nav, Section, StatusPill, when } from "../../../../components/common"
import { ImportLinesTable } from "../../../../components/import-lines"
import { useProcessRequest, useRequest, useResolveRequests } from "../../../../hooks/api/history"

const RequestPage = () => {
  const { id = "" } = useParams()
  const { data, isLoading, error } = useRequest(id)
  const process = useProcessRequest()
  const resolve = useResolveRequests()
  if (isLoading) return <Text>Loading…</Text>
  if (error || !data) return <Text className="text-ui-fg-error">{(error as Error)?.message}</Text>
  const r = data.request
  const canProcess = PROCESSABLE_REQUEST_STATUSES.some((s) => s === r.status)
  // A dead letter: never applied; kept (with its body) until someone resolves it.
  const canResolve = r.status === "failed"
  return (
    <div className="flex flex-col gap-y-3">
      <div className="flex items-center justify-between">
        <Heading level="h1">
          {r.type === "inventory" ? "Inventory" : "Shipment"} message {r.message_seq_id ?? ""}
        </Heading>
        <Nav />
      </div>
      <Section
        title="Request"
        actions={
          canProcess || canResolve ? (
            <div className="flex gap-x-2">
              {canResolve && (
                <Button
                  size="small"
                  variant="secondary"
                  isLoading={resolve.isPending}
                  onClick={async () => {
                    try {
                      await resolve.mutateAsync([r.id])
                      toast.success("Dead letter resolved; log cleaning may now delete it")
                    } catch (e) {
                      toast.error("Could not resolve", { description: (e as Error).message })
                    }
                  }}
                >
                  Resolve
                </Button>
              )}
              {canProcess && (
                <Button
                  size="small"
                  isLoading={process.isPending}
                  onClick={async () => {
                    try {
                      const res = await process.mutateAsync(r.id)
                      toast.success(`Message is now ${res.request.status.replace(/_/g, " ")}`)
                    } catch (e) {
                      toast.error("Could not process", { description: (e as Error).message })
                    }
                  }}
                >
                  Process now
                </Button>
              )}
            </div>
          ) : undefined
        }
      >
        <div className="grid grid-cols-2 gap-2 px-6 py-4 text-sm">
          <Text size="small">Request ID: {r.id}</Text>
          <Text size="small">Status: <StatusPill status={r.status} /></Text>
          <Text size="small">Received: {when(r.received_at)}</Text>
          <Text size="small">Processed: {r.processed_at ? when(r.processed_at) : "Pending"}</Text>
          <Text size="small">Content type: {r.content_type}</Text>
          <Text size="small">Size: {r.body_bytes} bytes, {r.line_count} lines</Text>
          <Text size="small">Attempts: {r.attempts}{r.next_attempt_at ? `, next ${when(r.next_attempt_at)}` : ""}</Text>
          {r.duplicate_of_id && (
            <Text size="small">
              Duplicate of <Link className="text-ui-fg-interactive" to={`/orderflow/requests/${r.duplicate_of_id}`}>{r.duplicate_of_id}</Link>
            </Text>
          )}
          {r.resolved_at && <Text size="small">Resolved: {when(r.resolved_at)}{r.resolved_by ? ` by ${r.resolved_by}` : ""}</Text>}
          {r.status === "failed" && (
            <Text size="small" className="col-span-2">
              A dead letter: never applied. It is kept, with the message as received, until it is processed again or resolved.
            </Text>
          )}
          {r.error && <Text size="small" className="text-ui-fg-error col-span-2">Error: {r.error}</Text>}
        </div>
        <Document label="Message as received" body={r.body} />
      </Section>
      {data.import && (
        <Section title={`Import report (${data.import.status})`}>
          <ImportLinesTable report={data.import} />
        </Section>
      )}
    </div>
  )
}

export default RequestPage
