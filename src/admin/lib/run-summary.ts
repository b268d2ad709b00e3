/**
 * What one run of an operation did, in words, for the Operations table and
 * the "Run now" toast. A run that finished without throwing is not always a
 * success for the merchant: an export whose only call OrderFlow refused (a
 * 401), or that sent nothing because its endpoint is blocked or waiting for
 * the next probe, says so here instead of "success" beside a Blocked card.
 */
export type RunTone = "success" | "warning" | "error"

export type RunView = {
  tone: RunTone
  /** Short: the table's pill. */
  label: string
  /** One line: counts, or why nothing went out. */
  text: string
}

export type RunRecord = {
  status: "success" | "failed" | null | undefined
  summary: Record<string, unknown> | null | undefined
  error: string | null | undefined
}

/** Fields that are not counts a merchant reads (ids, windows, gates). */
const NOT_COUNTS = new Set(["export_id", "window_from", "window_to", "gate", "gate_reason", "due_at"])

/** Counts of work that did not go through: a run with any of them is not a plain success. */
const PROBLEMS = ["failed", "failed_lines", "processed_with_errors", "unknown_sku", "rejected", "over_shipped", "send_failed", "unmatched"]

/** A product batch's `missing` (no answer for the item: it goes again) is the order export's `retrying`. */
const LABELS: Record<string, string> = { missing: "retrying" }

const words = (key: string) => LABELS[key] ?? key.replace(/_/g, " ")

function countParts(summary: Record<string, unknown> | null | undefined): string[] {
  return Object.entries(summary ?? {})
    .filter(([k, v]) => !NOT_COUNTS.has(k) && typeof v === "number" && Number.isFinite(v) && v !== 0)
    .map(([k, v]) => `${words(k)} ${v}`)
}

/** The run's non-zero top-level counts, "sent 6 · exported 6", or "nothing to do". */
export function runCounts(summary: Record<string, unknown> | null | undefined): string {
  const parts = countParts(summary)
  return parts.length ? parts.join(" · ") : "nothing to do"
}

/** The first error a finished run's summary carries (`error`, `pull_error`, …), if any. */
function summaryError(summary: Record<string, unknown> | null | undefined): string | null {
  for (const [k, v] of Object.entries(summary ?? {})) {
    if ((k === "error" || k.endsWith("_error")) && typeof v === "string" && v) return v
  }
  return null
}

export function describeRun(run: RunRecord): RunView {
  if (run.status === "failed") return { tone: "error", label: "failed", text: run.error ?? "the run failed" }
  const summary = run.summary ?? null
  const gate = typeof summary?.gate === "string" ? summary.gate : null
  const gateReason = typeof summary?.gate_reason === "string" ? summary.gate_reason : null
  const counts = runCounts(summary)
  if (gate === "blocked") {
    return { tone: "error", label: "blocked", text: `nothing sent: the endpoint is ${gateReason ?? "blocked"}; save the settings or use Run now to try again` }
  }
  const error = summaryError(summary)
  if (error) {
    const parts = countParts(summary)
    return { tone: "error", label: "call failed", text: parts.length ? `${error} (${parts.join(" · ")})` : error }
  }
  if (gate === "waiting") return { tone: "warning", label: "waiting", text: `nothing sent: ${gateReason ?? "waiting for the next probe"}` }
  if (PROBLEMS.some((k) => typeof summary?.[k] === "number" && (summary[k] as number) > 0)) return { tone: "warning", label: "some failed", text: counts }
  return { tone: "success", label: "success", text: counts }
}
