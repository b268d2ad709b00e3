import { MedusaError } from "@medusajs/framework/utils"
import { OperationRunner } from "./types"

/** Scheduler operation `order_export` (issue: Order export). */
export const runOrderExport: OperationRunner = async () => {
  throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Order export is not implemented yet")
}
