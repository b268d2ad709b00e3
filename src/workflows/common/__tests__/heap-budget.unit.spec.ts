import { DEFAULT_HEAP_BUDGET_MB, heapBudgetBytes, keepHeapWithinBudget } from "../heap-budget"

const MB = 1024 * 1024

/** Garbage that outlives young collections: held while the heap is measured, then dropped. */
function growHeap(mb: number): { drop: () => void } {
  let held: number[][] | null = []
  for (let i = 0; i < mb * 4; i++) held.push(new Array(32 * 1024).fill(i))
  return { drop: () => (held = null) }
}

describe("heap budget", () => {
  it("reads ORDERFLOW_HEAP_BUDGET_MB: unset or blank is the default, 0 turns it off, a number of MB is taken, nonsense falls back to the default", () => {
    expect(heapBudgetBytes(undefined)).toBe(DEFAULT_HEAP_BUDGET_MB * MB)
    expect(heapBudgetBytes(" ")).toBe(DEFAULT_HEAP_BUDGET_MB * MB)
    expect(heapBudgetBytes("0")).toBe(0)
    expect(heapBudgetBytes("64")).toBe(64 * MB)
    expect(heapBudgetBytes("lots")).toBe(DEFAULT_HEAP_BUDGET_MB * MB)
    expect(heapBudgetBytes("-5")).toBe(DEFAULT_HEAP_BUDGET_MB * MB)
  })

  it("runs a full collection once the heap has grown past the budget, and the garbage is gone after it", () => {
    keepHeapWithinBudget(8 * MB) // the mark
    const garbage = growHeap(32)
    garbage.drop()
    const check = keepHeapWithinBudget(8 * MB)
    expect(check.collected).toBe(true)
    expect(check.after_mb!).toBeLessThan(check.used_mb - 24)
    // Just after a collection the heap is at the mark: nothing to do.
    expect(keepHeapWithinBudget(8 * MB).collected).toBe(false)
  })

  it("leaves the heap to V8 while the growth is within the budget, and when the budget is 0", () => {
    keepHeapWithinBudget(1024 * MB)
    const garbage = growHeap(16)
    expect(keepHeapWithinBudget(1024 * MB).collected).toBe(false)
    expect(keepHeapWithinBudget(0).collected).toBe(false)
    garbage.drop()
  })
})
