import { importInventoryWorkflow } from "../workflows/import-inventory"
import { processInboundRequests } from "./process-requests"
import { OperationRunner } from "./types"

/** Scheduler operation `inventory_import`: applies stored stock messages, batch-size messages per run. */
export const runInventoryImport: OperationRunner = async (ctx) =>
  processInboundRequests(ctx, {
    type: "inventory",
    batchSize: ctx.settings.inventoryImport.batchSize,
    process: async (request) => {
      const { result } = await importInventoryWorkflow(ctx.container).run({
        input: { request_id: request.id, update: request.payload },
      })
      return {
        lines: result.lines,
        applied: result.applied,
        stale: result.stale,
        unknown_sku: result.unknown_sku,
        failed_lines: result.failed,
      }
    },
  })
