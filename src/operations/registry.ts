import { OperationName, OrderflowSettings } from "../lib/settings"
import { runInventoryImport } from "./inventory-import"
import { runLogCleaning } from "./log-cleaning"
import { runOrderExport } from "./order-export"
import { runProductExport } from "./product-export"
import { runShipmentImport } from "./shipment-import"
import { OperationRunner } from "./types"

/** Each scheduler operation, its runner and where its enable/cron settings live. */
export const OPERATION_RUNNERS: Partial<Record<OperationName, OperationRunner>> = {
  product_export: runProductExport,
  order_export: runOrderExport,
  inventory_import: runInventoryImport,
  shipment_import: runShipmentImport,
  log_cleaning: runLogCleaning,
}

export function operationSchedule(settings: OrderflowSettings, operation: OperationName) {
  switch (operation) {
    case "product_export":
      return settings.productExport
    case "order_export":
      return settings.orderExport
    case "inventory_import":
      return settings.inventoryImport
    case "shipment_import":
      return settings.shipmentImport
    case "log_cleaning":
      return settings.logCleaning
  }
}

/** Lets later code (and tests) register an operation's runner. */
export function registerOperation(operation: OperationName, runner: OperationRunner) {
  OPERATION_RUNNERS[operation] = runner
}
