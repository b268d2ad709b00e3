import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { cleanLogsStep, CleanLogsStepInput } from "./clean-logs-step"

/** Log cleaning operation: keeps the plugin's history from growing forever. */
export const cleanLogsWorkflow = createWorkflow("orderflow-clean-logs", (input: CleanLogsStepInput) => {
  const counts = cleanLogsStep(input)
  return new WorkflowResponse(counts)
})
