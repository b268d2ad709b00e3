import { parseOrderflowDateTime } from "../../inbound/fields"
import { formatOrderflowDateTime } from "../../order-export/format"
import { formatWallClock, isTimeZone, wallClockToInstant, zoneOffsetMs } from "../orderflow-clock"

const LONDON = "Europe/London"
const wall = (text: string) => {
  const [d, t] = text.split(" ")
  const [year, month, day] = d.split("-").map(Number)
  const [hour, minute, second] = t.split(":").map(Number)
  return { year, month, day, hour, minute, second }
}
const iso = (ms: number) => new Date(ms).toISOString()

describe("OrderFlow's clock (Europe/London)", () => {
  it("reads summer (BST) times an hour ahead of UTC and winter (GMT) times as UTC", () => {
    expect(iso(wallClockToInstant(wall("2026-07-01 12:00:00"), LONDON))).toBe("2026-07-01T11:00:00.000Z")
    expect(iso(wallClockToInstant(wall("2026-01-15 12:00:00"), LONDON))).toBe("2026-01-15T12:00:00.000Z")
    expect(zoneOffsetMs(Date.parse("2026-07-01T11:00:00Z"), LONDON)).toBe(3_600_000)
    expect(zoneOffsetMs(Date.parse("2026-01-15T12:00:00Z"), LONDON)).toBe(0)
  })

  it("writes instants as London wall-clock time", () => {
    expect(formatWallClock(new Date("2026-07-01T11:00:00Z"), LONDON)).toBe("2026-07-01 12:00:00")
    expect(formatWallClock(new Date("2026-01-15T12:00:00Z"), LONDON)).toBe("2026-01-15 12:00:00")
    expect(formatOrderflowDateTime(new Date("2026-07-01T23:30:00Z"), LONDON)).toBe("2026-07-02 00:30:00")
    expect(formatOrderflowDateTime(new Date("2026-07-01T23:30:00Z"))).toBe("2026-07-01 23:30:00")
  })

  it("round-trips every hour across both 2026 switches (outside the skipped hour)", () => {
    for (const start of ["2026-03-28T20:00:00Z", "2026-10-24T20:00:00Z"]) {
      for (let h = 0; h < 30; h++) {
        const instant = Date.parse(start) + h * 3_600_000
        const text = formatWallClock(new Date(instant), LONDON)
        const back = wallClockToInstant(wall(text), LONDON)
        // The repeated autumn hour reads back as its first occurrence.
        expect(back === instant || back === instant - 3_600_000).toBe(true)
      }
    }
  })

  it("resolves the skipped spring hour forward by the gap (01:30 on 29 March 2026 = 01:30Z = 02:30 BST)", () => {
    expect(iso(wallClockToInstant(wall("2026-03-29 01:30:00"), LONDON))).toBe("2026-03-29T01:30:00.000Z")
    expect(iso(wallClockToInstant(wall("2026-03-29 00:59:59"), LONDON))).toBe("2026-03-29T00:59:59.000Z")
    expect(iso(wallClockToInstant(wall("2026-03-29 02:00:00"), LONDON))).toBe("2026-03-29T01:00:00.000Z")
  })

  it("resolves the repeated autumn hour to its earlier (BST) occurrence (01:30 on 25 October 2026 = 00:30Z)", () => {
    expect(iso(wallClockToInstant(wall("2026-10-25 01:30:00"), LONDON))).toBe("2026-10-25T00:30:00.000Z")
    expect(iso(wallClockToInstant(wall("2026-10-25 00:59:59"), LONDON))).toBe("2026-10-24T23:59:59.000Z")
    expect(iso(wallClockToInstant(wall("2026-10-25 02:00:00"), LONDON))).toBe("2026-10-25T02:00:00.000Z")
  })

  it("knows IANA names and refuses others", () => {
    expect(isTimeZone(LONDON)).toBe(true)
    expect(isTimeZone("UTC")).toBe(true)
    expect(isTimeZone("Mars/Olympus")).toBe(false)
    expect(isTimeZone("")).toBe(false)
  })
})

describe("parseOrderflowDateTime in OrderFlow's zone", () => {
  it("reads zone-less values in the zone and lets an explicit offset win", () => {
    expect(parseOrderflowDateTime("2026-07-01 12:00:00", LONDON)).toBe("2026-07-01T11:00:00.000Z")
    expect(parseOrderflowDateTime("2026-01-15 12:00:00", LONDON)).toBe("2026-01-15T12:00:00.000Z")
    expect(parseOrderflowDateTime("2026-07-01T12:00:00", LONDON)).toBe("2026-07-01T11:00:00.000Z")
    expect(parseOrderflowDateTime("2026-07-01T12:00:00Z", LONDON)).toBe("2026-07-01T12:00:00.000Z")
    expect(parseOrderflowDateTime("2026-07-01 12:00:00+02:00", LONDON)).toBe("2026-07-01T10:00:00.000Z")
    expect(parseOrderflowDateTime("2026-07-01 12:00:00")).toBe("2026-07-01T12:00:00.000Z")
    expect(parseOrderflowDateTime("2026-02-30 12:00:00", LONDON)).toBeNull()
  })
})
