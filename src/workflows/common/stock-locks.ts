import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { randomUUID } from "node:crypto"
import { setTimeout as sleep } from "node:timers/promises"

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
 */
export const STOCK_LOCK_TTL_SECONDS = 15
/** How long a writer waits for levels another writer holds before its run fails (and is retried). */
export const STOCK_LOCK_WAIT_MS = 60_000

export type StockLocks = { owner: string; keys: string[] }

const renewals = new Map<string, NodeJS.Timeout>()

function stopRenewal(owner: string) {
  const timer = renewals.get(owner)
  if (timer) clearInterval(timer)
  renewals.delete(owner)
}

async function releaseLocks(container: any, { owner, keys }: StockLocks) {
  stopRenewal(owner)
  if (!keys.length) return
  await container.resolve(Modules.LOCKING).release(keys, { ownerId: owner })
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
        try {
          await locking.acquire(key, { ownerId: owner, expire: STOCK_LOCK_TTL_SECONDS })
          held.push(key)
          break
        } catch (e) {
          if (Date.now() >= deadline) {
            throw new MedusaError(MedusaError.Types.CONFLICT, `stock levels are locked by another writer (${key}) for more than ${STOCK_LOCK_WAIT_MS / 1000} s: ${(e as Error).message}`)
          }
          await sleep(delay * (0.5 + Math.random() / 2))
          delay = Math.min(delay * 2, 250)
        }
      }
    }
  } catch (e) {
    await releaseLocks(container, { owner, keys: held }).catch(() => {})
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
    if (locks) await releaseLocks(container, locks)
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
    await releaseLocks(container, locks)
    return new StepResponse(true, locks)
  },
  async (locks, { container }) => {
    if (locks?.keys.length) await acquireStockLocks(container, locks.keys, locks.owner)
  }
)
