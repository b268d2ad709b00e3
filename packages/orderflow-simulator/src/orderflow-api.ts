// The OrderFlow XML API (operations TO OrderFlow, seed 002) with the
// authentication and channel rules of seed 003. Takes a parsed request,
// returns status + body; the HTTP plumbing and faults live in server.ts.

import { EXCEPTIONS, OrderFlowError } from "./errors"
import type { FaultDecision, Faults } from "./faults"
import { applyImports } from "./imports"
import type { Prng } from "./prng"
import {
  renderDespatches,
  renderStateChanges,
  renderError,
  renderHtmlError,
  renderImportResult,
  renderInventory,
  renderOrder,
  renderPending,
  type InventoryRow,
} from "./responses"
import { appliedReturns, renderAppliedReturns } from "./returns"
import { parseOrderFlowDate } from "./time"
import type { Order, Product, Shipment, SimulatorUser } from "./types"
import { Warehouse, isOpen } from "./warehouse"
import { XmlError, parseImportsDocument } from "./xml"

export interface ApiRequest {
  method: string
  /** Path below the context, e.g. /remoteorder/order/cancel.xml */
  route: string
  query: URLSearchParams
  headers: Record<string, string | string[] | undefined>
  body: string
  receivedAt: Date
}

export interface ApiResponse {
  status: number
  body: string
  contentType: string
  headers?: Record<string, string>
}

export interface ApiConfig {
  users: SimulatorUser[]
  /** HTTP status sent with <error> documents (OrderFlow answers them with 200). */
  errorStatus: number
  /** Default of the cancelChangesExternalReference parameter. */
  cancelChangesExternalReference: boolean
  /** Zone of the times it reads (from/to) and writes (despatches, returns). */
  timeZone: string
  /** Strict imports (import-fields.ts); read per request, so control.configure can switch it. */
  strict: boolean
  taxCodes: string[]
  now: () => Date
}

const XML = "text/xml;charset=UTF-8"
const HTML = "text/html;charset=utf-8"

type Handler = (req: ApiRequest, user: SimulatorUser, scope: Scope, fault: FaultDecision) => ApiResponse

interface Scope {
  channel?: string
  organisation?: string
}

function header(req: ApiRequest, name: string): string | undefined {
  const v = req.headers[name]
  const s = Array.isArray(v) ? v[0] : v
  return s === undefined || s === "" ? undefined : s
}

function param(req: ApiRequest, name: string): string | undefined {
  const v = req.query.get(name)
  return v === null || v === "" ? undefined : v
}

export class OrderFlowApi {
  private readonly routes: Record<string, { method: string; handler: Handler }>

  constructor(
    private readonly warehouse: Warehouse,
    private readonly config: ApiConfig,
    private readonly faults: Faults,
    private readonly prng: Prng
  ) {
    this.routes = {
      "/remotewarehouse/imports/importitems.xml": { method: "POST", handler: (r, u, s, f) => this.imports(r, u, s, f, "remotewarehouse") },
      "/remoteorder/imports/importitems.xml": { method: "POST", handler: (r, u, s, f) => this.imports(r, u, s, f, "remoteorder") },
      "/remoteorder/order/cancel.xml": { method: "POST", handler: (r, u, s) => this.cancel(r, u, s) },
      "/remoteorder/order/hold.xml": { method: "POST", handler: (r, u, s) => this.orderAction(r, u, s, (o) => this.warehouse.holdOrder(o)) },
      "/remoteorder/order/release.xml": { method: "POST", handler: (r, u, s) => this.orderAction(r, u, s, (o) => this.warehouse.releaseOrder(o)) },
      "/remoteorder/order/detail.xml": { method: "GET", handler: (r, u, s) => this.orderAction(r, u, s, (o) => o) },
      "/remotewarehouse/inventory.xml": { method: "POST", handler: (r, u, s) => this.inventory(r, u, s) },
      "/remoteorder/shipment/pending.xml": { method: "GET", handler: (r, u, s) => this.pending(r, u, s) },
      "/remoteorder/shipment/despatches.xml": { method: "POST", handler: (r, u, s) => this.despatches(r, u, s) },
      "/remoteorder/shipment/statechange.xml": { method: "GET", handler: (r, u, s) => this.stateChanges(r, u, s) },
      "/remotewarehouse/returnitem/applied.xml": { method: "POST", handler: (r, u, s) => this.appliedReturns(r, u, s) },
    }
  }

  /** Checks Basic auth (realm RTD) or the user/password headers (password base64), seed 003. */
  authenticate(req: ApiRequest): SimulatorUser | undefined {
    const candidates: [string, string][] = []
    const authorization = header(req, "authorization")
    if (authorization && /^basic\s+/i.test(authorization)) {
      const decoded = Buffer.from(authorization.replace(/^basic\s+/i, ""), "base64").toString("utf8")
      const colon = decoded.indexOf(":")
      if (colon >= 0) candidates.push([decoded.slice(0, colon), decoded.slice(colon + 1)])
    }
    const user = header(req, "user")
    const password = header(req, "password")
    if (user !== undefined && password !== undefined) {
      candidates.push([user, Buffer.from(password, "base64").toString("utf8")])
    }
    for (const [name, pass] of candidates) {
      const found = this.config.users.find((u) => u.user === name && u.password === pass)
      if (found) return found
    }
    return undefined
  }

  handle(req: ApiRequest, fault: FaultDecision): ApiResponse {
    const route = this.routes[req.route]
    if (!route) return { status: 404, contentType: HTML, body: renderHtmlError(404, `The requested resource [${req.route}] is not available`) }
    const user = this.authenticate(req)
    if (!user) {
      return {
        status: 401,
        contentType: HTML,
        headers: { "WWW-Authenticate": 'Basic realm="RTD"' },
        body: renderHtmlError(401, "This request requires HTTP authentication."),
      }
    }
    if (req.method !== route.method) {
      return { status: 405, contentType: HTML, headers: { Allow: route.method }, body: renderHtmlError(405, `Request method '${req.method}' not supported`) }
    }
    // Seed 003: "if the channel or organisation is supplied both as request
    // parameters and as headers, then the values will be taken from the respective request parameters".
    const scope: Scope = {
      channel: param(req, "channel") ?? formParam(req, "channel") ?? header(req, "channel"),
      organisation: param(req, "organisation") ?? formParam(req, "organisation") ?? header(req, "organisation"),
    }
    try {
      if (scope.channel && user.channels && !user.channels.includes(scope.channel)) {
        throw new OrderFlowError(EXCEPTIONS.unauthorized, `User '${user.user}' is not authorised to access channel '${scope.channel}'.`)
      }
      if (scope.organisation && user.organisations && !user.organisations.includes(scope.organisation)) {
        throw new OrderFlowError(EXCEPTIONS.unauthorized, `User '${user.user}' is not authorised to access organisation '${scope.organisation}'.`)
      }
      return route.handler(req, user, scope, fault)
    } catch (e) {
      if (e instanceof OrderFlowError) return this.error(e)
      throw e
    }
  }

  private error(e: OrderFlowError): ApiResponse {
    return { status: this.config.errorStatus, contentType: XML, body: renderError(e.exception, e.message) }
  }

  private xml(body: string): ApiResponse {
    return { status: 200, contentType: XML, body }
  }

  // ---- imports ---------------------------------------------------------------------------------

  private imports(req: ApiRequest, user: SimulatorUser, scope: Scope, fault: FaultDecision, endpoint: "remotewarehouse" | "remoteorder"): ApiResponse {
    let items
    try {
      items = parseImportsDocument(req.body)
    } catch (e) {
      if (e instanceof XmlError) throw new OrderFlowError(EXCEPTIONS.importParse, `Unable to parse import document: ${e.message}`)
      throw e
    }
    // The "poison" fault: one item makes the whole call fail, nothing applied.
    const poison = this.faults.settings.inbound.poisonReferences ?? []
    const poisoned = items.map((i) => i.attributes.externalReference).find((ref) => ref !== undefined && poison.includes(ref))
    if (poisoned) {
      const status = this.faults.settings.inbound.poisonStatus
      if (status) return { status, contentType: "text/html", body: `<html><body><h1>${status}</h1>Internal error while importing ${poisoned}</body></html>` }
      throw new OrderFlowError(EXCEPTIONS.importData, `Unexpected error importing '${poisoned}': could not process the document`)
    }
    const outcomes = applyImports(this.warehouse, items, {
      endpoint,
      channel: scope.channel,
      organisation: scope.organisation,
      user,
      receivedAt: req.receivedAt,
      now: this.config.now,
      prng: this.prng,
      strict: this.config.strict ? { taxCodes: this.config.taxCodes } : undefined,
    })
    // The "omit" fault: items applied but silently missing from the answer.
    const reported = outcomes.filter((o, i) => !this.faults.omitItem(fault, o.externalReference, i, outcomes.length))
    return this.xml(renderImportResult(reported))
  }

  // ---- orders ----------------------------------------------------------------------------------

  /** The channel an order operation runs on: required, known, and the order's own. */
  private channelFor(scope: Scope): string {
    if (!scope.channel) {
      throw new OrderFlowError(EXCEPTIONS.invalidParameter, "No channel supplied: pass the channel header or parameter.")
    }
    if (!this.warehouse.organisationOfChannel(scope.channel)) {
      throw new OrderFlowError(EXCEPTIONS.unauthorized, `Channel '${scope.channel}' is not an authenticated channel.`)
    }
    return scope.channel
  }

  private findOrder(reference: string | undefined, channel: string): Order {
    if (!reference) throw new OrderFlowError(EXCEPTIONS.invalidParameter, "Required parameter 'externalReference' is not present.")
    const order = this.warehouse.requireOrder(reference)
    if (order.channel !== channel) {
      // Seed 002: an order "which is not on an authenticated channel" raises UnauthorizedDataAccessException.
      throw new OrderFlowError(EXCEPTIONS.unauthorized, `Order '${reference}' is not on an authenticated channel ('${channel}').`)
    }
    return order
  }

  private orderAction(req: ApiRequest, _user: SimulatorUser, scope: Scope, action: (o: Order) => Order): ApiResponse {
    const channel = this.channelFor(scope)
    const order = this.findOrder(param(req, "externalReference") ?? formParam(req, "externalReference"), channel)
    return this.xml(renderOrder(action(order)))
  }

  /** Order cancellation, or order line cancellation when orderReference + productReference are given. */
  private cancel(req: ApiRequest, _user: SimulatorUser, scope: Scope): ApiResponse {
    const channel = this.channelFor(scope)
    const get = (name: string) => param(req, name) ?? formParam(req, name)
    const productReference = get("productReference")
    if (productReference) {
      const order = this.findOrder(get("orderReference") ?? get("externalReference"), channel)
      return this.xml(renderOrder(this.warehouse.cancelOrderLine(order, productReference, get("thirdPartyReference"))))
    }
    const order = this.findOrder(get("externalReference"), channel)
    const change = get("cancelChangesExternalReference")
    const changeRef = change === undefined ? this.config.cancelChangesExternalReference : change.toLowerCase() === "true"
    return this.xml(renderOrder(this.warehouse.cancelOrder(order, changeRef)))
  }

  // ---- queries ---------------------------------------------------------------------------------

  /** channel and/or organisation (mandatory for the queries): returns the organisation and optional channel. */
  private queryScope(scope: Scope): { organisation: string; channel?: string } {
    if (!scope.channel && !scope.organisation) {
      throw new OrderFlowError(EXCEPTIONS.invalidParameter, "A channel and/or organisation must be supplied.")
    }
    let organisation = scope.organisation
    if (scope.channel) {
      const owner = this.warehouse.organisationOfChannel(scope.channel)
      if (!owner || (organisation && owner !== organisation)) {
        throw new OrderFlowError(EXCEPTIONS.unauthorized, `Channel '${scope.channel}' is not an authenticated channel.`)
      }
      organisation = owner
    }
    if (!this.warehouse.knowsOrganisation(organisation)) {
      throw new OrderFlowError(EXCEPTIONS.unauthorized, `Organisation '${organisation}' is not an authenticated organisation.`)
    }
    return { organisation: organisation!, channel: scope.channel }
  }

  private dateParam(req: ApiRequest, name: string, required: boolean): Date | undefined {
    const text = param(req, name) ?? formParam(req, name)
    if (text === undefined) {
      if (required) throw new OrderFlowError(EXCEPTIONS.invalidParameter, `Required parameter '${name}' is not present.`)
      return undefined
    }
    const date = parseOrderFlowDate(text, this.config.timeZone)
    if (!date) {
      throw new OrderFlowError(EXCEPTIONS.invalidParameter, `Invalid value '${text}' for parameter '${name}': use yyyy-MM-dd HH:mm:ss or yyyy-MM-dd.`)
    }
    return date
  }

  private inventory(req: ApiRequest, _user: SimulatorUser, scope: Scope): ApiResponse {
    const { organisation } = this.queryScope(scope)
    const w = this.warehouse
    const site = param(req, "site") ?? formParam(req, "site")
    if (site && site !== "global" && site !== "any" && !w.sites.includes(site)) {
      throw new OrderFlowError(EXCEPTIONS.missingData, `Unable to find any entity associated with identifier: ref:site:${site}`)
    }
    const from = this.dateParam(req, "from", false)
    const refsParam = param(req, "externalReferences") ?? formParam(req, "externalReferences")
    const refs = refsParam?.split(",").map((s) => s.trim()).filter(Boolean)

    const products: Product[] = refs
      ? refs.map((r) => w.product(r)).filter((p): p is Product => !!p)
      : [...w.state.products.values()]
    const rows: InventoryRow[] = []
    for (const p of products) {
      if (p.organisation !== organisation) continue
      const onOrder = Number(p.fields.quantityOnOrder) || 0
      const row = (siteName: string, s: ReturnType<Warehouse["globalStock"]>): InventoryRow => ({
        inventoryId: s.inventoryId,
        externalReference: p.externalReference,
        site: siteName,
        total: s.total,
        allocated: s.allocated,
        available: Warehouse.available(s),
        frozen: s.frozen,
        inspection: s.inspection,
        damaged: s.damaged,
        quarantined: s.quarantined,
        onOrder,
        lastStockChangeId: s.lastStockChangeId,
        lastLineRequirementChangeId: s.lastLineRequirementChangeId,
      })
      const candidates: { name: string; s: ReturnType<Warehouse["globalStock"]> }[] = []
      const global = () => candidates.push({ name: "global", s: w.globalStock(p) })
      const bySite = (name: string) => candidates.push({ name, s: p.stock[name] })
      if (!w.multiSite) {
        // One site: its own record, unless "global" is asked for by name.
        if (site === "global") global()
        else bySite(w.defaultSite)
      } else if (!site || site === "global") global()
      else if (site === "any") {
        global()
        w.sites.forEach(bySite)
      } else bySite(site)
      for (const c of candidates) {
        if (from && new Date(c.s.changedAt) < from) continue
        rows.push(row(c.name, c.s))
      }
    }
    return this.xml(renderInventory(rows))
  }

  private pending(_req: ApiRequest, _user: SimulatorUser, scope: Scope): ApiResponse {
    const channel = this.channelFor(scope)
    const shipments: Shipment[] = []
    for (const order of this.warehouse.state.orders.values()) {
      if (order.channel !== channel) continue
      shipments.push(...order.shipments.filter(isOpen))
    }
    shipments.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    return this.xml(renderPending(shipments, this.config.timeZone))
  }

  /** Applied Returns Per Time Period (seed 002): from inclusive, to exclusive, on the completion time. */
  private appliedReturns(req: ApiRequest, _user: SimulatorUser, scope: Scope): ApiResponse {
    const { organisation } = this.queryScope(scope)
    const from = this.dateParam(req, "from", true)!
    const to = this.dateParam(req, "to", false)
    const site = param(req, "site") ?? formParam(req, "site")
    if (site && !this.warehouse.sites.includes(site)) {
      throw new OrderFlowError(EXCEPTIONS.missingData, `Unable to find any entity associated with identifier: ref:site:${site}`)
    }
    const flag = (name: string) => (param(req, name) ?? formParam(req, name))?.toLowerCase() === "true"
    const rows = appliedReturns(this.warehouse, { organisation, site, from, to })
    return this.xml(renderAppliedReturns(rows, { includeLines: flag("includeLines"), includeOriginatingOrderReference: flag("includeOriginatingOrderReference"), timeZone: this.config.timeZone }))
  }

  private despatches(req: ApiRequest, _user: SimulatorUser, scope: Scope): ApiResponse {
    const { organisation, channel } = this.queryScope(scope)
    const from = this.dateParam(req, "from", true)!
    const to = this.dateParam(req, "to", true)!
    const flag = (name: string) => (param(req, name) ?? formParam(req, name))?.toLowerCase() === "true"
    const rows: { shipment: Shipment; order: Order }[] = []
    for (const order of this.warehouse.state.orders.values()) {
      if (order.organisation !== organisation || (channel && order.channel !== channel)) continue
      for (const s of order.shipments) {
        if (s.state !== "despatched" || !s.completedAt) continue
        const at = new Date(s.completedAt)
        // "the to parameter value is exclusive"
        if (at >= from && at < to) rows.push({ shipment: s, order })
      }
    }
    rows.sort((a, b) => a.shipment.completedAt!.localeCompare(b.shipment.completedAt!))
    return this.xml(renderDespatches(rows, { includeOrderLines: flag("includeOrderLines"), includePackageLines: flag("includePackageLines"), timeZone: this.config.timeZone }))
  }

  /**
   * Seed 002 "Shipments State Change" (from 4.3.2): the shipments whose state
   * changed in [from, to) (to defaults to now), by channel and/or
   * organisation, optionally one site; lines (with their state) only with
   * includeLines=true. It carries no carrier, tracking or despatch time.
   */
  private stateChanges(req: ApiRequest, _user: SimulatorUser, scope: Scope): ApiResponse {
    const { organisation, channel } = this.queryScope(scope)
    const from = this.dateParam(req, "from", true)!
    const to = this.dateParam(req, "to", false) ?? this.config.now()
    const site = param(req, "site")
    const includeLines = param(req, "includeLines")?.toLowerCase() === "true"
    const rows: { shipment: Shipment; order: Order }[] = []
    for (const order of this.warehouse.state.orders.values()) {
      if (order.organisation !== organisation || (channel && order.channel !== channel)) continue
      for (const s of order.shipments) {
        if (site && s.site !== site) continue
        const at = new Date(s.updatedAt)
        if (at >= from && at < to) rows.push({ shipment: s, order })
      }
    }
    rows.sort((a, b) => a.shipment.updatedAt.localeCompare(b.shipment.updatedAt) || a.shipment.reference.localeCompare(b.shipment.reference))
    return this.xml(renderStateChanges(rows, { includeLines }))
  }
}

/** Parameters posted as an application/x-www-form-urlencoded body count as request parameters too (servlet rules). */
function formParam(req: ApiRequest, name: string): string | undefined {
  const type = header(req, "content-type") ?? ""
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return undefined
  const v = new URLSearchParams(req.body).get(name)
  return v === null || v === "" ? undefined : v
}
