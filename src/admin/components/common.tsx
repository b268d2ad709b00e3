import { Badge, Button, Container, Heading, Text } from "@medusajs/ui"
import { ReactNode } from "react"
import { Link } from "react-router-dom"

const COLORS: Record<string, "green" | "red" | "orange" | "blue" | "grey" | "purple"> = {
  success: "green",
  processed: "green",
  exported: "green",
  applied: "green",
  shipped: "green",
  partial: "orange",
  processed_with_errors: "orange",
  resolved: "grey",
  pending: "blue",
  queued: "purple",
  processing: "purple",
  stale: "grey",
  duplicate: "grey",
  skipped: "grey",
  missing: "orange",
  unknown_sku: "orange",
  failed: "red",
  failure: "red",
  cancelled: "grey",
  sent: "blue",
  received: "green",
  unmatched: "orange",
  open: "orange",
  accepted: "green",
  ignored: "grey",
}

export function StatusPill({ status }: { status: string }) {
  return (
    <Badge size="2xsmall" color={COLORS[status] ?? "grey"}>
      {status.replace(/_/g, " ")}
    </Badge>
  )
}

/** A stored name as a label: `unknown_sku` → "Unknown sku". */
export function humanize(value: string) {
  const words = value.replace(/_/g, " ")
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export function when(value: string | null | undefined) {
  return value ? new Date(value).toLocaleString() : "—"
}

export function Section({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">{title}</Heading>
        {actions}
      </div>
      {children}
    </Container>
  )
}

/** Raw documents as received or sent; React escapes them, so hostile text stays text. */
export function Document({ label, body }: { label: string; body: string | null | undefined }) {
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4">
      <Text size="small" weight="plus">
        {label}
      </Text>
      {body ? (
        <pre className="bg-ui-bg-subtle text-ui-fg-subtle max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-md p-3 font-mono text-xs">
          {body}
        </pre>
      ) : (
        <Text size="small" className="text-ui-fg-muted">
          Not kept (removed by log cleaning) or not sent.
        </Text>
      )}
    </div>
  )
}

export function Pager({ count, limit, offset, onChange }: { count: number; limit: number; offset: number; onChange: (offset: number) => void }) {
  return (
    <div className="flex items-center justify-between px-6 py-3">
      <Text size="small" className="text-ui-fg-subtle">
        {count === 0 ? "No records" : `${offset + 1}–${Math.min(offset + limit, count)} of ${count}`}
      </Text>
      <div className="flex gap-x-2">
        <Button size="small" variant="secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
          Previous
        </Button>
        <Button size="small" variant="secondary" disabled={offset + limit >= count} onClick={() => onChange(offset + limit)}>
          Next
        </Button>
      </div>
    </div>
  )
}

export function Nav() {
  const items = [
    ["/orderflow", "Overview"],
    ["/orderflow/requests", "Requests"],
    ["/orderflow/imports", "Imports"],
    ["/orderflow/stock", "Stock"],
    ["/orderflow/exports", "Exports"],
    ["/orderflow/despatches", "Despatches"],
    ["/orderflow/returns", "Returns"],
    ["/settings/orderflow", "Settings"],
  ]
  return (
    <div className="flex gap-x-4 px-1">
      {items.map(([to, label]) => (
        <Link key={to} to={to} className="text-ui-fg-interactive txt-compact-small-plus hover:underline">
          {label}
        </Link>
      ))}
    </div>
  )
}
