// Poison isolation for one export batch. When OrderFlow fails a whole
// `<imports>` call in a way that may come from one item in it (it answered:
// a 5xx, an `<error>` document, a body that is not an importResult), the
// batch is sent again in halves, and the failing half in halves again, down
// to single items: the item that makes OrderFlow fail is left alone in its
// call, its neighbours go through. Network failures and timeouts are never
// split (no item causes them), nor are permanent failures (credentials, URL).
//
// Bounded: each level sends both halves and goes down into one failing half
// only, so a batch of n items costs at most 1 + 2·⌈log2 n⌉ calls (13 for 50).

import type { RetryClass } from "../errors"

export type CallFailure = {
  message: string
  /** HTTP status when OrderFlow (or a proxy) answered. */
  status: number | null
  retry: RetryClass
  /** The error's code (lib/errors.ts), e.g. ORDERFLOW_API_ERROR for an `<error>` document. */
  code: string | null
  /** An answer was read (5xx, `<error>`, garbage): an item in the call may cause it. */
  answered: boolean
}

export type SendOutcome<R> = { ok: true; result: R } | { ok: false; failure: CallFailure }

export type IsolatedCall<R> = {
  /** The items of this call, in batch order. */
  ids: string[]
  outcome: SendOutcome<R>
  /** This call failed and its items were sent again in halves: history only, its items are settled by the later calls. */
  split: boolean
}

/** Would a failure of a call with `size` items be worth splitting? */
export function splittable(failure: CallFailure, size: number): boolean {
  return size > 1 && failure.answered && failure.retry === "transient"
}

/** Most calls one batch of `n` items may take. */
export function maxIsolationCalls(n: number): number {
  return n <= 1 ? 1 : 1 + 2 * Math.ceil(Math.log2(n))
}

/**
 * Sends `ids` as one call; with `isolate`, a splittable failure is followed
 * by the halves as described above. Returns every call made, in order.
 */
export async function sendIsolating<R>(
  ids: readonly string[],
  send: (ids: string[]) => Promise<SendOutcome<R>>,
  { isolate }: { isolate: boolean }
): Promise<Array<IsolatedCall<R>>> {
  const calls: Array<IsolatedCall<R>> = []
  const call = async (part: string[]) => {
    const entry: IsolatedCall<R> = { ids: part, outcome: await send(part), split: false }
    calls.push(entry)
    return entry
  }
  let failing = await call([...ids])
  while (isolate && !failing.outcome.ok && splittable(failing.outcome.failure, failing.ids.length)) {
    failing.split = true
    const middle = Math.ceil(failing.ids.length / 2)
    const first = await call(failing.ids.slice(0, middle))
    const second = await call(failing.ids.slice(middle))
    const next = [first, second].find((c) => !c.outcome.ok && splittable(c.outcome.failure, c.ids.length))
    if (!next) break
    failing = next
  }
  return calls
}

/** Did any call of the batch go through? Then OrderFlow works and a failing single item is to blame for its call. */
export function anySucceeded<R>(calls: ReadonlyArray<IsolatedCall<R>>): boolean {
  return calls.some((c) => c.outcome.ok)
}
