import { backoffCeilingMs, DEFAULT_RETRY_POLICY, isExhausted, nextAttemptAt, RetryPolicy, retryPolicyFrom } from "../retry-schedule"

const now = new Date("2025-01-01T00:00:00.000Z")
const delayOf = (attempts: number, draw: number, policy?: RetryPolicy): number =>
  nextAttemptAt({ attempts, now, policy, random: () => draw }).getTime() - now.getTime()

describe("retry schedule", () => {
  it("doubles the ceiling from the base delay up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => backoffCeilingMs(n))).toEqual([
      60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000,
    ])
  })

  it("never lowers the ceiling as attempts grow, even far beyond the cap", () => {
    let previous = 0
    for (let attempts = 1; attempts <= 2000; attempts++) {
      const ceiling = backoffCeilingMs(attempts)
      expect(ceiling).toBeGreaterThanOrEqual(previous)
      expect(ceiling).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs)
      previous = ceiling
    }
  })

  it("draws the delay uniformly below the ceiling (full jitter)", () => {
    expect(delayOf(1, 0.5)).toBe(30_000)
    expect(delayOf(3, 0.25)).toBe(60_000)
    expect(delayOf(10, 0.5)).toBe(1_800_000)
    expect(delayOf(10, 0.9999999)).toBe(3_599_999)
  })

  it("never retries sooner than the minimum delay", () => {
    expect(delayOf(1, 0)).toBe(5_000)
    expect(delayOf(1, 0.01)).toBe(5_000)
    expect(delayOf(1, 0.1)).toBe(6_000)
  })

  it("stays within [min, ceiling] for many draws", () => {
    let seed = 42
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed / 2147483648
    }
    for (let attempts = 1; attempts <= 12; attempts++) {
      for (let i = 0; i < 200; i++) {
        const delay = nextAttemptAt({ attempts, now, random }).getTime() - now.getTime()
        expect(delay).toBeGreaterThanOrEqual(DEFAULT_RETRY_POLICY.minDelayMs)
        expect(delay).toBeLessThanOrEqual(backoffCeilingMs(attempts))
      }
    }
  })

  it("treats attempts below 1 as the first failure and leaves `now` untouched", () => {
    const before = now.getTime()
    expect(delayOf(0, 0.5)).toBe(30_000)
    expect(now.getTime()).toBe(before)
  })

  it("follows a custom policy", () => {
    const policy: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 4_000, minDelayMs: 100, maxAttempts: 3 }
    expect([1, 2, 3, 4].map((n) => delayOf(n, 0.5, policy))).toEqual([500, 1_000, 2_000, 2_000])
    expect(isExhausted(2, policy)).toBe(false)
    expect(isExhausted(3, policy)).toBe(true)
  })

  it("is exhausted after maxAttempts failures", () => {
    expect([1, 4, 5, 6].map((n) => isExhausted(n))).toEqual([false, false, true, true])
  })

  it.each([1, -0.1, NaN])("refuses random() = %p", (draw) => {
    expect(() => delayOf(1, draw)).toThrow(RangeError)
  })

  it("retryPolicyFrom turns the retry settings (seconds) into the policy (ms), with a floor of at most 5 s", () => {
    expect(retryPolicyFrom({ retry: { baseDelaySeconds: 60, maxDelaySeconds: 3600, maxAttempts: 5 } })).toEqual({
      baseDelayMs: 60_000,
      maxDelayMs: 3_600_000,
      minDelayMs: 5_000,
      maxAttempts: 5,
    })
    expect(retryPolicyFrom({ retry: { baseDelaySeconds: 2, maxDelaySeconds: 10, maxAttempts: 2 } }).minDelayMs).toBe(2_000)
  })
})
