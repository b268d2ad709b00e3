import type { SettingsPatch } from "./schema"

/**
 * Settings renamed since they were first stored. Stored rows (the admin's
 * edits, table orderflow_setting), plugin options, environment variables and
 * admin POSTs written with an old name keep working: each layer is upgraded
 * when it is read, and the next save of the group writes the new name.
 *
 * - `inventoryImport.allowNegativeQuantities` (true: negative figures applied
 *   as they are) became `inventoryImport.negativeAsZero` with the opposite
 *   value. The guide's "Allow Negative Quantities" means "convert negative
 *   figures to zero" and should be "Yes" (seed 000 "Inventory Import"): the
 *   old name read the other way round, so a merchant following the guide got
 *   negative stock.
 * - `orderExport.timezone` (only the times we sent; empty meant UTC) became
 *   `api.timeZone`, OrderFlow's clock in both directions. A set value moves
 *   over; an empty one takes the new default (Europe/London).
 *
 * A layer naming both the old and the new field keeps the new one.
 */
export const LEGACY_SETTINGS: ReadonlyArray<{ from: string; to: string }> = [
  { from: "inventoryImport.allowNegativeQuantities", to: "inventoryImport.negativeAsZero" },
  { from: "orderExport.timezone", to: "api.timeZone" },
]

/** True when `group.field` is an old name upgradeLegacySettings understands. */
export function isLegacySetting(group: string, field: string): boolean {
  return LEGACY_SETTINGS.some((l) => l.from === `${group}.${field}`)
}

type Layer = Record<string, Record<string, unknown> | undefined>

/** A copy of the layer with old names replaced by the current ones (values the caller validates as usual). */
export function upgradeLegacySettings<T extends SettingsPatch | undefined>(layer: T): T {
  if (!layer || typeof layer !== "object") return layer
  const source = layer as unknown as Layer
  const inventory = source.inventoryImport
  const orderExport = source.orderExport
  const needs =
    (inventory && typeof inventory === "object" && "allowNegativeQuantities" in inventory) ||
    (orderExport && typeof orderExport === "object" && "timezone" in orderExport)
  if (!needs) return layer
  const out: Layer = Object.fromEntries(Object.entries(source).map(([g, v]) => [g, v && typeof v === "object" ? { ...v } : v]))
  const inv = out.inventoryImport
  if (inv && "allowNegativeQuantities" in inv) {
    const old = inv.allowNegativeQuantities
    delete inv.allowNegativeQuantities
    if (!("negativeAsZero" in inv) && old !== undefined) inv.negativeAsZero = typeof old === "boolean" ? !old : old
  }
  const exp = out.orderExport
  if (exp && "timezone" in exp) {
    const old = exp.timezone
    delete exp.timezone
    const api = (out.api ??= {})
    if (!("timeZone" in api) && typeof old === "string" && old.trim() !== "") api.timeZone = old
    else if (!("timeZone" in api) && old !== undefined && typeof old !== "string") api.timeZone = old
    if (!Object.keys(api).length) delete out.api
  }
  for (const group of ["inventoryImport", "orderExport"]) {
    const values = out[group]
    if (values && !Object.keys(values).length) delete out[group]
  }
  return out as unknown as T
}
