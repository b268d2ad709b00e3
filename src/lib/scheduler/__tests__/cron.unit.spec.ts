import { cronError, dueTick, latestTick } from "../cron"

describe("cron schedule", () => {
  const at = (iso: string) => new Date(iso)

  it("validates five-field expressions", () => {
    expect(cronError("*/5 * * * *")).toBeNull()
    expect(cronError("0 3 * * *")).toBeNull()
    expect(cronError("* * * * * *")).toMatch(/must have 5 fields/)
    expect(cronError("61 * * * *")).toMatch(/not a valid cron expression/)
  })

  it("finds the latest tick at or before now", () => {
    expect(latestTick("*/5 * * * *", at("2026-11-23T10:07:30Z")).toISOString()).toBe("2026-11-23T10:05:00.000Z")
    expect(latestTick("*/5 * * * *", at("2026-11-23T10:10:00Z")).toISOString()).toBe("2026-11-23T10:10:00.000Z")
  })

  it("is due once per tick, catching up a missed run once", () => {
    const cron = "*/5 * * * *"
    expect(dueTick(cron, null, at("2026-11-23T10:07:00Z"))?.toISOString()).toBe("2026-11-23T10:05:00.000Z")
    expect(dueTick(cron, at("2026-11-23T10:05:00Z"), at("2026-11-23T10:09:59Z"))).toBeNull()
    expect(dueTick(cron, at("2026-11-23T10:05:00Z"), at("2026-11-23T10:10:00Z"))?.toISOString()).toBe(
      "2026-11-23T10:10:00.000Z"
    )
    expect(dueTick(cron, at("2026-11-23T08:00:00Z"), at("2026-11-23T10:12:00Z"))?.toISOString()).toBe(
      "2026-11-23T10:10:00.000Z"
    )
  })
})
