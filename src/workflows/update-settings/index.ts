import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateSettingsStep, UpdateSettingsStepInput } from "./update-settings-step"

/** Saves an admin edit of the OrderFlow settings (validated as a whole, or nothing saved). */
export const updateSettingsWorkflow = createWorkflow(
  "orderflow-update-settings",
  (input: UpdateSettingsStepInput) => {
    const result = updateSettingsStep(input)
    return new WorkflowResponse(result)
  }
)
