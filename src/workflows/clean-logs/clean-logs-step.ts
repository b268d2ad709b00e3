import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"

export type CleanLogsStepInput = { historyBefore: string; bodyBefore: string }

// Deleting history cannot be undone, and need not be: no compensation.
export const cleanLogsStep = createStep(
  "orderflow-clean-logs",
  async (input: CleanLogsStepInput, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const counts = await orderflow.cleanLogs({
      historyBefore: new Date(input.historyBefore),
      bodyBefore: new Date(input.bodyBefore),
    })
    return new StepResponse(counts)
  }
)
