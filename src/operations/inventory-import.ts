import { Modules } from "@medusajs/framework/utils"
import { importInventoryWorkflow, InventoryImportOutcome, InventoryImportSettings } from "../workflows/import-inventory"
import { ClaimedRequest } from "../modules/orderflow/service"
import { processInboundRequests, RequestOutcome } from "./process-requests"
import { OperationContext, OperationRunner } from "./types"

/** Lines written with one call of Medusa's batch level workflow. */
const GROUP_LINES = 2000

/**
 * Scheduler operation `inventory_import`: applies stored stock messages,
 * batch-size messages per run, in messageSeqId order, consecutive messages
 * grouped into one write.
 */
export const runInventoryImport: OperationRunner = async (ctx) => {
  const settings = await importSettings(ctx)
  const run = async (requests: ClaimedRequest[]) => {
    const { result } = await importInventoryWorkflow(ctx.container).run({
      input: { messages: requests.map((r) => ({ request_id: r.id, update: r.payload })), settings },
    })
    return new Map<string, RequestOutcome>(result.map((o: InventoryImportOutcome) => [o.request_id, counts(o)]))
  }
  return processInboundRequests(ctx, {
    type: "inventory",
    batchSize: ctx.settings.inventoryImport.batchSize,
    process: async (request) => (await run([request])).get(request.id) ?? {},
    group: { maxLines: GROUP_LINES, process: run },
  })
}

function counts(o: InventoryImportOutcome): RequestOutcome {
  return { lines: o.lines, applied: o.applied, stale: o.stale, unknown_sku: o.unknown_sku, failed_lines: o.failed }
}

/** The plan's settings, with the only stock location as default when none is set. */
async function importSettings({ container, settings }: OperationContext): Promise<InventoryImportSettings> {
  const s = settings.inventoryImport
  let defaultLocationId = s.defaultLocationId
  if (!defaultLocationId) {
    const locations = await container.resolve(Modules.STOCK_LOCATION).listStockLocations({}, { select: ["id"], take: 2 })
    if (locations.length === 1) defaultLocationId = locations[0].id
  }
  return {
    allowNegativeQuantities: s.allowNegativeQuantities,
    adjustInventory: s.adjustInventory,
    unsentOrderStatuses: s.unsentOrderStatuses,
    unsentOrderCutoffDays: s.unsentOrderCutoffDays,
    activeCartCutoffDays: s.activeCartCutoffDays,
    locations: s.locations,
    defaultLocationId,
  }
}
