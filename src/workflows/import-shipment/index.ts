export { importShipmentWorkflow } from "./import-shipment"
export type { ImportShipmentInput, ShipmentImportOutcome, ShipmentImportSettings } from "./import-shipment"
export { shipmentImportWorkflow, applyDespatchesStep } from "./shipment-import-operation"
