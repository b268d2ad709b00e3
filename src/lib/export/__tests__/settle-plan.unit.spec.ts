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
    failure: null,
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

  it("a transient whole-call failure leaves every sent item pending with back-off and its attempts untouched, however long the outage", () => {
    const outage = { message: "HTTP 503", status: 503, retry: "transient" as const, code: "ORDERFLOW_HTTP_ERROR", answered: true }
    const first = plan({ items: [item("a"), item("b", 2)], built: { document: "<imports/>", sent: sent("a", "b"), rejected: [] }, itemOutcomes: null, failure: outage })
    expect(first.status).toBe("failed")
    expect(first.outcomes.map((o) => [o.outcome, o.attempts, o.message])).toEqual([
      ["missing", 0, "request failed: HTTP 503"],
      ["missing", 2, "request failed: HTTP 503"],
    ])
    expect(first.outcomes.every((o) => o.next_attempt_at instanceof Date)).toBe(true)
    // Sent, unanswered by an importResult: OrderFlow may have stored them (a later "duplicate" dates from this send).
    expect(first.outcomes.every((o) => o.maybe_received === true)).toBe(true)
    expect(first.finalFailures).toEqual([])
    // The back-off grows with the endpoint's failures in a row, not with the item's attempts.
    const later = plan({ items: [item("a")], built: { document: "<imports/>", sent: sent("a"), rejected: [] }, itemOutcomes: null, failure: outage, endpointFailures: 4 })
    expect(later.outcomes[0]).toMatchObject({ outcome: "missing", attempts: 0 })
    expect(later.outcomes[0].next_attempt_at!.getTime()).toBe(now.getTime() + 240_000)
  })

  it("an <error> document for the whole call is not 'maybe received'; blamed on a single item whose neighbours went through, it is charged like an item failure", () => {
    const error = { message: "OrderFlow returned an error: bad order", status: 200, retry: "transient" as const, code: "ORDERFLOW_API_ERROR", answered: true }
    const unblamed = plan({ items: [item("a")], built: { document: "<imports/>", sent: sent("a"), rejected: [] }, itemOutcomes: null, failure: error })
    expect(unblamed.outcomes[0]).toMatchObject({ outcome: "missing", attempts: 0, maybe_received: false })
    const blamed = plan({ items: [item("a", 2)], built: { document: "<imports/>", sent: sent("a"), rejected: [] }, itemOutcomes: null, failure: error, blame: true })
    expect(blamed.outcomes[0]).toMatchObject({ outcome: "failure", attempts: 3, next_attempt_at: null, message: "OrderFlow fails every call that includes it: OrderFlow returned an error: bad order" })
    expect(blamed.finalFailures.map((f) => f.id)).toEqual(["a"])
  })

  it("a permanent whole-call failure (refused credentials) leaves items pending, uncharged, with no retry time of their own", () => {
    const refused = { message: "HTTP 401", status: 401, retry: "permanent" as const, code: "ORDERFLOW_UNAUTHORIZED", answered: true }
    const p = plan({ items: [item("a", 1)], built: { document: "<imports/>", sent: sent("a"), rejected: [] }, itemOutcomes: null, failure: refused, blame: true })
    expect(p.outcomes[0]).toMatchObject({ outcome: "missing", attempts: 1, next_attempt_at: null, message: "not sent: HTTP 401" })
    expect(p.outcomes[0].maybe_received).toBeUndefined()
    expect(p.finalFailures).toEqual([])
  })

  it("an item missing from importResult is charged an attempt with back-off and failed for good at the maximum; a claimed item left out of the document stays pending", () => {
    const p = plan({
      items: [item("a", 1), item("b", 1), item("c", 2)],
      built: { document: "<imports/>", sent: sent("a", "c"), rejected: [] },
      itemOutcomes: [
        { id: "a", reference: "A", outcome: "missing", message: "not mentioned", detail: null },
        { id: "c", reference: "C", outcome: "missing", message: "not mentioned", detail: null },
      ],
    })
    expect(p.outcomes.map((o) => [o.id, o.outcome, o.attempts, o.next_attempt_at === null])).toEqual([
      ["a", "missing", 2, false],
      ["c", "failure", 3, true],
      ["b", "missing", 1, true],
    ])
    expect(p.outcomes[1].message).toBe("OrderFlow's importResult never mentioned it (3 attempts)")
    expect(p.outcomes[2].message).toBe("not included in the document")
    expect(p.finalFailures.map((f) => f.id)).toEqual(["c"])
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
