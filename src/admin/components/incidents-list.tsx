import { Button, Text, toast } from "@medusajs/ui"
import type { Incident } from "../hooks/api/incidents"
import { useCloseIncident } from "../hooks/api/incidents"
import { humanize, when } from "./common"

/**
 * Open incidents, oldest first. Closing one only acknowledges it: if the
 * cause is still there, the next occurrence opens (and alerts) a new one.
 */
export function IncidentsList({ incidents }: { incidents: Incident[] }) {
  const close = useCloseIncident()
  if (!incidents.length) {
    return (
      <Text size="small" className="text-ui-fg-subtle px-6 py-4">
        No open incidents.
      </Text>
    )
  }
  return (
    <div className="divide-y" data-testid="orderflow-incidents">
      {incidents.map((i) => (
        <div key={i.id} className="flex items-start justify-between gap-x-4 px-6 py-4" data-testid="orderflow-incident">
          <div className="flex flex-col gap-y-1">
            <Text size="small" weight="plus">
              {i.title}
            </Text>
            <Text size="xsmall" className="text-ui-fg-subtle">
              {humanize(i.operation)} · since {when(i.opened_at)} · {i.occurrences} {i.occurrences === 1 ? "occurrence" : "occurrences"}, last {when(i.last_seen_at)}
            </Text>
            <Text size="small" className="text-ui-fg-subtle whitespace-pre-line">
              {i.description}
            </Text>
          </div>
          <Button
            size="small"
            variant="secondary"
            className="shrink-0"
            isLoading={close.isPending && close.variables === i.id}
            onClick={() =>
              close.mutate(i.id, {
                onSuccess: () => toast.success("Incident closed", { description: "A new one opens if the cause comes back." }),
                onError: (e) => toast.error("Could not close the incident", { description: (e as Error).message }),
              })
            }
          >
            Close
          </Button>
        </div>
      ))}
    </div>
  )
}
