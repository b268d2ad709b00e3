export { importInventoryWorkflow } from "./import-inventory"
export type { InventoryImportOutcome, InventoryImportSettings } from "./import-inventory"
export { inventoryImportWorkflow, applyInventoryMessagesStep, GROUP_LINES } from "./inventory-import-operation"
