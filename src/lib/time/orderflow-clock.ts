// OrderFlow's clock. OrderFlow is a UK product: the `yyyy-MM-dd HH:mm:ss`
// times it sends (lastOrderExported, dateShipped, despatches.xml `completed`,
// the returns feed) carry no zone and are its server's wall-clock time, and it
// reads the times we send (order `placed`/`authorised`, the from/to windows of
// the despatch and returns polls) the same way. Reading them as UTC puts every
// comparison an hour off all summer. These functions convert between a
// wall-clock time in an IANA zone and an instant, with Intl only.
//
// At a daylight-saving switch a wall-clock time can be missing or happen
// twice; both are resolved like Temporal's "compatible" disambiguation, so a
// value always maps to exactly one instant:
// - skipped (spring forward, 01:30 on the last Sunday of March in London):
//   read with the offset in force before the switch, i.e. moved forward by
//   the gap (01:30 → 01:30Z = 02:30 BST);
// - ambiguous (fall back, 01:30 on the last Sunday of October happens in BST
//   and then in GMT): the earlier instant (00:30Z). For lastOrderExported this
//   is the cautious reading: an earlier bound counts more orders as unsent.

export const DEFAULT_ORDERFLOW_TIME_ZONE = "Europe/London"

export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number; millisecond?: number }

/** True for a zone name Intl knows ("Europe/London", "UTC"). */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone) return false
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone })
    return true
  } catch {
    return false
  }
}

// Building an Intl.DateTimeFormat costs far more than using one.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** The wall-clock time in the zone at an instant (milliseconds dropped). */
export function wallClockAt(instantMs: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {}
  for (const p of formatterFor(timeZone).formatToParts(new Date(instantMs))) parts[p.type] = p.value
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  }
}

/** The zone's offset from UTC at an instant, in ms (London: 0 in winter, 3,600,000 in summer). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000
  const w = wallClockAt(whole, timeZone)
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole
}

const DAY_MS = 86_400_000

/**
 * The instant a wall-clock time in the zone denotes (ms since the epoch),
 * with skipped and repeated times resolved as described at the top.
 */
export function wallClockToInstant(wall: WallClock, timeZone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond ?? 0)
  // Zones change offset at most once a day: the offsets a day either side
  // are the only candidates.
  const before = zoneOffsetMs(asUtc - DAY_MS, timeZone)
  const after = zoneOffsetMs(asUtc + DAY_MS, timeZone)
  const valid = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((instant) => zoneOffsetMs(instant, timeZone) === asUtc - instant)
  if (valid.length) return Math.min(...valid)
  return asUtc - before
}

/** `yyyy-MM-dd HH:mm:ss` of an instant in the zone (what OrderFlow reads). */
export function formatWallClock(date: Date, timeZone: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError("formatWallClock needs a valid date")
  const w = wallClockAt(date.getTime(), timeZone)
  const p = (n: number, width = 2) => String(n).padStart(width, "0")
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}:${p(w.second)}`
}
