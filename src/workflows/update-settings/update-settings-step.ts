import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"

export type UpdateSettingsStepInput = { patch: Record<string, unknown> }

export const updateSettingsStep = createStep(
  "orderflow-update-settings",
  async ({ patch }: UpdateSettingsStepInput, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const previous = await orderflow.exportStoredSettings()
    await orderflow.updateSettings(patch)
    // Only the group names reach the workflow result; the values may hold secrets.
    return new StepResponse({ updated: Object.keys(patch) }, previous)
  },
  async (previous, { container }) => {
    if (!previous) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.restoreStoredSettings(previous)
  }
)
