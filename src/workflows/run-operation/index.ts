export { runOrderflowOperationWorkflow, runDueOperationsWorkflow, runOperationStep, runDueOperationsStep, operationSchedule } from "./run-operation"
export type { OperationRunResult, OperationSummary, RunOperationInput } from "./run-operation"
export { OPERATION_WORKFLOWS } from "./operation-workflows"
export { processSoon, lanesIdle, EVENT_WINDOW_MS } from "./process-soon"
