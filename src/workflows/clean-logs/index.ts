import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { OperationInput, operationWorkflow } from "../common/operation"
import { currentSettings } from "../common/settings"
import { cleanLogsStep, CleanLogsStepInput } from "./clean-logs-step"

const DAY_MS = 24 * 60 * 60 * 1000

/** Where history and message bodies end, from the log cleaning settings (seed 000 "Log Cleaning"). */
export const logCleaningCutoffsStep = createStep("orderflow-log-cleaning-cutoffs", async ({ now }: OperationInput, { container }) => {
  const { historyDays, bodyDays } = (await currentSettings(container)).logCleaning
  const at = now ? new Date(now) : new Date()
  return new StepResponse<CleanLogsStepInput>({
    historyBefore: new Date(at.getTime() - historyDays * DAY_MS).toISOString(),
    bodyBefore: new Date(at.getTime() - bodyDays * DAY_MS).toISOString(),
  })
})

/** Operation `log_cleaning`: keeps the plugin's history from growing forever. */
export const logCleaningWorkflow = createWorkflow(operationWorkflow("orderflow-log-cleaning"), (input: OperationInput) => {
  const cutoffs = logCleaningCutoffsStep(input)
  return new WorkflowResponse(cleanLogsStep(cutoffs))
})

export { cleanLogsStep }
export type { CleanLogsStepInput }
