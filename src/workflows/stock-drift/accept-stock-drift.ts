import { MedusaContainer } from "@medusajs/framework/types"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { InventoryUpdate } from "../../lib/inbound"
import { chunksOf } from "../../lib/inventory/inventory-pull"
import { entityIds } from "../../modules/orderflow/repositories/ids"
import type { StockDriftRow } from "../../modules/orderflow/repositories/stock-drift"
import { orderflowService } from "../common/settings"
import { GROUP_LINES } from "../import-inventory/inventory-import-operation"
import { receiveInboundMessageWorkflow } from "../receive-inbound-message"

export type CloseStockDriftInput = { ids: string[] | null; status: "accepted" | "ignored"; by: string | null }

/**
 * Closes the open differences named (all open ones without ids); rows
 * closed meanwhile by someone else are not returned, so two admins
 * accepting at once send one figure. Compensation opens them again.
 */
export const closeStockDriftStep = createStep(
  "orderflow-close-stock-drift",
  async (input: CloseStockDriftInput, { container }) => {
    const rows = await orderflowService(container).closeStockDrift({ ...input, now: new Date() })
    return new StepResponse(rows, rows.map((r) => r.id))
  },
  async (ids, { container }) => {
    if (ids?.length) await orderflowService(container).reopenStockDrift(ids)
  }
)

export type StoredAcceptedStock = { accepted: number; request_ids: string[] }

/**
 * "Accept OrderFlow's figure": the accepted rows become stock messages
 * stored through the same intake as a push (orderflow-receive-inbound-message:
 * stored, announced, applied by the inventory_import operation, recorded in
 * the import history). Each line carries OrderFlow's record id as its
 * sequence id and the message is marked `reapply`, so the figure is applied
 * again when that record is the one already applied, and is stale when a
 * newer push was applied since the pull: an accept never overwrites newer
 * stock. The key `inventory-drift:<id>` keeps these messages apart from
 * OrderFlow's numbered ones. Stored messages are never taken back (nothing
 * accepted is lost), so this step has no compensation and comes last.
 */
export const storeAcceptedStockStep = createStep("orderflow-store-accepted-stock", async (rows: StockDriftRow[], { container }) => {
  const orderflow = orderflowService(container)
  const request_ids: string[] = []
  for (const part of chunksOf(rows, GROUP_LINES)) {
    const [key] = entityIds("drift", 1)
    const update: InventoryUpdate = {
      messageSeqId: 0,
      format: "json",
      reapply: true,
      lines: part.map((r, index) => ({
        index,
        sku: r.sku,
        qty: Number(r.orderflow_qty),
        seq: Number(r.orderflow_inventory_id),
        source: r.site,
        lastOrderExported: new Date(r.last_seen_at).toISOString(),
      })),
    }
    const { result } = await receiveInboundMessageWorkflow(container as MedusaContainer).run({
      input: {
        type: "inventory",
        message_seq_id: null,
        dedupe_key: `inventory-drift:${key}`,
        content_type: "application/json",
        body: JSON.stringify(update),
        payload: update,
        line_count: update.lines.length,
        received_at: new Date().toISOString(),
        remote_address: "drift report (accepted OrderFlow's figure)",
        kind: "drift",
      },
    })
    await orderflow.linkStockDriftRequest(part.map((r) => r.id), result.id)
    request_ids.push(result.id)
  }
  return new StepResponse<StoredAcceptedStock>({ accepted: rows.length, request_ids })
})

/** Accepts OrderFlow's figure for the differences named, or every open one. */
export const acceptStockDriftWorkflow = createWorkflow("orderflow-accept-stock-drift", (input: { ids: string[] | null; by: string | null }) => {
  const rows = closeStockDriftStep(transform({ input }, ({ input }): CloseStockDriftInput => ({ ids: input.ids, status: "accepted", by: input.by })))
  const stored = storeAcceptedStockStep(rows)
  return new WorkflowResponse(stored)
})

/**
 * Ignores the differences named: closed, nothing sent. A later report finding
 * the same difference (same OrderFlow record, same Medusa figure) leaves it
 * ignored; any change to either opens it again.
 */
export const ignoreStockDriftWorkflow = createWorkflow("orderflow-ignore-stock-drift", (input: { ids: string[]; by: string | null }) => {
  const rows = closeStockDriftStep(transform({ input }, ({ input }): CloseStockDriftInput => ({ ids: input.ids, status: "ignored", by: input.by })))
  return new WorkflowResponse(rows)
})
