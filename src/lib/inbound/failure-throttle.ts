/**
 * Bookkeeping of failed inbound logins per client (address + username), in
 * this process's memory: after `limit` failures within `windowMs` the client
 * is throttled until the oldest of them leaves the window. Attempts still
 * being checked count as failures, so a burst that arrives at once cannot
 * start more than `limit` slow checks before the first one fails.
 *
 * Bounded: at most `maxKeys` clients are remembered; the least recently seen
 * is forgotten first, so a flood of distinct usernames or addresses costs a
 * fixed amount of memory (and at worst lets a forgotten client start again).
 */
export type FailureThrottleOptions = {
  limit?: number
  windowMs?: number
  maxKeys?: number
  /** The clock (milliseconds), injectable for tests. */
  now?: () => number
}

type Entry = { failures: number[]; pending: number }

export class FailureThrottle {
  readonly limit: number
  readonly windowMs: number
  readonly maxKeys: number
  protected readonly now_: () => number
  protected readonly entries_ = new Map<string, Entry>()

  constructor({ limit = 10, windowMs = 60_000, maxKeys = 10_000, now = Date.now }: FailureThrottleOptions = {}) {
    this.limit = limit
    this.windowMs = windowMs
    this.maxKeys = maxKeys
    this.now_ = now
  }

  /** Seconds until `key` may try again (0: not throttled). */
  retryAfterSeconds(key: string): number {
    const entry = this.entries_.get(key)
    if (!entry) return 0
    const recent = this.prune_(entry)
    if (recent.length + entry.pending < this.limit) return 0
    // In-flight checks alone (no recorded failure yet): they settle within a second.
    if (recent.length === 0) return 1
    // The oldest failure leaving the window frees one attempt.
    return Math.max(1, Math.ceil((recent[0] + this.windowMs - this.now_()) / 1000))
  }

  /** A slow check for `key` has started; settle it with `settle`. */
  begin(key: string): void {
    this.touch_(key).pending++
  }

  /** The slow check started by `begin` is over. */
  settle(key: string, failed: boolean): void {
    const entry = this.entries_.get(key)
    if (entry && entry.pending > 0) entry.pending--
    if (failed) this.fail(key)
  }

  /** Records a failed attempt for `key`. */
  fail(key: string): void {
    const entry = this.touch_(key)
    this.prune_(entry)
    entry.failures.push(this.now_())
    // Only the last `limit` failures decide anything.
    if (entry.failures.length > this.limit) entry.failures.splice(0, entry.failures.length - this.limit)
  }

  /** Number of clients remembered (for tests and monitoring). */
  get size(): number {
    return this.entries_.size
  }

  protected prune_(entry: Entry): number[] {
    const since = this.now_() - this.windowMs
    while (entry.failures.length && entry.failures[0] <= since) entry.failures.shift()
    return entry.failures
  }

  protected touch_(key: string): Entry {
    let entry = this.entries_.get(key)
    if (entry) {
      // Map order is insertion order: re-inserting marks it most recently seen.
      this.entries_.delete(key)
    } else {
      entry = { failures: [], pending: 0 }
    }
    this.entries_.set(key, entry)
    while (this.entries_.size > this.maxKeys) {
      const oldest = this.entries_.keys().next().value as string
      this.entries_.delete(oldest)
    }
    return entry
  }
}
