import { createHash } from "node:crypto"
import type { RequestType } from "../../types/statuses"

/**
 * A failed line's message with what varies from message to message taken
 * out, so that one cause (a site renamed in OrderFlow, a stock location
 * deleted) is one alert however many messages and SKUs it hits:
 * quoted values that are the line's own SKU or order reference become "…",
 * order numbers (#1001) and bare numbers become …; other quoted values (the
 * site name, which is the cause) are kept.
 */
export function failureCause(message: string, variables: ReadonlyArray<string | null | undefined>): string {
  const vary = new Set(variables.filter((v): v is string => !!v))
  return message
    .replace(/"[^"]*"|#\d+|\b\d+\b/g, (m) => {
      if (m.startsWith('"')) return vary.has(m.slice(1, -1)) ? '"…"' : m
      return m.startsWith("#") ? "#…" : "…"
    })
    .replace(/\s+/g, " ")
    .trim()
}

/**
 * The incident key for a cause: one open incident (one alert) per operation
 * and cause, however many messages hit it; once the incident is closed (an
 * admin dealt with it) the next occurrence opens a new one and alerts again.
 */
export function failureAlertKey(type: RequestType, cause: string): string {
  const digest = createHash("sha256").update(cause, "utf8").digest("hex").slice(0, 16)
  return `lines:${type}:${digest}`
}
