import type { PlannedLine } from "./inventory-plan"

/**
 * Lines with a stored sequence id a message must carry before it can be
 * taken for a full push after OrderFlow's Initialize button: an incremental
 * message of a few late lines is an ordinary stale update.
 */
export const REINITIALISED_MIN_LINES = 10

/**
 * Whether a stock message looks like OrderFlow re-initialised its inventory
 * (seed 000 "Full Stock Push": Initialize recalculates every product into
 * new records): at least REINITIALISED_MIN_LINES lines have a stored
 * sequence id, and every one of them is strictly below it. A replay of an
 * old message would carry ids equal to the stored ones for the SKUs it last
 * set, and an out-of-order incremental message is short; a full push whose
 * ids are all lower means the ids restarted, and every later update would
 * be stale until the stored ids are reset.
 */
export function looksReinitialised(lines: ReadonlyArray<Pick<PlannedLine, "seq" | "previousSeq">>, minLines = REINITIALISED_MIN_LINES): boolean {
  let compared = 0
  for (const l of lines) {
    if (l.previousSeq === null) continue
    if (l.seq >= l.previousSeq) return false
    compared++
  }
  return compared >= minLines
}
