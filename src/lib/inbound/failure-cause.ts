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
 * The alert key (the notification's idempotency key) for a cause: at most
 * one alert per operation, cause and UTC day. The day keeps a cause that
 * comes back after being fixed (or never goes away) from being silenced for
 * ever; within a day, a stream of messages hitting it raises one alert.
 */
export function failureAlertKey(type: RequestType, cause: string, now: Date): string {
  const digest = createHash("sha256").update(cause, "utf8").digest("hex").slice(0, 16)
  return `lines:${type}:${now.toISOString().slice(0, 10)}:${digest}`
}
