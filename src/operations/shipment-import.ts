import { importShipmentWorkflow, ShipmentImportSettings } from "../workflows/import-shipment"
import { sendAlertWorkflow } from "../workflows/send-alert"
import { processInboundRequests } from "./process-requests"
import { OperationRunner } from "./types"

/**
 * Scheduler operation `shipment_import`: turns stored despatch notifications
 * into fulfilments with tracking, batch-size messages per run, each on its own.
 * A despatch the order cannot take (unknown order or SKU, over-shipment,
 * cancelled order) is rejected at once, recorded and alerted; it is not
 * retried, because retrying cannot make it fit.
 */
export const runShipmentImport: OperationRunner = async (ctx) => {
  const { settings, container } = ctx
  const importSettings: ShipmentImportSettings = {
    referencePrefix: settings.orderExport.referencePrefix,
    notifyCustomer: settings.shipmentImport.notifyCustomer,
    completeOrders: settings.shipmentImport.completeOrders,
    trackingUrlTemplates: settings.shipmentImport.trackingUrlTemplates,
    locations: settings.inventoryImport.locations,
    defaultLocationId: settings.inventoryImport.defaultLocationId,
  }
  return processInboundRequests(ctx, {
    type: "shipment",
    batchSize: settings.shipmentImport.batchSize,
    // Despatches of different orders are independent; those of one order
    // are applied one after the other (each checks what is left to ship).
    partition: { key: (request) => String(request.payload?.orderIncrementId ?? request.id), concurrency: 4 },
    process: async (request) => {
      const { result } = await importShipmentWorkflow(container).run({
        input: { request_id: request.id, dedupe_key: request.dedupe_key, notification: request.payload, settings: importSettings },
      })
      if (result.kind === "rejected") {
        await sendAlertWorkflow(container).run({
          input: {
            title: `OrderFlow despatch for order ${request.payload?.orderIncrementId ?? "?"} was rejected`,
            description: `${result.message}. Despatch message ${request.message_seq_id ?? request.id}; see OrderFlow → Requests.`,
            key: `despatch-rejected:${request.id}`,
            resource_type: result.order_id ? "order" : "orderflow_request",
            resource_id: result.order_id ?? request.id,
          },
        })
      }
      return {
        shipped: result.kind === "apply" ? 1 : 0,
        duplicates: result.kind === "duplicate" ? 1 : 0,
        rejected: result.kind === "rejected" ? 1 : 0,
      }
    },
  })
}
