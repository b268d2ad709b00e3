import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { PreparedInventoryImport } from "./prepare-inventory-import-step"

export type RecordInventoryImportInput = {
  request_id: string
  message_seq_id: number
  plan: PreparedInventoryImport
}

/**
 * Last step: the import report, the new sequence ids and the request marked
 * processed, in one transaction. If it fails, the stock written by the
 * previous step is compensated, so stock and sequence ids change together.
 */
export const recordInventoryImportStep = createStep(
  "orderflow-record-inventory-import",
  async ({ request_id, message_seq_id, plan }: RecordInventoryImportInput, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const now = new Date()
    const applied = plan.lines.filter((l) => l.outcome === "applied").length
    const failed = plan.lines.filter((l) => l.outcome === "failed").length
    const { import_id } = await orderflow.recordImport({
      request_id,
      type: "inventory",
      message_seq_id,
      status: failed === 0 ? "success" : applied > 0 || failed < plan.lines.length ? "partial" : "failed",
      duration_ms: now.getTime() - new Date(plan.started_at).getTime(),
      lines: plan.lines.map((l) => ({
        sku: l.sku,
        source: l.source,
        location_id: l.locationId,
        inventory_item_id: l.inventoryItemId,
        received_qty: l.receivedQty,
        seq_id: l.seq,
        previous_seq_id: l.previousSeq,
        unsent_order_qty: l.unsentOrderQty,
        active_cart_qty: l.activeCartQty,
        reserved_qty: l.reservedQty,
        applied_qty: l.appliedQty,
        outcome: l.outcome,
        message: l.message,
      })),
      sequence_writes: plan.sequenceWrites,
      now,
    })
    const count = (o: string) => plan.lines.filter((l) => l.outcome === o).length
    return new StepResponse({
      import_id,
      lines: plan.lines.length,
      applied,
      stale: count("stale"),
      unknown_sku: count("unknown_sku"),
      failed,
    })
  }
)
