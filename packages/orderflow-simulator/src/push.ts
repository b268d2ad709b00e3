// Operations FROM OrderFlow: building inventory and shipment notifications and
// delivering them to the store.
//
// Delivery follows seed 003: a push counts as delivered only on HTTP 200;
// anything else (or a network error / timeout) is retried with exponential
// back-off (pushRetryDelayMs * 2^(n-1)) up to pushRetries times; then the
// message is failed and listed for an administrator, who can retry it. A
// message waiting for its retry does not hold up the ones behind it, so
// retries alone already deliver out of order, as the guide warns.

import { EventEmitter } from "node:events"
import { Agent, request } from "undici"
import { ControlError } from "./errors"
import type { Faults } from "./faults"
import {
  M2_OPERATIONS,
  M2_SERVICES,
  renderInventoryUpdate,
  renderM1Login,
  renderM2TokenRequest,
  renderShipmentDespatch,
  SESSION_PLACEHOLDER,
  type InventoryUpdate,
  type ProductQty,
  type ProductSeq,
  type PushFormat,
  type ShipmentDespatch,
} from "./messages"
import { formatDateTime } from "./time"
import type { Product } from "./types"
import { Warehouse, type DespatchResult } from "./warehouse"

export interface PushConfig {
  storeUrl?: string
  storeUser?: string
  storePassword?: string
  pushFormat: PushFormat
  /** inventory.notification.chunk.size: SKUs per inventory message. */
  chunkSize: number
  pushRetries: number
  pushRetryDelayMs: number
  pushTimeoutMs: number
  pushConcurrency: number
  /** Send negative availability as 0 (an OrderFlow option, seed 000); default off. */
  negativeAsZero: boolean
  soapSessionId: string
  /** Zone of the times it writes (lastOrderExported, dateShipped). */
  timeZone: string
}

export type InventoryPushMode = "single" | "full" | "incremental"
export type MessageStatus = "pending" | "delivered" | "failed"

export interface SendRecord {
  at: string
  copy: "original" | "duplicate"
  attempt: number
  status?: number
  error?: string
  durationMs: number
  responseBody?: string
}

export interface PushMessage {
  messageSeqId: number
  type: "inventory" | "shipment"
  mode: InventoryPushMode | "despatch"
  format: PushFormat
  path: "/orderflow/inventory" | "/orderflow/shipment"
  contentType: string
  headers?: Record<string, string>
  body: string
  payload: InventoryUpdate | ShipmentDespatch
  /** Inventory: SKUs and productQtys lines in the message; shipment: skuQty lines. */
  skuCount: number
  lineCount: number
  createdAt: string
  status: MessageStatus
  /** Attempts of the original copy since it was (re)queued, and in total. */
  attempts: number
  totalAttempts: number
  /** Chosen at creation: this message is delivered twice. */
  duplicate: boolean
  deliveredAt?: string
  failedAt?: string
  lastStatus?: number
  lastError?: string
  nextAttemptAt?: string
  sends: SendRecord[]
}

interface QueueEntry {
  id: number
  copy: "original" | "duplicate"
  attempt: number
}

interface Batch {
  label: string
  ids: Set<number>
  settled: number
  reported: number
}

const MAX_RESPONSE_KEPT = 2000

export class Pusher {
  readonly messages = new Map<number, PushMessage>()
  private readonly events = new EventEmitter()
  private staging: QueueEntry[] = []
  private ready: QueueEntry[] = []
  private active = 0
  private holdTimer?: NodeJS.Timeout
  private readonly retryTimers = new Set<NodeJS.Timeout>()
  private readonly batches: Batch[] = []
  private agent: Agent
  private closed = false
  /** What a connector remembers between pushes: the M2 admin token, the M1 session id, the WSDL namespace per service. */
  private m2Token?: Promise<string>
  private m1Session?: Promise<string>
  private readonly wsdlNamespaces = new Map<string, Promise<{ tns: string; required: string[] }>>()
  /** Logins and token requests made, for tests and the control API. */
  readonly connectorLog: Array<{ at: string; what: "wsdl" | "token" | "login"; ok: boolean; detail?: string }> = []

  constructor(
    private readonly warehouse: Warehouse,
    readonly config: PushConfig,
    private readonly faults: Faults,
    private readonly log: (line: string) => void,
    private readonly onChange: () => void
  ) {
    this.events.setMaxListeners(0)
    this.agent = new Agent({ connections: 16 })
  }

  // ---- building messages ---------------------------------------------------------------

  private nextSeqId(): number {
    return ++this.warehouse.state.counters.messageSeqId
  }

  private lastOrderExported(): string | undefined {
    const at = this.warehouse.state.counters.lastOrderImportAt
    return at ? formatDateTime(new Date(at), this.config.timeZone) : undefined
  }

  /**
   * Lines of one product: one per site (with source) when several sites are
   * configured, else one without source. The SOAP form has no source, so a
   * multi-site warehouse sends the global figure and the global record id there.
   */
  private productLines(product: Product, sites: string[]): { qtys: ProductQty[]; seqs: ProductSeq[] } {
    const clamp = (n: number) => (this.config.negativeAsZero ? Math.max(0, n) : n)
    const lastOrderExported = this.lastOrderExported()
    const withLast = (seq: ProductSeq) => (lastOrderExported ? { ...seq, lastOrderExported } : seq)
    const w = this.warehouse
    if ((this.config.pushFormat === "soap" || this.config.pushFormat === "soap-m1") && w.multiSite) {
      const g = w.globalStock(product)
      return {
        qtys: [{ sku: product.externalReference, qty: clamp(Warehouse.available(g)) }],
        seqs: [withLast({ sku: product.externalReference, seq: g.inventoryId })],
      }
    }
    const qtys: ProductQty[] = []
    const seqs: ProductSeq[] = []
    for (const site of sites) {
      const r = product.stock[site]
      const source = w.multiSite ? { source: site } : {}
      qtys.push({ sku: product.externalReference, qty: clamp(Warehouse.available(r)), ...source })
      seqs.push(withLast({ sku: product.externalReference, seq: r.inventoryId, ...source }))
    }
    return { qtys, seqs }
  }

  /**
   * Creates inventory messages (seed 000, "Initiating Inventory Import"):
   * single (one SKU, all sites), full (every product, chunkSize SKUs per
   * message) or incremental (products/sites with a record newer than the last
   * incremental push). Returns the messages, already queued for delivery.
   */
  createInventoryMessages(mode: InventoryPushMode, sku?: string): PushMessage[] {
    const w = this.warehouse
    const selected: { product: Product; sites: string[] }[] = []
    if (mode === "single") {
      if (!sku) throw new ControlError("A single product push needs a sku")
      selected.push({ product: w.requireProduct(sku), sites: w.sites })
    } else if (mode === "full") {
      for (const product of w.state.products.values()) selected.push({ product, sites: w.sites })
    } else if (mode === "incremental") {
      const counters = w.state.counters
      const since = counters.incrementalWatermark
      for (const product of w.state.products.values()) {
        const sites = w.sites.filter((s) => product.stock[s].inventoryId > since)
        if (sites.length > 0) selected.push({ product, sites })
      }
      counters.incrementalWatermark = counters.inventoryRecordId
    } else {
      throw new ControlError(`Unknown push mode '${mode}' (single, full or incremental)`)
    }

    const messages: PushMessage[] = []
    const size = Math.max(1, this.config.chunkSize)
    for (let i = 0; i < selected.length; i += size) {
      const chunk = selected.slice(i, i + size)
      const productQtys: ProductQty[] = []
      const productSeqs: ProductSeq[] = []
      for (const { product, sites } of chunk) {
        const { qtys, seqs } = this.productLines(product, sites)
        productQtys.push(...qtys)
        productSeqs.push(...seqs)
      }
      const payload: InventoryUpdate = { productQtys, productSeqs, messageSeqId: this.nextSeqId() }
      const rendered = renderInventoryUpdate(payload, this.config.pushFormat, this.config.soapSessionId)
      messages.push(this.newMessage("inventory", mode, "/orderflow/inventory", payload, rendered, chunk.length, productQtys.length))
    }
    this.enqueue(messages, `${mode} inventory push`)
    return messages
  }

  /** Creates the shipment despatch message for a despatch and queues it. */
  createShipmentMessage(d: DespatchResult): PushMessage {
    const payload: ShipmentDespatch = {
      orderIncrementId: d.order.externalReference,
      skuQty: d.skuQty,
      ...(d.trackingNumbers.length > 0 ? { trackingNumber: d.trackingNumbers[0] } : {}),
      tracks: d.trackingNumbers.map((trackingNumber) => ({ trackingNumber })),
      ...(d.courierName !== undefined ? { courierName: d.courierName } : {}),
      ...(d.serviceName !== undefined ? { serviceName: d.serviceName } : {}),
      comment: d.comment,
      email: d.email,
      includeComment: d.includeComment,
      dateShipped: formatDateTime(d.dateShipped, this.config.timeZone),
      messageSeqId: this.nextSeqId(),
    }
    const rendered = renderShipmentDespatch(payload, this.config.pushFormat)
    const message = this.newMessage("shipment", "despatch", "/orderflow/shipment", payload, rendered, d.skuQty.length, d.skuQty.length)
    this.enqueue([message], "shipment despatch")
    return message
  }

  private newMessage(
    type: PushMessage["type"],
    mode: PushMessage["mode"],
    path: PushMessage["path"],
    payload: PushMessage["payload"],
    rendered: { contentType: string; body: string; headers?: Record<string, string> },
    skuCount: number,
    lineCount: number
  ): PushMessage {
    const message: PushMessage = {
      messageSeqId: payload.messageSeqId,
      type,
      mode,
      format: this.config.pushFormat,
      path,
      contentType: rendered.contentType,
      headers: rendered.headers,
      body: rendered.body,
      payload,
      skuCount,
      lineCount,
      createdAt: new Date().toISOString(),
      status: "pending",
      attempts: 0,
      totalAttempts: 0,
      duplicate: this.faults.takeDuplicate(),
      sends: [],
    }
    this.messages.set(message.messageSeqId, message)
    return message
  }

  // ---- queueing ----------------------------------------------------------------------------

  private enqueue(messages: PushMessage[], label: string): void {
    if (messages.length === 0) return
    if (messages.length >= 10) {
      this.batches.push({ label, ids: new Set(messages.map((m) => m.messageSeqId)), settled: 0, reported: 0 })
      this.log(`${label}: ${messages.length} messages queued`)
    }
    const entries: QueueEntry[] = []
    for (const m of messages) {
      if (this.faults.takeGiveUp()) {
        // Fault giveUpNext: OrderFlow's retries for this push gave up; it waits for an administrator's retry.
        m.status = "failed"
        m.failedAt = new Date().toISOString()
        m.lastError = "given up (fault giveUpNext): not delivered"
        this.log(`message ${m.messageSeqId} (${m.type}) given up without delivery (fault)`)
        this.settled(m)
        continue
      }
      entries.push({ id: m.messageSeqId, copy: "original", attempt: 0 })
      if (m.duplicate) entries.push({ id: m.messageSeqId, copy: "duplicate", attempt: 0 })
    }
    const window = this.faults.settings.push.shuffleWindow ?? 0
    if (window > 1) {
      // Out-of-order delivery: entries are released in windows, each shuffled
      // with the push PRNG, so the same seed gives the same order.
      this.staging.push(...entries)
      while (this.staging.length >= window) this.release(this.staging.splice(0, window))
      if (this.staging.length > 0 && !this.holdTimer) {
        this.holdTimer = setTimeout(() => this.flush(), this.faults.settings.push.shuffleHoldMs ?? 100)
        this.holdTimer.unref()
      }
    } else {
      this.ready.push(...entries)
    }
    this.onChange()
    this.pump()
  }

  private release(entries: QueueEntry[]): void {
    if (this.faults.settings.push.shuffleOrder === "reverse") this.ready.push(...entries.reverse())
    else this.ready.push(...this.faults.pushRandom.shuffle(entries))
  }

  /** Releases a held, incomplete shuffle window now. */
  flush(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer)
    this.holdTimer = undefined
    if (this.staging.length > 0) this.release(this.staging.splice(0))
    this.pump()
  }

  private pump(): void {
    if (this.closed || !this.config.storeUrl) return
    while (this.active < Math.max(1, this.config.pushConcurrency) && this.ready.length > 0) {
      const entry = this.ready.shift()!
      this.active++
      void this.send(entry).finally(() => {
        this.active--
        this.pump()
      })
    }
  }

  private async send(entry: QueueEntry): Promise<void> {
    const message = this.messages.get(entry.id)
    if (!message) return
    entry.attempt++
    if (entry.copy === "original") {
      message.attempts = entry.attempt
      message.totalAttempts++
      message.nextAttemptAt = undefined
    }
    const started = Date.now()
    const record: SendRecord = { at: new Date().toISOString(), copy: entry.copy, attempt: entry.attempt, durationMs: 0 }
    let ok = false
    try {
      const res = await this.deliver(message)
      record.status = res.status
      record.responseBody = res.text.slice(0, MAX_RESPONSE_KEPT)
      // Seed 003: "considered to have succeeded if the target server returns ... 200"; a SOAP
      // connector also reads the envelope (Magento 2 answers its faults with HTTP 200).
      const fault = soapFault(res.text)
      ok = res.status === 200 && !fault
      if (!ok) record.error = fault ? `SOAP fault ${fault.code}: ${fault.text}` : `HTTP ${res.status}`
    } catch (e) {
      record.error = (e as Error).message || String(e)
    }
    record.durationMs = Date.now() - started
    if (this.closed) return
    message.sends.push(record)
    if (entry.copy === "original") {
      message.lastStatus = record.status
      message.lastError = record.error
    }

    if (ok) {
      if (entry.copy === "original" && message.status === "pending") {
        message.status = "delivered"
        message.deliveredAt = new Date().toISOString()
        this.settled(message)
      }
    } else if (entry.attempt <= this.config.pushRetries) {
      const delay = this.config.pushRetryDelayMs * 2 ** (entry.attempt - 1)
      if (entry.copy === "original") message.nextAttemptAt = new Date(Date.now() + delay).toISOString()
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer)
        this.ready.push(entry)
        this.pump()
      }, delay)
      timer.unref()
      this.retryTimers.add(timer)
    } else if (entry.copy === "original" && message.status === "pending") {
      // "Messages that exceed the maximum number of retries are brought to the attention of an administrator."
      message.status = "failed"
      message.failedAt = new Date().toISOString()
      this.log(`message ${message.messageSeqId} (${message.type}) failed after ${entry.attempt} attempts: ${record.error}`)
      this.settled(message)
    }
    this.onChange()
    this.events.emit("change")
  }

  private async post(path: string, rendered: { contentType: string; body: string; headers?: Record<string, string> }, auth: "basic" | "bearer" | "none", bearer?: string) {
    const headers: Record<string, string> = { "content-type": rendered.contentType, "user-agent": "OrderFlow-Simulator", ...(rendered.headers ?? {}) }
    if (auth === "basic" && this.config.storeUser !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${this.config.storeUser}:${this.config.storePassword ?? ""}`).toString("base64")}`
    }
    if (auth === "bearer" && bearer) headers.authorization = `Bearer ${bearer}`
    const url = new URL(path.replace(/^\//, ""), this.config.storeUrl!.replace(/\/?$/, "/")).toString()
    const res = await request(url, {
      method: "POST",
      headers,
      body: rendered.body,
      dispatcher: this.agent,
      headersTimeout: this.config.pushTimeoutMs,
      bodyTimeout: this.config.pushTimeoutMs,
    })
    return { status: res.statusCode, text: await res.body.text() }
  }

  private note(what: "wsdl" | "token" | "login", ok: boolean, detail?: string) {
    this.connectorLog.push({ at: new Date().toISOString(), what, ok, detail })
    if (this.connectorLog.length > 200) this.connectorLog.shift()
  }

  /** The connector's WSDL fetch: the service's target namespace, after checking the WSDL names the operation. */
  /**
   * The connector's WSDL fetch, once per service: the target namespace, and
   * the request element's required children as the store's WSDL declares
   * them (minOccurs 1), which every body sent must carry — so the simulator
   * and the store's one description of the messages cannot drift apart
   * unnoticed.
   */
  private wsdlOf(service: string, operation: string): Promise<{ tns: string; required: string[] }> {
    let known = this.wsdlNamespaces.get(service)
    if (!known) {
      known = (async () => {
        const url = new URL(`orderflow/soap/default?wsdl&services=${service}`, this.config.storeUrl!.replace(/\/?$/, "/")).toString()
        const res = await request(url, { method: "GET", dispatcher: this.agent, headersTimeout: this.config.pushTimeoutMs, bodyTimeout: this.config.pushTimeoutMs })
        const text = await res.body.text()
        const tns = /targetNamespace="([^"]*)"/.exec(text)?.[1]
        const requestType = operation.charAt(0).toUpperCase() + operation.slice(1) + "Request"
        const sequence = new RegExp(`<xsd:complexType name="${requestType}"><xsd:sequence>(.*?)</xsd:sequence>`).exec(text)?.[1]
        const ok = res.statusCode === 200 && !!tns && text.includes(`operation name="${operation}"`) && !!sequence
        this.note("wsdl", ok, `${service}: HTTP ${res.statusCode}`)
        if (!ok) throw new Error(`WSDL of ${service} is not usable (HTTP ${res.statusCode}, operation ${operation} ${text.includes(operation) ? "named" : "missing"})`)
        const required = [...sequence!.matchAll(/<xsd:element name="([^"]+)" minOccurs="1"/g)].map((m) => m[1])
        return { tns: tns!.replace(/&amp;/g, "&"), required }
      })()
      known.catch(() => this.wsdlNamespaces.delete(service))
      this.wsdlNamespaces.set(service, known)
    }
    return known
  }

  /** Magento 2: integrationAdminTokenServiceV1CreateAdminAccessToken with the store user and password. */
  private m2Login(): Promise<string> {
    const token = (async () => {
      const res = await this.post(`/orderflow/soap/default?services=${M2_SERVICES.token}`, renderM2TokenRequest(this.config.storeUser ?? "", this.config.storePassword ?? ""), "none")
      const fault = soapFault(res.text)
      const value = /<result>([^<]*)<\/result>/.exec(res.text)?.[1]
      this.note("token", !fault && !!value, fault ? fault.text : value ? undefined : `HTTP ${res.status}: ${res.text.slice(0, 300)}`)
      if (fault || !value) throw new Error(`admin token refused: ${fault ? fault.text : `HTTP ${res.status}`}`)
      return value
    })()
    token.catch(() => (this.m2Token = undefined))
    return (this.m2Token = token)
  }

  /** Magento 1: login with the store user and password as API key. */
  private m1Login(): Promise<string> {
    const session = (async () => {
      const res = await this.post("/orderflow/api/v2_soap/index/", renderM1Login(this.config.storeUser ?? "", this.config.storePassword ?? ""), "none")
      const fault = soapFault(res.text)
      const value = /<loginReturn[^>]*>([^<]*)<\/loginReturn>/.exec(res.text)?.[1]
      this.note("login", !fault && !!value, fault ? `${fault.code} ${fault.text}` : value ? undefined : `HTTP ${res.status}: ${res.text.slice(0, 300)}`)
      if (fault || !value) throw new Error(`login refused: ${fault ? `${fault.code} ${fault.text}` : `HTTP ${res.status}`}`)
      return value
    })()
    session.catch(() => (this.m1Session = undefined))
    return (this.m1Session = session)
  }

  /**
   * One delivery attempt as the configured connector makes it. The REST
   * forms post with HTTP Basic. `soap-m2` fetches the WSDL once per service,
   * gets an admin token (again when the store says it is not authorised) and
   * posts with the Bearer token; `soap-m1` logs in once and posts with the
   * session id, logging in again and re-sending at once on fault 5 (session
   * expired), as Magento 1 clients do.
   */
  private async deliver(message: PushMessage): Promise<{ status: number; text: string }> {
    const rendered = { contentType: message.contentType, body: message.body, headers: message.headers }
    if (message.format === "soap-m2") {
      const kind = message.type === "inventory" ? "inventory" : "shipment"
      const service = M2_SERVICES[kind]
      const { tns, required } = await this.wsdlOf(service, M2_OPERATIONS[kind])
      const missing = required.filter((name) => !rendered.body.includes(`<${name}>`))
      if (missing.length) throw new Error(`the message lacks ${missing.join(", ")}, required by the store's WSDL of ${service}`)
      const body = { ...rendered, body: rendered.body.replace(`xmlns:ns1="urn:${service}"`, `xmlns:ns1="${escapeAttribute(tns)}"`) }
      const path = `/orderflow/soap/default?services=${service}`
      let res = await this.post(path, body, "bearer", await (this.m2Token ?? this.m2Login()))
      if (/isn't authorized/.test(soapFault(res.text)?.text ?? "")) res = await this.post(path, body, "bearer", await this.m2Login())
      return res
    }
    if (message.format === "soap-m1") {
      const path = "/orderflow/api/v2_soap/index/"
      const withSession = async (session: string) => this.post(path, { ...rendered, body: rendered.body.replace(SESSION_PLACEHOLDER, session) }, "none")
      let res = await withSession(await (this.m1Session ?? this.m1Login()))
      if (soapFault(res.text)?.code === "5") res = await withSession(await this.m1Login())
      return res
    }
    return this.post(message.path, rendered, "basic")
  }

  private settled(message: PushMessage): void {
    for (const batch of this.batches) {
      if (!batch.ids.has(message.messageSeqId)) continue
      batch.settled++
      const tenth = Math.floor((batch.settled * 10) / batch.ids.size)
      if (tenth > batch.reported || batch.settled === batch.ids.size) {
        batch.reported = tenth
        this.log(`${batch.label}: ${batch.settled}/${batch.ids.size} messages settled`)
      }
    }
    for (let i = this.batches.length - 1; i >= 0; i--) if (this.batches[i].settled >= this.batches[i].ids.size) this.batches.splice(i, 1)
  }

  // ---- administration ------------------------------------------------------------------------

  list(status?: MessageStatus): PushMessage[] {
    const all = [...this.messages.values()]
    return status ? all.filter((m) => m.status === status) : all
  }

  /** Puts failed messages (all, or the given ids) back in the queue with a fresh retry budget. */
  retryFailed(ids?: number[]): PushMessage[] {
    const failed = this.list("failed").filter((m) => !ids || ids.includes(m.messageSeqId))
    for (const m of failed) {
      m.status = "pending"
      m.failedAt = undefined
      m.attempts = 0
      this.ready.push({ id: m.messageSeqId, copy: "original", attempt: 0 })
    }
    this.onChange()
    this.pump()
    return failed
  }

  /** Resolves when none of the messages is pending any more (or after timeoutMs, with what is left). */
  waitFor(ids: number[], timeoutMs = 60000): Promise<{ settled: boolean; pending: number[] }> {
    const pending = () => ids.filter((id) => this.messages.get(id)?.status === "pending")
    return new Promise((resolve) => {
      if (pending().length === 0) return resolve({ settled: true, pending: [] })
      const onChange = () => {
        if (pending().length === 0) done(true)
      }
      const timer = setTimeout(() => done(false), timeoutMs)
      timer.unref()
      const done = (settled: boolean) => {
        clearTimeout(timer)
        this.events.off("change", onChange)
        this.events.off("close", onClose)
        resolve({ settled, pending: pending() })
      }
      const onClose = () => done(false)
      this.events.on("change", onChange)
      this.events.once("close", onClose)
    })
  }

  /** Re-sends queued messages after a configuration change (e.g. a store URL set at run time). */
  kick(): void {
    this.pump()
  }

  /** Drops every message and queue (reset). */
  clear(): void {
    this.messages.clear()
    this.staging = []
    this.ready = []
    this.batches.length = 0
    for (const t of this.retryTimers) clearTimeout(t)
    this.retryTimers.clear()
    if (this.holdTimer) clearTimeout(this.holdTimer)
    this.holdTimer = undefined
    this.events.emit("change")
  }

  /** Restores messages loaded from a state file; pending ones are queued again. */
  restore(messages: PushMessage[]): void {
    for (const m of messages) {
      this.messages.set(m.messageSeqId, m)
      if (m.status === "pending") this.ready.push({ id: m.messageSeqId, copy: "original", attempt: 0 })
    }
    this.pump()
  }

  summary(): { pending: number; delivered: number; failed: number; inFlight: number; queued: number } {
    const count = (s: MessageStatus) => this.list(s).length
    return {
      pending: count("pending"),
      delivered: count("delivered"),
      failed: count("failed"),
      inFlight: this.active,
      queued: this.ready.length + this.staging.length + this.retryTimers.size,
    }
  }

  async close(): Promise<void> {
    this.closed = true
    this.clearTimersOnly()
    this.events.emit("close")
    await this.agent.destroy().catch(() => {})
  }

  private clearTimersOnly(): void {
    for (const t of this.retryTimers) clearTimeout(t)
    this.retryTimers.clear()
    if (this.holdTimer) clearTimeout(this.holdTimer)
  }
}

/** The fault of a SOAP answer (1.1 faultcode/faultstring or 1.2 Code/Reason), or null. */
export function soapFault(text: string): { code: string; text: string } | null {
  if (!/<([\w.-]+:)?Fault[\s>]/.test(text)) return null
  const code = /<faultcode>([^<]*)<\/faultcode>/.exec(text)?.[1] ?? /<(?:[\w.-]+:)?Value>([^<]*)<\/(?:[\w.-]+:)?Value>/.exec(text)?.[1] ?? ""
  const reason = /<faultstring>([^<]*)<\/faultstring>/.exec(text)?.[1] ?? /<(?:[\w.-]+:)?Text[^>]*>([^<]*)<\/(?:[\w.-]+:)?Text>/.exec(text)?.[1] ?? ""
  return { code, text: reason.replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#39;/g, "'") }
}

const escapeAttribute = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")
