import { getHeapStatistics, setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"

/**
 * Keeps a long export from swelling the store's memory.
 *
 * What a product export batch reads through Medusa's modules (entities,
 * their metadata, the query results) outlives a few young-generation
 * collections and is promoted to the old generation, where it dies once the
 * batch is settled. V8 collects the old generation lazily: on a server with
 * memory to spare it lets that garbage pile up to several times the live
 * heap before its first full collection (measured: 20,000 SKUs left 476 MB
 * in the old generation without a single full collection, while the heap
 * after one was 8 MB above its start; `npm run bench -- product-export`).
 * The process's RSS follows, and stays up.
 *
 * So the export checks, between pages and batches, how far the heap has
 * grown since the last full collection, and runs one when the growth passes
 * the budget. A full collection of a heap this size pauses the process
 * for about a tenth of a second, once every four to five thousand SKUs; it
 * only ever runs while an export is under way. ORDERFLOW_HEAP_BUDGET_MB sets the budget (default
 * 128), 0 turns the check off (V8 then collects as it sees fit, as when
 * `--max-old-space-size` caps the heap).
 */
export const DEFAULT_HEAP_BUDGET_MB = 128

/** The budget in bytes from ORDERFLOW_HEAP_BUDGET_MB: 0 (off), or the default when unset or not a number. */
export function heapBudgetBytes(value = process.env.ORDERFLOW_HEAP_BUDGET_MB): number {
  const mb = value === undefined || value.trim() === "" ? DEFAULT_HEAP_BUDGET_MB : Number(value)
  if (!Number.isFinite(mb) || mb < 0) return DEFAULT_HEAP_BUDGET_MB * 1024 * 1024
  return Math.round(mb * 1024 * 1024)
}

let collector: (() => void) | null | undefined
/** V8's own full collection, without asking the merchant to start Node with --expose-gc. */
function fullCollection(): (() => void) | null {
  if (collector === undefined) {
    try {
      setFlagsFromString("--expose-gc")
      collector = runInNewContext("gc") as () => void
    } catch {
      collector = null
    }
  }
  return collector
}

/** The heap in use after the last full collection this module ran (or the least seen since). */
let baseline: number | null = null

export type HeapCheck = { collected: boolean; used_mb: number; after_mb?: number }

/**
 * One check: runs a full collection when the heap in use has grown more
 * than the budget since the last one. Cheap when it does not (one call to
 * V8's heap statistics).
 */
export function keepHeapWithinBudget(budget = heapBudgetBytes()): HeapCheck {
  const used = getHeapStatistics().used_heap_size
  const result: HeapCheck = { collected: false, used_mb: Math.round(used / 1048576) }
  if (budget <= 0) return result
  // A collection V8 ran by itself lowers the mark.
  if (baseline === null || used < baseline) {
    baseline = used
    return result
  }
  if (used - baseline < budget) return result
  const gc = fullCollection()
  if (!gc) return result
  gc()
  baseline = getHeapStatistics().used_heap_size
  return { ...result, collected: true, after_mb: Math.round(baseline / 1048576) }
}
