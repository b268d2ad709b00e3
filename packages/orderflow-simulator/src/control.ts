// The control side: what a warehouse operator (or a test) does to the
// simulated OrderFlow. The same operations are offered as functions
// (sim.control) and as a JSON API under /_sim/ (no auth).

import type { DocumentFilter, DocumentLog, ReceivedDocument } from "./documents"
import { ControlError } from "./errors"
import { CODE_LISTS, DOCUMENTED_IMPORT_FIELDS, type DocumentedField } from "./import-fields"
import type { FaultPatch, Faults, FaultSettings } from "./faults"
import { PUSH_FORMATS, type PushFormat } from "./messages"
import type { ResolvedOptions } from "./options"
import type { Prng } from "./prng"
import type { InventoryPushMode, MessageStatus, PushMessage, Pusher } from "./push"
import { applyReturn, type ApplyReturnInput } from "./returns"
import { SHIPMENT_STATES, type Order, type Product, type ReturnItem, type Shipment, type ShipmentState, type StockRecord } from "./types"
import { Warehouse, type DespatchInput, type StockChange } from "./warehouse"

export interface SeedProduct {
  sku: string
  description?: string
  /** Total stock: at the default site, or per site. */
  stock?: number | Record<string, number>
  fields?: Record<string, string>
  organisation?: string
  activated?: boolean
  type?: string
}

export interface SeedInput {
  products?: SeedProduct[]
  /** Generates count SKUs named prefix + zero-padded number (SIM-00001 ...). */
  generate?: { count: number; prefix?: string; stock?: number | [number, number]; organisation?: string }
}

export interface StockInput extends StockChange {
  sku: string
  /** Default: the default site. */
  site?: string
  /** set (default) replaces the given figures; adjust adds to them. */
  mode?: "set" | "adjust"
}

export interface PushRequest {
  mode: InventoryPushMode
  sku?: string
  /** Resolve only when every message created is delivered or failed. */
  wait?: boolean
  timeoutMs?: number
}

export interface PushOutcome {
  messages: MessageSummary[]
  /** With wait: whether everything settled before the timeout. */
  settled?: boolean
}

export interface MessageSummary {
  messageSeqId: number
  type: PushMessage["type"]
  mode: PushMessage["mode"]
  status: MessageStatus
  skuCount: number
  lineCount: number
  attempts: number
  totalAttempts: number
  duplicate: boolean
  createdAt: string
  deliveredAt?: string
  failedAt?: string
  lastStatus?: number
  lastError?: string
  nextAttemptAt?: string
  sends: number
}

export type StockView = StockRecord & { available: number }
export type ProductView = Omit<Product, "stock"> & { stock: Record<string, StockView> }

export interface ConfigPatch {
  storeUrl?: string
  storeUser?: string
  storePassword?: string
  pushFormat?: PushFormat
  chunkSize?: number
  pushRetries?: number
  pushRetryDelayMs?: number
  pushTimeoutMs?: number
  pushConcurrency?: number
  autoPushMs?: number
  negativeAsZero?: boolean
  errorStatus?: number
  cancelChangesExternalReference?: boolean
  /** Strict imports (see import-fields.ts). */
  strict?: boolean
  taxCodes?: string[]
}

export interface ControlDeps {
  options: ResolvedOptions
  warehouse: Warehouse
  pusher: Pusher
  faults: Faults
  documents: DocumentLog
  dataPrng: Prng
  urls: () => { url: string; baseUrl: string }
  onConfigChange: () => void
}

export function summarise(m: PushMessage): MessageSummary {
  return {
    messageSeqId: m.messageSeqId,
    type: m.type,
    mode: m.mode,
    status: m.status,
    skuCount: m.skuCount,
    lineCount: m.lineCount,
    attempts: m.attempts,
    totalAttempts: m.totalAttempts,
    duplicate: m.duplicate,
    createdAt: m.createdAt,
    deliveredAt: m.deliveredAt,
    failedAt: m.failedAt,
    lastStatus: m.lastStatus,
    lastError: m.lastError,
    nextAttemptAt: m.nextAttemptAt,
    sends: m.sends.length,
  }
}

export class SimulatorControl {
  constructor(private readonly deps: ControlDeps) {}

  private get w(): Warehouse {
    return this.deps.warehouse
  }

  // ---- catalogue and stock ---------------------------------------------------------------------

  /** Creates products (or updates their stock when they exist); explicit list and/or generated SKUs. */
  seed(input: SeedInput): { created: number; updated: number; first?: string; last?: string } {
    const list: SeedProduct[] = [...(input.products ?? [])]
    const g = input.generate
    if (g) {
      if (!Number.isInteger(g.count) || g.count < 0) throw new ControlError("generate.count must be a non-negative integer")
      const width = Math.max(5, String(g.count).length)
      const prefix = g.prefix ?? "SIM-"
      for (let i = 1; i <= g.count; i++) {
        const stock = Array.isArray(g.stock) ? this.deps.dataPrng.int(g.stock[0], g.stock[1]) : g.stock
        list.push({ sku: `${prefix}${String(i).padStart(width, "0")}`, stock, organisation: g.organisation })
      }
    }
    let created = 0
    let updated = 0
    for (const p of list) {
      if (!p.sku) throw new ControlError("Every product needs a sku")
      const organisation = p.organisation ?? this.deps.options.organisations[0].reference
      if (!this.w.knowsOrganisation(organisation)) throw new ControlError(`Unknown organisation '${organisation}'`)
      const existing = this.w.product(p.sku)
      if (existing) updated++
      else {
        this.w.createProduct({
          externalReference: p.sku,
          organisation,
          description: p.description ?? `Simulated product ${p.sku}`,
          type: p.type,
          activated: p.activated,
          fields: p.fields,
        })
        created++
      }
      if (p.stock !== undefined) {
        const perSite = typeof p.stock === "number" ? { [this.w.defaultSite]: p.stock } : p.stock
        for (const [site, total] of Object.entries(perSite)) this.w.changeStock(p.sku, site, { total })
      }
    }
    return { created, updated, first: list[0]?.sku, last: list[list.length - 1]?.sku }
  }

  /** Sets or adjusts stock figures; each change creates a new inventory record (a new sequence id). */
  setStock(input: StockInput | StockInput[]): StockView[] {
    const changes = Array.isArray(input) ? input : [input]
    return changes.map((c) => {
      const site = c.site ?? this.w.defaultSite
      const record = this.w.changeStock(c.sku, site, c, c.mode ?? "set")
      return { ...record, available: Warehouse.available(record) }
    })
  }

  /** Shorthand: add delta (may be negative) to the total at a site. */
  adjustStock(sku: string, delta: number, site?: string): StockView {
    return this.setStock({ sku, site, total: delta, mode: "adjust" })[0]
  }

  // ---- reading state ---------------------------------------------------------------------------

  productView(p: Product): ProductView {
    const stock: Record<string, StockView> = {}
    for (const [site, r] of Object.entries(p.stock)) stock[site] = { ...r, available: Warehouse.available(r) }
    return { ...p, stock }
  }

  products(filter: { sku?: string; limit?: number; offset?: number } = {}): { products: ProductView[]; count: number } {
    let all = [...this.w.state.products.values()]
    if (filter.sku) all = all.filter((p) => p.externalReference.includes(filter.sku!))
    const offset = filter.offset ?? 0
    const limit = filter.limit ?? 100
    return { products: all.slice(offset, offset + limit).map((p) => this.productView(p)), count: all.length }
  }

  product(sku: string): ProductView {
    return this.productView(this.w.requireProduct(sku))
  }

  orders(): Order[] {
    return [...this.w.state.orders.values()]
  }

  order(reference: string): Order {
    const order = this.w.order(reference)
    if (!order) throw new ControlError(`Unknown order '${reference}'`, 404)
    return order
  }

  shipments(filter: { state?: ShipmentState } = {}): Shipment[] {
    const out: Shipment[] = []
    for (const o of this.w.state.orders.values()) for (const s of o.shipments) if (!filter.state || s.state === filter.state) out.push(s)
    return out
  }

  state() {
    const shipmentsByState: Record<string, number> = {}
    for (const s of this.shipments()) shipmentsByState[s.state] = (shipmentsByState[s.state] ?? 0) + 1
    const o = this.deps.options
    return {
      ...this.deps.urls(),
      seed: o.seed,
      sites: o.sites,
      organisations: o.organisations,
      counters: { ...this.w.state.counters },
      products: this.w.state.products.size,
      orders: this.w.state.orders.size,
      shipments: shipmentsByState,
      deliveries: this.deps.pusher.summary(),
      faults: this.deps.faults.settings,
    }
  }

  config(): Omit<ConfigPatch, "storePassword"> & { storePasswordSet: boolean } {
    const o = this.deps.options
    return {
      storeUrl: o.storeUrl,
      storeUser: o.storeUser,
      storePasswordSet: o.storePassword !== undefined,
      pushFormat: o.pushFormat,
      chunkSize: o.chunkSize,
      pushRetries: o.pushRetries,
      pushRetryDelayMs: o.pushRetryDelayMs,
      pushTimeoutMs: o.pushTimeoutMs,
      pushConcurrency: o.pushConcurrency,
      autoPushMs: o.autoPushMs,
      negativeAsZero: o.negativeAsZero,
      errorStatus: o.errorStatus,
      cancelChangesExternalReference: o.cancelChangesExternalReference,
      strict: o.strict,
      taxCodes: o.taxCodes,
    }
  }

  /** The documented import properties strict mode checks (the same table), with the tax codes in force. */
  importFields(): { strict: boolean; fields: ReadonlyArray<DocumentedField>; codes: Record<string, ReadonlyArray<string>> } {
    const o = this.deps.options
    return { strict: o.strict, fields: DOCUMENTED_IMPORT_FIELDS, codes: { ...CODE_LISTS, taxCode: o.taxCodes } }
  }

  /** Changes push/answer settings at run time (e.g. wiring the store URL once the store is up). */
  configure(patch: ConfigPatch): ReturnType<SimulatorControl["config"]> {
    const o = this.deps.options
    const ints: (keyof ConfigPatch)[] = ["chunkSize", "pushRetries", "pushRetryDelayMs", "pushTimeoutMs", "pushConcurrency", "autoPushMs", "errorStatus"]
    for (const k of ints) {
      const v = patch[k]
      if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0)) throw new ControlError(`${k} must be a non-negative integer`)
    }
    if (patch.strict !== undefined && typeof patch.strict !== "boolean") throw new ControlError("strict must be true or false")
    if (patch.taxCodes !== undefined && (!Array.isArray(patch.taxCodes) || patch.taxCodes.some((c) => typeof c !== "string" || !c.trim()))) {
      throw new ControlError("taxCodes must be an array of non-empty strings")
    }
    if (patch.pushFormat !== undefined && !PUSH_FORMATS.includes(patch.pushFormat)) {
      throw new ControlError(`pushFormat must be one of ${PUSH_FORMATS.join(", ")}`)
    }
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v
    this.deps.onConfigChange()
    return this.config()
  }

  // ---- received documents and faults -------------------------------------------------------------

  documents(filter: DocumentFilter = {}): ReceivedDocument[] {
    return this.deps.documents.list(filter)
  }

  document(id: number): ReceivedDocument {
    const doc = this.deps.documents.get(id)
    if (!doc) throw new ControlError(`Unknown document ${id}`, 404)
    return doc
  }

  clearDocuments(): void {
    this.deps.documents.clear()
  }

  faults(): FaultSettings {
    return this.deps.faults.settings
  }

  setFaults(patch: FaultPatch): FaultSettings {
    return this.deps.faults.set(patch)
  }

  clearFaults(): FaultSettings {
    this.deps.faults.clear()
    return this.deps.faults.settings
  }

  // ---- pushes -----------------------------------------------------------------------------------------

  async pushInventory(req: PushRequest): Promise<PushOutcome> {
    if (req.wait && !this.deps.options.storeUrl) throw new ControlError("No store URL configured: nothing can be delivered", 409)
    const messages = this.deps.pusher.createInventoryMessages(req.mode, req.sku)
    if (!req.wait) return { messages: messages.map(summarise) }
    this.deps.pusher.flush()
    const { settled } = await this.deps.pusher.waitFor(
      messages.map((m) => m.messageSeqId),
      req.timeoutMs
    )
    return { messages: messages.map(summarise), settled }
  }

  /** Despatches (part of) an order's shipment and pushes the shipment message (push: false to skip it). */
  async despatch(input: DespatchInput & { push?: boolean; wait?: boolean; timeoutMs?: number }) {
    const result = this.w.despatch(input)
    const message = input.push === false ? undefined : this.deps.pusher.createShipmentMessage(result)
    let settled: boolean | undefined
    if (message && input.wait) {
      if (!this.deps.options.storeUrl) throw new ControlError("No store URL configured: nothing can be delivered", 409)
      this.deps.pusher.flush()
      settled = (await this.deps.pusher.waitFor([message.messageSeqId], input.timeoutMs)).settled
    }
    return {
      order: { externalReference: result.order.externalReference, state: result.order.state },
      shipment: result.shipment,
      remainder: result.remainder,
      message: message && summarise(message),
      payload: message?.payload,
      settled,
    }
  }

  setShipmentState(reference: string, state: ShipmentState): Shipment {
    if (!SHIPMENT_STATES.includes(state)) throw new ControlError(`Unknown state '${state}'`)
    return this.w.setShipmentState(reference, state)
  }

  /** Imported returns, newest first (optionally by state). */
  returns(filter: { state?: ReturnItem["state"] } = {}): ReturnItem[] {
    return [...this.w.state.returns.values()].filter((r) => !filter.state || r.state === filter.state).sort((a, b) => b.id - a.id)
  }

  return(id: number): ReturnItem {
    const r = this.w.state.returns.get(id)
    if (!r) throw new ControlError(`Unknown return ${id}`, 404)
    return r
  }

  /** Applies a return as the warehouse does when it books the parcel in (returnCondition per line, completed now). */
  applyReturn(id: number, input: ApplyReturnInput = {}): ReturnItem {
    return applyReturn(this.w, id, input ?? {}, this.deps.options.now())
  }

  /** Cancels an order from the warehouse side (same rules as cancel.xml). */
  cancelOrder(reference: string, changeExternalReference = false): Order {
    return this.w.cancelOrder(this.order(reference), changeExternalReference)
  }

  deliveries(filter: { status?: MessageStatus } = {}): PushMessage[] {
    return this.deps.pusher.list(filter.status)
  }

  /** The connector's own calls in the SOAP push modes: WSDL fetches, token requests, logins (newest last). */
  connectorLog() {
    return [...this.deps.pusher.connectorLog]
  }

  delivery(id: number): PushMessage {
    const m = this.deps.pusher.messages.get(id)
    if (!m) throw new ControlError(`Unknown message ${id}`, 404)
    return m
  }

  retryFailed(ids?: number[]): MessageSummary[] {
    return this.deps.pusher.retryFailed(ids).map(summarise)
  }

  /** Releases an incomplete shuffle window now. */
  flush(): void {
    this.deps.pusher.flush()
  }

  /** Waits until the given messages (default: every pending one) are delivered or failed. */
  async waitForDeliveries(opts: { ids?: number[]; timeoutMs?: number } = {}): Promise<{ settled: boolean; pending: number[] }> {
    this.deps.pusher.flush()
    const ids = opts.ids ?? this.deps.pusher.list("pending").map((m) => m.messageSeqId)
    return this.deps.pusher.waitFor(ids, opts.timeoutMs)
  }

  /** OrderFlow's Initialize button: inventory record ids restart at startAt (default 1); nothing is pushed. */
  reinitialise(opts: { startAt?: number } = {}): ReturnType<Warehouse["reinitialise"]> {
    return this.w.reinitialise(opts.startAt ?? 1)
  }

  /** Empties warehouse, messages, documents and faults. Counters keep rising unless counters: true. */
  reset(opts: { counters?: boolean } = {}): void {
    this.w.reset(!!opts.counters)
    this.deps.pusher.clear()
    this.deps.documents.clear()
    this.deps.faults.clear()
  }
}

// ---- HTTP adapter (/_sim/...) -------------------------------------------------------------------------

export interface ControlResponse {
  status: number
  json: unknown
}

const num = (v: string | null) => (v === null || v === "" ? undefined : Number(v))

function body<T>(raw: string): T {
  if (!raw.trim()) return {} as T
  try {
    return JSON.parse(raw) as T
  } catch {
    throw new ControlError("Body must be JSON")
  }
}

/**
 * Lists omit message bodies unless view=full (a full push of 10,000 SKUs is
 * megabytes); view=summary leaves the payload out too.
 */
function messageView(m: PushMessage, view: string | null): unknown {
  if (view === "full") return m
  if (view === "summary") return summarise(m)
  return { ...summarise(m), payload: m.payload }
}

export async function handleControlRequest(
  control: SimulatorControl,
  method: string,
  path: string,
  query: URLSearchParams,
  raw: string
): Promise<ControlResponse> {
  const parts = path.replace(/^\/_sim\/?/, "").split("/").filter(Boolean).map(decodeURIComponent)
  const route = `${method} ${parts[0] ?? ""}`
  const ok = (json: unknown, status = 200): ControlResponse => ({ status, json })
  switch (route) {
    case "GET ":
    case "GET health":
      return ok({ ok: true, ...control.state() })
    case "GET state":
      return ok(control.state())
    case "GET config":
      return ok(control.config())
    case "POST config":
      return ok(control.configure(body(raw)))
    case "GET import-fields":
      return ok(control.importFields())
    case "POST seed":
      return ok(control.seed(body(raw)))
    case "POST stock": {
      const b = body<StockInput | StockInput[] | { changes: StockInput[] }>(raw)
      return ok(control.setStock("changes" in b ? b.changes : b))
    }
    case "GET products":
      if (parts[1]) return ok(control.product(parts[1]))
      return ok(control.products({ sku: query.get("sku") ?? undefined, limit: num(query.get("limit")), offset: num(query.get("offset")) }))
    case "GET orders":
      if (parts[1]) return ok(control.order(parts[1]))
      return ok({ orders: control.orders() })
    case "POST orders":
      if (parts[1] && parts[2] === "cancel") {
        return ok(control.cancelOrder(parts[1], !!body<{ changeExternalReference?: boolean }>(raw).changeExternalReference))
      }
      break
    case "GET shipments":
      return ok({ shipments: control.shipments({ state: (query.get("state") as ShipmentState) ?? undefined }) })
    case "POST shipments":
      if (parts[1] && parts[2] === "state") return ok(control.setShipmentState(parts[1], body<{ state: ShipmentState }>(raw).state))
      break
    case "GET returns":
      if (parts[1]) return ok(control.return(Number(parts[1])))
      return ok({ returns: control.returns({ state: (query.get("state") as ReturnItem["state"]) ?? undefined }) })
    case "POST returns":
      if (parts[1] && parts[2] === "apply") return ok(control.applyReturn(Number(parts[1]), body<ApplyReturnInput>(raw)))
      break
    case "POST despatch":
      return ok(await control.despatch(body(raw)))
    case "GET documents":
      if (parts[1]) return ok(control.document(Number(parts[1])))
      return ok({
        documents: control.documents({
          path: query.get("path") ?? undefined,
          method: query.get("method") ?? undefined,
          since: num(query.get("since")),
          limit: num(query.get("limit")),
        }),
      })
    case "DELETE documents":
      control.clearDocuments()
      return ok({ cleared: true })
    case "GET faults":
      return ok(control.faults())
    case "POST faults":
      return ok(control.setFaults(body(raw)))
    case "DELETE faults":
      return ok(control.clearFaults())
    case "POST push":
      return ok(await control.pushInventory(body(raw)))
    case "GET connector":
      return ok({ calls: control.connectorLog() })
    case "GET deliveries": {
      const view = query.get("view")
      if (parts[1]) return ok(messageView(control.delivery(Number(parts[1])), "full"))
      const status = (query.get("status") as MessageStatus) ?? undefined
      const since = num(query.get("since"))
      const all = control.deliveries({ status }).filter((m) => since === undefined || m.messageSeqId > since)
      const limit = num(query.get("limit")) ?? 1000
      return ok({ count: all.length, summary: control.state().deliveries, deliveries: all.slice(-limit).map((m) => messageView(m, view)) })
    }
    case "POST deliveries":
      if (parts[1] === "retry") return ok({ retried: control.retryFailed(body<{ ids?: number[] }>(raw).ids) })
      if (parts[1] === "flush") {
        control.flush()
        return ok({ flushed: true })
      }
      if (parts[1] === "wait") return ok(await control.waitForDeliveries(body(raw)))
      break
    case "POST reinitialise":
      return ok(control.reinitialise(body(raw)))
    case "POST reset":
      control.reset(body(raw))
      return ok({ reset: true })
  }
  throw new ControlError(`No control route ${method} ${path} (see --help)`, 404)
}
