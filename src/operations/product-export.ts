import { MedusaError } from "@medusajs/framework/utils"
import { OperationRunner } from "./types"

/** Scheduler operation `product_export` (issue: Product export). */
export const runProductExport: OperationRunner = async () => {
  throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Product export is not implemented yet")
}
