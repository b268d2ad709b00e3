export { queueOrdersForExportWorkflow } from "./queue-orders-for-export"
export type { QueueOrdersInput, QueueOrdersResult } from "./queue-orders-for-export"
export { ensureExportFromStep } from "./ensure-export-from-step"
export { assessOrders } from "./assess-orders"
export type { OrderAssessment } from "./assess-orders"
export { buildOrderExportDocument } from "./build-order-document"
export { sweepMissedOrders, SWEEP_LOOKBACK_MS } from "./sweep-missed-orders"
export { backfillOrders, BACKFILL_MAX_ORDERS } from "./backfill-orders"
export type { BackfillResult } from "./backfill-orders"
export { loadOrderFacts, loadExportRows } from "./load-order-facts"
export {
  exportOrderBatchWorkflow,
  orderExportWorkflow,
  exportOrdersNowWorkflow,
  backfillOrdersWorkflow,
  sweepMissedOrdersStep,
  processCancellationQueueStep,
} from "./order-export-operation"
export type { ManualExportOutcome } from "./order-export-operation"
export { queueOrderChangesForExportWorkflow, assessOrderChanges } from "./queue-order-changes"
export type { QueueOrderChangesInput, QueueOrderChangesResult, OrderChangeAssessment } from "./queue-order-changes"
export { sweepMissedOrderChanges } from "./sweep-missed-order-changes"
export { loadOrderChanges, loadChangeExportRows } from "./load-order-changes"
