import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import { FailureThrottle } from "./failure-throttle"

/**
 * Decides an inbound login (HTTP Basic from OrderFlow) so that
 *  - a password change, an expired rotation password or a revoked API key
 *    takes effect on the next request: what is remembered is keyed by the
 *    stored hash (a new password has a new hash) or re-checked per request
 *    (an API key's revocation, through `keyStillValid`);
 *  - a flood of bad attempts costs no scrypt run once throttled, and the
 *    right password is still served from the same address (OrderFlow may sit
 *    behind the attacker's NAT).
 *
 * How: after one successful scrypt verification of a password against a
 * stored hash, an HMAC of that password under a random per-process key is
 * kept for that hash. A presented password is first compared with it (one
 * HMAC, constant time): equal means right, different means wrong, neither
 * needs scrypt. scrypt runs only while no HMAC is known for a hash (after a
 * restart or a password change), for clients not throttled, and at most
 * `maxSlowChecks` at a time in the process, so even a flood that changes
 * address per request cannot occupy more than that many cores' worth.
 * The HMAC never leaves memory; without the per-process key it is useless.
 */

export type LoginOutcome =
  | { ok: true; via: "password" | "api-key" }
  | { ok: false; status: 401 | 429; reason: string; retryAfterSeconds?: number }

export type InboundPasswords = {
  username: string
  /** scrypt hashes accepted now: the current password and, during a rotation, the previous one. */
  hashes: string[]
}

export type ApiKeyChecks = {
  /** Medusa's full check of a secret key (slow: scrypt); the key's id, or null. */
  authenticate: (token: string) => Promise<string | null>
  /** Cheap per-request check that a key verified before is still valid (not revoked or deleted). */
  keyStillValid: (id: string) => Promise<boolean>
}

export type LoginGuardOptions = {
  /** The slow, authoritative check of a password against a stored hash. */
  verify: (password: string, hash: string) => Promise<boolean>
  throttle?: FailureThrottle
  /** scrypt checks allowed at the same time in this process. */
  maxSlowChecks?: number
  /** Hashes / API keys remembered (bounded; the oldest is forgotten first). */
  maxRemembered?: number
}

export class InboundLoginGuard {
  readonly throttle: FailureThrottle
  protected readonly verify_: LoginGuardOptions["verify"]
  protected readonly maxSlowChecks_: number
  protected readonly maxRemembered_: number
  protected readonly fastKey_ = randomBytes(32)
  /** stored hash -> HMAC of the password verified against it */
  protected readonly verifiers_ = new Map<string, Buffer>()
  /** SHA-256 of an API key token -> the key's id */
  protected readonly keys_ = new Map<string, string>()
  protected slowChecks_ = 0
  /** Slow checks under way, by what they check: the same credentials presented again wait for the same check. */
  protected readonly inFlight_ = new Map<string, Promise<LoginOutcome>>()
  /** Slow (scrypt-class) checks run so far, for tests and the benchmark. */
  slowCheckCount = 0

  constructor({ verify, throttle = new FailureThrottle(), maxSlowChecks = 2, maxRemembered = 1000 }: LoginGuardOptions) {
    this.verify_ = verify
    this.throttle = throttle
    this.maxSlowChecks_ = maxSlowChecks
    this.maxRemembered_ = maxRemembered
  }

  /**
   * Before anything is read: a throttled client whose password matches no
   * password ever verified here (or whose API key was never verified) is
   * refused at once, so a flood costs neither scrypt nor a database read.
   * Anything else goes on to the full check.
   */
  refuseEarly(client: string, username: string, password: string): LoginOutcome | null {
    if (username.startsWith("sk_") && password === "") {
      const throttled = this.refuseIfThrottled_(`${client}\u0000sk_`)
      if (!throttled || this.keys_.has(createHash("sha256").update(username).digest("hex"))) return null
      this.throttle.fail(`${client}\u0000sk_`)
      return throttled
    }
    const key = `${client}\u0000${username}`
    const throttled = this.refuseIfThrottled_(key)
    if (!throttled) return null
    const presented = this.fingerprint_(password)
    for (const known of this.verifiers_.values()) if (timingSafeEqual(known, presented)) return null
    this.throttle.fail(key)
    return throttled
  }

  async checkPassword(client: string, username: string, password: string, expected: InboundPasswords): Promise<LoginOutcome> {
    const presented = this.fingerprint_(password)
    const userOk = sameText(username, expected.username)
    let unknown: string[] = []
    for (const hash of expected.hashes) {
      const known = this.verifiers_.get(hash)
      if (!known) unknown.push(hash)
      else if (userOk && timingSafeEqual(known, presented)) return { ok: true, via: "password" }
    }
    // A wrong username needs no scrypt: no password can make it right.
    if (!userOk) unknown = []
    const key = `${client}\u0000${username}`
    const throttled = this.refuseIfThrottled_(key)
    if (throttled) {
      this.throttle.fail(key)
      return throttled
    }
    if (unknown.length === 0) {
      this.throttle.fail(key)
      return wrongPassword
    }
    // OrderFlow's first pushes after a restart or a password change often come
    // in a burst with the same credentials: one scrypt run answers them all.
    return this.slowCheck_(`pw\u0000${presented.toString("hex")}\u0000${unknown.join(",")}`, key, async () => {
      for (const hash of unknown) {
        if (await this.verify_(password, hash)) {
          this.remember_(this.verifiers_, hash, presented)
          return { ok: true, via: "password" }
        }
      }
      return wrongPassword
    })
  }

  async checkApiKey(client: string, token: string, checks: ApiKeyChecks): Promise<LoginOutcome> {
    const tokenHash = createHash("sha256").update(token).digest("hex")
    const id = this.keys_.get(tokenHash)
    if (id !== undefined) {
      if (await checks.keyStillValid(id)) return { ok: true, via: "api-key" }
      this.keys_.delete(tokenHash)
    }
    // Every token from one address shares a budget: tokens are free to vary.
    const key = `${client}\u0000sk_`
    const throttled = this.refuseIfThrottled_(key)
    if (throttled) {
      this.throttle.fail(key)
      return throttled
    }
    if (id !== undefined) {
      this.throttle.fail(key)
      return invalidKey
    }
    return this.slowCheck_(`sk\u0000${tokenHash}`, key, async () => {
      const found = await checks.authenticate(token)
      if (!found) return invalidKey
      this.remember_(this.keys_, tokenHash, found)
      return { ok: true, via: "api-key" }
    })
  }

  /**
   * One slow check (scrypt class) of the credentials `flight` stands for:
   * a request presenting the same credentials meanwhile waits for the check
   * under way; otherwise at most maxSlowChecks run at once.
   */
  protected slowCheck_(flight: string, key: string, check: () => Promise<LoginOutcome>): Promise<LoginOutcome> {
    const same = this.inFlight_.get(flight)
    if (same) return this.alongside_(key, same)
    const busy = this.refuseIfBusy_()
    if (busy) return Promise.resolve(busy)
    const promise = this.slowly_(key, check).finally(() => this.inFlight_.delete(flight))
    this.inFlight_.set(flight, promise)
    return promise
  }

  /** A request waiting for the check of the same credentials: its outcome, a failure counted for this client too. */
  protected async alongside_(key: string, check: Promise<LoginOutcome>): Promise<LoginOutcome> {
    const outcome = await check
    if (!outcome.ok) this.throttle.fail(key)
    return outcome
  }

  protected async slowly_(key: string, check: () => Promise<LoginOutcome>): Promise<LoginOutcome> {
    this.slowChecks_++
    this.slowCheckCount++
    this.throttle.begin(key)
    let outcome: LoginOutcome = wrongPassword
    try {
      outcome = await check()
      return outcome
    } finally {
      this.slowChecks_--
      this.throttle.settle(key, !outcome.ok)
    }
  }

  protected refuseIfThrottled_(key: string): LoginOutcome | null {
    const retryAfterSeconds = this.throttle.retryAfterSeconds(key)
    if (!retryAfterSeconds) return null
    return {
      ok: false,
      status: 429,
      reason: `Too many failed logins from this address; try again in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    }
  }

  protected refuseIfBusy_(): LoginOutcome | null {
    if (this.slowChecks_ < this.maxSlowChecks_) return null
    return { ok: false, status: 429, reason: "Too many logins being checked; try again in 1 s", retryAfterSeconds: 1 }
  }

  protected fingerprint_(password: string): Buffer {
    return createHmac("sha256", this.fastKey_).update(password, "utf8").digest()
  }

  protected remember_<V>(map: Map<string, V>, key: string, value: V) {
    map.delete(key)
    map.set(key, value)
    while (map.size > this.maxRemembered_) map.delete(map.keys().next().value as string)
  }
}

const wrongPassword: LoginOutcome = { ok: false, status: 401, reason: "Invalid username or password" }
const invalidKey: LoginOutcome = { ok: false, status: 401, reason: "Invalid API key" }

function sameText(a: string, b: string) {
  const ha = createHash("sha256").update(a).digest()
  const hb = createHash("sha256").update(b).digest()
  return timingSafeEqual(ha, hb)
}
