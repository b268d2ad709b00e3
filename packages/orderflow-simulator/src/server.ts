// The HTTP server: routes requests to the OrderFlow API (under the context
// path) or the control API (/_sim/), records every OrderFlow request, and
// applies the inbound faults.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { handleControlRequest, type SimulatorControl } from "./control"
import type { DocumentLog } from "./documents"
import { ControlError, OrderFlowError } from "./errors"
import type { FaultDecision, Faults } from "./faults"
import type { ApiResponse, OrderFlowApi } from "./orderflow-api"
import type { ResolvedOptions } from "./options"
import { renderError, renderHtmlError, renderHtmlPage } from "./responses"

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > max) {
        reject(new BodyTooLarge())
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })
}

export interface HttpDeps {
  options: ResolvedOptions
  api: OrderFlowApi
  control: SimulatorControl
  faults: Faults
  documents: DocumentLog
}

export class SimulatorServer {
  readonly server: Server
  private readonly timers = new Set<NodeJS.Timeout>()
  private closing = false

  constructor(private readonly deps: HttpDeps) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        this.deps.options.log(`internal error: ${(e as Error).stack ?? String(e)}`)
        if (!res.headersSent) this.send(res, { status: 500, contentType: "text/plain", body: "simulator internal error" })
        else res.destroy()
      })
    })
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject)
      this.server.listen(this.deps.options.port, this.deps.options.host, () => {
        this.server.off("error", reject)
        resolve(this.server.address() as AddressInfo)
      })
    })
  }

  async close(): Promise<void> {
    this.closing = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      // Held (timeout fault) and keep-alive connections would keep close() waiting.
      this.server.closeAllConnections()
    })
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      fn()
    }, ms)
    this.timers.add(t)
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(ms, resolve))
  }

  private send(res: ServerResponse, r: ApiResponse): void {
    const body = Buffer.from(r.body, "utf8")
    res.writeHead(r.status, { "Content-Type": r.contentType, "Content-Length": body.length, ...(r.headers ?? {}) })
    res.end(body)
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://simulator")
    const context = this.deps.options.context
    if (url.pathname === "/_sim" || url.pathname.startsWith("/_sim/")) return this.handleControl(req, res, url)
    if (url.pathname.startsWith(`${context}/`)) return this.handleOrderFlow(req, res, url, url.pathname.slice(context.length))
    this.send(res, { status: 404, contentType: "text/html;charset=utf-8", body: renderHtmlError(404, `The requested resource [${url.pathname}] is not available`) })
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let status = 200
    let json: unknown
    try {
      const raw = await readBody(req, this.deps.options.maxBodyBytes)
      ;({ status, json } = await handleControlRequest(this.deps.control, req.method ?? "GET", url.pathname, url.searchParams, raw))
    } catch (e) {
      if (e instanceof ControlError) ({ status, json } = { status: e.status, json: { error: e.message } })
      else if (e instanceof OrderFlowError) ({ status, json } = { status: 409, json: { error: e.message, exception: e.exception } })
      else if (e instanceof BodyTooLarge) ({ status, json } = { status: 413, json: { error: "Body too large" } })
      else throw e
    }
    this.send(res, { status, contentType: "application/json", body: JSON.stringify(json, null, 2) })
  }

  private async handleOrderFlow(req: IncomingMessage, res: ServerResponse, url: URL, route: string): Promise<void> {
    const { options, api, faults, documents } = this.deps
    const receivedAt = options.now()
    const started = Date.now()
    let body: string
    try {
      body = await readBody(req, options.maxBodyBytes)
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        this.send(res, { status: 413, contentType: "text/html;charset=utf-8", body: renderHtmlError(413, "Request body too large") })
        return
      }
      throw e
    }
    const doc = documents.add({
      receivedAt: receivedAt.toISOString(),
      method: req.method ?? "GET",
      path: url.pathname,
      route,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    })
    const finish = (status: number | undefined, responseBody: string | undefined) => {
      doc.status = status
      doc.responseBody = responseBody
      doc.durationMs = Date.now() - started
    }

    const decision: FaultDecision = faults.decide(route)
    doc.fault = decision.kind
    if (decision.latencyMs > 0) await this.delay(decision.latencyMs)
    if (this.closing) return

    let response: ApiResponse | undefined
    if (decision.applied) {
      try {
        response = api.handle(
          { method: req.method ?? "GET", route, query: url.searchParams, headers: req.headers, body, receivedAt },
          decision
        )
      } catch (e) {
        if (!(e instanceof OrderFlowError)) throw e
        response = { status: options.errorStatus, contentType: "text/xml;charset=UTF-8", body: renderError(e.exception, e.message) }
      }
    }

    switch (decision.kind) {
      case "drop":
        finish(undefined, undefined)
        req.socket.destroy()
        return
      case "timeout":
        // Accept, stay silent, then close the connection without an answer.
        finish(undefined, undefined)
        this.later(decision.timeoutMs, () => req.socket.destroy())
        return
      case "error": {
        const r = { status: decision.status, contentType: "text/html;charset=utf-8", body: renderHtmlError(decision.status, "The server encountered an unexpected condition that prevented it from fulfilling the request.") }
        finish(r.status, r.body)
        return this.send(res, r)
      }
      case "html": {
        const r = { status: 200, contentType: "text/html;charset=utf-8", body: renderHtmlPage() }
        finish(r.status, r.body)
        return this.send(res, r)
      }
      case "malformed": {
        // Not applied: the answer is cut before anything useful was written.
        const full = response?.body ?? "<importResult>\n  <importSuccesses>\n"
        const r = { contentType: "text/xml;charset=UTF-8", ...response, status: 200, body: full.slice(0, faults.truncateAt(full.length)) }
        finish(r.status, r.body)
        return this.send(res, r)
      }
    }
    finish(response!.status, response!.body)
    this.send(res, response!)
  }
}
