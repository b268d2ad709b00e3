// Shared by the simulator specs: HTTP calls with OrderFlow auth, XML reading,
// a stub store that receives pushes, and polling (never fixed sleeps).

import { readFileSync } from "node:fs"
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import path from "node:path"
import { XMLParser } from "fast-xml-parser"
import { request } from "undici"
import type { Simulator } from "../index"

export const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures", name), "utf8")

export const basic = (user = "orderflow", password = "orderflow") =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`

export interface HttpResult {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** Calls an OrderFlow route (below the context) with Basic auth unless headers say otherwise. */
export async function call(
  sim: Simulator,
  method: "GET" | "POST",
  route: string,
  opts: { body?: string; headers?: Record<string, string>; auth?: boolean; timeoutMs?: number } = {}
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(opts.auth === false ? {} : { authorization: basic() }), ...(opts.headers ?? {}) }
  if (opts.body !== undefined && !headers["content-type"]) headers["content-type"] = "application/xml"
  const res = await request(`${sim.baseUrl}${route}`, {
    method,
    headers,
    body: opts.body,
    headersTimeout: opts.timeoutMs ?? 10000,
    bodyTimeout: opts.timeoutMs ?? 10000,
  })
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() }
}

export const importProducts = (sim: Simulator, xml: string, organisation?: string) =>
  call(sim, "POST", "/remotewarehouse/imports/importitems.xml", { body: xml, headers: organisation ? { organisation } : {} })

export const importOrders = (sim: Simulator, xml: string, channel?: string) =>
  call(sim, "POST", "/remoteorder/imports/importitems.xml", { body: xml, headers: channel ? { channel } : {} })

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ["import", "shipment", "orderLine", "product", "package", "packageLine", "productQty", "productSeq", "item", "track"].includes(name),
})

export const parseXml = (xml: string): any => parser.parse(xml)

/** Collapses runs of whitespace (the documented examples wrap long text over lines). */
export const squash = (s: unknown) => String(s ?? "").replace(/\s+/g, " ").trim()

/** Replaces the values that legitimately differ run to run (times, object hashes, ids) with placeholders. */
export function normalise(value: unknown, volatile: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, volatile))
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = volatile.includes(k) ? "<volatile>" : normalise(v, volatile)
    return out
  }
  return typeof value === "string" ? squash(value) : value
}

/** Element and attribute names of a parsed document, recursively (values dropped; array items merged). */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) {
    const objects = value.filter((v) => v && typeof v === "object")
    if (objects.length === 0) return value.length ? "value" : []
    return shape(Object.assign({}, ...objects.map((o) => shape(o) as object)))
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) if (k !== "#text") out[k] = shape((value as Record<string, unknown>)[k])
    return out
  }
  return "value"
}

export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10000, what = "condition"): Promise<T> {
  const started = Date.now()
  for (;;) {
    const v = await check()
    if (v) return v
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export interface Received {
  path: string
  headers: IncomingMessage["headers"]
  body: string
  json?: any
  status: number
}

/** A stub store: records every push; answers with statusFor(n) (n = 1-based request number), 200 by default. */
export async function startReceiver(statusFor: (n: number, r: Received) => number = () => 200) {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8")
      const r: Received = { path: req.url ?? "", headers: req.headers, body, status: 0 }
      if ((req.headers["content-type"] ?? "").includes("json")) r.json = JSON.parse(body)
      r.status = statusFor(received.length + 1, r)
      received.push(r)
      res.writeHead(r.status, { "content-type": "application/json" })
      res.end(JSON.stringify(r.status === 200 ? `Success - Message ${r.json?.messageSeqId ?? ""} Received` : "error"))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Requests answered 200. */
    accepted: () => received.filter((r) => r.status === 200),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** A product import document for the given SKUs (description required). */
export function productsXml(skus: string[], operation = "insert"): string {
  const items = skus.map(
    (sku) => `  <import type="product" operation="${operation}" externalReference="${sku}">\n    externalReference=${sku}\n    description=Product ${sku}\n  </import>`
  )
  return `<imports>\n${items.join("\n")}\n</imports>`
}

/** A minimal order import: lines as [sku, qty]. */
export function orderXml(reference: string, lines: [string, number | string][], extra = "", operation = "insert"): string {
  const body = lines.map(([sku, qty], i) => `    orderLine.${i + 1}.product.externalReference=${sku}\n    orderLine.${i + 1}.quantity=${qty}`).join("\n")
  return `<imports>\n  <import type="order" operation="${operation}" externalReference="${reference}">\n    deliveryContactName=Test Customer\n${extra}${body}\n  </import>\n</imports>`
}
