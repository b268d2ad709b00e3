import { FailureThrottle } from "../failure-throttle"

function clock(start = 1_000_000) {
  let t = start
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

describe("failure throttle", () => {
  it("throttles a client after 10 failures within a minute and names the seconds until the oldest leaves the window", () => {
    const c = clock()
    const throttle = new FailureThrottle({ now: c.now })
    for (let i = 0; i < 9; i++) {
      throttle.fail("ip|user")
      c.advance(1000)
    }
    expect(throttle.retryAfterSeconds("ip|user")).toBe(0)
    throttle.fail("ip|user")
    // The first failure was 9 s ago: it leaves the 60 s window in 51 s.
    expect(throttle.retryAfterSeconds("ip|user")).toBe(51)
    expect(throttle.retryAfterSeconds("ip|other-user")).toBe(0)
  })

  it("lets the client try again once failures are older than the window", () => {
    const c = clock()
    const throttle = new FailureThrottle({ now: c.now })
    for (let i = 0; i < 10; i++) throttle.fail("k")
    expect(throttle.retryAfterSeconds("k")).toBe(60)
    c.advance(60_001)
    expect(throttle.retryAfterSeconds("k")).toBe(0)
  })

  it("counts checks still in flight, so a burst cannot start more than the limit of slow checks", () => {
    const throttle = new FailureThrottle({ now: clock().now })
    for (let i = 0; i < 10; i++) throttle.begin("k")
    expect(throttle.retryAfterSeconds("k")).toBeGreaterThan(0)
    for (let i = 0; i < 10; i++) throttle.settle("k", false)
    expect(throttle.retryAfterSeconds("k")).toBe(0)
  })

  it("remembers at most maxKeys clients, forgetting the least recently seen", () => {
    const throttle = new FailureThrottle({ now: clock().now, maxKeys: 100 })
    for (let i = 0; i < 10; i++) throttle.fail("attacked")
    for (let i = 0; i < 5000; i++) {
      throttle.fail(`user-${i}`)
      if (i % 50 === 0) throttle.fail("attacked")
    }
    expect(throttle.size).toBe(100)
    expect(throttle.retryAfterSeconds("attacked")).toBeGreaterThan(0)
    expect(throttle.retryAfterSeconds("user-0")).toBe(0)
  })
})
