import { StatusBadge, Text } from "@medusajs/ui"
import { OPERATIONS } from "../../types"
import type { Health } from "../hooks/api/history"
import type { SettingsGroups } from "../hooks/api/settings"
import { OPERATION_REQUEST_TYPE, OPERATION_SETTINGS_GROUP, operationHealth, OperationHealthState } from "../lib/operation-health"
import { humanize } from "./common"

const BADGE: Record<OperationHealthState, { color: "green" | "orange" | "red" | "grey"; label: string }> = {
  healthy: { color: "green", label: "Healthy" },
  degraded: { color: "orange", label: "Degraded" },
  circuit_open: { color: "red", label: "Circuit open" },
  blocked: { color: "red", label: "Blocked" },
  disabled: { color: "grey", label: "Disabled" },
}

/** One card per operation: its badge and, when not healthy, why. */
export function OperationHealthGrid({ health, settings }: { health: Health; settings: SettingsGroups | undefined }) {
  return (
    <div className="grid grid-cols-1 gap-3 px-6 py-4 md:grid-cols-3 xl:grid-cols-5" data-testid="orderflow-operation-health">
      {OPERATIONS.map((op) => {
        const type = OPERATION_REQUEST_TYPE[op]
        const requests = type ? health.requests[type] : undefined
        const h = operationHealth(op, {
          enabled: settings?.[OPERATION_SETTINGS_GROUP[op]]?.enabled as boolean | undefined,
          endpoint: health.endpoints?.find((e) => e.endpoint === op) ?? null,
          incidents: (health.open_incidents ?? []).filter((i) => i.operation === op),
          requests: requests ? { failed: Number(requests.failed ?? 0), processed_with_errors: Number(requests.processed_with_errors ?? 0) } : null,
          lastRun: health.operations.find((r) => r.operation === op) ?? null,
        })
        const badge = BADGE[h.state]
        return (
          <div key={op} className="shadow-borders-base flex flex-col gap-y-2 rounded-lg p-3" data-testid={`orderflow-health-${op}`} data-state={h.state}>
            <div className="flex items-center justify-between gap-x-2">
              <Text size="small" weight="plus">
                {humanize(op)}
              </Text>
              <StatusBadge color={badge.color}>{badge.label}</StatusBadge>
            </div>
            {h.reasons.length ? (
              <ul className="flex flex-col gap-y-1">
                {h.reasons.map((r) => (
                  <li key={r} title={r}>
                    {/* A refusal can quote a whole HTML page: three lines here, all of it in the incident below. */}
                    <Text size="xsmall" className="text-ui-fg-subtle line-clamp-3 break-words">
                      {r}
                    </Text>
                  </li>
                ))}
              </ul>
            ) : (
              <Text size="xsmall" className="text-ui-fg-muted">
                {h.state === "disabled" ? "Switched off in Settings → OrderFlow" : "Nothing to look at"}
              </Text>
            )}
          </div>
        )
      })}
    </div>
  )
}
