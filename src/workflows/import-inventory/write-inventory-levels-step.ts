import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { LevelWrite } from "../../lib/inventory/inventory-plan"

export type WriteInventoryLevelsInput = { writes: LevelWrite[] }

/** What the write did, for the events: ids of the levels created and updated. */
export type WrittenInventoryLevels = { created: string[]; updated: string[] }

/**
 * What the compensation needs, kept small (it is stored with the workflow's
 * checkpoint): [inventory item, location, stocked quantity before] per
 * updated level, and the ids of the levels created.
 */
export type InventoryLevelRestore = { restore: Array<[string, string, number]>; created: string[] }

async function restoreLevels(inventory: any, { restore, created }: InventoryLevelRestore) {
  if (restore.length) {
    await inventory.updateInventoryLevels(restore.map(([inventory_item_id, location_id, stocked_quantity]) => ({ inventory_item_id, location_id, stocked_quantity })))
  }
  if (created.length) await inventory.deleteInventoryLevels(created)
}

/**
 * Writes a group's stock levels through Medusa's inventory module: one
 * updateInventoryLevels call for every level that exists and one
 * createInventoryLevels call for the new ones, whatever the group's size.
 * The figures before are the plan's, read inside the stock lock
 * (LevelWrite.previous_stocked_quantity), so no before-image is read again
 * here (Medusa's batchInventoryItemLevelsWorkflow reads one with an `$or` of
 * every level, which cost as much as the write itself). Compensation, when a
 * later step fails (the record, or a lost claim), puts those figures back
 * and deletes the levels created.
 */
export const writeInventoryLevelsStep = createStep(
  "orderflow-write-inventory-levels",
  async ({ writes }: WriteInventoryLevelsInput, { container }) => {
    const inventory = container.resolve(Modules.INVENTORY)
    const updates = writes.filter((w) => !w.create)
    const creates = writes.filter((w) => w.create)
    const level = (w: LevelWrite) => ({ inventory_item_id: w.inventory_item_id, location_id: w.location_id, stocked_quantity: w.stocked_quantity })
    const restore: InventoryLevelRestore = {
      restore: updates.map((w) => [w.inventory_item_id, w.location_id, w.previous_stocked_quantity ?? 0]),
      created: [],
    }
    const updated = updates.length ? await inventory.updateInventoryLevels(updates.map(level)) : []
    let created: Array<{ id: string }> = []
    if (creates.length) {
      try {
        created = await inventory.createInventoryLevels(creates.map(level))
      } catch (e) {
        // This step failed, so its compensation will not run: undo the updates here.
        await restoreLevels(inventory, restore)
        throw e
      }
    }
    restore.created = created.map((l) => l.id)
    return new StepResponse<WrittenInventoryLevels, InventoryLevelRestore>(
      { created: created.map((l) => l.id), updated: updated.map((l: { id: string }) => l.id) },
      restore
    )
  },
  async (restore, { container }) => {
    if (!restore) return
    await restoreLevels(container.resolve(Modules.INVENTORY), restore)
  }
)
