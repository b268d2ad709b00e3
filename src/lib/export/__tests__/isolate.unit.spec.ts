import { anySucceeded, CallFailure, maxIsolationCalls, sendIsolating, SendOutcome } from "../isolate"

const serverError: CallFailure = { message: "HTTP 500", status: 500, retry: "transient", code: "ORDERFLOW_HTTP_ERROR", answered: true }
const timeout: CallFailure = { message: "timed out", status: null, retry: "transient", code: "ORDERFLOW_TIMEOUT", answered: false }
const refused: CallFailure = { message: "HTTP 401", status: 401, retry: "permanent", code: "ORDERFLOW_UNAUTHORIZED", answered: true }

/** A peer that fails, with `failure`, every call containing one of `poison`. */
function peer(poison: string[], failure: CallFailure = serverError) {
  const seen: string[][] = []
  const send = async (ids: string[]): Promise<SendOutcome<string[]>> => {
    seen.push(ids)
    return ids.some((id) => poison.includes(id)) ? { ok: false, failure } : { ok: true, result: ids }
  }
  return { send, seen }
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `i${i}`)

describe("sendIsolating", () => {
  it("leaves the one poisoned item of 50 alone in its call, every other item in a call that went through, within 1 + 2·⌈log2 50⌉ calls", async () => {
    const { send } = peer(["i37"])
    const calls = await sendIsolating(ids(50), send, { isolate: true })
    expect(calls.length).toBeLessThanOrEqual(maxIsolationCalls(50))
    expect(maxIsolationCalls(50)).toBe(13)
    const leaves = calls.filter((c) => !c.split)
    const failedLeaves = leaves.filter((c) => !c.outcome.ok)
    expect(failedLeaves.map((c) => c.ids)).toEqual([["i37"]])
    const delivered = leaves.filter((c) => c.outcome.ok).flatMap((c) => c.ids)
    expect(delivered.sort()).toEqual(ids(50).filter((i) => i !== "i37").sort())
    expect(anySucceeded(calls)).toBe(true)
  })

  it("with two poisoned items in different halves isolates the first and leaves the other half failed as a whole (no success is claimed for it)", async () => {
    const { send } = peer(["i2", "i9"])
    const calls = await sendIsolating(ids(12), send, { isolate: true })
    const failedLeaves = calls.filter((c) => !c.split && !c.outcome.ok).map((c) => c.ids)
    expect(failedLeaves).toContainEqual(["i2"])
    expect(failedLeaves).toContainEqual(ids(12).slice(6))
    expect(calls.filter((c) => !c.split).flatMap((c) => c.ids).sort()).toEqual(ids(12).sort())
  })

  it("never splits a timeout or a permanent failure, nor without isolate: one call", async () => {
    for (const [failure, isolate] of [[timeout, true], [refused, true], [serverError, false]] as const) {
      const { send, seen } = peer(["i1"], failure)
      const calls = await sendIsolating(ids(8), send, { isolate })
      expect(seen).toHaveLength(1)
      expect(calls).toEqual([{ ids: ids(8), outcome: { ok: false, failure }, split: false }])
    }
  })

  it("an outage failing every call still stops after 1 + 2·⌈log2 n⌉ calls with nothing succeeded", async () => {
    const { send, seen } = peer(ids(50))
    const calls = await sendIsolating(ids(50), send, { isolate: true })
    expect(seen.length).toBe(13)
    expect(anySucceeded(calls)).toBe(false)
  })
})
