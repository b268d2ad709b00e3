// Optional JSON persistence (--state-file): the warehouse, its counters and
// the push messages survive a restart, so a demo store and the simulator can
// be stopped and started independently without sequence ids going backwards.
// Received documents are not kept (they are a log, and large).

import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import type { PushMessage } from "./push"
import type { Counters, Order, Product, ReturnItem } from "./types"

export interface PersistedState {
  version: 1
  savedAt: string
  products: Product[]
  orders: Order[]
  /** Absent in files written before returns existed. */
  returns?: ReturnItem[]
  counters: Counters
  messages: PushMessage[]
}

export function loadState(file: string): PersistedState | undefined {
  if (!existsSync(file)) return undefined
  const parsed = JSON.parse(readFileSync(file, "utf8")) as PersistedState
  if (parsed.version !== 1) throw new Error(`${file}: unsupported state file version ${String(parsed.version)}`)
  return parsed
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
export function saveState(file: string, state: Omit<PersistedState, "version" | "savedAt">): void {
  const data: PersistedState = { version: 1, savedAt: new Date().toISOString(), ...state }
  const tmp = `${file}.tmp-${process.pid}`
  writeFileSync(tmp, JSON.stringify(data))
  renameSync(tmp, file)
}
