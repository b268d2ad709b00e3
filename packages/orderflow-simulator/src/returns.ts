// Returns in the simulated warehouse (seed 002, "Returns Import" and
// "Applied Returns Per Time Period"): imported returns wait in state
// `created` until the control API applies them (what a warehouse operator
// does when the parcel is booked in); applied.xml lists the applied ones by
// completion time. Applying a return does not change the simulated stock.

import { ControlError } from "./errors"
import { formatDateTime } from "./time"
import { escapeXml as esc } from "./xml"
import type { ReturnItem } from "./types"
import type { Warehouse } from "./warehouse"

export interface ApplyReturnInput {
  /** The condition recorded for every line without its own (default: none, shown as an empty returnCondition). */
  condition?: string
  /** Per product: the condition recorded for its lines. */
  lines?: Array<{ product: string; condition?: string }>
}

/** Applies a created return: its lines are applied with the given conditions, completed now. */
export function applyReturn(warehouse: Warehouse, id: number, input: ApplyReturnInput, now: Date): ReturnItem {
  const ret = warehouse.state.returns.get(id)
  if (!ret) throw new ControlError(`Unknown return ${id}`, 404)
  if (ret.state !== "created") throw new ControlError(`Return ${id} is ${ret.state}`, 409)
  for (const given of input.lines ?? []) {
    if (typeof given?.product !== "string" || !ret.lines.some((l) => l.product === given.product)) {
      throw new ControlError(`Return ${id} has no line with product '${String(given?.product)}'`)
    }
    if (given.condition !== undefined && typeof given.condition !== "string") throw new ControlError("lines[].condition must be a string")
  }
  if (input.condition !== undefined && typeof input.condition !== "string") throw new ControlError("condition must be a string")
  for (const line of ret.lines) {
    line.state = "applied"
    line.returnCondition = input.lines?.find((l) => l.product === line.product)?.condition ?? input.condition ?? ""
  }
  ret.state = "applied"
  ret.completedAt = now.toISOString()
  warehouse.onChange()
  return ret
}

/** Applied returns of the organisation (and site) completed in [from, to), oldest first. */
export function appliedReturns(warehouse: Warehouse, filter: { organisation: string; site?: string; from: Date; to?: Date }): ReturnItem[] {
  return [...warehouse.state.returns.values()]
    .filter((r) => {
      if (r.state !== "applied" || !r.completedAt || r.organisation !== filter.organisation) return false
      if (filter.site && r.site !== filter.site) return false
      const at = new Date(r.completedAt)
      // "the to parameter value is exclusive"
      return at >= filter.from && (!filter.to || at < filter.to)
    })
    .sort((a, b) => a.completedAt!.localeCompare(b.completedAt!) || a.id - b.id)
}


/** The `<returns>` document of the seed's example. */
export function renderAppliedReturns(returns: ReturnItem[], options: { includeLines: boolean; includeOriginatingOrderReference: boolean; timeZone?: string }): string {
  const out = ['<?xml version="1.0" encoding="utf-8" ?>', "<returns>"]
  for (const r of returns) {
    out.push(
      "    <return>",
      `        <id>${r.id}</id>`,
      `        <organisation>${esc(r.organisation)}</organisation>`,
      `        <site>${esc(r.site)}</site>`,
      `        <state>${r.state}</state>`,
      `        <returnDate>${esc(r.returnDate)}</returnDate>`,
      `        <note>${esc(r.note)}</note>`,
      `        <type>${esc(r.type)}</type>`,
      `        <orderReference>${esc(r.orderReference)}</orderReference>`
    )
    if (options.includeOriginatingOrderReference) out.push(`        <originatingOrderReference>${esc(r.originatingOrderReference)}</originatingOrderReference>`)
    out.push(
      `        <created>${formatDateTime(new Date(r.createdAt), options.timeZone)}</created>`,
      `        <completed>${r.completedAt ? formatDateTime(new Date(r.completedAt), options.timeZone) : ""}</completed>`
    )
    if (options.includeLines) {
      out.push("        <returnLines>")
      for (const l of r.lines) {
        out.push(
          "            <returnLine>",
          `                <productReference>${esc(l.product)}</productReference>`,
          `                <quantity>${l.quantity}</quantity>`,
          `                <state>${l.state}</state>`,
          `                <returnCondition>${esc(l.returnCondition)}</returnCondition>`,
          `                <reason>${esc(l.reason)}</reason>`,
          `                <note>${esc(l.note)}</note>`,
          "            </returnLine>"
        )
      }
      out.push("        </returnLines>")
    }
    out.push("    </return>")
  }
  out.push("</returns>")
  return out.join("\n") + "\n"
}
