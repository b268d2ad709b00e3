import type { ExportLineOutcome } from "../../types/statuses"
import type { ImportResult } from "../xml/import-result"

/**
 * How each item sent in one `<imports>` document ended (DESIGN.md section 4):
 * success and duplicate both mean OrderFlow has it; failure carries
 * OrderFlow's message; an item OrderFlow did not mention at all is `missing`
 * and must not be taken as exported (it stays pending).
 */
export type LineOutcome = ExportLineOutcome

export type SentItem = { id: string; reference: string }

export type ItemOutcome = SentItem & {
  outcome: LineOutcome
  message: string | null
  detail: string | null
}

export function outcomesFor(sent: ReadonlyArray<SentItem>, result: ImportResult): ItemOutcome[] {
  // One reference may be reported more than once (e.g. a failure after a
  // success in the same batch): failures win, then duplicates, then successes.
  const byRef = new Map<string, { outcome: LineOutcome; message: string | null; detail: string | null }>()
  const note = (list: ImportResult["successes"], outcome: LineOutcome, rank: number) => {
    for (const o of list) {
      const current = byRef.get(o.externalReference)
      if (current && RANK[current.outcome] >= rank) continue
      byRef.set(o.externalReference, { outcome, message: o.message, detail: o.detail })
    }
  }
  note(result.successes, "success", RANK.success)
  note(result.duplicates, "duplicate", RANK.duplicate)
  note(result.failures, "failure", RANK.failure)
  // OrderFlow echoes the externalReference it was sent; some installations
  // trim it or change its case. Exact match first, then ignoring surrounding
  // whitespace and letter case — unless two sent references collide that way.
  const loose = new Map<string, string | null>()
  for (const ref of byRef.keys()) loose.set(looseKey(ref), loose.has(looseKey(ref)) ? null : ref)
  const sentLoose = new Map<string, number>()
  for (const item of sent) sentLoose.set(looseKey(item.reference), (sentLoose.get(looseKey(item.reference)) ?? 0) + 1)
  return sent.map((item) => {
    let found = byRef.get(item.reference)
    if (!found && sentLoose.get(looseKey(item.reference)) === 1) {
      const ref = loose.get(looseKey(item.reference))
      if (ref) found = byRef.get(ref)
    }
    if (!found) {
      return { ...item, outcome: "missing", message: "not mentioned in OrderFlow's importResult; will be sent again", detail: null }
    }
    const message =
      found.message ?? (found.outcome === "success" ? "Successfully Exported" : found.outcome === "duplicate" ? "Already present in OrderFlow" : "Failed")
    return { ...item, outcome: found.outcome, message, detail: found.detail }
  })
}

const looseKey = (reference: string) => reference.trim().toLowerCase()

const RANK: Record<LineOutcome, number> = { missing: 0, success: 1, duplicate: 2, failure: 3 }
