import { planExportSettlement } from "../settle-plan"
import type { RetryPolicy } from "../retry-schedule"

const policy: RetryPolicy = { baseDelayMs: 60_000, maxDelayMs: 600_000, minDelayMs: 5_000, maxAttempts: 3 }
const now = new Date("2026-12-01T10:00:00Z")
const item = (id: string, attempts = 0) => ({ id, reference: id.toUpperCase(), entity_id: `e_${id}`, variant_id: `v_${id}`, attempts })
const sent = (...ids: string[]) => ids.map((id) => ({ id, reference: id.toUpperCase() }))
const plan = (args: Partial<Parameters<typeof planExportSettlement>[0]>) =>
  planExportSettlement({
    items: [],
    built: { document: "<imports/>", sent: [], rejected: [] },
    itemOutcomes: [],
    wholeError: null,
    policy,
    now,
    random: () => 0.5,
    ...args,
  })

describe("planExportSettlement", () => {
  it("success and duplicate reset attempts; a failure counts one with a back-off retry; the record is partial", () => {
    const p = plan({
      items: [item("a", 2), item("b"), item("c")],
      built: { document: "<imports/>", sent: sent("a", "b", "c"), rejected: [] },
      itemOutcomes: [
        { id: "a", reference: "A", outcome: "success", message: "ok", detail: null },
        { id: "b", reference: "B", outcome: "duplicate", message: "dup", detail: null },
        { id: "c", reference: "C", outcome: "failure", message: "bad channel", detail: "ref:channel" },
      ],
    })
    expect(p.status).toBe("partial")
    expect(p.outcomes.map((o) => [o.id, o.outcome, o.attempts])).toEqual([["a", "success", 0], ["b", "duplicate", 0], ["c", "failure", 1]])
    const c = p.outcomes.find((o) => o.id === "c")!
    expect(c.next_attempt_at!.getTime()).toBe(now.getTime() + 30_000)
    expect(c.detail).toBe("ref:channel")
    expect(p.finalFailures).toEqual([])
    expect(p.outageAlert).toBe(false)
  })

  it("the failure that uses up the policy is final: no retry time, listed for an alert", () => {
    const p = plan({
      items: [item("a", 2)],
      built: { document: "<imports/>", sent: sent("a"), rejected: [] },
      itemOutcomes: [{ id: "a", reference: "A", outcome: "failure", message: "no", detail: null }],
    })
    expect(p.outcomes[0]).toMatchObject({ outcome: "failure", attempts: 3, next_attempt_at: null })
    expect(p.finalFailures.map((f) => f.id)).toEqual(["a"])
    expect(p.status).toBe("failed")
  })

  it("a whole-call failure leaves every sent item missing with an attempt and back-off, never failed; the outage alert comes when an item reaches the maximum", () => {
    const first = plan({ items: [item("a"), item("b")], built: { document: "<imports/>", sent: sent("a", "b"), rejected: [] }, itemOutcomes: null, wholeError: "HTTP 503" })
    expect(first.status).toBe("failed")
    expect(first.outcomes.map((o) => [o.outcome, o.attempts, o.message])).toEqual([
      ["missing", 1, "request failed: HTTP 503"],
      ["missing", 1, "request failed: HTTP 503"],
    ])
    expect(first.outcomes.every((o) => o.next_attempt_at instanceof Date)).toBe(true)
    // Sent, unanswered: OrderFlow may have stored them (a later "duplicate" dates from this send).
    expect(first.outcomes.every((o) => o.maybe_received === true)).toBe(true)
    expect(first.finalFailures).toEqual([])
    expect(first.outageAlert).toBe(false)
    const third = plan({ items: [item("a", 2)], built: { document: "<imports/>", sent: sent("a"), rejected: [] }, itemOutcomes: null, wholeError: "HTTP 503" })
    expect(third.outcomes[0]).toMatchObject({ outcome: "missing", attempts: 3 })
    expect(third.outageAlert).toBe(true)
  })

  it("an item missing from importResult stays pending without an attempt; a claimed item left out of the document too", () => {
    const p = plan({
      items: [item("a", 1), item("b", 1)],
      built: { document: "<imports/>", sent: sent("a"), rejected: [] },
      itemOutcomes: [{ id: "a", reference: "A", outcome: "missing", message: "not mentioned", detail: null }],
      // (an answered call: nothing in it is "maybe received")
    })
    expect(p.outcomes.map((o) => [o.id, o.outcome, o.attempts, o.next_attempt_at])).toEqual([
      ["a", "missing", 1, null],
      ["b", "missing", 1, null],
    ])
    expect(p.outcomes[1].message).toBe("not included in the document")
  })

  it("items the build rejected fail with the build's reason, without a call", () => {
    const p = plan({
      items: [item("a")],
      built: { document: null, sent: [], rejected: [{ id: "a", reference: "A", message: "no image" }] },
      itemOutcomes: null,
    })
    expect(p.outcomes).toEqual([expect.objectContaining({ id: "a", outcome: "failure", message: "no image", attempts: 1 })])
    expect(p.status).toBe("failed")
  })
})
