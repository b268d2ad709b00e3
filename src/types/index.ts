/** The plugin's shared names: module key, statuses, operation names. Framework-free. */
export * from "./statuses"

/** The key the orderflow module is registered under in Medusa's container. */
export const ORDERFLOW_MODULE = "orderflow"
