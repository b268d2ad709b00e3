import type { OperationName } from "../../types"
import { logCleaningWorkflow } from "../clean-logs"
import { orderExportWorkflow } from "../export-orders/order-export-operation"
import { productExportWorkflow } from "../export-products/product-export-operation"
import { inventoryImportWorkflow } from "../import-inventory/inventory-import-operation"
import { shipmentImportWorkflow } from "../import-shipment/shipment-import-operation"

/** The workflow of each scheduled operation. */
export const OPERATION_WORKFLOWS = {
  product_export: productExportWorkflow,
  order_export: orderExportWorkflow,
  inventory_import: inventoryImportWorkflow,
  shipment_import: shipmentImportWorkflow,
  log_cleaning: logCleaningWorkflow,
} satisfies Record<OperationName, unknown>
