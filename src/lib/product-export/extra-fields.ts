import type { ImportItem, ImportValue } from "../xml/imports-document"

// Merchant extension point (issue 4, "Extra mapping"): the export workflow's
// `productExportFields` hook may return extra or replacement fields per SKU,
// e.g. { "TEE-M": { userDefined1: "summer", costNet: 7.5 } }. A value of null
// removes a field the plugin would send. Checked here so that one bad entry
// fails its own line with a clear message instead of the whole document.

export type ExtraFieldValue = string | number | boolean | null
export type ExtraFields = Record<string, Record<string, ExtraFieldValue>>

const KEY = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/
const FIXED = new Set(["externalReference"])

export type ExtraFieldsOutcome = {
  items: ImportItem[]
  rejected: Array<{ reference: string; message: string }>
}

function problemWith(key: string, value: unknown): string | null {
  if (!KEY.test(key)) return `invalid field name ${JSON.stringify(key)}`
  if (FIXED.has(key)) return `${key} cannot be changed by the productExportFields hook`
  if (value === null || typeof value === "string" || typeof value === "boolean") return null
  if (typeof value === "number") return Number.isFinite(value) ? null : `field ${key} must be a finite number`
  return `field ${key} must be a string, number, boolean or null, got ${Array.isArray(value) ? "array" : typeof value}`
}

/** Applies the hook's fields to the items (by externalReference); unknown references are ignored. */
export function applyExtraFields(items: ReadonlyArray<ImportItem>, extra: unknown): ExtraFieldsOutcome {
  if (extra === undefined || extra === null) return { items: [...items], rejected: [] }
  if (typeof extra !== "object" || Array.isArray(extra)) {
    return {
      items: [],
      rejected: items.map((i) => ({
        reference: i.externalReference,
        message: "the productExportFields hook must return an object keyed by SKU",
      })),
    }
  }
  const byReference = extra as Record<string, unknown>
  const out: ImportItem[] = []
  const rejected: ExtraFieldsOutcome["rejected"] = []
  for (const item of items) {
    const patch = Object.prototype.hasOwnProperty.call(byReference, item.externalReference) ? byReference[item.externalReference] : undefined
    if (patch === undefined || patch === null) {
      out.push(item)
      continue
    }
    if (typeof patch !== "object" || Array.isArray(patch)) {
      rejected.push({ reference: item.externalReference, message: "productExportFields hook: the entry must be an object of field → value" })
      continue
    }
    const entries = Object.entries(patch as Record<string, unknown>)
    const problem = entries.map(([k, v]) => problemWith(k, v)).find((p) => p !== null)
    if (problem) {
      rejected.push({ reference: item.externalReference, message: `productExportFields hook: ${problem}` })
      continue
    }
    const fields = new Map<string, ImportValue>(item.fields.map(([k, v]) => [k, v]))
    for (const [k, v] of entries) fields.set(k, v as ImportValue)
    // A field set to null is left out by the document builder.
    out.push({ ...item, fields: [...fields.entries()] })
  }
  return { items: out, rejected }
}

/** A line's fields as a plain object (what the hook handler sees). */
export type ImportValueRecord = Record<string, string | number | boolean>
