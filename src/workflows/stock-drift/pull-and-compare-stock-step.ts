import { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { InventoryLine } from "../../lib/inbound"
import { planInventoryImport } from "../../lib/inventory/inventory-plan"
import { chunksOf, interpretInventoryPullReply } from "../../lib/inventory/inventory-pull"
import { compareStock, pulledAsLines } from "../../lib/inventory/stock-drift"
import { OperationInput } from "../common/operation"
import { orderflowClientFrom } from "../common/orderflow-client"
import { currentSettings, orderflowService } from "../common/settings"
import { importSettings } from "../import-inventory/inventory-import-operation"
import { loadInventoryFacts } from "../import-inventory/prepare-inventory-import-step"

export type StockDriftSummary = {
  /** OrderFlow sites pulled (null: the one default location, pulled without a site). */
  sites: Array<string | null>
  skus: number
  calls: number
  pulled: number
  compared: number
  matching: number
  differences: number
  /** Pulled SKUs Medusa does not stock, or on an unmapped site. */
  skipped: number
  /** Differences found that an admin ignored already, unchanged since: not opened again. */
  ignored: number
  /** Open differences after this report (older ones included), and the ones it found settled. */
  open: number
  resolved: number
}

/**
 * The drift report (issue 15; seed 002 "Inventory Pull"): for each mapped
 * site, OrderFlow's figure of every SKU Medusa stocks, asked for in chunks
 * of externalReferences (the seed has no paging); each figure planned
 * exactly as the inventory import would plan a pushed one (the same facts
 * loader: unsent orders, carts, reservations, site mapping) but without the
 * stored sequence ids, so nothing is stale; compared with Medusa's level.
 * Every pull completes before anything is written: a failed call fails the
 * run and leaves the previous report as it was. The differences go to our
 * own table only (no compensation: Medusa's data is not touched, and a
 * later report overwrites them); the step returns figures, not rows, so a
 * 20k-SKU report does not fill the stored workflow execution.
 */
export const pullAndCompareStockStep = createStep("orderflow-pull-and-compare-stock", async (_input: OperationInput, { container }) => {
  const settings = await currentSettings(container)
  const plan = await importSettings(container as MedusaContainer)
  const client = orderflowClientFrom(settings)
  const mapped = Object.keys(plan.locations)
  const sites: Array<string | null> = mapped.length ? mapped : [null]
  const items = await container.resolve(Modules.INVENTORY).listInventoryItems({}, { select: ["sku"], take: null })
  const skus = [...new Set(items.map((i) => i.sku).filter((s): s is string => !!s))].sort()
  // OrderFlow answers with its figure as of now, whatever tick the run stands for: orders exported after this are not in it.
  const now = new Date()
  const lines: InventoryLine[] = []
  let calls = 0
  for (const site of sites) {
    for (const chunk of chunksOf(skus, settings.stockDrift.chunkSize)) {
      const rows = interpretInventoryPullReply(await client.inventoryPull({ site: site ?? undefined, externalReferences: chunk }))
      calls++
      // The figure is for the site asked for; without a site it is the default location's.
      for (const line of pulledAsLines(rows, now)) lines.push({ ...line, index: lines.length, source: site })
    }
  }
  const facts = await loadInventoryFacts(container as MedusaContainer, lines, plan, now)
  const planned = planInventoryImport(lines, { ...facts, sequences: new Map() }, plan, now).lines
  const comparison = compareStock(planned, facts.levels)
  const compared = planned.filter((l) => l.outcome === "applied" && l.locationId).map((l) => ({ sku: l.sku, location_id: l.locationId as string }))
  const recorded = await orderflowService(container).recordStockDrift({ differences: comparison.differences, compared, now })
  return new StepResponse<StockDriftSummary>({
    sites,
    skus: skus.length,
    calls,
    pulled: lines.length,
    compared: compared.length,
    matching: comparison.matching,
    differences: comparison.differences.length,
    skipped: comparison.skipped,
    ignored: recorded.ignored,
    open: recorded.open,
    resolved: recorded.resolved,
  })
})
