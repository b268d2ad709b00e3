import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { sendAlertStep, SendAlertInput } from "./send-alert-step"

export const sendAlertWorkflow = createWorkflow("orderflow-send-alert", (input: SendAlertInput) => {
  const result = sendAlertStep(input)
  return new WorkflowResponse(result)
})

export { sendAlertsStep, deliverAlert } from "./send-alert-step"
export type { SendAlertInput }
