import { z } from "zod"
import { wallClockToInstant } from "../time/orderflow-clock"

// Leaf validators shared by the inbound schemas. Each one takes what JSON or
// our XML reader (strings, or null for an empty element) gives and either
// returns the typed value or names the problem together with the value
// received: `must be an integer, got "1.5"`. Nothing is coerced silently —
// "abc" is an error, not 0 units.

type Checked<T> = { ok: true; value: T } | { ok: false; message: string }
type Check<T> = (value: unknown) => Checked<T>

const ok = <T>(value: T): Checked<T> => ({ ok: true, value })
const fail = <T>(message: string): Checked<T> => ({ ok: false, message })

/** A received value as it should appear in an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return "null"
  if (Array.isArray(value)) return "a list"
  if (typeof value === "object") return "an object"
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  return String(value)
}

/** A required field: absent and null are "is required". */
export function field<T>(check: Check<T>) {
  return z.unknown().transform((value, ctx): T => {
    if (value === undefined || value === null) {
      ctx.addIssue({ code: "custom", message: "is required" })
      return z.NEVER
    }
    const result = check(value)
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message })
      return z.NEVER
    }
    return result.value
  })
}

/** An optional field: absent and null (and an empty XML element) read as null. */
export function optionalField<T>(check: Check<T>) {
  return z.unknown().transform((value, ctx): T | null => {
    if (value === undefined || value === null) return null
    const result = check(value)
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message })
      return z.NEVER
    }
    return result.value
  })
}

/** A JSON array (or the list an XML container was read into) of `item`. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.array(item, {
    error: (issue) => (issue.input === undefined || issue.input === null ? "is required" : `must be a list, got ${describeValue(issue.input)}`),
  })
}

/** Like listOf, but absent/null is an empty list. */
export function optionalListOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === null || value === undefined ? [] : value), listOf(item))
}

/** A JSON object with exactly these fields; unknown fields are refused and named. */
export function record<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "invalid_type"
        ? issue.input === undefined || issue.input === null
          ? "is required"
          : `must be an object, got ${describeValue(issue.input)}`
        : undefined,
  })
}

const CONTROL_CHARS = /[\u0000-\u001F\u007F]/
// A UTF-16 surrogate without its pair: not a character, and PostgreSQL refuses to store it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g")
// Control characters a comment has no use for (tab and line breaks are kept); NUL cannot be stored at all.
const TEXT_CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g

/** A reference such as a SKU or order number: a non-empty string, kept exactly (leading zeros!). */
export function referenceCheck(maxLength = 255): Check<string> {
  return (value) => {
    if (typeof value !== "string") return fail(`must be a string, got ${describeValue(value)}`)
    if (value.length === 0) return fail("must not be empty")
    if (value.length > maxLength) return fail(`must be at most ${maxLength} characters, got ${value.length}`)
    if (CONTROL_CHARS.test(value)) return fail("must not contain control characters")
    if (LONE_SURROGATE.test(value)) return fail("must be valid Unicode text")
    return ok(value)
  }
}

/**
 * Free text, kept as sent except for what cannot be stored or shown: control
 * characters other than tab and line breaks are dropped, a broken UTF-16
 * surrogate becomes U+FFFD. An empty string reads as no value.
 */
export function textCheck(maxLength: number): Check<string | null> {
  return (value) => {
    if (typeof value !== "string") return fail(`must be a string, got ${describeValue(value)}`)
    if (value.length > maxLength) return fail(`must be at most ${maxLength} characters, got ${value.length}`)
    const clean = value.replace(TEXT_CONTROL_CHARS, "").replace(LONE_SURROGATES, "\uFFFD")
    return ok(clean === "" ? null : clean)
  }
}

/** A non-empty string without control characters (e.g. an OrderFlow site). */
export function nonEmptyTextCheck(maxLength = 255): Check<string> {
  return (value) => {
    if (typeof value !== "string") return fail(`must be a string, got ${describeValue(value)}`)
    if (value.trim() === "") return fail("must be a non-empty string")
    return referenceCheck(maxLength)(value)
  }
}

const INTEGER_TEXT = /^-?\d+$/

/**
 * An integer in [min, max]: a JSON integer or a string of digits (XML, and
 * JSON producers that quote numbers). "1.5", "1e3", " 1", "abc" and 1.5 are refused.
 */
export function integerCheck(min: number, max: number, what = "an integer"): Check<number> {
  return (value) => {
    let parsed: number
    if (typeof value === "number") parsed = value
    else if (typeof value === "string" && INTEGER_TEXT.test(value)) parsed = Number(value)
    else return fail(`must be ${what}, got ${describeValue(value)}`)
    if (!Number.isInteger(parsed)) return fail(`must be ${what}, got ${describeValue(value)}`)
    if (parsed < min || parsed > max) {
      // "a positive integer" says more than "between 1 and 1000000000" for a 0.
      const named = what !== "an integer" && parsed < min
      return fail(named ? `must be ${what}, got ${describeValue(value)}` : `must be between ${min} and ${max}, got ${describeValue(value)}`)
    }
    return ok(parsed === 0 ? 0 : parsed) // never -0
  }
}

/** xsd:int range, used for OrderFlow ids (messageSeqId, product sequence ids). */
export const INT32_MAX = 2_147_483_647

export function booleanCheck(): Check<boolean> {
  return (value) => {
    if (value === true || value === "true" || value === 1 || value === "1") return ok(true)
    if (value === false || value === "false" || value === 0 || value === "0") return ok(false)
    return fail(`must be true or false, got ${describeValue(value)}`)
  }
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/**
 * OrderFlow's `yyyy-MM-dd HH:mm:ss` or ISO 8601 → normalised ISO 8601 UTC
 * (`2024-03-01T10:00:00.000Z`). A value without a zone is a wall-clock time
 * in `timeZone` (OrderFlow's clock, setting `api.timeZone`; UTC when not
 * given); an explicit `Z` or offset wins. Impossible dates (2023-02-30,
 * 25:00) are refused, not rolled over.
 */
export function parseOrderflowDateTime(text: string, timeZone: string = "UTC"): string | null {
  const m = DATE_TIME.exec(text.trim())
  if (!m) return null
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  if (year < 1000) return null
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  if (hour > 23 || minute > 59 || second > 59) return null
  const millis = Number(fraction.padEnd(3, "0").slice(0, 3))
  if (!zone) {
    const instant = wallClockToInstant({ year, month, day, hour, minute, second, millisecond: millis }, timeZone)
    return Number.isNaN(instant) ? null : new Date(instant).toISOString()
  }
  let offsetMinutes = 0
  if (zone !== "Z") {
    const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)
    if (!zm) return null
    const zh = Number(zm[2])
    const zmin = Number(zm[3] ?? "0")
    if (zh > 23 || zmin > 59) return null
    offsetMinutes = (zm[1] === "-" ? -1 : 1) * (zh * 60 + zmin)
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000
  return Number.isNaN(utc) ? null : new Date(utc).toISOString()
}

/**
 * A date field. Keeps the text as sent (trimmed): whether it names a zone
 * decides how it is read, so the parser converts it once it knows OrderFlow's
 * zone (`parseOrderflowDateTime(text, timeZone)`).
 */
export function dateTimeCheck(): Check<string> {
  return (value) => {
    if (typeof value !== "string") return fail(`must be a date string, got ${describeValue(value)}`)
    const iso = parseOrderflowDateTime(value)
    return iso === null ? fail(`must be a date as yyyy-MM-dd HH:mm:ss or ISO 8601, got ${describeValue(value)}`) : ok(value.trim())
  }
}
