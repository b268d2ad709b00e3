import { MedusaError, Modules } from "@medusajs/framework/utils"
import { InMemoryLockingProvider } from "@medusajs/locking/dist/providers/in-memory"
import { acquireStockLocks, releaseStockLocks, STOCK_LOCK_WAIT_MS } from "../stock-locks"

// Medusa's in-memory locking provider (the single-instance default) behind a
// container that resolves it, with fake timers: a back-off pause or the
// deadline only passes when the test moves the clock.
function store() {
  const locking = new InMemoryLockingProvider()
  const logger = { warn: jest.fn() }
  const container = { resolve: (key: string) => (key === Modules.LOCKING ? locking : logger) }
  return { locking, container }
}

/** Lets pending promise callbacks run without moving the clock. */
const settle = () => jest.advanceTimersByTimeAsync(0)

describe("stock locks", () => {
  beforeEach(() => jest.useFakeTimers())
  afterEach(() => jest.useRealTimers())

  it("a writer waiting for a level takes it when another writer of the process releases it, before its back-off pause ends", async () => {
    const { container } = store()
    const first = await acquireStockLocks(container, ["level:a", "level:b"], "first")
    let second: { owner: string; keys: string[] } | null = null
    const waiting = acquireStockLocks(container, ["level:b"], "second").then((l) => (second = l))
    await settle()
    expect(second).toBeNull()
    // Past the first pauses, into the long ones (up to 250 ms).
    await jest.advanceTimersByTimeAsync(400)
    expect(second).toBeNull()
    await releaseStockLocks(container, first)
    await settle()
    expect(second).toEqual({ owner: "second", keys: ["level:b"] })
    await waiting
    await releaseStockLocks(container, second!)
  })

  it("a writer still waiting at the deadline fails with CONFLICT and holds nothing then or later, not even the key it waited for", async () => {
    const { container, locking } = store()
    const holder = await acquireStockLocks(container, ["level:b"], "holder")
    const waiting = acquireStockLocks(container, ["level:a", "level:b"], "late")
    const failed = expect(waiting).rejects.toMatchObject({ type: MedusaError.Types.CONFLICT })
    await jest.advanceTimersByTimeAsync(STOCK_LOCK_WAIT_MS + 1000)
    await failed
    // The key it had taken first is free again.
    await expect(locking.acquire("level:a", { ownerId: "third" })).resolves.toBeUndefined()
    // And the key it waited for is not taken by it once the holder lets go.
    await releaseStockLocks(container, holder)
    await jest.advanceTimersByTimeAsync(1000)
    await expect(locking.acquire("level:b", { ownerId: "third" })).resolves.toBeUndefined()
  })

  it("writers of overlapping levels all get them in turn, one at a time", async () => {
    const { container } = store()
    const order: string[] = []
    const writer = async (name: string, keys: string[]) => {
      const locks = await acquireStockLocks(container, keys, name)
      order.push(`${name} in`)
      await new Promise((r) => setTimeout(r, 50))
      order.push(`${name} out`)
      await releaseStockLocks(container, locks)
    }
    const all = Promise.all([writer("w1", ["a", "b"]), writer("w2", ["b", "c"]), writer("w3", ["a", "c"])])
    await jest.advanceTimersByTimeAsync(1000)
    await all
    expect(order).toHaveLength(6)
    // Each writer is out before the next is in: every pair shares a level.
    for (let i = 0; i < 6; i += 2) expect(order[i].split(" ")[0]).toBe(order[i + 1].split(" ")[0])
  })
})
