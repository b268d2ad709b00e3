import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { OperationName, OPERATIONS } from "../../../../../../types"
import { runOrderflowOperationWorkflow } from "../../../../../../workflows/run-operation"

/** POST /admin/orderflow/operations/:operation/run — run now, whether due or not. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const operation = req.params.operation as OperationName
  if (!OPERATIONS.includes(operation)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Unknown operation "${req.params.operation}"; expected one of ${OPERATIONS.join(", ")}`
    )
  }
  const { result } = await runOrderflowOperationWorkflow(req.scope).run({ input: { operation, trigger: "manual" } })
  res.json({ run: result })
}
