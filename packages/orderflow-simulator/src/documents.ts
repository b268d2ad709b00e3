// Every request received on the OrderFlow routes, kept with the answer given,
// so tests and people can see exactly what the plugin sent (OrderFlow keeps
// "searchable logs of all incoming and outgoing XML transactions", seed 003).

import type { InboundFaultKind } from "./faults"

export interface ReceivedDocument {
  id: number
  receivedAt: string
  method: string
  /** Full path, including the context. */
  path: string
  /** Path below the context (the OrderFlow operation). */
  route: string
  query: Record<string, string>
  /** Request headers; the Authorization and password values are replaced by "[redacted]". */
  headers: Record<string, string>
  /** The raw request body. */
  body: string
  /** Undefined while the answer is pending, and for dropped / timed-out requests. */
  status?: number
  responseBody?: string
  /** The fault applied to this request, if any. */
  fault?: InboundFaultKind
  durationMs?: number
}

export interface DocumentFilter {
  /** Substring of the path (e.g. "importitems", "cancel.xml"). */
  path?: string
  method?: string
  /** Only documents with a greater id. */
  since?: number
  /** The most recent N (default 100). */
  limit?: number
}

const REDACTED = new Set(["authorization", "password"])

export class DocumentLog {
  private documents: ReceivedDocument[] = []
  private nextId = 1

  constructor(private readonly max: number) {}

  add(doc: Omit<ReceivedDocument, "id" | "headers"> & { headers: Record<string, string | string[] | undefined> }): ReceivedDocument {
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(doc.headers)) {
      if (v === undefined) continue
      headers[k] = REDACTED.has(k.toLowerCase()) ? "[redacted]" : Array.isArray(v) ? v.join(", ") : v
    }
    const stored: ReceivedDocument = { ...doc, headers, id: this.nextId++ }
    this.documents.push(stored)
    if (this.documents.length > this.max) this.documents.splice(0, this.documents.length - this.max)
    return stored
  }

  list(filter: DocumentFilter = {}): ReceivedDocument[] {
    let out = this.documents
    if (filter.path) out = out.filter((d) => d.path.includes(filter.path!))
    if (filter.method) out = out.filter((d) => d.method === filter.method!.toUpperCase())
    if (filter.since !== undefined) out = out.filter((d) => d.id > filter.since!)
    const limit = filter.limit ?? 100
    return out.slice(Math.max(0, out.length - limit))
  }

  get(id: number): ReceivedDocument | undefined {
    return this.documents.find((d) => d.id === id)
  }

  clear(): void {
    this.documents = []
  }
}
