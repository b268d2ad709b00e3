// Faults on demand. Two ways to ask for them, because tests need certainty
// and soak runs need noise:
//   - scripted: "the next N requests (matching a path) get fault X", consumed in order;
//   - rates: each request rolls the seeded PRNG.
// Inbound faults hit the OrderFlow API routes only, never /_sim/.
// Push faults (duplicates, out-of-order delivery) are applied by push.ts.

import type { Prng } from "./prng"
import { ControlError } from "./errors"

export const INBOUND_FAULTS = ["error", "timeout", "drop", "malformed", "html", "omit"] as const
export type InboundFaultKind = (typeof INBOUND_FAULTS)[number]

export interface InboundFaultRates {
  /** Probability of an HTTP 500/503 with an HTML body (request not applied). */
  errorRate?: number
  /** Status for rate errors; default a PRNG pick of 500 or 503. */
  errorStatus?: number
  /** Added before every answer: fixed, or [min, max] drawn from the PRNG. */
  latencyMs?: number | [number, number]
  /** Probability of accepting the request and not answering within timeoutMs (then the socket is closed). */
  timeoutRate?: number
  timeoutMs?: number
  /** Whether a timed-out request was applied before the silence (default true: the dangerous case). */
  timeoutApplied?: boolean
  /** Probability of destroying the connection without an answer. */
  dropRate?: number
  /** Whether a dropped request was applied first (default false). */
  dropApplied?: boolean
  /** Probability of a truncated XML answer (request applied). */
  malformedRate?: number
  /** Probability of an HTML page with status 200 (request not applied). */
  htmlRate?: number
  /** Per import item: probability that it is applied but left out of importResult. */
  omitRate?: number
  /** Only routes whose path contains this text are affected. */
  path?: string
  /**
   * Poison: an `<imports>` call containing any of these externalReferences
   * fails as a whole — nothing in it applied — with an `<error>` document
   * (or, with poisonStatus, an HTML page with that HTTP status). Until cleared.
   */
  poisonReferences?: string[]
  poisonStatus?: number
}

export interface ScriptedFault {
  fault: InboundFaultKind
  /** How many matching requests get it (default 1). */
  count?: number
  /** Only requests whose route contains this text (e.g. "importitems", "cancel.xml"). */
  path?: string
  /** For "error": the status (default 500). */
  status?: number
  /** Whether the request is applied before the fault (defaults: see README). */
  applied?: boolean
  /** For "timeout": how long to stay silent before closing (default 30000). */
  timeoutMs?: number
  /** For "omit": the externalReferences left out of importResult (default: the last item). */
  omit?: string[]
}

export interface PushFaults {
  /** Probability that a message is delivered twice. */
  duplicateRate?: number
  /** The next N messages are delivered twice (deterministic). */
  duplicateNext?: number
  /**
   * The next N messages are never delivered: failed at once, as if every
   * retry had failed (store down for hours). POST /_sim/deliveries/retry
   * sends them later.
   */
  giveUpNext?: number
  /** Messages are released in windows of this many, shuffled (out-of-order delivery); 0/1 = off. */
  shuffleWindow?: number
  /** How long an incomplete window waits for more messages before it is released (default 100 ms). */
  shuffleHoldMs?: number
  /** random (default, seeded) or reverse: each window is sent last-first, for tests that want a known order. */
  shuffleOrder?: "random" | "reverse"
}

export interface FaultSettings {
  inbound: InboundFaultRates
  next: ScriptedFault[]
  push: PushFaults
}

export interface FaultPatch {
  inbound?: InboundFaultRates
  next?: ScriptedFault[]
  push?: PushFaults
}

export interface FaultDecision {
  kind?: InboundFaultKind
  status: number
  applied: boolean
  timeoutMs: number
  latencyMs: number
  /** For imports: which items to leave out of importResult. */
  omit?: { rate?: number; refs?: string[]; last?: boolean }
}

const DEFAULT_APPLIED: Record<InboundFaultKind, boolean> = {
  error: false,
  html: false,
  drop: false,
  timeout: true,
  malformed: true,
  omit: true,
}

export function emptyFaults(): FaultSettings {
  return { inbound: {}, next: [], push: {} }
}

function checkRate(name: string, value: unknown): void {
  if (value === undefined) return
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw new ControlError(`${name} must be a number between 0 and 1`)
}

export class Faults {
  settings: FaultSettings = emptyFaults()

  constructor(
    private readonly inboundPrng: Prng,
    private readonly pushPrng: Prng
  ) {}

  /** Merges rates and push settings; scripted faults are appended to the queue. */
  set(patch: FaultPatch): FaultSettings {
    for (const [k, v] of Object.entries(patch.inbound ?? {})) if (k.endsWith("Rate")) checkRate(`inbound.${k}`, v)
    checkRate("push.duplicateRate", patch.push?.duplicateRate)
    for (const f of patch.next ?? []) {
      if (!INBOUND_FAULTS.includes(f.fault)) throw new ControlError(`Unknown fault '${f.fault}' (one of ${INBOUND_FAULTS.join(", ")})`)
      if (f.count !== undefined && (!Number.isInteger(f.count) || f.count < 1)) throw new ControlError("count must be a positive integer")
      if (f.fault === "omit" && f.applied === false) throw new ControlError("an omit fault always applies the request (it only hides items of the answer)")
    }
    this.settings = {
      inbound: { ...this.settings.inbound, ...(patch.inbound ?? {}) },
      next: [...this.settings.next, ...(patch.next ?? []).map((f) => ({ ...f, count: f.count ?? 1 }))],
      push: { ...this.settings.push, ...(patch.push ?? {}) },
    }
    return this.settings
  }

  clear(): void {
    this.settings = emptyFaults()
  }

  private latency(): number {
    const l = this.settings.inbound.latencyMs
    if (l === undefined) return 0
    if (Array.isArray(l)) return this.inboundPrng.int(l[0], l[1])
    return l
  }

  /** Decides what happens to one request on an OrderFlow route. */
  decide(route: string): FaultDecision {
    const latencyMs = this.latency()
    const scripted = this.settings.next.find((f) => !f.path || route.includes(f.path))
    if (scripted) {
      scripted.count = (scripted.count ?? 1) - 1
      if (scripted.count <= 0) this.settings.next = this.settings.next.filter((f) => f !== scripted)
      return {
        kind: scripted.fault,
        status: scripted.status ?? (scripted.fault === "error" ? 500 : 200),
        applied: scripted.applied ?? DEFAULT_APPLIED[scripted.fault],
        timeoutMs: scripted.timeoutMs ?? 30000,
        latencyMs,
        omit: scripted.fault === "omit" ? (scripted.omit ? { refs: scripted.omit } : { last: true }) : undefined,
      }
    }
    const r = this.settings.inbound
    const none: FaultDecision = { status: 200, applied: true, timeoutMs: 0, latencyMs }
    if (r.path && !route.includes(r.path)) return none
    const p = this.inboundPrng
    if (p.chance(r.dropRate)) return { ...none, kind: "drop", applied: r.dropApplied ?? false }
    if (p.chance(r.timeoutRate)) return { ...none, kind: "timeout", applied: r.timeoutApplied ?? true, timeoutMs: r.timeoutMs ?? 30000 }
    if (p.chance(r.errorRate)) {
      return { ...none, kind: "error", applied: false, status: r.errorStatus ?? (p.chance(0.5) ? 500 : 503) }
    }
    if (p.chance(r.htmlRate)) return { ...none, kind: "html", applied: false }
    if (p.chance(r.malformedRate)) return { ...none, kind: "malformed" }
    if (r.omitRate) return { ...none, omit: { rate: r.omitRate } }
    return none
  }

  /** For an omit decision: whether this item is left out of the result (consumes the inbound stream). */
  omitItem(decision: FaultDecision, reference: string | undefined, index: number, count: number): boolean {
    const o = decision.omit
    if (!o) return false
    if (o.refs) return reference !== undefined && o.refs.includes(reference)
    if (o.last) return index === count - 1
    return this.inboundPrng.chance(o.rate)
  }

  /** Where a malformed answer is cut: somewhere strictly inside the body. */
  truncateAt(length: number): number {
    if (length < 2) return 0
    return this.inboundPrng.int(1, Math.max(1, Math.floor(length * 0.8)))
  }

  /** Push side: whether a new message is to be delivered twice. */
  takeDuplicate(): boolean {
    const push = this.settings.push
    if (push.duplicateNext && push.duplicateNext > 0) {
      push.duplicateNext -= 1
      return true
    }
    return this.pushPrng.chance(push.duplicateRate)
  }

  /** Push side: whether a new message is given up without a delivery (giveUpNext). */
  takeGiveUp(): boolean {
    const push = this.settings.push
    if (push.giveUpNext && push.giveUpNext > 0) {
      push.giveUpNext -= 1
      return true
    }
    return false
  }

  get pushRandom(): Prng {
    return this.pushPrng
  }
}
