import { add, Decimal, div, mul, ONE, sub, toDecimal, toNumber, withinPlaces, ZERO } from "./decimal"
import type { Amount } from "./format"
import type { SourceAdjustment, SourceLineItem, SourceOrder, SourceShippingMethod, SourceTaxLine } from "./source"

// The totals the order document carries, computed from the order's stored
// inputs (prices, quantities, tax rates, adjustments, shipping amounts,
// credit lines) the way Medusa 2's order module derives them, instead of
// asking Query for `total`, `items.total`…: that makes the order module
// decorate every order with some thirty totals per item and per order in
// BigNumber objects, most of an export batch's time (issue 17). The
// arithmetic is exact (decimal.ts), so the cents written equal the cents
// Medusa shows; integration-tests/http/order-export-totals.spec.ts compares
// the two on real orders.
//
// Medusa's rules, per line item (returned quantities are not charged):
//   rate        = Σ tax line rates / 100
//   subtotal    = unit_price × current quantity, ÷ (1 + rate) when the price includes tax
//   discount    = Σ adjustments (each ÷ (1 + rate) when it includes tax), per unit × current quantity
//   tax         = Σ per tax line (subtotal − discount) × rate/100
//   total       = subtotal − discount + tax
//   discount_total = discount + the tax the discount removed
// per shipping method the same without quantities; per order the sums, less
// the credit lines (ignored when they sum to less than the currency's
// smallest unit).

export type LineTotals = { total: number; tax_total: number }

export type OrderTotals = {
  total: number
  tax_total: number
  discount_total: number
  shipping_total: number
  shipping_tax_total: number
  /** By line item id. */
  items: Map<string, LineTotals>
}

export type TotalsOptions = {
  /** Decimal digits of the order's currency (2 for GBP, 0 for JPY): below one unit of it credit lines count as none. */
  currencyDigits?: number
  /** Medusa's MEDUSA_EPSILON (0.0001 unless the store sets it): amounts within it are 0, as in Medusa's BigNumber. */
  epsilon?: number
}

/** A stored amount, from its raw value when loaded (what Medusa computes from: all 20 significant digits). */
function amountOf(raw: Amount, plain: Amount): Decimal {
  return toDecimal(raw !== undefined && raw !== null ? raw : plain)
}

/** Each tax line's rate as a fraction, and their sum (Medusa divides the summed percentages once). */
function rates(taxLines: ReadonlyArray<SourceTaxLine> | null | undefined): { lineRates: Decimal[]; rate: Decimal } {
  const percents = (taxLines ?? []).filter(Boolean).map((t) => amountOf(t.raw_rate, t.rate))
  return { lineRates: percents.map((p) => div(p, HUNDRED)), rate: div(add(...percents), HUNDRED) }
}

const HUNDRED: Decimal = { m: 100n, s: 0 }

/** Medusa's JSON form of an amount: the nearest double, and 0 within its epsilon. */
function medusaNumber(value: Decimal, epsilon: number): number {
  const n = toNumber(value)
  return Math.abs(n) <= epsilon ? 0 : n
}

/** Σ adjustments without tax: an adjustment that includes tax is taken out of it at the line's rate. */
function adjustmentsSubtotal(adjustments: ReadonlyArray<SourceAdjustment> | null | undefined, rate: Decimal): Decimal {
  let sum = ZERO
  for (const a of adjustments ?? []) {
    if (!a || (a.raw_amount == null && a.amount == null)) continue
    const amount = amountOf(a.raw_amount, a.amount)
    sum = add(sum, a.is_tax_inclusive ? div(amount, add(ONE, rate)) : amount)
  }
  return sum
}

function taxOn(amount: Decimal, lineRates: Decimal[]): Decimal {
  return add(...lineRates.map((r) => mul(amount, r)))
}

type Exact = { subtotal: Decimal; discount: Decimal; tax: Decimal; total: Decimal; discountTotal: Decimal }

function itemTotals(item: SourceLineItem): Exact {
  const { lineRates, rate } = rates(item.tax_lines)
  const quantity = amountOf(item.raw_quantity, item.quantity)
  const returned = add(
    amountOf(item.detail?.raw_return_received_quantity, item.detail?.return_received_quantity),
    amountOf(item.detail?.raw_return_dismissed_quantity, item.detail?.return_dismissed_quantity)
  )
  const current = sub(quantity, returned)
  const price = mul(amountOf(item.raw_unit_price, item.unit_price), current)
  const subtotal = item.is_tax_inclusive ? div(price, add(ONE, rate)) : price
  // Medusa spreads the discount per unit (a quotient, rounded) and multiplies back by the current quantity.
  const perUnit = quantity.m === 0n ? ZERO : div(adjustmentsSubtotal(item.adjustments, rate), quantity)
  const discount = mul(perUnit, current)
  const tax = taxOn(sub(subtotal, discount), lineRates)
  const originalTax = taxOn(subtotal, lineRates)
  return { subtotal, discount, tax, total: add(sub(subtotal, discount), tax), discountTotal: add(discount, sub(originalTax, tax)) }
}

function shippingTotals(method: SourceShippingMethod): Exact {
  const { lineRates, rate } = rates(method.tax_lines)
  const amount = amountOf(method.raw_amount, method.amount)
  const subtotal = method.is_tax_inclusive ? div(amount, add(ONE, rate)) : amount
  const discount = adjustmentsSubtotal(method.adjustments, rate)
  const tax = taxOn(sub(subtotal, discount), lineRates)
  return { subtotal, discount, tax, total: add(sub(subtotal, discount), tax), discountTotal: add(discount, mul(discount, rate)) }
}

export function computeOrderTotals(order: SourceOrder, { currencyDigits = 2, epsilon = 0.0001 }: TotalsOptions = {}): OrderTotals {
  const items = new Map<string, LineTotals>()
  let subtotal = ZERO
  let tax = ZERO
  let discount = ZERO
  let discountTotal = ZERO
  for (const item of order.items ?? []) {
    if (!item) continue
    const t = itemTotals(item)
    items.set(item.id, { total: medusaNumber(t.total, epsilon), tax_total: medusaNumber(t.tax, epsilon) })
    subtotal = add(subtotal, t.subtotal)
    tax = add(tax, t.tax)
    discount = add(discount, t.discount)
    discountTotal = add(discountTotal, t.discountTotal)
  }
  let shipping = ZERO
  let shippingTax = ZERO
  for (const method of order.shipping_methods ?? []) {
    if (!method) continue
    const t = shippingTotals(method)
    subtotal = add(subtotal, t.subtotal)
    tax = add(tax, t.tax)
    discount = add(discount, t.discount)
    discountTotal = add(discountTotal, t.discountTotal)
    shipping = add(shipping, t.total)
    shippingTax = add(shippingTax, t.tax)
  }
  let credit = ZERO
  for (const line of order.credit_lines ?? []) {
    if (line && (line.raw_amount != null || line.amount != null)) credit = add(credit, amountOf(line.raw_amount, line.amount))
  }
  const creditTotal = withinPlaces(credit, currencyDigits) ? ZERO : credit
  return {
    total: medusaNumber(sub(add(subtotal, tax), discount, creditTotal), epsilon),
    tax_total: medusaNumber(tax, epsilon),
    discount_total: medusaNumber(discountTotal, epsilon),
    shipping_total: medusaNumber(shipping, epsilon),
    shipping_tax_total: medusaNumber(shippingTax, epsilon),
    items,
  }
}

/** The order with its totals and its items' totals filled in from computeOrderTotals (a copy; the input is not changed). */
export function withOrderTotals(order: SourceOrder, options: TotalsOptions = {}): SourceOrder {
  const totals = computeOrderTotals(order, options)
  return {
    ...order,
    total: totals.total,
    tax_total: totals.tax_total,
    discount_total: totals.discount_total,
    shipping_total: totals.shipping_total,
    shipping_tax_total: totals.shipping_tax_total,
    items: order.items?.map((item) => (item ? { ...item, ...totals.items.get(item.id) } : item)) ?? order.items,
  }
}
