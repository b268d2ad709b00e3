// Public workflows (package export "medusa-plugin-orderflow/workflows").
export * from "./import-inventory"
export * from "./import-shipment"
export * from "./clean-logs"
export * from "./receive-inbound-message"
export * from "./requeue-request"
export * from "./send-alert"
export * from "./update-settings"
