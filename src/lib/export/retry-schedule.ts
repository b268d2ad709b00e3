// The one retry policy (STYLE habit 9). A record whose call to OrderFlow
// failed transiently stays in the queue with `attempts` and `next_attempt_at`;
// nothing retries inside the HTTP client. Exponential back-off with full
// jitter spreads the retries of a whole failed batch so that they do not hit a
// recovering OrderFlow at the same moment; the floor stops a near-zero random
// draw from retrying at once.

export type RetryPolicy = {
  /** Upper bound of the first delay. */
  baseDelayMs: number
  /** Upper bound of any delay. */
  maxDelayMs: number
  /** No retry happens sooner than this after a failure. */
  minDelayMs: number
  /** After this many failed attempts the record is failed for good (alert an administrator). */
  maxAttempts: number
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  baseDelayMs: 60_000,
  maxDelayMs: 3_600_000,
  minDelayMs: 5_000,
  maxAttempts: 5,
})

/** The largest delay the policy allows after `attempts` failures: min(max, base · 2^(attempts−1)). */
export function backoffCeilingMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const exponent = Math.max(0, Math.floor(attempts) - 1)
  return Math.max(policy.minDelayMs, Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent))
}

/**
 * When to try again after the `attempts`-th failed attempt (1 for the first
 * failure). `random` returns a number in [0, 1), like Math.random.
 */
export function nextAttemptAt(args: {
  attempts: number
  now: Date
  policy?: RetryPolicy
  random: () => number
}): Date {
  const policy = args.policy ?? DEFAULT_RETRY_POLICY
  const draw = args.random()
  if (!(draw >= 0 && draw < 1)) throw new RangeError(`random() must return a number in [0, 1), got ${draw}`)
  const delay = Math.max(policy.minDelayMs, Math.floor(draw * backoffCeilingMs(args.attempts, policy)))
  return new Date(args.now.getTime() + delay)
}

/** True once `attempts` failed attempts have used up the policy: stop retrying, record as failed. */
export function isExhausted(attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean {
  return attempts >= policy.maxAttempts
}

/** The one retry policy, from the admin's settings (`retry` group). */
export function retryPolicyFrom(settings: { retry: { baseDelaySeconds: number; maxDelaySeconds: number; maxAttempts: number } }): RetryPolicy {
  const base = settings.retry.baseDelaySeconds * 1000
  return {
    baseDelayMs: base,
    maxDelayMs: settings.retry.maxDelaySeconds * 1000,
    minDelayMs: Math.min(5000, base),
    maxAttempts: settings.retry.maxAttempts,
  }
}
