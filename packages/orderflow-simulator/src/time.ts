// OrderFlow's date formats. A real OrderFlow writes and reads
// "yyyy-MM-dd HH:mm:ss" in its server's zone (a UK product: Europe/London).
// The simulator does the same in its `timeZone` option, UTC by default so
// runs are reproducible whatever the season. Its state keeps instants (ISO).

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** yyyy-MM-dd */
export function formatDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** Throws for a zone Intl does not know (checked once, at start). */
export function checkTimeZone(timeZone: string): string {
  formatterFor(timeZone)
  return timeZone
}

/** The wall-clock reading of an instant in the zone, as if it were UTC (ms). */
function wallAsUtc(ms: number, timeZone: string): number {
  const p: Record<string, string> = {}
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) p[part.type] = part.value
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second)
}

/**
 * The instant a wall-clock time (given as if UTC) denotes in the zone. At a
 * daylight-saving switch, a repeated time is the earlier instant and a
 * skipped one is read with the offset before the switch.
 */
function zonedToInstant(wallMs: number, timeZone: string): number {
  const offsetAt = (ms: number) => wallAsUtc(Math.floor(ms / 1000) * 1000, timeZone) - Math.floor(ms / 1000) * 1000
  const before = offsetAt(wallMs - 86_400_000)
  const after = offsetAt(wallMs + 86_400_000)
  const valid = [...new Set([before, after])].map((o) => wallMs - o).filter((t) => offsetAt(t) === wallMs - t)
  return valid.length ? Math.min(...valid) : wallMs - before
}

/** yyyy-MM-dd HH:mm:ss (pending/despatches/lastOrderExported/dateShipped), in the zone (default UTC). */
export function formatDateTime(d: Date, timeZone = "UTC"): string {
  const w = timeZone === "UTC" ? d : new Date(wallAsUtc(d.getTime(), timeZone))
  return `${formatDate(w)} ${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}`
}

/** yyyy-MM-dd HH:mm:ss.SSS (the queryTime attribute of importResult). */
export function formatQueryTime(d: Date): string {
  return `${formatDateTime(d)}.${pad(d.getUTCMilliseconds(), 3)}`
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/

/**
 * Parses the two forms the API accepts ("yyyy-MM-dd HH:mm:ss" and
 * "yyyy-MM-dd"), strictly: ISO strings with a "T" or a zone, or impossible
 * dates such as 2014-02-30, are rejected the way a non-lenient Java date
 * format would. Read in the zone (default UTC). Returns undefined for
 * anything else.
 */
export function parseOrderFlowDate(text: string, timeZone = "UTC"): Date | undefined {
  const m = DATE_TIME.exec(text) ?? DATE.exec(text)
  if (!m) return undefined
  const [y, mo, d, h = "0", mi = "0", s = "0"] = m.slice(1)
  const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s))
  if (
    date.getUTCFullYear() !== +y ||
    date.getUTCMonth() !== +mo - 1 ||
    date.getUTCDate() !== +d ||
    +h > 23 ||
    +mi > 59 ||
    +s > 59
  ) {
    return undefined
  }
  return timeZone === "UTC" ? date : new Date(zonedToInstant(date.getTime(), timeZone))
}
