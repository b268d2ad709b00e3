// OrderFlow's date formats. The simulator keeps its clock in UTC: every
// "yyyy-MM-dd HH:mm:ss" it writes or reads is a UTC wall-clock time (a real
// OrderFlow uses its server's zone; UTC keeps runs reproducible).

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** yyyy-MM-dd */
export function formatDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** yyyy-MM-dd HH:mm:ss (pending/despatches/lastOrderExported/dateShipped). */
export function formatDateTime(d: Date): string {
  return `${formatDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
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
 * format would. Returns undefined for anything else.
 */
export function parseOrderFlowDate(text: string): Date | undefined {
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
  return date
}
