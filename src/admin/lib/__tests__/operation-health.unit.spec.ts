import { operationHealth } from "../operation-health"

const endpoint = { consecutive_failures: 0, circuit_opened_at: null, blocked_at: null, blocked_reason: null, last_failure: null }

describe("operationHealth (overview badges)", () => {
  it("is healthy when enabled with nothing open, failed or in error", () => {
    expect(operationHealth("product_export", { enabled: true, endpoint, incidents: [] })).toEqual({ operation: "product_export", state: "healthy", reasons: [] })
    expect(operationHealth("inventory_import", { enabled: true, incidents: [], requests: { failed: 0, processed_with_errors: 0 } }).state).toBe("healthy")
  })

  it("is disabled when the settings switch is off, even with an open incident (whose title stays a reason)", () => {
    expect(operationHealth("order_export", { enabled: false, endpoint: { ...endpoint, circuit_opened_at: "2026-01-01T00:00:00Z" }, incidents: [{ title: "OrderFlow unreachable" }] })).toMatchObject({
      state: "disabled",
      reasons: ["OrderFlow unreachable: calls fail", "OrderFlow unreachable"],
    })
  })

  it("says blocked before circuit open, circuit open before degraded", () => {
    const blocked = { ...endpoint, consecutive_failures: 1, blocked_at: "x", blocked_reason: "HTTP 401: wrong API password", circuit_opened_at: "y" }
    expect(operationHealth("product_export", { enabled: true, endpoint: blocked, incidents: [] })).toMatchObject({ state: "blocked", reasons: ["Blocked: HTTP 401: wrong API password"] })
    const open = { ...endpoint, consecutive_failures: 5, circuit_opened_at: "y", last_failure: "HTTP 503" }
    expect(operationHealth("product_export", { enabled: true, endpoint: open, incidents: [] })).toMatchObject({ state: "circuit_open", reasons: ["OrderFlow unreachable: HTTP 503"] })
  })

  it("is degraded by failed calls in a row, an open incident, dead letters, messages with failed lines or a failed last run", () => {
    expect(operationHealth("order_export", { enabled: true, endpoint: { ...endpoint, consecutive_failures: 2 }, incidents: [] })).toMatchObject({ state: "degraded", reasons: ["2 failed calls in a row"] })
    expect(operationHealth("order_export", { enabled: true, endpoint, incidents: [{ title: "3 orders failed for good" }] })).toMatchObject({ state: "degraded", reasons: ["3 orders failed for good"] })
    expect(operationHealth("inventory_import", { enabled: true, incidents: [], requests: { failed: 1, processed_with_errors: 2 } })).toMatchObject({
      state: "degraded",
      reasons: ["1 dead letter (failed messages) to retry or resolve", "2 messages applied with failed lines"],
    })
    expect(operationHealth("log_cleaning", { enabled: true, incidents: [], lastRun: { last_status: "failed", last_error: "boom" } })).toMatchObject({ state: "degraded", reasons: ["Last run failed: boom"] })
  })
})
