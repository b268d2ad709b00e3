// Public: the export workflow (with its productExportFields hook), the queue
// and reset workflows, and the sweep the export operation runs.
export * from "./export-products"
export * from "./queue-product-export"
export * from "./reset-product-export"
export { sweepProductChanges } from "./sweep-product-changes"
export type { SweepResult } from "./sweep-product-changes"
export {
  exportProductBatchWorkflow,
  productExportWorkflow,
  exportProductsNowWorkflow,
  sweepProductChangesWorkflow,
  sweepProductChangesStep,
  SWEEP_INTERVAL_MS,
  SWEEP_OVERLAP_MS,
} from "./product-export-operation"
export type { ProductExportOutcome, ExportProductsNowInput } from "./product-export-operation"
