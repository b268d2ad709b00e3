import { FailureThrottle } from "../failure-throttle"
import { InboundLoginGuard } from "../login-guard"

/** A stand-in for scrypt: a hash "h:<password>", and a count of slow checks. */
function slowVerifier() {
  const calls: string[] = []
  return {
    calls,
    verify: async (password: string, hash: string) => {
      calls.push(password)
      return hash === `h:${password}`
    },
  }
}

const creds = (...passwords: string[]) => ({ username: "orderflow", hashes: passwords.map((p) => `h:${p}`) })

describe("inbound login guard", () => {
  it("after 10 failures answers bad attempts with 429 and Retry-After without running the slow check", async () => {
    const v = slowVerifier()
    const guard = new InboundLoginGuard({ verify: v.verify, throttle: new FailureThrottle({ now: () => 0 }) })
    for (let i = 0; i < 10; i++) {
      const outcome = await guard.checkPassword("10.0.0.1", "orderflow", `guess-${i}`, creds("right"))
      expect(outcome).toMatchObject({ ok: false, status: 401 })
    }
    const slowBefore = v.calls.length
    for (let i = 0; i < 100; i++) {
      const outcome = await guard.checkPassword("10.0.0.1", "orderflow", `more-${i}`, creds("right"))
      expect(outcome).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 60 })
    }
    expect(v.calls.length).toBe(slowBefore)
  })

  it("serves the right password from a throttled address once it has been verified, without a slow check", async () => {
    const v = slowVerifier()
    const guard = new InboundLoginGuard({ verify: v.verify, throttle: new FailureThrottle({ now: () => 0 }) })
    expect(await guard.checkPassword("10.0.0.9", "orderflow", "right", creds("right"))).toEqual({ ok: true, via: "password" })
    for (let i = 0; i < 20; i++) await guard.checkPassword("10.0.0.1", "orderflow", `guess-${i}`, creds("right"))
    const slowBefore = v.calls.length
    expect(await guard.checkPassword("10.0.0.1", "orderflow", "right", creds("right"))).toEqual({ ok: true, via: "password" })
    expect(await guard.checkPassword("10.0.0.1", "orderflow", "wrong", creds("right"))).toMatchObject({ status: 429 })
    expect(v.calls.length).toBe(slowBefore)
  })

  it("once the password is known, refuses wrong ones without any slow check even before the throttle engages", async () => {
    const v = slowVerifier()
    const guard = new InboundLoginGuard({ verify: v.verify })
    await guard.checkPassword("a", "orderflow", "right", creds("right"))
    expect(v.calls).toEqual(["right"])
    expect(await guard.checkPassword("b", "orderflow", "wrong", creds("right"))).toMatchObject({ status: 401 })
    expect(await guard.checkPassword("b", "root", "right", creds("right"))).toMatchObject({ status: 401 })
    expect(v.calls).toEqual(["right"])
  })

  it("refuses a password at once when its hash is no longer among the accepted ones (changed password)", async () => {
    const v = slowVerifier()
    const guard = new InboundLoginGuard({ verify: v.verify })
    expect(await guard.checkPassword("a", "orderflow", "old", creds("old"))).toMatchObject({ ok: true })
    expect(await guard.checkPassword("a", "orderflow", "old", creds("new"))).toMatchObject({ ok: false, status: 401 })
  })

  it("accepts both the current and the previous password during a rotation", async () => {
    const guard = new InboundLoginGuard({ verify: slowVerifier().verify })
    expect(await guard.checkPassword("a", "orderflow", "new", creds("new", "old"))).toMatchObject({ ok: true })
    expect(await guard.checkPassword("a", "orderflow", "old", creds("new", "old"))).toMatchObject({ ok: true })
    expect(await guard.checkPassword("a", "orderflow", "old", creds("new"))).toMatchObject({ ok: false })
  })

  it("runs at most maxSlowChecks slow checks at once; the rest get 429 Retry-After 1", async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let running = 0
    const guard = new InboundLoginGuard({
      maxSlowChecks: 2,
      verify: async () => {
        running++
        await gate
        return false
      },
    })
    const pending = Array.from({ length: 5 }, (_, i) => guard.checkPassword(`10.0.0.${i}`, "orderflow", `x${i}`, creds("right")))
    const early = await Promise.race([Promise.all(pending.slice(2)), new Promise((r) => setTimeout(() => r("timeout"), 50))])
    expect(early).toEqual(Array(3).fill({ ok: false, status: 429, reason: expect.any(String), retryAfterSeconds: 1 }))
    expect(running).toBe(2)
    release()
    expect((await Promise.all(pending.slice(0, 2))).map((o) => (o.ok ? 200 : o.status))).toEqual([401, 401])
  })

  it("serves five requests arriving together with the same right password with one slow check, even with maxSlowChecks 1", async () => {
    const v = slowVerifier()
    const guard = new InboundLoginGuard({ maxSlowChecks: 1, verify: v.verify })
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => guard.checkPassword("10.0.0.1", "orderflow", "right", creds("right"))))
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true, true])
    expect(v.calls).toEqual(["right"])
  })

  it("re-checks a remembered API key on every request and refuses it once revoked", async () => {
    const guard = new InboundLoginGuard({ verify: slowVerifier().verify })
    let revoked = false
    let slow = 0
    const checks = {
      authenticate: async (token: string) => {
        slow++
        return token === "sk_good" ? "apk_1" : null
      },
      keyStillValid: async () => !revoked,
    }
    expect(await guard.checkApiKey("a", "sk_good", checks)).toEqual({ ok: true, via: "api-key" })
    expect(await guard.checkApiKey("a", "sk_good", checks)).toEqual({ ok: true, via: "api-key" })
    expect(slow).toBe(1)
    revoked = true
    expect(await guard.checkApiKey("a", "sk_good", checks)).toMatchObject({ ok: false, status: 401, reason: "Invalid API key" })
  })
})

describe("inbound login guard, early refusal", () => {
  it("refuses a throttled client's unknown password before any read, and lets a verified password through", async () => {
    const guard = new InboundLoginGuard({ verify: slowVerifier().verify, throttle: new FailureThrottle({ now: () => 0 }) })
    await guard.checkPassword("x", "orderflow", "right", creds("right"))
    expect(guard.refuseEarly("10.0.0.1", "orderflow", "guess")).toBeNull()
    for (let i = 0; i < 10; i++) await guard.checkPassword("10.0.0.1", "orderflow", `guess-${i}`, creds("right"))
    expect(guard.refuseEarly("10.0.0.1", "orderflow", "guess")).toMatchObject({ status: 429 })
    expect(guard.refuseEarly("10.0.0.1", "orderflow", "right")).toBeNull()
  })
})
