import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { closeStockDriftStep, CloseStockDriftInput, storeAcceptedStockStep } from "./accept-stock-drift"
import { OperationInput, operationWorkflow } from "../common/operation"
import { pullAndCompareStockStep } from "./pull-and-compare-stock-step"

/**
 * Operation `stock_drift` (issue 15): pull OrderFlow's inventory per mapped
 * site, compare with Medusa's levels after the inventory import's own
 * adjustment, store the differences. The stock_drift alarm (alarms group)
 * fires over its threshold at the next alarm check.
 */
export const stockDriftWorkflow = createWorkflow(operationWorkflow("orderflow-stock-drift"), (input: OperationInput) => {
  const summary = pullAndCompareStockStep(input)
  return new WorkflowResponse(summary)
})

/**
 * "Take OrderFlow's stock now" (go-live): the drift report, then every open
 * difference accepted through the inventory import path, as an admin would
 * accept them one by one. SKUs that already agree are left alone.
 */
export const takeOrderflowStockWorkflow = createWorkflow("orderflow-take-orderflow-stock", (input: OperationInput & { by: string | null }) => {
  const report = pullAndCompareStockStep(input)
  const rows = closeStockDriftStep(transform({ input, report }, ({ input }): CloseStockDriftInput => ({ ids: null, status: "accepted", by: input.by })))
  const stored = storeAcceptedStockStep(rows)
  return new WorkflowResponse(transform({ report, stored }, ({ report, stored }) => ({ report, accepted: stored.accepted, request_ids: stored.request_ids })))
})

export { pullAndCompareStockStep } from "./pull-and-compare-stock-step"
export type { StockDriftSummary } from "./pull-and-compare-stock-step"
export type { CloseStockDriftInput, StoredAcceptedStock } from "./accept-stock-drift"
export { acceptStockDriftWorkflow, ignoreStockDriftWorkflow, closeStockDriftStep, storeAcceptedStockStep } from "./accept-stock-drift"
