import { describeRun, runCounts } from "../run-summary"

const exportRun = (over: Record<string, unknown>) => ({
  claimed: 6,
  sent: 6,
  exported: 6,
  duplicates: 0,
  failed: 0,
  calls: 1,
  export_id: "ofexp_1",
  error: null,
  gate: "normal",
  gate_reason: null,
  sweep: { mode: "changes", watermark: "2026-12-02T05:00:00.000Z" },
  ...over,
})

describe("describeRun", () => {
  it("says success with the non-zero counts, leaving out ids, gates and nested objects", () => {
    expect(describeRun({ status: "success", summary: exportRun({}), error: null })).toEqual({ tone: "success", label: "success", text: "claimed 6 · sent 6 · exported 6 · calls 1" })
  })

  it("calls a product batch's missing items 'retrying', as the order export does", () => {
    expect(runCounts({ sent: 6, missing: 6 })).toBe("sent 6 · retrying 6")
  })

  it("says 'nothing to do' for a run that had no work", () => {
    expect(describeRun({ status: "success", summary: exportRun({ claimed: 0, sent: 0, exported: 0, calls: 0 }), error: null })).toEqual({ tone: "success", label: "success", text: "nothing to do" })
    expect(runCounts(null)).toBe("nothing to do")
  })

  it("says 'call failed' with OrderFlow's answer when the export's call was refused, not success", () => {
    const v = describeRun({ status: "success", summary: exportRun({ exported: 0, error: "OrderFlow answered HTTP 401" }), error: null })
    expect(v).toEqual({ tone: "error", label: "call failed", text: "OrderFlow answered HTTP 401 (claimed 6 · sent 6 · calls 1)" })
  })

  it("says 'blocked' with the block's reason when the endpoint let nothing out", () => {
    const v = describeRun({ status: "success", summary: exportRun({ claimed: 0, sent: 0, exported: 0, calls: 0, gate: "blocked", gate_reason: "blocked since 2026-12-02T05:00:00.000Z: HTTP 401" }), error: null })
    expect(v.tone).toBe("error")
    expect(v.label).toBe("blocked")
    expect(v.text).toContain("blocked since 2026-12-02T05:00:00.000Z: HTTP 401")
  })

  it("says 'waiting' (a warning) between probes of an open circuit", () => {
    const v = describeRun({ status: "success", summary: exportRun({ claimed: 0, sent: 0, exported: 0, calls: 0, gate: "waiting", gate_reason: "OrderFlow unreachable since X; next probe after Y" }), error: null })
    expect(v).toEqual({ tone: "warning", label: "waiting", text: "nothing sent: OrderFlow unreachable since X; next probe after Y" })
  })

  it("reads a pull error of the returns or shipment poll as a failed call", () => {
    expect(describeRun({ status: "success", summary: { pulled: 0, pull_error: "HTTP 503" }, error: null })).toMatchObject({ tone: "error", label: "call failed", text: "HTTP 503" })
  })

  it("says 'some failed' (a warning) when the run finished but some of its work failed or was rejected", () => {
    expect(describeRun({ status: "success", summary: exportRun({ exported: 4, failed: 2 }), error: null })).toEqual({ tone: "warning", label: "some failed", text: "claimed 6 · sent 6 · exported 4 · failed 2 · calls 1" })
    expect(describeRun({ status: "success", summary: { claimed: 1, processed: 1, rejected: 1 }, error: null })).toMatchObject({ tone: "warning", label: "some failed" })
    expect(describeRun({ status: "success", summary: { processed: 1, lines: 3, applied: 2, unknown_sku: 1 }, error: null })).toMatchObject({ tone: "warning" })
    // Stale lines (an older figure than the store's) are the import doing its job.
    expect(describeRun({ status: "success", summary: { processed: 1, lines: 3, applied: 2, stale: 1 }, error: null })).toMatchObject({ tone: "success" })
  })

  it("says 'failed' with the run's error when the run threw", () => {
    expect(describeRun({ status: "failed", summary: null, error: "database gone" })).toEqual({ tone: "error", label: "failed", text: "database gone" })
  })
})
