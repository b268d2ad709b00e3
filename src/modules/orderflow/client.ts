import { performance } from "node:perf_hooks"
import { Dispatcher, request } from "undici"
import { OrderflowConfigError, OrderflowResponseError, OrderflowTransportError } from "../../lib/errors"

// The HTTP edge to OrderFlow (DESIGN §4): send one request, return status and
// body. It never retries — a POST to importitems.xml is not idempotent on the
// wire, and records are retried one by one through the export queue, which
// relies on OrderFlow's duplicate detection (STYLE habit 9). It never throws
// on an HTTP status either: interpretImportReply (lib/xml/import-result.ts)
// and the other callers decide what a status means. It throws only when no
// answer was read: OrderflowTransportError (network, timeout),
// OrderflowResponseError (body over the size cap), OrderflowConfigError.

export type OrderflowScope = "organisation" | "channel" | "none"

export type OrderflowClientOptions = {
  /** Base URL including the instance context path, e.g. `https://host/orderflow`. */
  endpoint: string
  username: string
  password: string
  /** Sent as the `organisation` header on /remotewarehouse/... calls. */
  organisation: string
  /** Sent as the `channel` header on /remoteorder/... calls. */
  channel: string
  /** Applies to waiting for the response headers and to each pause while reading the body. Default 30 s. */
  timeoutMs?: number
  /** Larger response bodies are refused. Default 20 MiB. */
  maxResponseBytes?: number
  /** An undici dispatcher (Agent, MockAgent…); undici's global one by default. */
  dispatcher?: Dispatcher
}

export type OrderflowQueryValue = string | number | boolean | ReadonlyArray<string> | null | undefined

export type OrderflowRequest = {
  method: "GET" | "POST"
  /** Path below the endpoint, e.g. `/remotewarehouse/imports/importitems.xml`. */
  path: string
  /** Query parameters; null/undefined ones are left out, lists are joined with commas. */
  query?: Readonly<Record<string, OrderflowQueryValue>>
  /** An XML document. */
  body?: string
  /** Parameters posted as an application/x-www-form-urlencoded body instead (not with `body`). */
  form?: Readonly<Record<string, OrderflowQueryValue>>
  scope: OrderflowScope
}

export type OrderflowReply = { status: number; body: string; durationMs: number }

export type InventoryPullParams = {
  /** SKUs to ask about; all products of the channel when absent. */
  externalReferences?: ReadonlyArray<string>
  /** OrderFlow site (multi-site inventory); `global`, `any` or a site reference. */
  site?: string
  /** Only products whose inventory changed since, `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-dd`. */
  from?: string
}

export type AppliedReturnsParams = {
  /** `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-dd`, inclusive. */
  from: string
  /** Same formats, exclusive. */
  to?: string
  site?: string
}

export type DespatchedShipmentsParams = {
  /** `yyyy-MM-dd HH:mm:ss`, inclusive. */
  from: string
  /** Same format, exclusive. */
  to: string
}

export type OrderflowClient = {
  send(req: OrderflowRequest): Promise<OrderflowReply>
  /** POST /remoteorder/shipment/despatches.xml (channel header; from, to, includeOrderLines=true as form parameters). */
  despatchedShipments(params: DespatchedShipmentsParams): Promise<OrderflowReply>
  /** POST /remotewarehouse/imports/importitems.xml (organisation header). */
  importProducts(xml: string): Promise<OrderflowReply>
  /** POST /remotewarehouse/imports/importitems.xml (organisation header) with `<import type="return">` items. */
  importReturns(xml: string): Promise<OrderflowReply>
  /** POST /remotewarehouse/returnitem/applied.xml: organisation, from, to, includeLines and includeOriginatingOrderReference as form parameters. */
  appliedReturns(params: AppliedReturnsParams): Promise<OrderflowReply>
  /** POST /remoteorder/imports/importitems.xml (channel header). */
  importOrders(xml: string): Promise<OrderflowReply>
  /** POST /remoteorder/order/cancel.xml?externalReference=… (channel header). */
  cancelOrder(externalReference: string, options?: { cancelChangesExternalReference?: boolean }): Promise<OrderflowReply>
  /** POST /remoteorder/order/cancel.xml?orderReference=…&productReference=…&thirdPartyReference=… (seed 002, Order Line Cancellation). */
  cancelOrderLine(line: { orderReference: string; productReference: string; thirdPartyReference?: string }): Promise<OrderflowReply>
  /** POST /remoteorder/order/hold.xml?externalReference=… (channel header). */
  holdOrder(externalReference: string): Promise<OrderflowReply>
  /** POST /remoteorder/order/release.xml?externalReference=… (channel header). */
  releaseOrder(externalReference: string): Promise<OrderflowReply>
  /** GET /remoteorder/order/detail.xml?externalReference=… (channel header). */
  orderDetail(externalReference: string): Promise<OrderflowReply>
  /** POST /remotewarehouse/inventory.xml with channel/organisation (and the given) parameters. */
  inventoryPull(params?: InventoryPullParams): Promise<OrderflowReply>
}

export const DEFAULT_TIMEOUT_MS = 30_000
export const DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT"])

function checkHeaderValue(name: string, value: string): void {
  // CR/LF would let a setting inject headers; undici would refuse them anyway, less clearly.
  if (/[\u0000-\u001F\u007F]/.test(value)) throw new OrderflowConfigError(`OrderFlow ${name} must not contain control characters`)
}

function parseEndpoint(endpoint: string): { origin: string; basePath: string } {
  let url: URL
  try {
    url = new URL(endpoint.trim())
  } catch (err) {
    throw new OrderflowConfigError(`OrderFlow endpoint ${JSON.stringify(endpoint)} is not a URL`, { cause: err })
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OrderflowConfigError(`OrderFlow endpoint must be an http(s) URL, got ${url.protocol}`)
  }
  if (url.username || url.password) {
    throw new OrderflowConfigError("OrderFlow endpoint must not contain credentials; set the API username and password")
  }
  if (url.search || url.hash) throw new OrderflowConfigError("OrderFlow endpoint must not contain a query or fragment")
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") }
}

function errorCode(err: unknown): string | undefined {
  for (let current: unknown = err, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function toTransportError(err: unknown, what: string, timeoutMs: number): OrderflowTransportError {
  const code = errorCode(err)
  const detail = err instanceof Error ? err.message : String(err)
  if (code && TIMEOUT_CODES.has(code)) {
    return new OrderflowTransportError("ORDERFLOW_TIMEOUT", `${what}: no answer from OrderFlow within ${timeoutMs} ms (${code})`, {
      cause: err,
    })
  }
  return new OrderflowTransportError("ORDERFLOW_NETWORK", `${what}: network error talking to OrderFlow: ${detail}${code ? ` (${code})` : ""}`, {
    cause: err,
  })
}

/** Drops a response body we will not read; undici reports the abort as an 'error' event nobody needs. */
function discard(body: Dispatcher.ResponseData["body"]): void {
  body.on("error", () => undefined)
  body.destroy()
}

function buildQuery(query: OrderflowRequest["query"]): string {
  if (!query) return ""
  const text = encodeParams(query)
  return text ? `?${text}` : ""
}

function encodeParams(query: NonNullable<OrderflowRequest["query"]>): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue
    params.append(name, typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : value.join(","))
  }
  return params.toString()
}

export function createOrderflowClient(options: OrderflowClientOptions): OrderflowClient {
  const { origin, basePath } = parseEndpoint(options.endpoint)
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  if (options.username.includes(":")) throw new OrderflowConfigError("OrderFlow API username must not contain ':' (HTTP Basic)")
  checkHeaderValue("username", options.username)
  checkHeaderValue("password", options.password)
  checkHeaderValue("organisation", options.organisation)
  checkHeaderValue("channel", options.channel)
  const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`, "utf8").toString("base64")}`

  function scopeHeaders(scope: OrderflowScope): Record<string, string> {
    if (scope === "none") return {}
    const value = (scope === "organisation" ? options.organisation : options.channel).trim()
    if (!value) throw new OrderflowConfigError(`OrderFlow ${scope} is not set; it is required for this call`)
    return { [scope]: value }
  }

  async function readCapped(body: Dispatcher.ResponseData["body"], what: string): Promise<string> {
    const chunks: Buffer[] = []
    let total = 0
    for await (const chunk of body) {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Buffer)
      total += buffer.length
      if (total > maxResponseBytes) {
        discard(body)
        throw new OrderflowResponseError(`${what}: OrderFlow response exceeds ${maxResponseBytes} bytes`, Buffer.concat(chunks).toString("utf8"), {
          code: "ORDERFLOW_RESPONSE_TOO_LARGE",
        })
      }
      chunks.push(buffer)
    }
    return Buffer.concat(chunks, total).toString("utf8")
  }

  async function send(req: OrderflowRequest): Promise<OrderflowReply> {
    const path = req.path.replace(/^\/+/, "")
    const url = `${origin}${basePath}/${path}${buildQuery(req.query)}`
    const what = `${req.method} ${basePath}/${path}`
    const headers: Record<string, string> = {
      authorization,
      accept: "application/xml",
      ...scopeHeaders(req.scope),
    }
    const requestBody = req.form ? encodeParams(req.form) : req.body
    if (req.form) headers["content-type"] = "application/x-www-form-urlencoded; charset=UTF-8"
    else if (req.body !== undefined) headers["content-type"] = "application/xml; charset=UTF-8"
    const started = performance.now()
    let response: Dispatcher.ResponseData
    try {
      response = await request(url, {
        method: req.method,
        headers,
        body: requestBody,
        dispatcher: options.dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      })
    } catch (err) {
      throw toTransportError(err, what, timeoutMs)
    }
    const declared = Number(response.headers["content-length"])
    if (Number.isFinite(declared) && declared > maxResponseBytes) {
      discard(response.body)
      throw new OrderflowResponseError(`${what}: OrderFlow response of ${declared} bytes exceeds ${maxResponseBytes} bytes`, "", {
        code: "ORDERFLOW_RESPONSE_TOO_LARGE",
      })
    }
    let body: string
    try {
      body = await readCapped(response.body, what)
    } catch (err) {
      if (err instanceof OrderflowResponseError) throw err
      throw toTransportError(err, what, timeoutMs)
    }
    return { status: response.statusCode, body, durationMs: Math.round(performance.now() - started) }
  }

  const byReference = (path: string, method: "GET" | "POST") => (externalReference: string) =>
    send({ method, path, query: { externalReference }, scope: "channel" })

  return {
    send,
    importProducts: (xml) =>
      send({ method: "POST", path: "/remotewarehouse/imports/importitems.xml", body: xml, scope: "organisation" }),
    importReturns: (xml) =>
      send({ method: "POST", path: "/remotewarehouse/imports/importitems.xml", body: xml, scope: "organisation" }),
    appliedReturns: (params) => {
      const organisation = options.organisation.trim()
      if (!organisation) return Promise.reject(new OrderflowConfigError("OrderFlow organisation must be set to pull applied returns"))
      return send({
        method: "POST",
        path: "/remotewarehouse/returnitem/applied.xml",
        form: { organisation, from: params.from, to: params.to, site: params.site || undefined, includeLines: true, includeOriginatingOrderReference: true },
        scope: "organisation",
      })
    },
    despatchedShipments: (params) => {
      const channel = options.channel.trim()
      if (!channel) return Promise.reject(new OrderflowConfigError("OrderFlow channel must be set to pull despatched shipments"))
      return send({
        method: "POST",
        path: "/remoteorder/shipment/despatches.xml",
        form: { channel, from: params.from, to: params.to, includeOrderLines: true },
        scope: "channel",
      })
    },
    importOrders: (xml) => send({ method: "POST", path: "/remoteorder/imports/importitems.xml", body: xml, scope: "channel" }),
    cancelOrder: (externalReference, cancelOptions = {}) =>
      send({
        method: "POST",
        path: "/remoteorder/order/cancel.xml",
        query: { externalReference, cancelChangesExternalReference: cancelOptions.cancelChangesExternalReference },
        scope: "channel",
      }),
    cancelOrderLine: ({ orderReference, productReference, thirdPartyReference }) =>
      send({ method: "POST", path: "/remoteorder/order/cancel.xml", query: { orderReference, productReference, thirdPartyReference }, scope: "channel" }),
    holdOrder: byReference("/remoteorder/order/hold.xml", "POST"),
    releaseOrder: byReference("/remoteorder/order/release.xml", "POST"),
    orderDetail: byReference("/remoteorder/order/detail.xml", "GET"),
    inventoryPull: (params = {}) => {
      const channel = options.channel.trim() || undefined
      const organisation = options.organisation.trim() || undefined
      if (!channel && !organisation) {
        return Promise.reject(new OrderflowConfigError("OrderFlow channel or organisation must be set for an inventory pull"))
      }
      return send({
        method: "POST",
        path: "/remotewarehouse/inventory.xml",
        query: {
          channel,
          organisation,
          site: params.site,
          from: params.from,
          externalReferences: params.externalReferences && params.externalReferences.length > 0 ? params.externalReferences : undefined,
        },
        scope: "none",
      })
    },
  }
}
