import { MedusaService } from "@medusajs/framework/utils"
import {
  OrderflowDespatch,
  OrderflowExport,
  OrderflowExportItem,
  OrderflowExportLine,
  OrderflowImport,
  OrderflowImportLine,
  OrderflowInventorySequence,
  OrderflowOperationRun,
  OrderflowRequest,
  OrderflowSetting,
} from "./models"

export type OrderflowModuleOptions = {
  /** Pre-set settings (same shape as the admin settings API); shown read-only in the admin. */
  settings?: Record<string, unknown>
}

class OrderflowModuleService extends MedusaService({
  OrderflowSetting,
  OrderflowOperationRun,
  OrderflowExportItem,
  OrderflowExport,
  OrderflowExportLine,
  OrderflowRequest,
  OrderflowImport,
  OrderflowImportLine,
  OrderflowInventorySequence,
  OrderflowDespatch,
}) {
  protected readonly options_: OrderflowModuleOptions

  constructor(container: Record<string, unknown>, options: OrderflowModuleOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.options_ = options ?? {}
  }

  getOptions(): OrderflowModuleOptions {
    return this.options_
  }
}

export default OrderflowModuleService
