import type { OperationName } from "../../types"
import { logCleaningWorkflow } from "../clean-logs"
import { orderExportOnEventWorkflow, orderExportWorkflow } from "../export-orders/order-export-operation"
import { productExportOnEventWorkflow, productExportWorkflow } from "../export-products/product-export-operation"
import { inventoryImportOnEventWorkflow, inventoryImportWorkflow } from "../import-inventory/inventory-import-operation"
import { shipmentImportOnEventWorkflow, shipmentImportWorkflow } from "../import-shipment/shipment-import-operation"
import { returnsWorkflow } from "../returns/returns-operation"
import { shipmentPollWorkflow } from "../shipment-poll"
import { stockDriftWorkflow } from "../stock-drift"

/** The workflow of each scheduled operation (stored for a day: Settings → Workflows). */
export const OPERATION_WORKFLOWS = {
  product_export: productExportWorkflow,
  order_export: orderExportWorkflow,
  inventory_import: inventoryImportWorkflow,
  shipment_import: shipmentImportWorkflow,
  log_cleaning: logCleaningWorkflow,
  returns: returnsWorkflow,
  shipment_poll: shipmentPollWorkflow,
  stock_drift: stockDriftWorkflow,
} satisfies Record<OperationName, unknown>

/**
 * The same operations when an event starts them (processSoon): the same
 * steps, not stored, as they may run several times a second.
 */
export const EVENT_OPERATION_WORKFLOWS = {
  product_export: productExportOnEventWorkflow,
  order_export: orderExportOnEventWorkflow,
  inventory_import: inventoryImportOnEventWorkflow,
  shipment_import: shipmentImportOnEventWorkflow,
} satisfies Partial<Record<OperationName, unknown>>
