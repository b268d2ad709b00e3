import { createServer, IncomingMessage, Server, ServerResponse } from "node:http"
import { AddressInfo } from "node:net"
import { Agent } from "undici"
import { OrderflowConfigError, OrderflowError, OrderflowResponseError, OrderflowTransportError } from "../../../lib/errors"
import { createOrderflowClient, OrderflowClientOptions } from "../client"

type Seen = { method: string; url: string; headers: IncomingMessage["headers"]; body: string }
type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void

let server: Server
let port: number
let handler: Handler
let seen: Seen[]
let agent: Agent

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const record = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") }
      seen.push(record)
      handler(req, res, record)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

beforeEach(() => {
  seen = []
  handler = (_req, res) => {
    res.writeHead(200, { "content-type": "application/xml" })
    res.end("<importResult/>")
  }
  agent = new Agent({ keepAliveTimeout: 10 })
})

afterEach(async () => {
  await agent.destroy()
  server.closeAllConnections()
})

function client(overrides: Partial<OrderflowClientOptions> = {}) {
  return createOrderflowClient({
    endpoint: `http://127.0.0.1:${port}/orderflow/`,
    username: "orderflow",
    password: "pä:ss",
    organisation: "demo",
    channel: "medusa",
    dispatcher: agent,
    ...overrides,
  })
}

async function rejection(promise: Promise<unknown>): Promise<OrderflowError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof OrderflowError) return err
    throw err
  }
  throw new Error("expected a rejection")
}

describe("OrderFlow client", () => {
  it("posts product imports with Basic auth, the organisation header and an XML body", async () => {
    const reply = await client().importProducts("<imports/>")
    expect(reply.status).toBe(200)
    expect(reply.body).toBe("<importResult/>")
    expect(reply.durationMs).toBeGreaterThanOrEqual(0)
    expect(seen).toHaveLength(1)
    const [request] = seen
    expect(request.method).toBe("POST")
    expect(request.url).toBe("/orderflow/remotewarehouse/imports/importitems.xml")
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from("orderflow:pä:ss", "utf8").toString("base64")}`)
    expect(request.headers.organisation).toBe("demo")
    expect(request.headers.channel).toBeUndefined()
    expect(request.headers["content-type"]).toBe("application/xml; charset=UTF-8")
    expect(request.headers.accept).toBe("application/xml")
    expect(request.body).toBe("<imports/>")
  })

  it("posts order imports with the channel header", async () => {
    await client().importOrders("<imports/>")
    expect(seen[0].url).toBe("/orderflow/remoteorder/imports/importitems.xml")
    expect(seen[0].headers.channel).toBe("medusa")
    expect(seen[0].headers.organisation).toBeUndefined()
  })

  it("joins endpoint and path without double or missing slashes", async () => {
    for (const endpoint of [`http://127.0.0.1:${port}/orderflow`, `http://127.0.0.1:${port}/orderflow//`]) {
      await client({ endpoint }).send({ method: "GET", path: "remoteorder/order/detail.xml", scope: "none" })
    }
    await client({ endpoint: `http://127.0.0.1:${port}` }).send({ method: "GET", path: "//x.xml", scope: "none" })
    expect(seen.map((s) => s.url)).toEqual(["/orderflow/remoteorder/order/detail.xml", "/orderflow/remoteorder/order/detail.xml", "/x.xml"])
  })

  it("encodes order references in the query and sends no body or content type on cancel and detail", async () => {
    await client().cancelOrder("A&B 1/2", { cancelChangesExternalReference: true })
    await client().holdOrder("1001")
    await client().releaseOrder("1001")
    await client().orderDetail("00081")
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "POST /orderflow/remoteorder/order/cancel.xml?externalReference=A%26B+1%2F2&cancelChangesExternalReference=true",
      "POST /orderflow/remoteorder/order/hold.xml?externalReference=1001",
      "POST /orderflow/remoteorder/order/release.xml?externalReference=1001",
      "GET /orderflow/remoteorder/order/detail.xml?externalReference=00081",
    ])
    for (const request of seen) {
      expect(request.headers.channel).toBe("medusa")
      expect(request.headers["content-type"]).toBeUndefined()
      expect(request.body).toBe("")
    }
  })

  it("pulls inventory with channel, organisation and the given parameters", async () => {
    await client().inventoryPull({ externalReferences: ["00123", "B"], site: "global" })
    await client({ organisation: "" }).inventoryPull()
    expect(seen.map((s) => s.url)).toEqual([
      "/orderflow/remotewarehouse/inventory.xml?channel=medusa&organisation=demo&site=global&externalReferences=00123%2CB",
      "/orderflow/remotewarehouse/inventory.xml?channel=medusa",
    ])
    expect(seen[0].headers.organisation).toBeUndefined()
  })

  it("posts return imports like product imports, and pulls applied returns with form parameters and the organisation header", async () => {
    await client().importReturns('<imports><import type="return" operation="insert"/></imports>')
    await client().appliedReturns({ from: "2026-12-01 10:00:00", to: "2026-12-01 11:00:00" })
    await client().appliedReturns({ from: "2026-12-01", site: "WAREHOUSE_1" })
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "POST /orderflow/remotewarehouse/imports/importitems.xml",
      "POST /orderflow/remotewarehouse/returnitem/applied.xml",
      "POST /orderflow/remotewarehouse/returnitem/applied.xml",
    ])
    expect(seen[0].headers.organisation).toBe("demo")
    expect(seen[0].headers["content-type"]).toBe("application/xml; charset=UTF-8")
    expect(seen[1].headers.organisation).toBe("demo")
    expect(seen[1].headers["content-type"]).toBe("application/x-www-form-urlencoded; charset=UTF-8")
    expect(Object.fromEntries(new URLSearchParams(seen[1].body))).toEqual({
      organisation: "demo",
      from: "2026-12-01 10:00:00",
      to: "2026-12-01 11:00:00",
      includeLines: "true",
      includeOriginatingOrderReference: "true",
    })
    expect(new URLSearchParams(seen[2].body).get("site")).toBe("WAREHOUSE_1")
    expect(new URLSearchParams(seen[2].body).has("to")).toBe(false)
    const refused = await rejection(client({ organisation: " " }).appliedReturns({ from: "2026-12-01" }))
    expect(refused).toBeInstanceOf(OrderflowConfigError)
    expect(seen).toHaveLength(3)
  })

  it("returns non-2xx answers instead of throwing", async () => {
    handler = (_req, res) => {
      res.writeHead(503, { "content-type": "text/html" })
      res.end("<html>down</html>")
    }
    const reply = await client().importProducts("<imports/>")
    expect(reply).toMatchObject({ status: 503, body: "<html>down</html>" })
  })

  it("times out waiting for headers with ORDERFLOW_TIMEOUT, without retrying", async () => {
    handler = () => undefined // never answers
    const err = await rejection(client({ timeoutMs: 150 }).importProducts("<imports/>"))
    expect(err).toBeInstanceOf(OrderflowTransportError)
    expect(err).toMatchObject({ code: "ORDERFLOW_TIMEOUT", retry: "transient" })
    expect(err.message).toContain("within 150 ms")
    expect(seen).toHaveLength(1)
  })

  it("times out when the body stalls", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/xml" })
      res.write("<importResult>")
    }
    expect(await rejection(client({ timeoutMs: 150 }).importProducts("<imports/>"))).toMatchObject({ code: "ORDERFLOW_TIMEOUT" })
  })

  it("reports a dropped connection as ORDERFLOW_NETWORK, without retrying the POST", async () => {
    handler = (req) => req.socket.destroy()
    const err = await rejection(client().importOrders("<imports/>"))
    expect(err).toBeInstanceOf(OrderflowTransportError)
    expect(err).toMatchObject({ code: "ORDERFLOW_NETWORK", retry: "transient" })
    expect(err.cause).toBeDefined()
    expect(seen).toHaveLength(1)
  })

  it("reports a refused connection as ORDERFLOW_NETWORK", async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
    const closedPort = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const err = await rejection(client({ endpoint: `http://127.0.0.1:${closedPort}/of` }).importProducts("<imports/>"))
    expect(err).toMatchObject({ code: "ORDERFLOW_NETWORK" })
    expect(err.message).toContain("ECONNREFUSED")
  })

  it("refuses a response over the size cap, declared or streamed", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/xml", "content-length": "2048" })
      res.end("x".repeat(2048))
    }
    const declared = await rejection(client({ maxResponseBytes: 1024 }).importProducts("<imports/>"))
    expect(declared).toBeInstanceOf(OrderflowResponseError)
    expect(declared).toMatchObject({ code: "ORDERFLOW_RESPONSE_TOO_LARGE" })

    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/xml" }) // chunked, no length
      res.write("y".repeat(800))
      setTimeout(() => res.end("y".repeat(800)), 10)
    }
    const streamed = await rejection(client({ maxResponseBytes: 1024 }).importProducts("<imports/>"))
    expect(streamed).toMatchObject({ code: "ORDERFLOW_RESPONSE_TOO_LARGE" })
    expect(streamed.message).toContain("exceeds 1024 bytes")

    handler = (_req, res) => res.end("z".repeat(1024))
    expect((await client({ maxResponseBytes: 1024 }).importProducts("<imports/>")).body).toHaveLength(1024)
  })

  it("decodes UTF-8 split across chunks", async () => {
    const text = "<r>Größe 😀</r>"
    const bytes = Buffer.from(text, "utf8")
    handler = (_req, res) => {
      res.write(bytes.subarray(0, 6))
      setTimeout(() => res.end(bytes.subarray(6)), 5)
    }
    expect((await client().orderDetail("1")).body).toBe(text)
  })

  it("refuses unusable settings before sending anything", async () => {
    expect(() => client({ endpoint: "not a url" })).toThrow(OrderflowConfigError)
    expect(() => client({ endpoint: "ftp://host/x" })).toThrow(/http\(s\) URL/)
    expect(() => client({ endpoint: "https://u:p@host/x" })).toThrow(/credentials/)
    expect(() => client({ endpoint: "https://host/x?a=1" })).toThrow(/query/)
    expect(() => client({ username: "a:b" })).toThrow(/must not contain ':'/)
    expect(() => client({ channel: "medusa\r\nx-evil: 1" })).toThrow(/control characters/)
    expect(await rejection(client({ channel: " " }).importOrders("<imports/>"))).toMatchObject({
      code: "ORDERFLOW_CONFIG",
      retry: "permanent",
    })
    expect(await rejection(client({ channel: "", organisation: "" }).inventoryPull())).toMatchObject({ code: "ORDERFLOW_CONFIG" })
    expect(seen).toHaveLength(0)
  })
})
