import { InventoryLevelWorkflowEvents, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { PreparedInventoryImport } from "./prepare-inventory-import-step"

/**
 * What the compensation needs, kept small: [inventory item, location, stocked
 * quantity before] per updated level, the ids of the levels created, and the
 * event group whose inventory-level events this step queued.
 */
export type InventoryLevelRestore = { restore: Array<[string, string, number]>; created: string[]; eventGroupId?: string }

async function restoreLevels(inventory: any, { restore, created }: InventoryLevelRestore) {
  if (restore.length) {
    await inventory.updateInventoryLevels(restore.map(([inventory_item_id, location_id, stocked_quantity]) => ({ inventory_item_id, location_id, stocked_quantity })))
  }
  if (created.length) await inventory.deleteInventoryLevels(created)
}

const EVENT_NAMES = [InventoryLevelWorkflowEvents.CREATED, InventoryLevelWorkflowEvents.UPDATED]

/**
 * Writes a group's stock levels through Medusa's inventory module: one
 * updateInventoryLevels call for every level that exists and one
 * createInventoryLevels call for the new ones, whatever the group's size.
 * The figures before are the plan's, read inside the stock lock (the fourth
 * field of each write), so no before-image is read again here (Medusa's
 * batchInventoryItemLevelsWorkflow reads one with an `$or` of every level,
 * which cost as much as the write itself). Compensation, when a later step
 * fails (the record, or a lost claim), puts those figures back and deletes
 * the levels created.
 *
 * It also queues the inventory-level.created / .updated events Medusa's batch
 * level workflow emits, in the run's event group as core-flows'
 * emitEventStep does (released only when the run succeeds; the compensation
 * clears them). Done here rather than in two emit steps: each step costs the
 * engine a copy of its input, and these are 5,000 ids a group.
 */
export const writeInventoryLevelsStep = createStep(
  "orderflow-write-inventory-levels",
  async ({ writes }: Pick<PreparedInventoryImport, "writes">, { container, eventGroupId }) => {
    const inventory = container.resolve(Modules.INVENTORY)
    const updates = writes.filter((w) => w[3] !== null)
    const creates = writes.filter((w) => w[3] === null)
    const level = ([inventory_item_id, location_id, stocked_quantity]: (typeof writes)[number]) => ({ inventory_item_id, location_id, stocked_quantity })
    const restore: InventoryLevelRestore = {
      restore: updates.map(([item, location, , previous]) => [item, location, previous ?? 0]),
      created: [],
    }
    const updated: Array<{ id: string }> = updates.length ? await inventory.updateInventoryLevels(updates.map(level)) : []
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
    const metadata = eventGroupId ? { eventGroupId } : {}
    const events = [
      ...created.map((l) => ({ name: InventoryLevelWorkflowEvents.CREATED, data: { id: l.id }, metadata })),
      ...updated.map((l) => ({ name: InventoryLevelWorkflowEvents.UPDATED, data: { id: l.id }, metadata })),
    ]
    if (events.length) {
      try {
        await container.resolve(Modules.EVENT_BUS).emit(events)
      } catch (e) {
        await restoreLevels(inventory, restore)
        throw e
      }
      restore.eventGroupId = eventGroupId
    }
    return new StepResponse<{ created: number; updated: number }, InventoryLevelRestore>({ created: created.length, updated: updated.length }, restore)
  },
  async (restore, { container }) => {
    if (!restore) return
    if (restore.eventGroupId) await container.resolve(Modules.EVENT_BUS).clearGroupedEvents(restore.eventGroupId, { eventNames: EVENT_NAMES })
    await restoreLevels(container.resolve(Modules.INVENTORY), restore)
  }
)
