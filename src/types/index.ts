/** The plugin's shared names: module key, statuses, operation names. Framework-free. */
export * from "./statuses"

/** The key the orderflow module is registered under in Medusa's container. */
export const ORDERFLOW_MODULE = "orderflow"

/** Events the plugin emits (Medusa's event bus; Redis in a cluster). */
export const ORDERFLOW_EVENTS = {
  /** A message OrderFlow pushed was stored (data: { id, type }); a worker processes it at once. */
  REQUEST_RECEIVED: "orderflow.request.received",
  /** An export endpoint answered again after an outage or a block (data: { operation }): its queue goes at once. */
  ENDPOINT_RECOVERED: "orderflow.endpoint.recovered",
} as const
