import type { Amount } from "./format"

// Exact decimal arithmetic for the order totals (order-totals.ts). Medusa
// stores amounts as decimals of up to 20 significant digits and computes its
// totals with bignumber.js: sums and products exact, quotients rounded to 20
// decimal places, half away from zero. Doubles would drift from that on
// tax-inclusive prices (10 / 1.2) and per-unit discounts, and the cents
// written to OrderFlow must be the cents Medusa shows; so the same
// operations are done here on BigInt mantissas, with the same quotient rule.

/** mantissa × 10^-scale */
export type Decimal = { readonly m: bigint; readonly s: number }

/** Decimal places of a quotient: bignumber.js's DECIMAL_PLACES default, which Medusa keeps. */
export const QUOTIENT_PLACES = 20

export const ZERO: Decimal = { m: 0n, s: 0 }
export const ONE: Decimal = { m: 1n, s: 0 }
const TEN = 10n

function pow10(n: number): bigint {
  return TEN ** BigInt(n)
}

/** Parses "12", "-0.125", "1e-7", "2.5E+3"; throws on anything else (an unreadable amount must not become 0 silently). */
export function parseDecimal(text: string): Decimal {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim())
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) throw new RangeError(`not a decimal: "${text}"`)
  const [, sign, whole, fraction = "", exponent = "0"] = match
  let m = BigInt(`${whole}${fraction}` || "0")
  let s = fraction.length - Number(exponent)
  if (s < 0) {
    m *= pow10(-s)
    s = 0
  }
  return { m: sign === "-" ? -m : m, s }
}

/**
 * An amount as Medusa hands it over: a raw value (`{ value: "9.5000…" }`,
 * what Medusa itself computes from), a numeric string, or a number (whose
 * shortest decimal form is what bignumber.js reads too). Absent is 0.
 */
export function toDecimal(value: Amount): Decimal {
  if (value === null || value === undefined) return ZERO
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`)
    return parseDecimal(String(value))
  }
  if (typeof value === "string") return parseDecimal(value)
  if (typeof value.value === "string" || typeof value.value === "number") return toDecimal(value.value)
  if (typeof value.numeric === "number") return toDecimal(value.numeric)
  if (typeof value.toJSON === "function") return toDecimal(value.toJSON() as Amount)
  return ZERO
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.s === b.s) return [a.m, b.m, a.s]
  if (a.s > b.s) return [a.m, b.m * pow10(a.s - b.s), a.s]
  return [a.m * pow10(b.s - a.s), b.m, b.s]
}

export function add(...values: Decimal[]): Decimal {
  return values.reduce((sum, v) => {
    const [x, y, s] = align(sum, v)
    return { m: x + y, s }
  }, ZERO)
}

export function sub(a: Decimal, ...values: Decimal[]): Decimal {
  return values.reduce((diff, v) => {
    const [x, y, s] = align(diff, v)
    return { m: x - y, s }
  }, a)
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return { m: a.m * b.m, s: a.s + b.s }
}

/** a / b rounded to QUOTIENT_PLACES decimals, half away from zero (bignumber.js's dividedBy as Medusa uses it). */
export function div(a: Decimal, b: Decimal): Decimal {
  if (b.m === 0n) throw new RangeError("division by zero")
  // a/b = (a.m × 10^b.s) / (b.m × 10^a.s); scaled by 10^places for the integer quotient.
  let n = a.m * pow10(b.s + QUOTIENT_PLACES)
  let d = b.m * pow10(a.s)
  const negative = n < 0n !== d < 0n && n !== 0n
  if (n < 0n) n = -n
  if (d < 0n) d = -d
  let q = n / d
  if ((n % d) * 2n >= d) q += 1n
  return { m: negative ? -q : q, s: QUOTIENT_PLACES }
}

export function isZero(a: Decimal): boolean {
  return a.m === 0n
}

/** |a| ≤ 10^-places */
export function withinPlaces(a: Decimal, places: number): boolean {
  const abs = a.m < 0n ? -a.m : a.m
  // |m| / 10^s ≤ 10^-p  ⇔  |m| × 10^p ≤ 10^s
  return abs * pow10(places) <= pow10(a.s)
}

export function toDecimalString(a: Decimal): string {
  const negative = a.m < 0n
  const digits = (negative ? -a.m : a.m).toString().padStart(a.s + 1, "0")
  const whole = digits.slice(0, digits.length - a.s)
  const fraction = a.s ? `.${digits.slice(digits.length - a.s)}` : ""
  return `${negative ? "-" : ""}${whole}${fraction}`
}

/** The nearest double, as bignumber.js's toNumber gives it (Number of the exact decimal string). */
export function toNumber(a: Decimal): number {
  return Number(toDecimalString(a))
}
