// Inbound faults on the OrderFlow routes: scripted ("fail the next N") and
// seeded rates.

import { XMLValidator } from "fast-xml-parser"
import { request } from "undici"
import { startSimulator, type Simulator } from "../index"
import { call, importProducts, parseXml, productsXml } from "./helpers"

describe("scripted inbound faults", () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 21 })
  })
  afterAll(() => sim.close())
  afterEach(() => {
    sim.control.clearFaults()
  })

  it("answers HTTP 500 with an HTML page and does not apply the request, for the next N requests only", async () => {
    sim.control.setFaults({ next: [{ fault: "error", count: 2, path: "importitems" }] })
    for (const sku of ["E1", "E2"]) {
      const res = await importProducts(sim, productsXml([sku]), "demo")
      expect(res.status).toBe(500)
      expect(res.headers["content-type"]).toContain("text/html")
      expect(res.body).toContain("HTTP Status 500")
    }
    expect(sim.state.products.has("E1")).toBe(false)
    const ok = await importProducts(sim, productsXml(["E3"]), "demo")
    expect(ok.status).toBe(200)
    expect(sim.state.products.has("E3")).toBe(true)
    expect(sim.control.documents({ path: "importitems" }).map((d) => d.fault ?? "-")).toEqual(["error", "error", "-"])
  })

  it("uses the scripted status and leaves other routes alone", async () => {
    sim.control.setFaults({ next: [{ fault: "error", status: 503, path: "cancel.xml" }] })
    expect((await importProducts(sim, productsXml(["S1"]), "demo")).status).toBe(200)
    const res = await call(sim, "POST", "/remoteorder/order/cancel.xml?externalReference=x", { headers: { channel: "medusa" } })
    expect(res.status).toBe(503)
    expect(res.body).toContain("Service Unavailable")
  })

  it("makes the client time out while the request was applied", async () => {
    sim.control.setFaults({ next: [{ fault: "timeout", timeoutMs: 5000 }] })
    const started = Date.now()
    await expect(
      request(`${sim.baseUrl}/remotewarehouse/imports/importitems.xml`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from("orderflow:orderflow").toString("base64")}`, organisation: "demo" },
        body: productsXml(["T2"]),
        headersTimeout: 200,
      })
    ).rejects.toThrow(/timeout/i)
    expect(Date.now() - started).toBeLessThan(4000)
    expect(sim.state.products.has("T2")).toBe(true)
  })

  it("closes the connection without an answer once timeoutMs has passed", async () => {
    sim.control.setFaults({ next: [{ fault: "timeout", timeoutMs: 50, applied: false }] })
    await expect(importProducts(sim, productsXml(["T3"]), "demo")).rejects.toThrow(/closed|socket|reset/i)
    expect(sim.state.products.has("T3")).toBe(false)
  })

  it("drops the connection, by default before applying, or after with applied: true", async () => {
    sim.control.setFaults({ next: [{ fault: "drop" }, { fault: "drop", applied: true }] })
    await expect(importProducts(sim, productsXml(["D1"]), "demo")).rejects.toThrow(/closed|socket|reset/i)
    await expect(importProducts(sim, productsXml(["D2"]), "demo")).rejects.toThrow(/closed|socket|reset/i)
    expect(sim.state.products.has("D1")).toBe(false)
    expect(sim.state.products.has("D2")).toBe(true)
    const docs = sim.control.documents({ path: "importitems", limit: 2 })
    expect(docs.map((d) => [d.fault, d.status])).toEqual([
      ["drop", undefined],
      ["drop", undefined],
    ])
  })

  it("answers truncated XML with status 200 after applying the request", async () => {
    sim.control.setFaults({ next: [{ fault: "malformed" }] })
    const res = await importProducts(sim, productsXml(["M1"]), "demo")
    expect(res.status).toBe(200)
    expect(res.body.startsWith("<importResult")).toBe(true)
    expect(XMLValidator.validate(res.body)).not.toBe(true)
    expect(sim.state.products.has("M1")).toBe(true)
  })

  it("answers an HTML login page with status 200 and does not apply the request", async () => {
    sim.control.setFaults({ next: [{ fault: "html" }] })
    const res = await importProducts(sim, productsXml(["H1"]), "demo")
    expect(res.status).toBe(200)
    expect(res.headers["content-type"]).toContain("text/html")
    expect(res.body).toContain("<title>OrderFlow - Log in</title>")
    expect(sim.state.products.has("H1")).toBe(false)
  })

  it("applies every item but silently leaves some out of importResult", async () => {
    sim.control.setFaults({ next: [{ fault: "omit" }, { fault: "omit", omit: ["O4"] }] })
    const last = parseXml((await importProducts(sim, productsXml(["O1", "O2", "O3"]), "demo")).body).importResult
    expect(last.importSuccesses.import.map((i: any) => i["@externalReference"])).toEqual(["O1", "O2"])
    const named = parseXml((await importProducts(sim, productsXml(["O4", "O5"]), "demo")).body).importResult
    expect(named.importSuccesses.import.map((i: any) => i["@externalReference"])).toEqual(["O5"])
    for (const sku of ["O1", "O2", "O3", "O4", "O5"]) expect(sim.state.products.has(sku)).toBe(true)
  })

  it("delays answers by latencyMs", async () => {
    sim.control.setFaults({ inbound: { latencyMs: 150 } })
    const started = Date.now()
    expect((await importProducts(sim, productsXml(["L1"]), "demo")).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it("never touches the control API", async () => {
    sim.control.setFaults({ inbound: { errorRate: 1, dropRate: 1 } })
    const res = await request(`${sim.url}/_sim/state`)
    expect(res.statusCode).toBe(200)
    expect(((await res.body.json()) as { products: number }).products).toBeGreaterThan(0)
  })
})

describe("rate-based inbound faults", () => {
  async function statuses(seed: number): Promise<string[]> {
    const sim = await startSimulator({ port: 0, seed, faults: { inbound: { errorRate: 0.3, htmlRate: 0.2, path: "importitems" } } })
    try {
      const out: string[] = []
      for (let i = 0; i < 30; i++) {
        const res = await importProducts(sim, productsXml([`R${i}`]), "demo")
        out.push(`${res.status}:${res.headers["content-type"]?.toString().includes("html") ? "html" : "xml"}`)
      }
      return out
    } finally {
      await sim.close()
    }
  }

  it("replays the same faults with the same seed", async () => {
    const a = await statuses(99)
    const b = await statuses(99)
    const c = await statuses(100)
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    expect(a).toContain("200:xml")
    expect(a).toContain("200:html")
    expect(a.some((s) => s.startsWith("500") || s.startsWith("503"))).toBe(true)
  })
})
