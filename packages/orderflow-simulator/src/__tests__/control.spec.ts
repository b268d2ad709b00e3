// The control API (/_sim/), persistence and the CLI.

import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { promisify } from "node:util"
import { request } from "undici"
import { startSimulator, type Simulator } from "../index"
import { importOrders, orderXml, startReceiver } from "./helpers"

const run = promisify(execFile)
const PACKAGE = path.join(__dirname, "..", "..")

async function sim$(sim: Simulator, method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await request(`${sim.url}/_sim/${route}`, {
    method: method as "GET",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  })
  return { status: res.statusCode, json: await res.body.json() }
}

describe("control API", () => {
  let sim: Simulator
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  beforeAll(async () => {
    receiver = await startReceiver()
    sim = await startSimulator({ port: 0, seed: 31, storeUrl: receiver.url, pushRetryDelayMs: 5 })
  })
  afterAll(async () => {
    await sim.close()
    await receiver.close()
  })

  it("seeds generated and explicit products and sets or adjusts stock", async () => {
    const seeded = await sim$(sim, "POST", "seed", { generate: { count: 5, prefix: "G-", stock: 3 }, products: [{ sku: "X-1", description: "Explicit", stock: 9 }] })
    expect(seeded).toEqual({ status: 200, json: { created: 6, updated: 0, first: "X-1", last: "G-00005" } })
    const list = await sim$(sim, "GET", "products?sku=G-&limit=2")
    expect(list.json.count).toBe(5)
    expect(list.json.products.map((p: any) => [p.externalReference, p.stock.DEFAULT.total, p.stock.DEFAULT.available])).toEqual([
      ["G-00001", 3, 3],
      ["G-00002", 3, 3],
    ])
    const id = sim.state.products.get("X-1")!.stock.DEFAULT.inventoryId
    const set = await sim$(sim, "POST", "stock", { sku: "X-1", total: 20, damaged: 2 })
    expect(set.json[0]).toMatchObject({ total: 20, damaged: 2, available: 18 })
    expect(set.json[0].inventoryId).toBeGreaterThan(id)
    const adjusted = await sim$(sim, "POST", "stock", { changes: [{ sku: "X-1", total: -5, mode: "adjust" }] })
    expect(adjusted.json[0]).toMatchObject({ total: 15, available: 13 })
    expect((await sim$(sim, "GET", "products/X-1")).json.description).toBe("Explicit")
  })

  it("answers errors as JSON with a status", async () => {
    expect(await sim$(sim, "GET", "products/NOPE")).toEqual({ status: 404, json: { error: "Unknown product 'NOPE'" } })
    expect((await sim$(sim, "POST", "seed", "{not json")).status).toBe(400)
    expect((await sim$(sim, "GET", "nothing")).status).toBe(404)
    expect((await sim$(sim, "POST", "stock", { sku: "X-1", total: 1.5 })).json.error).toBe("total must be an integer, got 1.5")
  })

  it("triggers pushes, waits for them and lists deliveries", async () => {
    const out = await sim$(sim, "POST", "push", { mode: "full", wait: true })
    expect(out.json.settled).toBe(true)
    expect(out.json.messages.map((m: any) => [m.status, m.skuCount])).toEqual([["delivered", 6]])
    const list = await sim$(sim, "GET", "deliveries?status=delivered&view=summary")
    expect(list.json.count).toBe(1)
    expect(list.json.deliveries[0].payload).toBeUndefined()
    const one = await sim$(sim, "GET", `deliveries/${out.json.messages[0].messageSeqId}`)
    expect(JSON.parse(one.json.body)).toEqual(receiver.received[0].json)
  })

  it("moves shipments along, despatches and cancels orders", async () => {
    await importOrders(sim, orderXml("CTL1", [["G-00001", 1]]), "medusa")
    await importOrders(sim, orderXml("CTL2", [["G-00002", 1]]), "medusa")
    const packed = await sim$(sim, "POST", "shipments/CTL1/state", { state: "packed" })
    expect(packed.json.state).toBe("packed")
    expect((await sim$(sim, "GET", "shipments?state=packed")).json.shipments.map((s: any) => s.reference)).toEqual(["CTL11"])
    const refused = await sim$(sim, "POST", "orders/CTL1/cancel", {})
    expect(refused.status).toBe(409)
    expect(refused.json.exception).toBe("rtd.exceptions.InvalidStateException")
    const despatched = await sim$(sim, "POST", "despatch", { orderReference: "CTL1", trackingNumbers: ["T-1"], courierName: "dpd", wait: true })
    expect(despatched.json.order).toEqual({ externalReference: "CTL1", state: "despatched" })
    expect(despatched.json.payload).toMatchObject({ orderIncrementId: "CTL1", trackingNumber: "T-1", courierName: "dpd" })
    expect(receiver.received[receiver.received.length - 1].json.orderIncrementId).toBe("CTL1")
    expect((await sim$(sim, "POST", "orders/CTL2/cancel", {})).json.state).toBe("cancelled")
    expect((await sim$(sim, "GET", "orders/CTL2")).json.shipments[0].state).toBe("cancelled")
  })

  it("lists received documents with their raw XML, filtered and limited", async () => {
    const docs = await sim$(sim, "GET", "documents?path=importitems&limit=1")
    expect(docs.json.documents).toHaveLength(1)
    expect(docs.json.documents[0].body).toContain('externalReference="CTL2"')
    expect(docs.json.documents[0].responseBody).toContain("<importResult>")
    const byId = await sim$(sim, "GET", `documents/${docs.json.documents[0].id}`)
    expect(byId.json.route).toBe("/remoteorder/imports/importitems.xml")
  })

  it("sets, shows and clears faults", async () => {
    await sim$(sim, "POST", "faults", { next: [{ fault: "drop", count: 2 }], inbound: { latencyMs: [1, 3] }, push: { duplicateRate: 0.5 } })
    const shown = (await sim$(sim, "GET", "faults")).json
    expect(shown).toEqual({ inbound: { latencyMs: [1, 3] }, next: [{ fault: "drop", count: 2 }], push: { duplicateRate: 0.5 } })
    expect((await sim$(sim, "POST", "faults", { next: [{ fault: "explode" }] })).status).toBe(400)
    expect((await sim$(sim, "DELETE", "faults")).json).toEqual({ inbound: {}, next: [], push: {} })
  })

  it("resets everything but keeps the counters rising, unless asked", async () => {
    const before = sim.state.counters.messageSeqId
    expect(before).toBeGreaterThan(0)
    await sim$(sim, "POST", "reset", {})
    expect(sim.state.products.size).toBe(0)
    expect(sim.control.documents()).toEqual([])
    expect(sim.state.counters.messageSeqId).toBe(before)
    await sim$(sim, "POST", "reset", { counters: true })
    expect(sim.state.counters).toMatchObject({ messageSeqId: 0, inventoryRecordId: 0 })
  })

  it("changes push settings at run time", async () => {
    const cfg = await sim$(sim, "POST", "config", { chunkSize: 2, pushFormat: "xml", storePassword: "x" })
    expect(cfg.json).toMatchObject({ chunkSize: 2, pushFormat: "xml", storePasswordSet: true })
    expect((await sim$(sim, "POST", "config", { pushFormat: "csv" })).status).toBe(400)
    sim.control.seed({ generate: { count: 3, prefix: "C-" } })
    const out = await sim.control.pushInventory({ mode: "full", wait: true })
    expect(out.messages.map((m) => m.skuCount)).toEqual([2, 1])
    expect(receiver.received[receiver.received.length - 1].headers["content-type"]).toBe("application/xml")
  })
})

describe("state file", () => {
  it("saves on close and restores products, orders, counters and queued messages", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "orderflow-sim-"))
    const file = path.join(dir, "state.json")
    try {
      const first = await startSimulator({ port: 0, stateFile: file })
      first.control.seed({ products: [{ sku: "KEEP", stock: 4 }] })
      await importOrders(first, orderXml("KEPT", [["KEEP", 1]]), "medusa")
      await first.control.pushInventory({ mode: "full" })
      const counters = { ...first.state.counters }
      await first.close()
      expect(JSON.parse(readFileSync(file, "utf8")).products[0].externalReference).toBe("KEEP")

      const receiver = await startReceiver()
      const second = await startSimulator({ port: 0, stateFile: file, storeUrl: receiver.url })
      try {
        expect(second.state.products.get("KEEP")!.stock.DEFAULT.allocated).toBe(1)
        expect(second.state.orders.get("KEPT")!.shipments[0].state).toBe("allocated")
        expect(second.state.counters).toEqual(counters)
        // The message queued before the restart is delivered now.
        await second.control.waitForDeliveries({ timeoutMs: 5000 })
        expect(receiver.received.map((r) => r.json.messageSeqId)).toEqual([1])
        const next = await second.control.pushInventory({ mode: "single", sku: "KEEP", wait: true })
        expect(next.messages[0].messageSeqId).toBe(2)
      } finally {
        await second.close()
        await receiver.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe("CLI", () => {
  // The package's bin (bin/orderflow-simulator.js, what `npm run simulator` runs): src/cli.ts through tsx.
  const bin = path.join(PACKAGE, "bin", "orderflow-simulator.js")
  const cli = (args: string[]) => run(process.execPath, [bin, ...args])

  it("documents every flag and the control API in --help", async () => {
    const { stdout } = await cli(["--help"])
    for (const flag of [
      "--port", "--host", "--context", "--user", "--password", "--organisation", "--channel", "--sites", "--store-url",
      "--store-user", "--store-password", "--push-format", "--chunk-size", "--push-retries", "--push-retry-delay-ms",
      "--auto-push", "--seed", "--state-file", "--error-status", "--error-rate", "--drop-rate", "--shuffle-window",
    ]) {
      expect(stdout).toContain(flag)
    }
    expect(stdout).toContain("POST /_sim/push")
  })

  it("drives a running simulator: push full prints progress until delivered", async () => {
    const receiver = await startReceiver()
    const sim = await startSimulator({ port: 0, storeUrl: receiver.url, chunkSize: 2 })
    try {
      sim.control.seed({ generate: { count: 5, prefix: "CLI-", stock: 1 } })
      const { stdout } = await cli(["push", "full", "--url", sim.url])
      expect(stdout).toContain("full push: 3 message(s) (messageSeqId 1..3)")
      expect(stdout).toContain("delivered 3/3")
      expect(receiver.received).toHaveLength(3)
      const { stdout: state } = await cli(["state", "--url", sim.url])
      expect(JSON.parse(state).deliveries.delivered).toBe(3)
    } finally {
      await sim.close()
      await receiver.close()
    }
  })
})

describe("control API: reinitialise", () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 7 })
  })
  afterAll(async () => {
    await sim.close()
  })

  it("reinitialise restarts inventory record ids at startAt for every product, figures unchanged, and rejects a bad startAt", async () => {
    await sim$(sim, "POST", "seed", { products: [{ sku: "RI-1", stock: 4 }, { sku: "RI-2", stock: 7 }] })
    const before = sim.state.products.get("RI-2")!.stock.DEFAULT.inventoryId
    expect(before).toBeGreaterThan(3)
    const out = await sim$(sim, "POST", "reinitialise", { startAt: 1 })
    expect(out.status).toBe(200)
    expect(out.json.firstInventoryId).toBe(1)
    expect(out.json.lastInventoryId).toBe(out.json.products)
    const ids = [...sim.state.products.values()].map((p) => p.stock.DEFAULT.inventoryId).sort((a, b) => a - b)
    expect(ids).toEqual(ids.map((_, i) => i + 1))
    expect(sim.state.products.get("RI-2")!.stock.DEFAULT.total).toBe(7)
    expect((await sim$(sim, "POST", "reinitialise", { startAt: 0 })).json.error).toBe("startAt must be a positive integer, got 0")
  })
})
