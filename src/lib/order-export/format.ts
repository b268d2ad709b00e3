// Value formatting for the order import (seed 002, "Order Import"): money as
// plain decimals with two places, dates as `yyyy-MM-dd HH:mm:ss` (the
// simulator, like OrderFlow's Java importer, fails an ISO string with `T`),
// text as one trimmed, bounded value per key.

import { formatWallClock } from "../time/orderflow-clock"

/** What Medusa returns for an amount: a number, a numeric string, or a BigNumber-like object. */
export type Amount = number | string | { numeric?: unknown; value?: unknown; toJSON?: () => unknown } | null | undefined

/** The amount as a finite number; 0 for null, undefined and anything unreadable. */
export function toAmount(value: Amount): number {
  if (typeof value === "number") return Number.isFinite(value) ? value : 0
  if (typeof value === "string") {
    const n = Number(value.trim())
    return value.trim() !== "" && Number.isFinite(n) ? n : 0
  }
  if (value && typeof value === "object") {
    if (typeof value.numeric === "number") return toAmount(value.numeric)
    if (typeof value.value === "string" || typeof value.value === "number") return toAmount(value.value)
    if (typeof value.toJSON === "function") return toAmount(value.toJSON() as Amount)
  }
  return 0
}

/**
 * Rounds to cents, half away from zero, and writes two places: 12 → "12.00",
 * 0.125 → "0.13", -0 → "0.00". Medusa 2 stores amounts in major units.
 */
export function formatMoney(value: number): string {
  if (!Number.isFinite(value)) return "0.00"
  // toPrecision(15) removes binary noise (1.005 is 1.00499999… as a double).
  const cents = Math.round(Math.abs(Number((value * 100).toPrecision(15))))
  if (cents === 0) return "0.00"
  const sign = value < 0 ? "-" : ""
  const whole = Math.floor(cents / 100)
  const fraction = String(cents % 100).padStart(2, "0")
  return `${sign}${whole}.${fraction}`
}

/** Rounds to cents as a number (for sums that must agree with what is written). */
export function roundMoney(value: number): number {
  return Number(formatMoney(value))
}

/**
 * `yyyy-MM-dd HH:mm:ss` in the IANA time zone given (OrderFlow's clock, see
 * lib/time/orderflow-clock), or in UTC when none is. Throws RangeError for an
 * unknown zone; settings validation refuses those before they get here.
 */
export function formatOrderflowDateTime(date: Date, timeZone?: string | null): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError("formatOrderflowDateTime needs a valid date")
  return formatWallClock(date, timeZone || "UTC")
}

/** The value as a Date, or null when absent or not a date. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === "") return null
  const date = value instanceof Date ? value : new Date(value as string)
  return Number.isNaN(date.getTime()) ? null : date
}

/** Longest single-line value sent (names, address lines, codes): OrderFlow's text columns. */
export const MAX_SHORT_TEXT = 255
/** Longest multi-line value sent (customer comment, delivery instruction, attribute values). */
export const MAX_LONG_TEXT = 2000

/**
 * A one-line value: trimmed, inner line breaks and tabs folded to single
 * spaces, cut at `max` characters (never inside a surrogate pair).
 */
export function oneLine(value: unknown, max: number = MAX_SHORT_TEXT): string {
  return cut(textOf(value).replace(/[\r\n\t]+/g, " ").replace(/ {2,}/g, " ").trim(), max)
}

/** A multi-line value: trimmed and cut; its line breaks become `[BR]` in the document. */
export function multiLine(value: unknown, max: number = MAX_LONG_TEXT): string {
  return cut(textOf(value).replace(/\r\n?/g, "\n").trim(), max)
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  try {
    return JSON.stringify(value) ?? ""
  } catch {
    return ""
  }
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end -= 1
  return text.slice(0, end).trimEnd()
}
