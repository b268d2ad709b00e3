// The simulated warehouse: products with stock per site, orders with their
// shipments, and the inventory record counter. Everything OrderFlow does to
// its own data lives here; the HTTP side (orderflow-api.ts) only translates.

import { ControlError, EXCEPTIONS, OrderFlowError } from "./errors"
import type { Prng } from "./prng"
import { formatDate, parseOrderFlowDate } from "./time"
import type {
  Counters,
  InventoryRecordIds,
  Order,
  OrderLine,
  OrderLineState,
  OrderState,
  OrganisationConfig,
  Package,
  Product,
  Shipment,
  ShipmentState,
  StockRecord,
  WarehouseState,
} from "./types"

export interface WarehouseConfig {
  sites: string[]
  organisations: OrganisationConfig[]
  now: () => Date
  /** For generated tracking numbers. */
  prng: Prng
  /** Zone of "yyyy-MM-dd HH:mm:ss" text given to the control API (dateShipped). Default UTC. */
  timeZone?: string
}

/** What caused a new inventory record; decides which last*ChangeId moves. */
type RecordCause = "init" | "stock" | "line" | "both"

export interface StockChange {
  total?: number
  damaged?: number
  quarantined?: number
  inspection?: number
  frozen?: number
}

export interface NewProduct {
  externalReference: string
  organisation: string
  description: string
  type?: string
  activated?: boolean
  fields?: Record<string, string>
}

export interface NewOrderLine {
  line: number
  product: string
  quantity: number
  thirdPartyReference?: string
  fields: Record<string, string>
}

export interface NewOrder {
  externalReference: string
  channel: string
  organisation: string
  fields: Record<string, string>
  attributes: { name: string; title: string; value: string }[]
  shipment: { reference?: string; state?: string; earliestShipDate?: string; fields: Record<string, string> }
  lines: NewOrderLine[]
}

export interface DespatchLine {
  sku: string
  qty: number
}

export interface DespatchInput {
  orderReference: string
  /** Which shipment; default the first open one. */
  shipmentReference?: string
  /** Partial despatch: these units only; the rest stays open in a new shipment. Default: everything. */
  lines?: DespatchLine[]
  /** Packages with their own despatchReference (tracking number) and optional contents. */
  packages?: { trackingNumber: string; lines?: DespatchLine[] }[]
  /** Shorthand for one package per tracking number; [] for an untracked despatch. Default: one generated number. */
  trackingNumbers?: string[]
  courierName?: string
  serviceName?: string
  comment?: string
  email?: boolean
  includeComment?: boolean
  /** yyyy-MM-dd HH:mm:ss (UTC) or a Date; default now. */
  dateShipped?: string | Date
  /** Despatch even when the site does not physically hold the units (stock goes negative). */
  force?: boolean
  /**
   * A re-shipment (a replacement parcel) of an order already fully despatched: a new shipment
   * of `lines` (default: what its last despatched shipment held) is created and despatched at once.
   */
  reship?: boolean
}

export interface DespatchResult {
  order: Order
  shipment: Shipment
  /** The open remainder of a partial despatch. */
  remainder?: Shipment
  skuQty: DespatchLine[]
  trackingNumbers: string[]
  courierName?: string
  serviceName?: string
  comment: string
  email: boolean
  includeComment: boolean
  dateShipped: Date
}

const OPEN_STATES: ShipmentState[] = ["created", "ready", "allocated", "on_hold", "picked", "packed"]
/** States in which the shipment's units are physically reserved in the warehouse. */
const HOLDING_STATES: ShipmentState[] = ["allocated", "picked", "packed"]
const SETTABLE_STATES: ShipmentState[] = ["created", "ready", "allocated", "on_hold", "picked", "packed"]

export const isOpen = (s: Shipment) => OPEN_STATES.includes(s.state)

const LINE_STATE_FOR: Partial<Record<ShipmentState, OrderLineState>> = {
  created: "created",
  ready: "created",
  allocated: "allocated",
  picked: "picked",
  packed: "packed",
  despatched: "despatched",
  cancelled: "cancelled",
}

export function emptyCounters(): Counters {
  return { inventoryRecordId: 0, messageSeqId: 0, incrementalWatermark: 0, cancelledRenames: 0 }
}

export class Warehouse {
  state: WarehouseState
  /** Called after every new inventory record (drives the auto incremental push). */
  onInventoryRecord: (product: Product, site: string) => void = () => {}
  /** Called after any change (drives persistence). */
  onChange: () => void = () => {}

  constructor(readonly config: WarehouseConfig) {
    this.state = { products: new Map(), orders: new Map(), returns: new Map(), counters: emptyCounters() }
  }

  get sites(): string[] {
    return this.config.sites
  }

  get defaultSite(): string {
    return this.config.sites[0]
  }

  get multiSite(): boolean {
    return this.config.sites.length > 1
  }

  private nowIso(): string {
    return this.config.now().toISOString()
  }

  // ---- organisations and channels -------------------------------------------------------

  organisationOfChannel(channel: string | undefined): string | undefined {
    if (channel === undefined) return undefined
    return this.config.organisations.find((o) => o.channels.includes(channel))?.reference
  }

  knowsOrganisation(reference: string | undefined): boolean {
    return reference !== undefined && this.config.organisations.some((o) => o.reference === reference)
  }

  // ---- products and stock ----------------------------------------------------------------

  product(sku: string): Product | undefined {
    return this.state.products.get(sku)
  }

  requireProduct(sku: string): Product {
    const product = this.product(sku)
    if (!product) throw new ControlError(`Unknown product '${sku}'`, 404)
    return product
  }

  createProduct(input: NewProduct): Product {
    const now = this.nowIso()
    const product: Product = {
      externalReference: input.externalReference,
      organisation: input.organisation,
      description: input.description,
      type: input.type ?? "default",
      activated: input.activated ?? true,
      fields: { ...(input.fields ?? {}) },
      createdAt: now,
      updatedAt: now,
      stock: {},
    }
    for (const site of this.sites) {
      product.stock[site] = {
        site,
        total: 0,
        damaged: 0,
        quarantined: 0,
        inspection: 0,
        frozen: 0,
        allocated: 0,
        inventoryId: 0,
        lastStockChangeId: 0,
        lastLineRequirementChangeId: 0,
        changedAt: now,
      }
    }
    this.state.products.set(product.externalReference, product)
    // A new product gets its first inventory record, so it is part of the next incremental push.
    for (const site of this.sites) this.newRecord(product, site, "init")
    this.onChange()
    return product
  }

  updateProduct(product: Product, fields: Record<string, string>, typed: Partial<Pick<Product, "description" | "type" | "activated">>): void {
    Object.assign(product.fields, fields)
    if (typed.description !== undefined) product.description = typed.description
    if (typed.type !== undefined) product.type = typed.type
    if (typed.activated !== undefined) product.activated = typed.activated
    product.updatedAt = this.nowIso()
    this.onChange()
  }

  stockRecord(sku: string, site: string): StockRecord {
    const product = this.requireProduct(sku)
    const record = product.stock[site]
    if (!record) throw new ControlError(`Unknown site '${site}' (sites: ${this.sites.join(", ")})`)
    return record
  }

  /** available = total - unusable - allocated; may be negative (seed 002 shows available="-1"). */
  static available(r: Pick<StockRecord, "total" | "damaged" | "quarantined" | "inspection" | "allocated">): number {
    return r.total - r.damaged - r.quarantined - r.inspection - r.allocated
  }

  /** The cross-site figures of a product (the inventory pull's site="global"). */
  globalStock(product: Product): Omit<StockRecord, "site"> {
    const sum = { total: 0, damaged: 0, quarantined: 0, inspection: 0, frozen: 0, allocated: 0 }
    for (const site of this.sites) {
      const r = product.stock[site]
      for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += r[k]
    }
    const ids: InventoryRecordIds = product.global ?? product.stock[this.defaultSite]
    return { ...sum, ...ids }
  }

  /**
   * Creates the product/site's next inventory record. In a multi-site
   * warehouse the global record is renewed as well, with its own id.
   */
  private newRecord(product: Product, site: string, cause: RecordCause): void {
    const counters = this.state.counters
    const now = this.nowIso()
    const bump = (ids: InventoryRecordIds) => {
      const id = ++counters.inventoryRecordId
      ids.inventoryId = id
      if (cause === "stock" || cause === "both") ids.lastStockChangeId = id
      if (cause === "line" || cause === "both") ids.lastLineRequirementChangeId = id
      ids.changedAt = now
    }
    bump(product.stock[site])
    if (this.multiSite) {
      product.global ??= { inventoryId: 0, lastStockChangeId: 0, lastLineRequirementChangeId: 0, changedAt: now }
      bump(product.global)
    }
    this.onInventoryRecord(product, site)
  }

  /** Sets (mode "set") or adds to (mode "adjust") stock figures; every call creates a new inventory record. */
  changeStock(sku: string, site: string, change: StockChange, mode: "set" | "adjust" = "set"): StockRecord {
    const record = this.stockRecord(sku, site)
    for (const key of ["total", "damaged", "quarantined", "inspection", "frozen"] as const) {
      const value = change[key]
      if (value === undefined) continue
      if (!Number.isInteger(value)) throw new ControlError(`${key} must be an integer, got ${value}`)
      record[key] = mode === "set" ? value : record[key] + value
    }
    this.newRecord(this.requireProduct(sku), site, "stock")
    this.allocate()
    this.onChange()
    return record
  }

  // ---- orders ----------------------------------------------------------------------------

  order(reference: string): Order | undefined {
    return this.state.orders.get(reference)
  }

  /** The order for an API call, or MissingDataException exactly as seed 002 words it. */
  requireOrder(reference: string): Order {
    const order = this.order(reference)
    if (!order) throw new OrderFlowError(EXCEPTIONS.missingData, `Unable to find order for reference '${reference}'.`)
    return order
  }

  private changeRequirement(line: { product: string; quantity: number }, site: string, delta: number): void {
    const product = this.requireProduct(line.product)
    product.stock[site].allocated += delta
    this.newRecord(product, site, "line")
  }

  insertOrder(input: NewOrder, receivedAt: Date): Order {
    const now = this.nowIso()
    const site = this.defaultSite
    const earliest = input.shipment.earliestShipDate || formatDate(receivedAt)
    const shipment: Shipment = {
      reference: input.shipment.reference || `${input.externalReference}1`,
      orderReference: input.externalReference,
      sequence: 1,
      state: "ready",
      site,
      earliestShipDate: earliest,
      createdAt: now,
      updatedAt: now,
      lines: input.lines.map<OrderLine>((l) => ({
        line: l.line,
        product: l.product,
        quantity: l.quantity,
        state: "created",
        thirdPartyReference: l.thirdPartyReference ?? "",
        fields: l.fields,
      })),
      packages: [],
      fields: input.shipment.fields,
    }
    const order: Order = {
      externalReference: input.externalReference,
      originalReference: input.externalReference,
      channel: input.channel,
      organisation: input.organisation,
      state: "created",
      cancelled: false,
      receivedAt: receivedAt.toISOString(),
      fields: input.fields,
      attributes: input.attributes,
      shipments: [shipment],
    }
    this.state.orders.set(order.externalReference, order)
    for (const line of shipment.lines) this.changeRequirement(line, site, line.quantity)
    this.allocate()
    // "on_hold: the shipment has been placed on hold, because the earliest ship
    // date is in the future" (seed 002); an explicit shipment.state=on_hold too.
    const earliestDate = parseOrderFlowDate(earliest)
    const today = formatDate(this.config.now())
    if (input.shipment.state === "on_hold" || (earliestDate && formatDate(earliestDate) > today)) {
      // Held after the allocation run, so that preHoldState says whether it got its stock.
      if (this.allocationDeferred > 0) this.holdsAfterAllocation.push({ order, shipment })
      else this.putOnHold(shipment)
    }
    this.state.counters.lastOrderImportAt = receivedAt.toISOString()
    this.refreshOrderState(order)
    this.onChange()
    return order
  }

  private allocationDeferred = 0
  private allocationPending = false
  private holdsAfterAllocation: Array<{ order: Order; shipment: Shipment }> = []

  /**
   * Runs `apply` with the allocation runs it asks for folded into one at its
   * end. An <imports> document of 100 orders is then allocated once, oldest
   * first, instead of once per order: each run walks every order held, so
   * per-order runs made a long import O(orders²), and in the benchmarks (the
   * simulator in the store's process) that cost was counted against the
   * plugin. The outcome is the same: orders arrive in document order, and
   * an order that could not be allocated before the next one arrived still
   * cannot (only stock changes, never an import, frees units).
   */
  withDeferredAllocation<T>(apply: () => T): T {
    this.allocationDeferred++
    try {
      return apply()
    } finally {
      this.allocationDeferred--
      if (this.allocationDeferred === 0 && this.allocationPending) {
        this.allocationPending = false
        this.allocate()
        const holds = this.holdsAfterAllocation.splice(0)
        for (const { shipment } of holds) this.putOnHold(shipment)
        for (const { order } of holds) this.refreshOrderState(order)
        this.onChange()
      }
    }
  }

  /** Units physically reserved per sku/site by shipments that hold stock (incl. held ones that did). */
  private heldUnits(): Map<string, number> {
    const held = new Map<string, number>()
    for (const order of this.state.orders.values()) {
      for (const s of order.shipments) {
        const effective = s.state === "on_hold" ? s.preHoldState : s.state
        if (!effective || !HOLDING_STATES.includes(effective)) continue
        for (const l of s.lines) {
          const key = `${l.product}\u0000${s.site}`
          held.set(key, (held.get(key) ?? 0) + l.quantity)
        }
      }
    }
    return held
  }

  /**
   * Allocation run: every shipment waiting for stock (ready/created), oldest
   * first, becomes allocated when the site physically holds all its units;
   * otherwise its lines show created / out-of-stock.
   */
  allocate(): void {
    if (this.allocationDeferred > 0) {
      this.allocationPending = true
      return
    }
    const waiting: Shipment[] = []
    for (const order of this.state.orders.values()) {
      for (const s of order.shipments) if (s.state === "ready" || s.state === "created") waiting.push(s)
    }
    if (waiting.length === 0) return
    const held = this.heldUnits()
    for (const s of waiting) {
      const need = new Map<string, number>()
      for (const l of s.lines) need.set(l.product, (need.get(l.product) ?? 0) + l.quantity)
      const free = (sku: string) => {
        const r = this.product(sku)?.stock[s.site]
        if (!r) return 0
        return r.total - r.damaged - r.quarantined - r.inspection - (held.get(`${sku}\u0000${s.site}`) ?? 0)
      }
      const ok = [...need].every(([sku, qty]) => free(sku) >= qty)
      if (ok) {
        for (const [sku, qty] of need) {
          const key = `${sku}\u0000${s.site}`
          held.set(key, (held.get(key) ?? 0) + qty)
        }
        this.setState(s, "allocated")
      } else {
        s.state = "ready"
        for (const l of s.lines) l.state = free(l.product) >= (need.get(l.product) ?? 0) ? "created" : "out-of-stock"
      }
    }
    for (const order of this.state.orders.values()) this.refreshOrderState(order)
  }

  private setState(s: Shipment, state: ShipmentState): void {
    s.state = state
    s.updatedAt = this.nowIso()
    const lineState = LINE_STATE_FOR[state]
    if (lineState) for (const l of s.lines) l.state = lineState
  }

  private putOnHold(s: Shipment): void {
    if (s.state === "on_hold") return
    s.preHoldState = s.state
    s.state = "on_hold"
    s.updatedAt = this.nowIso()
  }

  refreshOrderState(order: Order): OrderState {
    let state: OrderState
    const live = order.shipments.filter((s) => s.state !== "cancelled")
    const open = live.filter(isOpen)
    if (order.cancelled) state = "cancelled"
    else if (live.length > 0 && open.length === 0) state = "despatched"
    else if (open.length > 0 && open.every((s) => s.state === "on_hold")) state = "on_hold"
    else state = "created"
    order.state = state
    return state
  }

  private refuse(message: string): never {
    throw new OrderFlowError(EXCEPTIONS.invalidState, message)
  }

  /**
   * Order cancellation (seed 002): every shipment not already completed is
   * cancelled; a packed shipment blocks it ("it will need to be unpacked");
   * an order whose shipments are all despatched cannot be cancelled. Cancelling
   * again an order already cancelled answers like the first time.
   */
  cancelOrder(order: Order, changeExternalReference: boolean): Order {
    if (order.cancelled) {
      if (changeExternalReference) this.renameCancelled(order)
      return order
    }
    const open = order.shipments.filter(isOpen)
    const packed = open.find((s) => s.state === "packed")
    if (packed) {
      this.refuse(
        `Unable to cancel order '${order.externalReference}': shipment '${packed.reference}' is in state 'packed' and must be unpacked before it can be cancelled.`
      )
    }
    if (open.length === 0) {
      this.refuse(`Unable to cancel order '${order.externalReference}': all of its shipments have been despatched.`)
    }
    for (const s of open) {
      for (const l of s.lines) this.changeRequirement(l, s.site, -l.quantity)
      s.preHoldState = undefined
      this.setState(s, "cancelled")
    }
    order.cancelled = true
    if (changeExternalReference) this.renameCancelled(order)
    this.allocate()
    this.refreshOrderState(order)
    this.onChange()
    return order
  }

  /**
   * "Temporary vs Permanent Cancellation" (seed 002): the cancelled order's
   * reference is changed so the same reference can be imported again.
   */
  private renameCancelled(order: Order): void {
    const renamed = `${order.originalReference}_cancelled_${++this.state.counters.cancelledRenames}`
    this.state.orders.delete(order.externalReference)
    order.externalReference = renamed
    for (const s of order.shipments) s.orderReference = renamed
    this.state.orders.set(renamed, order)
    this.onChange()
  }

  /** Order line cancellation (seed 002): the line goes, its shipment restarts the despatch workflow. */
  cancelOrderLine(order: Order, productReference: string, thirdPartyReference?: string): Order {
    const candidates: { s: Shipment; l: OrderLine }[] = []
    for (const s of order.shipments) {
      if (s.state === "cancelled") continue
      for (const l of s.lines) {
        if (l.product !== productReference) continue
        if (thirdPartyReference && l.thirdPartyReference !== thirdPartyReference) continue
        candidates.push({ s, l })
      }
    }
    if (candidates.length === 0) {
      throw new OrderFlowError(EXCEPTIONS.missingData, `Unable to find order line with product '${productReference}'.`)
    }
    if (candidates.length > 1) {
      this.refuse(
        `Order '${order.externalReference}' has more than one order line with product '${productReference}'; order line cancellation is not supported for it.`
      )
    }
    const { s, l } = candidates[0]
    if (s.state === "packed" || s.state === "despatched") {
      this.refuse(`Unable to cancel order line with product '${productReference}': shipment '${s.reference}' is ${s.state}.`)
    }
    const remaining = order.shipments.filter((x) => x.state !== "cancelled").reduce((n, x) => n + x.lines.length, 0)
    if (remaining <= 1) {
      this.refuse(
        `Unable to cancel order line with product '${productReference}': it is the last order line of order '${order.externalReference}'; cancel the order instead.`
      )
    }
    this.changeRequirement(l, s.site, -l.quantity)
    s.lines = s.lines.filter((x) => x !== l)
    if (s.state !== "on_hold") this.setState(s, "ready")
    else s.preHoldState = "ready"
    this.allocate()
    this.refreshOrderState(order)
    this.onChange()
    return order
  }

  /** Hold Order (seed 002): all open shipments go on hold; refused once anything is packed or all is despatched. */
  holdOrder(order: Order): Order {
    const open = order.shipments.filter(isOpen)
    const packed = open.find((s) => s.state === "packed")
    if (packed) {
      this.refuse(`Unable to place order '${order.externalReference}' on hold: shipment '${packed.reference}' has been packed.`)
    }
    if (open.length === 0) {
      this.refuse(`Unable to place order '${order.externalReference}' on hold: it has no shipments which can be placed on hold.`)
    }
    for (const s of open) this.putOnHold(s)
    this.refreshOrderState(order)
    this.onChange()
    return order
  }

  /** Release Order (seed 002): shipments go back to their pre-held state; refused unless they are all on hold. */
  releaseOrder(order: Order): Order {
    const open = order.shipments.filter(isOpen)
    const notHeld = open.find((s) => s.state !== "on_hold")
    if (open.length === 0 || notHeld) {
      this.refuse(
        `Unable to release order '${order.externalReference}': ${notHeld ? `shipment '${notHeld.reference}' is not on hold (state '${notHeld.state}')` : "it has no shipments on hold"}.`
      )
    }
    for (const s of open) {
      const back = s.preHoldState ?? "ready"
      s.preHoldState = undefined
      this.setState(s, back === "created" ? "ready" : back)
    }
    this.allocate()
    this.refreshOrderState(order)
    this.onChange()
    return order
  }

  // ---- warehouse-side operations (control API) -------------------------------------------------

  /** Finds a shipment by its own reference or by order reference (first open shipment). */
  findShipment(reference: string): { order: Order; shipment: Shipment } {
    for (const order of this.state.orders.values()) {
      const s = order.shipments.find((x) => x.reference === reference)
      if (s) return { order, shipment: s }
    }
    const order = this.order(reference)
    if (order) {
      const s = order.shipments.find(isOpen) ?? order.shipments[order.shipments.length - 1]
      return { order, shipment: s }
    }
    throw new ControlError(`Unknown order or shipment '${reference}'`, 404)
  }

  /** Moves a shipment along the despatch workflow (e.g. to packed, so cancellation is refused). */
  setShipmentState(reference: string, state: ShipmentState): Shipment {
    if (!SETTABLE_STATES.includes(state)) {
      throw new ControlError(`State must be one of ${SETTABLE_STATES.join(", ")} (use despatch/cancel for the others)`)
    }
    const { order, shipment } = this.findShipment(reference)
    if (!isOpen(shipment)) throw new ControlError(`Shipment '${shipment.reference}' is ${shipment.state}`, 409)
    if (state === "on_hold") this.putOnHold(shipment)
    else {
      shipment.preHoldState = undefined
      this.setState(shipment, state)
    }
    if (state === "ready" || state === "created") this.allocate()
    this.refreshOrderState(order)
    this.onChange()
    return shipment
  }

  private generateTrackingNumber(): string {
    return `TT${this.config.prng.int(100000000, 999999999)}GB`
  }

  /**
   * Despatches a shipment, whole or partially. A partial despatch keeps the
   * despatched units in this shipment and moves the rest to a new open
   * shipment (next sequence). Stock total falls by the despatched units and
   * their requirement is released, in one new inventory record per product.
   */
  despatch(input: DespatchInput): DespatchResult {
    const order = this.order(input.orderReference)
    if (!order) throw new ControlError(`Unknown order '${input.orderReference}'`, 404)
    if (input.reship) return this.despatch({ ...input, reship: false, lines: undefined, shipmentReference: this.addReshipment(order, input.lines).reference })
    const shipment = input.shipmentReference
      ? order.shipments.find((s) => s.reference === input.shipmentReference)
      : order.shipments.find(isOpen)
    if (!shipment) {
      throw new ControlError(
        input.shipmentReference
          ? `Order '${order.externalReference}' has no shipment '${input.shipmentReference}'`
          : `Order '${order.externalReference}' has no open shipment`,
        409
      )
    }
    if (!isOpen(shipment)) throw new ControlError(`Shipment '${shipment.reference}' is ${shipment.state}`, 409)
    if (shipment.state === "on_hold") throw new ControlError(`Shipment '${shipment.reference}' is on hold`, 409)

    // What leaves the warehouse, per line.
    const ordered = new Map<string, number>()
    for (const l of shipment.lines) ordered.set(l.product, (ordered.get(l.product) ?? 0) + l.quantity)
    const take = new Map<string, number>()
    for (const { sku, qty } of input.lines ?? [...ordered].map(([sku, qty]) => ({ sku, qty }))) {
      if (!Number.isInteger(qty) || qty <= 0) throw new ControlError(`Despatch quantity for '${sku}' must be a positive integer`)
      take.set(sku, (take.get(sku) ?? 0) + qty)
    }
    for (const [sku, qty] of take) {
      const available = ordered.get(sku)
      if (available === undefined) throw new ControlError(`Shipment '${shipment.reference}' has no line for '${sku}'`)
      if (qty > available) throw new ControlError(`Cannot despatch ${qty} of '${sku}': shipment '${shipment.reference}' holds ${available}`)
      if (!input.force) {
        const r = this.product(sku)!.stock[shipment.site]
        const physical = r.total - r.damaged - r.quarantined - r.inspection
        if (physical < qty) {
          throw new ControlError(
            `Cannot despatch ${qty} of '${sku}' from site '${shipment.site}': only ${physical} usable in stock (pass force to despatch anyway)`,
            409
          )
        }
      }
    }

    // Split the lines into despatched and remaining parts.
    const despatched: OrderLine[] = []
    const remaining: OrderLine[] = []
    const left = new Map(take)
    for (const l of shipment.lines) {
      const want = Math.min(left.get(l.product) ?? 0, l.quantity)
      if (want > 0) {
        despatched.push({ ...l, quantity: want })
        left.set(l.product, (left.get(l.product) ?? 0) - want)
      }
      if (l.quantity - want > 0) remaining.push({ ...l, quantity: l.quantity - want })
    }

    const dateShipped = this.parseDateShipped(input.dateShipped)
    const packages = this.buildPackages(input, despatched)
    const now = this.nowIso()

    let remainder: Shipment | undefined
    if (remaining.length > 0) {
      const sequence = Math.max(...order.shipments.map((s) => s.sequence)) + 1
      const base = shipment.fields.externalReference ? `${shipment.fields.externalReference}_` : order.externalReference
      remainder = {
        reference: `${base}${sequence}`,
        orderReference: order.externalReference,
        sequence,
        state: HOLDING_STATES.includes(shipment.state) ? "allocated" : "ready",
        site: shipment.site,
        earliestShipDate: shipment.earliestShipDate,
        createdAt: now,
        updatedAt: now,
        lines: remaining,
        packages: [],
        fields: { ...shipment.fields },
      }
      this.setState(remainder, remainder.state)
      order.shipments.push(remainder)
    }

    shipment.lines = despatched
    shipment.packages = packages
    shipment.carrier = input.courierName
    shipment.service = input.serviceName
    shipment.despatchReference = packages[0]?.despatchReference
    shipment.completedAt = dateShipped.toISOString()
    this.setState(shipment, "despatched")

    for (const [sku, qty] of take) {
      const product = this.requireProduct(sku)
      const r = product.stock[shipment.site]
      r.total -= qty
      r.allocated -= qty
      this.newRecord(product, shipment.site, "both")
    }
    this.allocate()
    this.refreshOrderState(order)
    this.onChange()

    return {
      order,
      shipment,
      remainder,
      skuQty: [...take].map(([sku, qty]) => ({ sku, qty })),
      trackingNumbers: packages.map((p) => p.despatchReference),
      courierName: input.courierName,
      serviceName: input.serviceName,
      comment: input.comment ?? "Shipment Created",
      email: input.email ?? false,
      includeComment: input.includeComment ?? false,
      dateShipped,
    }
  }

  /** A new shipment of an already despatched order (see DespatchInput.reship), its units required and allocated like an import's. */
  private addReshipment(order: Order, lines: DespatchLine[] | undefined): Shipment {
    if (order.shipments.some(isOpen)) throw new ControlError(`Order '${order.externalReference}' has an open shipment: despatch it instead`, 409)
    const last = [...order.shipments].reverse().find((s) => s.state === "despatched")
    if (!last) throw new ControlError(`Order '${order.externalReference}' has no despatched shipment to re-ship`, 409)
    const known = new Map(order.shipments.flatMap((s) => s.lines.map((l) => [l.product, l] as const)))
    const shipped: OrderLine[] = lines
      ? lines.map(({ sku, qty }) => {
          const line = known.get(sku)
          if (!line) throw new ControlError(`Order '${order.externalReference}' has no line for '${sku}'`)
          if (!Number.isInteger(qty) || qty <= 0) throw new ControlError(`Despatch quantity for '${sku}' must be a positive integer`)
          return { ...line, fields: { ...line.fields }, quantity: qty }
        })
      : last.lines.map((l) => ({ ...l, fields: { ...l.fields } }))
    const sequence = Math.max(...order.shipments.map((s) => s.sequence)) + 1
    const now = this.nowIso()
    const base = last.fields.externalReference ? `${last.fields.externalReference}_` : order.externalReference
    const reshipment: Shipment = {
      reference: `${base}${sequence}`,
      orderReference: order.externalReference,
      sequence,
      state: "ready",
      site: last.site,
      earliestShipDate: now.slice(0, 10),
      createdAt: now,
      updatedAt: now,
      lines: shipped,
      packages: [],
      fields: { ...last.fields },
    }
    for (const l of shipped) this.changeRequirement(l, reshipment.site, l.quantity)
    order.shipments.push(reshipment)
    this.allocate()
    return reshipment
  }

  private parseDateShipped(value: string | Date | undefined): Date {
    if (value === undefined) return this.config.now()
    if (value instanceof Date) return value
    // Text is the warehouse's own wall-clock time, like every time it writes.
    const parsed = parseOrderFlowDate(value, this.config.timeZone ?? "UTC")
    if (!parsed) throw new ControlError(`dateShipped must be 'yyyy-MM-dd HH:mm:ss', got '${value}'`)
    return parsed
  }

  /** Packages of a despatch; contents not given are spread evenly (20 units, 2 packages -> 10 + 10, as in seed 002). */
  private buildPackages(input: DespatchInput, lines: OrderLine[]): Package[] {
    const specs =
      input.packages ??
      (input.trackingNumbers ?? [this.generateTrackingNumber()]).map((trackingNumber) => ({ trackingNumber, lines: undefined }))
    if (specs.length === 0) return []
    if (specs.some((p) => p.lines)) {
      const packed = new Map<string, number>()
      for (const p of specs) for (const l of p.lines ?? []) packed.set(l.sku, (packed.get(l.sku) ?? 0) + l.qty)
      const expected = new Map<string, number>()
      for (const l of lines) expected.set(l.product, (expected.get(l.product) ?? 0) + l.quantity)
      const same = packed.size === expected.size && [...expected].every(([sku, qty]) => packed.get(sku) === qty)
      if (!same) throw new ControlError("Package lines must add up to the despatched quantities")
      return specs.map((p) => ({
        despatchReference: p.trackingNumber,
        lines: (p.lines ?? []).map((l) => ({ product: l.sku, quantity: l.qty })),
      }))
    }
    const packages: Package[] = specs.map((p) => ({ despatchReference: p.trackingNumber, lines: [] }))
    for (const l of lines) {
      const base = Math.floor(l.quantity / packages.length)
      let extra = l.quantity % packages.length
      for (const p of packages) {
        const quantity = base + (extra-- > 0 ? 1 : 0)
        if (quantity > 0) p.lines.push({ product: l.product, quantity })
      }
    }
    return packages
  }

  /**
   * OrderFlow's Initialize button (seed 000 "Full Stock Push"): every
   * product's inventory is recalculated into new records whose ids start
   * again at `startAt`, below the ones the store has applied. Stock figures
   * are unchanged. The incremental watermark follows the counter down, so
   * the next incremental push sends only later changes; a full push sends
   * the new (lower) ids for every product, which is what a store must
   * recognise as a re-initialised warehouse.
   */
  reinitialise(startAt = 1): { products: number; firstInventoryId: number; lastInventoryId: number } {
    if (!Number.isInteger(startAt) || startAt < 1) throw new ControlError(`startAt must be a positive integer, got ${startAt}`)
    const counters = this.state.counters
    counters.inventoryRecordId = startAt - 1
    const now = this.nowIso()
    const bump = (ids: InventoryRecordIds) => {
      const id = ++counters.inventoryRecordId
      ids.inventoryId = id
      ids.lastStockChangeId = id
      ids.lastLineRequirementChangeId = id
      ids.changedAt = now
    }
    for (const product of this.state.products.values()) {
      for (const site of this.sites) bump(product.stock[site])
      if (this.multiSite && product.global) bump(product.global)
    }
    counters.incrementalWatermark = counters.inventoryRecordId
    this.onChange()
    return { products: this.state.products.size, firstInventoryId: startAt, lastInventoryId: counters.inventoryRecordId }
  }

  /** Empties the warehouse; counters stay monotonic unless asked (see README, "reset"). */
  reset(resetCounters: boolean): void {
    const counters = resetCounters ? emptyCounters() : { ...this.state.counters, lastOrderImportAt: undefined }
    this.state.products.clear()
    this.state.orders.clear()
    this.state.returns.clear()
    this.state.counters = counters
    if (!resetCounters) counters.incrementalWatermark = counters.inventoryRecordId
    this.onChange()
  }
}
