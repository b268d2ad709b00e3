import type { OperationName, OperationRunStatus, RequestType } from "../../types"

/**
 * What the overview page says about each operation, most serious first:
 * blocked (a permanent failure stopped the endpoint until settings change),
 * circuit open (OrderFlow unreachable, runs only probe it), degraded
 * (it runs, but something needs a look), healthy; disabled when switched off
 * in the settings, whatever else is true.
 */
export type OperationHealthState = "healthy" | "degraded" | "circuit_open" | "blocked" | "disabled"

export type OperationHealth = { operation: OperationName; state: OperationHealthState; reasons: string[] }

export type OperationHealthInput = {
  /** The settings group's `enabled` (undefined: not known yet, treated as enabled). */
  enabled: boolean | undefined
  /** Export operations only: their endpoint's circuit/block state. */
  endpoint?: { consecutive_failures: number; circuit_opened_at: string | null; blocked_at: string | null; blocked_reason: string | null; last_failure: string | null } | null
  /** Open incidents of this operation. */
  incidents: Array<{ title: string }>
  /** Inbound operations only: dead letters and messages applied with failed lines. */
  requests?: { failed: number; processed_with_errors: number } | null
  lastRun?: { last_status: OperationRunStatus | null; last_error: string | null } | null
}

/** The settings group holding each operation's `enabled` switch. */
export const OPERATION_SETTINGS_GROUP: Record<OperationName, string> = {
  product_export: "productExport",
  order_export: "orderExport",
  inventory_import: "inventoryImport",
  shipment_import: "shipmentImport",
  log_cleaning: "logCleaning",
  returns: "returns",
  shipment_poll: "shipmentPoll",
  stock_drift: "stockDrift",
}

/** The message type an inbound operation processes. */
export const OPERATION_REQUEST_TYPE: Partial<Record<OperationName, RequestType>> = {
  inventory_import: "inventory",
  shipment_import: "shipment",
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

export function operationHealth(operation: OperationName, input: OperationHealthInput): OperationHealth {
  const reasons: string[] = []
  const ep = input.endpoint
  if (ep?.blocked_at) reasons.push(`Blocked: ${ep.blocked_reason ?? ep.last_failure ?? "permanent failure"}`)
  else if (ep?.circuit_opened_at) reasons.push(`OrderFlow unreachable: ${ep.last_failure ?? "calls fail"}`)
  else if (ep && ep.consecutive_failures > 0) reasons.push(`${plural(ep.consecutive_failures, "failed call")} in a row`)
  for (const i of input.incidents) reasons.push(i.title)
  if (input.requests?.failed) reasons.push(`${plural(input.requests.failed, "dead letter")} (failed messages) to retry or resolve`)
  if (input.requests?.processed_with_errors) reasons.push(`${plural(input.requests.processed_with_errors, "message")} applied with failed lines`)
  if (input.lastRun?.last_status === "failed") reasons.push(`Last run failed${input.lastRun.last_error ? `: ${input.lastRun.last_error}` : ""}`)

  const state: OperationHealthState =
    input.enabled === false ? "disabled" : ep?.blocked_at ? "blocked" : ep?.circuit_opened_at ? "circuit_open" : reasons.length ? "degraded" : "healthy"
  return { operation, state, reasons }
}
