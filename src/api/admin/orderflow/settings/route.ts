import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { updateSettingsWorkflow } from "../../../../workflows/update-settings"
import { presentSettings } from "./presenter"
import { AdminUpdateOrderflowSettings } from "./validators"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  res.json(presentSettings(req, await orderflow.getCurrentSettings()))
}

export async function POST(
  req: AuthenticatedMedusaRequest<z.infer<typeof AdminUpdateOrderflowSettings>>,
  res: MedusaResponse
) {
  await updateSettingsWorkflow(req.scope).run({ input: { patch: req.validatedBody as Record<string, unknown> } })
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  res.json(presentSettings(req, await orderflow.getCurrentSettings()))
}
