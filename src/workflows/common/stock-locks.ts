import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { randomUUID } from "node:crypto"

/**
 * Stock level locks (keys from `stockLockKeys`, src/lib/inventory), held
 * through Medusa's Locking module (in memory on one instance, Redis or
 * PostgreSQL in a cluster) from the read of a level's figures to the end of
 * the write, by inventory import and by shipment import.
 *
 * Keys are taken one at a time in the sorted order given, never all at once:
 * a holder only ever waits for a key greater than every key it holds, so
 * two holders cannot wait on each other (the Redis provider's own
 * multi-key acquire takes keys in parallel and can). A lock lives
 * STOCK_LOCK_TTL_SECONDS unless renewed; it is renewed every third of that
 * while held, so a worker killed mid-write frees its levels within seconds.
 *
 * A writer that finds a key taken waits in this process's queue for it: a
 * release here wakes the key's waiters at once, so the next writer of the
 * same process starts as the lock frees, not up to a back-off later (4
 * lanes over a store's few SKUs hand the same levels over all the time).
 * A release by another instance is seen by polling, with back-off growing
 * to STOCK_LOCK_POLL_MAX_MS. Every attempt is the provider's plain acquire,
 * which takes the key or fails at once, so nothing is left queued in the
 * provider after the deadline that could take a key late (Medusa's
 * `awaitQueue` does not give that: the in-memory provider's queued acquire
 * has no timeout and Redis's keeps polling, up to 1 s apart, until it gets the key).
 */
export const STOCK_LOCK_TTL_SECONDS = 15
/** How long a writer waits for levels another writer holds before its run fails (and is retried). */
export const STOCK_LOCK_WAIT_MS = 60_000

/** The longest pause between two tries for a key another instance holds. */
export const STOCK_LOCK_POLL_MAX_MS = 250

export type StockLocks = { owner: string; keys: string[] }

const renewals = new Map<string, NodeJS.Timeout>()

/** Writers of this process waiting for a key, woken when it is released here. */
const waiters = new Map<string, Set<() => void>>()

function wake(keys: string[]) {
  for (const key of keys) {
    const queue = waiters.get(key)
    if (!queue) continue
    waiters.delete(key)
    for (const resolve of queue) resolve()
  }
}

/**
 * A turn in the key's queue, taken before trying the key so a release between
 * a failed try and the wait is not missed: `wait` settles on a release of the
 * key here or after `ms`, whichever is first; `leave` gives the turn up.
 */
function queueFor(key: string) {
  let resolve!: () => void
  const woken = new Promise<void>((ok) => (resolve = ok))
  const queue = waiters.get(key) ?? new Set<() => void>()
  queue.add(resolve)
  waiters.set(key, queue)
  const leave = () => {
    const current = waiters.get(key)
    if (!current) return
    current.delete(resolve)
    if (!current.size) waiters.delete(key)
  }
  const wait = async (ms: number) => {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([woken, new Promise<void>((ok) => (timer = setTimeout(ok, ms)))])
    clearTimeout(timer)
    leave()
  }
  return { wait, leave }
}

function stopRenewal(owner: string) {
  const timer = renewals.get(owner)
  if (timer) clearInterval(timer)
  renewals.delete(owner)
}

/** Releases the locks (what releaseStockLocksStep does), waking this process's writers waiting for them. */
export async function releaseStockLocks(container: any, { owner, keys }: StockLocks) {
  stopRenewal(owner)
  if (!keys.length) return
  try {
    await container.resolve(Modules.LOCKING).release(keys, { ownerId: owner })
  } finally {
    wake(keys)
  }
}

export async function acquireStockLocks(container: any, keys: string[], owner = `orderflow-stock:${randomUUID()}`): Promise<StockLocks> {
  if (!keys.length) return { owner, keys }
  const locking = container.resolve(Modules.LOCKING)
  const deadline = Date.now() + STOCK_LOCK_WAIT_MS
  const held: string[] = []
  try {
    for (const key of keys) {
      let delay = 10
      for (;;) {
        const turn = queueFor(key)
        try {
          await locking.acquire(key, { ownerId: owner, expire: STOCK_LOCK_TTL_SECONDS })
          turn.leave()
          held.push(key)
          break
        } catch (e) {
          const left = deadline - Date.now()
          if (left <= 0) {
            turn.leave()
            throw new MedusaError(MedusaError.Types.CONFLICT, `stock levels are locked by another writer (${key}) for more than ${STOCK_LOCK_WAIT_MS / 1000} s: ${(e as Error).message}`)
          }
          await turn.wait(Math.min(left, delay * (0.5 + Math.random() / 2)))
          delay = Math.min(delay * 2, STOCK_LOCK_POLL_MAX_MS)
        }
      }
    }
  } catch (e) {
    await releaseStockLocks(container, { owner, keys: held }).catch(() => {})
    throw e
  }
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const timer = setInterval(() => {
    // Taking a key again as its owner extends it (both providers).
    locking.acquire(keys, { ownerId: owner, expire: STOCK_LOCK_TTL_SECONDS }).catch((e: Error) => {
      logger.warn(`OrderFlow: could not renew stock locks (${e.message}); the write in progress may lose them`)
    })
  }, (STOCK_LOCK_TTL_SECONDS * 1000) / 3)
  timer.unref?.()
  renewals.set(owner, timer)
  return { owner, keys }
}

/**
 * Takes the stock level locks named by `keys` (sorted, as stockLockKeys
 * returns them). Compensation releases them when a later step fails; on
 * success, releaseStockLocksStep does.
 */
export const acquireStockLocksStep = createStep(
  "orderflow-acquire-stock-locks",
  async ({ keys }: { keys: string[] }, { container }) => {
    const locks = await acquireStockLocks(container, keys)
    return new StepResponse<StockLocks, StockLocks>(locks, locks)
  },
  async (locks, { container }) => {
    if (locks) await releaseStockLocks(container, locks)
  }
)

/**
 * Releases the locks as soon as the writes they cover are done, which may be
 * before the workflow ends. Compensation takes them again, under the same
 * owner, for the compensations of the steps before it: undoing a locked
 * write (a fulfilment putting stock and reservations back) is a write of the
 * same levels, so it runs under the lock too; acquireStockLocksStep's
 * compensation then releases them.
 */
export const releaseStockLocksStep = createStep(
  "orderflow-release-stock-locks",
  async (locks: StockLocks, { container }) => {
    await releaseStockLocks(container, locks)
    return new StepResponse(true, locks)
  },
  async (locks, { container }) => {
    if (locks?.keys.length) await acquireStockLocks(container, locks.keys, locks.owner)
  }
)
