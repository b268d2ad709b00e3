// Operations FROM OrderFlow: inventory and shipment pushes, their delivery,
// retries, failed list, duplicates and out-of-order delivery.

import { startSimulator, type Simulator, type SimulatorOptions } from "../index"
import { basic, importOrders, orderXml, parseXml, startReceiver, waitFor } from "./helpers"

type Receiver = Awaited<ReturnType<typeof startReceiver>>
const closers: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

async function setup(options: SimulatorOptions = {}, statusFor?: Parameters<typeof startReceiver>[0]): Promise<{ sim: Simulator; receiver: Receiver }> {
  const receiver = await startReceiver(statusFor)
  const sim = await startSimulator({
    port: 0,
    seed: 11,
    storeUrl: receiver.url,
    storeUser: "store",
    storePassword: "pw",
    pushRetryDelayMs: 5,
    ...options,
  })
  closers.push(receiver.close, sim.close)
  return { sim, receiver }
}

const FIXED_NOW = new Date("2026-11-23T10:15:00.000Z")

describe("inventory push content", () => {
  it("sends a single product push as JSON with qty = available and seq = the inventory record id", async () => {
    const { sim, receiver } = await setup({ now: () => FIXED_NOW })
    sim.control.seed({ products: [{ sku: "ABC", stock: 5 }, { sku: "OTHER", stock: 1 }] })
    const out = await sim.control.pushInventory({ mode: "single", sku: "ABC", wait: true })
    expect(out.settled).toBe(true)
    expect(receiver.received).toHaveLength(1)
    const r = receiver.received[0]
    expect(r.path).toBe("/orderflow/inventory")
    expect(r.headers["content-type"]).toBe("application/json")
    expect(r.headers.authorization).toBe(basic("store", "pw"))
    const seq = sim.state.products.get("ABC")!.stock.DEFAULT.inventoryId
    // Single site: no source; no order imported yet: no lastOrderExported.
    expect(r.json).toEqual({ productQtys: [{ sku: "ABC", qty: 5 }], productSeqs: [{ sku: "ABC", seq }], messageSeqId: 1 })
    expect(sim.control.deliveries({ status: "delivered" }).map((m) => m.messageSeqId)).toEqual([1])
  })

  it("reflects orders in qty, and names when the last order import was received", async () => {
    const { sim, receiver } = await setup({ now: () => FIXED_NOW })
    sim.control.seed({ products: [{ sku: "ABC", stock: 5 }] })
    await importOrders(sim, orderXml("P1", [["ABC", 7]]), "medusa")
    await sim.control.pushInventory({ mode: "single", sku: "ABC", wait: true })
    const record = sim.state.products.get("ABC")!.stock.DEFAULT
    expect(receiver.received[0].json).toEqual({
      productQtys: [{ sku: "ABC", qty: -2 }],
      productSeqs: [{ sku: "ABC", seq: record.inventoryId, lastOrderExported: "2026-11-23 10:15:00" }],
      messageSeqId: 1,
    })
  })

  it("writes lastOrderExported and dateShipped as wall-clock time in its timeZone (BST in summer)", async () => {
    const summer = new Date("2026-07-01T11:00:00.000Z")
    const { sim, receiver } = await setup({ now: () => summer, timeZone: "Europe/London" })
    sim.control.seed({ products: [{ sku: "ABC", stock: 5 }] })
    await importOrders(sim, orderXml("TZ1", [["ABC", 1]]), "medusa")
    await sim.control.pushInventory({ mode: "single", sku: "ABC", wait: true })
    expect(receiver.received[0].json.productSeqs[0].lastOrderExported).toBe("2026-07-01 12:00:00")
    await sim.control.despatch({ orderReference: "TZ1", trackingNumbers: ["T1"], dateShipped: new Date("2026-07-01T11:30:00Z"), wait: true })
    const shipment = receiver.received.find((r) => r.path === "/orderflow/shipment")!
    expect(shipment.json.dateShipped).toBe("2026-07-01 12:30:00")
    await expect(startSimulator({ port: 0, timeZone: "Mars/Olympus" })).rejects.toThrow(/timeZone must be an IANA time zone/)
  })

  it("sends negative figures as 0 with negativeAsZero", async () => {
    const { sim, receiver } = await setup({ negativeAsZero: true })
    sim.control.seed({ products: [{ sku: "ABC", stock: 1 }] })
    await importOrders(sim, orderXml("P1", [["ABC", 3]]), "medusa")
    await sim.control.pushInventory({ mode: "single", sku: "ABC", wait: true })
    expect(receiver.received[0].json.productQtys).toEqual([{ sku: "ABC", qty: 0 }])
  })

  it("includes source in productQtys and productSeqs when several sites are configured", async () => {
    const { sim, receiver } = await setup({ sites: ["DEFAULT", "SECOND"] })
    sim.control.seed({ products: [{ sku: "ABC", stock: { DEFAULT: 5, SECOND: 2 } }] })
    await sim.control.pushInventory({ mode: "single", sku: "ABC", wait: true })
    const p = sim.state.products.get("ABC")!
    expect(receiver.received[0].json).toEqual({
      productQtys: [
        { sku: "ABC", qty: 5, source: "DEFAULT" },
        { sku: "ABC", qty: 2, source: "SECOND" },
      ],
      productSeqs: [
        { sku: "ABC", seq: p.stock.DEFAULT.inventoryId, source: "DEFAULT" },
        { sku: "ABC", seq: p.stock.SECOND.inventoryId, source: "SECOND" },
      ],
      messageSeqId: 1,
    })
  })

  it("splits a full push into messages of chunkSize SKUs with increasing messageSeqIds", async () => {
    const { sim, receiver } = await setup({ chunkSize: 100 })
    sim.control.seed({ generate: { count: 250, prefix: "F-", stock: [0, 20] } })
    const out = await sim.control.pushInventory({ mode: "full", wait: true })
    expect(out.messages.map((m) => [m.messageSeqId, m.skuCount])).toEqual([
      [1, 100],
      [2, 100],
      [3, 50],
    ])
    expect(receiver.received.map((r) => r.json.messageSeqId)).toEqual([1, 2, 3])
    const skus = receiver.received.flatMap((r) => r.json.productQtys.map((q: any) => q.sku))
    expect(skus).toHaveLength(250)
    expect(new Set(skus).size).toBe(250)
    expect(skus[0]).toBe("F-00001")
    for (const r of receiver.received) {
      for (const q of r.json.productQtys) expect(q.qty).toBe(sim.control.product(q.sku).stock.DEFAULT.available)
      for (const s of r.json.productSeqs) expect(s.seq).toBe(sim.state.products.get(s.sku)!.stock.DEFAULT.inventoryId)
    }
  })

  it("sends only products whose inventory record changed since the last incremental push", async () => {
    const { sim, receiver } = await setup()
    sim.control.seed({ generate: { count: 20, prefix: "I-", stock: 10 } })
    const first = await sim.control.pushInventory({ mode: "incremental", wait: true })
    expect(first.messages.map((m) => m.skuCount)).toEqual([20])
    const oldSeq = sim.state.products.get("I-00003")!.stock.DEFAULT.inventoryId

    expect((await sim.control.pushInventory({ mode: "incremental" })).messages).toEqual([])

    sim.control.adjustStock("I-00003", -4)
    await importOrders(sim, orderXml("INC1", [["I-00007", 1]]), "medusa")
    const second = await sim.control.pushInventory({ mode: "incremental", wait: true })
    expect(second.messages).toHaveLength(1)
    const json = receiver.received[receiver.received.length - 1].json
    expect(json.messageSeqId).toBe(2)
    expect(json.productQtys).toEqual([
      { sku: "I-00003", qty: 6 },
      { sku: "I-00007", qty: 9 },
    ])
    expect(json.productSeqs[0].seq).toBeGreaterThan(oldSeq)
    expect(json.productSeqs[1].lastOrderExported).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
  })

  it("renders the XML form", async () => {
    const { sim, receiver } = await setup({ pushFormat: "xml", sites: ["DEFAULT", "SECOND"] })
    sim.control.seed({ products: [{ sku: "00123", stock: { DEFAULT: 5 } }] })
    await sim.control.pushInventory({ mode: "single", sku: "00123", wait: true })
    const r = receiver.received[0]
    expect(r.headers["content-type"]).toBe("application/xml")
    const doc = parseXml(r.body).inventoryUpdate
    const p = sim.state.products.get("00123")!
    expect(doc.messageSeqId).toBe("1")
    expect(doc.productQtys.productQty).toEqual([
      { sku: "00123", qty: "5", source: "DEFAULT" },
      { sku: "00123", qty: "0", source: "SECOND" },
    ])
    expect(doc.productSeqs.productSeq).toEqual([
      { sku: "00123", seq: String(p.stock.DEFAULT.inventoryId), source: "DEFAULT" },
      { sku: "00123", seq: String(p.stock.SECOND.inventoryId), source: "SECOND" },
    ])
  })

  it("renders the SOAP envelope of seed 000 (no source, no lastOrderExported; global figures when multi-site)", async () => {
    const { sim, receiver } = await setup({ pushFormat: "soap", sites: ["DEFAULT", "SECOND"] })
    sim.control.seed({ products: [{ sku: "hdd000", stock: { DEFAULT: 3, SECOND: 4 } }] })
    await importOrders(sim, orderXml("S1", [["hdd000", 1]]), "medusa")
    await sim.control.pushInventory({ mode: "single", sku: "hdd000", wait: true })
    const r = receiver.received[0]
    expect(r.headers["content-type"]).toBe("text/xml; charset=UTF-8")
    const body = parseXml(r.body)["SOAP-ENV:Envelope"]["SOAP-ENV:Body"]["ns1:orderflowInventoryUpdate"]
    expect(body.sessionId["#text"]).toBe("orderflow-simulator-session")
    expect(body.skusQty.item.map((i: any) => [i.key["#text"], i.value["#text"]])).toEqual([["hdd000", "6"]])
    expect(body.skusSeqId.item.map((i: any) => [i.key["#text"], i.value["#text"]])).toEqual([
      ["hdd000", String(sim.state.products.get("hdd000")!.global!.inventoryId)],
    ])
    expect(body.messageSeqId["#text"]).toBe("1")
    expect(r.body).not.toContain("lastOrderExported")
    expect(r.body).not.toContain("source")
  })
})

describe("shipment despatch push", () => {
  it("despatches a whole shipment with several packages and sends the documented JSON", async () => {
    const { sim, receiver } = await setup()
    sim.control.seed({ products: [{ sku: "ABC", stock: 10 }, { sku: "DEF", stock: 10 }] })
    await importOrders(sim, orderXml("100000123", [["ABC", 2], ["DEF", 1]]), "medusa")
    const out = await sim.control.despatch({
      orderReference: "100000123",
      trackingNumbers: ["TT1", "TT2"],
      courierName: "royalmail_tracked",
      serviceName: "TPN01",
      email: true,
      dateShipped: "2026-11-23 10:20:00",
      wait: true,
    })
    expect(out.settled).toBe(true)
    const r = receiver.received[0]
    expect(r.path).toBe("/orderflow/shipment")
    expect(r.json).toEqual({
      orderIncrementId: "100000123",
      skuQty: [
        { sku: "ABC", qty: 2 },
        { sku: "DEF", qty: 1 },
      ],
      trackingNumber: "TT1",
      tracks: [{ trackingNumber: "TT1" }, { trackingNumber: "TT2" }],
      courierName: "royalmail_tracked",
      serviceName: "TPN01",
      comment: "Shipment Created",
      email: true,
      includeComment: false,
      dateShipped: "2026-11-23 10:20:00",
      messageSeqId: 1,
    })
    const abc = sim.control.product("ABC").stock.DEFAULT
    expect([abc.total, abc.allocated, abc.available]).toEqual([8, 0, 8])
    expect(sim.state.orders.get("100000123")!.state).toBe("despatched")
    expect(sim.state.orders.get("100000123")!.shipments[0].packages.map((p) => p.despatchReference)).toEqual(["TT1", "TT2"])
  })

  it("splits the shipment on a partial despatch; the remainder stays open and is despatched later", async () => {
    const { sim, receiver } = await setup({ pushFormat: "xml" })
    sim.control.seed({ products: [{ sku: "ABC", stock: 10 }, { sku: "DEF", stock: 10 }] })
    await importOrders(sim, orderXml("O2", [["ABC", 3], ["DEF", 1]]), "medusa")
    const first = await sim.control.despatch({ orderReference: "O2", lines: [{ sku: "ABC", qty: 2 }], trackingNumbers: ["P1"], wait: true })
    expect(first.shipment.lines.map((l) => [l.product, l.quantity])).toEqual([["ABC", 2]])
    expect(first.remainder!.lines.map((l) => [l.product, l.quantity])).toEqual([
      ["ABC", 1],
      ["DEF", 1],
    ])
    expect(first.remainder!.state).toBe("allocated")
    const order = sim.state.orders.get("O2")!
    expect(order.shipments.map((s) => [s.reference, s.sequence, s.state])).toEqual([
      ["O21", 1, "despatched"],
      ["O22", 2, "allocated"],
    ])
    expect(order.state).toBe("created")
    const abc = sim.control.product("ABC").stock.DEFAULT
    expect([abc.total, abc.allocated]).toEqual([8, 1])

    await sim.control.despatch({ orderReference: "O2", trackingNumbers: [], comment: "rest", includeComment: true, wait: true })
    expect(order.state).toBe("despatched")
    const xml = parseXml(receiver.received[1].body).shipmentDespatch
    expect(receiver.received[1].headers["content-type"]).toBe("application/xml")
    expect(xml.orderIncrementId).toBe("O2")
    expect(xml.skuQty.item).toEqual([
      { sku: "ABC", qty: "1" },
      { sku: "DEF", qty: "1" },
    ])
    expect(xml.trackingNumber).toBeUndefined()
    expect(xml.tracks).toBe("")
    expect([xml.comment, xml.includeComment, xml.messageSeqId]).toEqual(["rest", "true", "2"])
    const first1 = parseXml(receiver.received[0].body).shipmentDespatch
    expect(first1.tracks.track).toEqual([{ trackingNumber: "P1" }])
  })

  it("refuses to despatch units the site does not hold, unless forced", async () => {
    const { sim } = await setup()
    sim.control.seed({ products: [{ sku: "ABC", stock: 1 }] })
    await importOrders(sim, orderXml("O3", [["ABC", 2]]), "medusa")
    await expect(sim.control.despatch({ orderReference: "O3", push: false })).rejects.toThrow("only 1 usable in stock")
    const out = await sim.control.despatch({ orderReference: "O3", push: false, force: true })
    expect(out.shipment.state).toBe("despatched")
    expect(sim.control.product("ABC").stock.DEFAULT.total).toBe(-1)
  })
})

describe("delivery, retries and the failed list", () => {
  it("retries with back-off until the store answers 200", async () => {
    const { sim, receiver } = await setup({ pushRetries: 5 }, (n) => (n <= 2 ? 500 : 200))
    sim.control.seed({ products: [{ sku: "ABC", stock: 5 }] })
    await sim.control.pushInventory({ mode: "single", sku: "ABC", wait: true })
    const m = sim.control.delivery(1)
    expect(m.status).toBe("delivered")
    expect(m.totalAttempts).toBe(3)
    expect(m.sends.map((s) => s.status)).toEqual([500, 500, 200])
    // Exponential back-off: the second wait is at least twice the base.
    const t = m.sends.map((s) => Date.parse(s.at))
    expect(t[2] - t[1]).toBeGreaterThanOrEqual(10)
    expect(receiver.received.map((r) => r.json.messageSeqId)).toEqual([1, 1, 1])
  })

  it("counts only HTTP 200 as delivered: 202 and 204 are retried too", async () => {
    const { sim } = await setup({ pushRetries: 3 }, (n) => (n === 1 ? 202 : n === 2 ? 204 : 200))
    sim.control.seed({ products: [{ sku: "ABC", stock: 5 }] })
    await sim.control.pushInventory({ mode: "single", sku: "ABC", wait: true })
    expect(sim.control.delivery(1).sends.map((s) => s.status)).toEqual([202, 204, 200])
  })

  it("fails a message after pushRetries retries, lists it, and delivers it when retried", async () => {
    let healthy = false
    const { sim, receiver } = await setup({ pushRetries: 2 }, () => (healthy ? 200 : 503))
    sim.control.seed({ products: [{ sku: "ABC", stock: 5 }] })
    const out = await sim.control.pushInventory({ mode: "single", sku: "ABC", wait: true })
    expect(out.settled).toBe(true)
    expect(sim.control.deliveries({ status: "failed" }).map((m) => [m.messageSeqId, m.attempts, m.lastStatus])).toEqual([[1, 3, 503]])
    expect(receiver.received).toHaveLength(3)

    healthy = true
    expect(sim.control.retryFailed().map((m) => m.messageSeqId)).toEqual([1])
    await sim.control.waitForDeliveries({ ids: [1] })
    expect(sim.control.delivery(1).status).toBe("delivered")
    expect(sim.control.delivery(1).totalAttempts).toBe(4)
    expect(sim.control.deliveries({ status: "failed" })).toEqual([])
  })

  it("treats a network error like a failed attempt", async () => {
    const { sim } = await setup({ pushRetries: 1, storeUrl: "http://127.0.0.1:1" })
    sim.control.seed({ products: [{ sku: "ABC", stock: 5 }] })
    await sim.control.pushInventory({ mode: "single", sku: "ABC", wait: true })
    const m = sim.control.delivery(1)
    expect(m.status).toBe("failed")
    expect(m.sends).toHaveLength(2)
    expect(m.sends[0].status).toBeUndefined()
    expect(m.lastError).toMatch(/ECONNREFUSED|connect/i)
  })

  it("shares one messageSeqId counter between inventory and shipment messages", async () => {
    const { sim, receiver } = await setup()
    sim.control.seed({ products: [{ sku: "ABC", stock: 5 }] })
    await importOrders(sim, orderXml("SEQ1", [["ABC", 1]]), "medusa")
    await sim.control.pushInventory({ mode: "single", sku: "ABC", wait: true })
    await sim.control.despatch({ orderReference: "SEQ1", wait: true })
    await sim.control.pushInventory({ mode: "single", sku: "ABC", wait: true })
    expect(receiver.received.map((r) => [r.path, r.json.messageSeqId])).toEqual([
      ["/orderflow/inventory", 1],
      ["/orderflow/shipment", 2],
      ["/orderflow/inventory", 3],
    ])
  })

  it("pushes incrementally on its own with autoPushMs", async () => {
    const { sim, receiver } = await setup({ autoPushMs: 20 })
    sim.control.seed({ products: [{ sku: "AUTO", stock: 5 }] })
    await waitFor(() => receiver.received.length >= 1, 5000, "auto push")
    expect(receiver.received[0].json.productQtys).toEqual([{ sku: "AUTO", qty: 5 }])
    sim.control.adjustStock("AUTO", 2)
    await waitFor(() => receiver.received.length >= 2, 5000, "second auto push")
    expect(receiver.received[1].json.productQtys).toEqual([{ sku: "AUTO", qty: 7 }])
  })
})

describe("push faults", () => {
  it("delivers the next N messages twice with duplicateNext", async () => {
    const { sim, receiver } = await setup({ chunkSize: 1, faults: { push: { duplicateNext: 2 } } })
    sim.control.seed({ generate: { count: 3, prefix: "D-", stock: 1 } })
    await sim.control.pushInventory({ mode: "full", wait: true })
    await waitFor(() => receiver.received.length === 5, 5000, "5 deliveries")
    expect(receiver.received.map((r) => r.json.messageSeqId)).toEqual([1, 1, 2, 2, 3])
    expect(receiver.received[0].body).toBe(receiver.received[1].body)
    expect(sim.control.deliveries().map((m) => m.duplicate)).toEqual([true, true, false])
  })

  it("gives up the next N messages without a delivery with giveUpNext; a retry then delivers them", async () => {
    const { sim, receiver } = await setup({ chunkSize: 1, faults: { push: { giveUpNext: 1 } } })
    sim.control.seed({ generate: { count: 2, prefix: "G-", stock: 1 } })
    const out = await sim.control.pushInventory({ mode: "full", wait: true })
    expect(out.settled).toBe(true)
    expect(receiver.received.map((r) => r.json.messageSeqId)).toEqual([2])
    expect(sim.control.deliveries({ status: "failed" }).map((m) => [m.messageSeqId, m.totalAttempts])).toEqual([[1, 0]])
    sim.control.retryFailed([1])
    await waitFor(() => receiver.received.length === 2, 5000, "the retried delivery")
    expect(receiver.received.map((r) => r.json.messageSeqId)).toEqual([2, 1])
    expect(sim.control.deliveries({ status: "delivered" })).toHaveLength(2)
  })

  it("sends each window last-first with shuffleOrder reverse (a known out-of-order sequence)", async () => {
    const { sim, receiver } = await setup({ chunkSize: 1, faults: { push: { shuffleWindow: 3, shuffleOrder: "reverse" } } })
    sim.control.seed({ generate: { count: 5, prefix: "V-", stock: 1 } })
    await sim.control.pushInventory({ mode: "full", wait: true })
    expect(receiver.received.map((r) => r.json.messageSeqId)).toEqual([3, 2, 1, 5, 4])
  })

  async function run(seed: number) {
    const { sim, receiver } = await setup({ seed, chunkSize: 1, faults: { push: { duplicateRate: 0.3, shuffleWindow: 5 } } })
    sim.control.seed({ generate: { count: 20, prefix: "R-", stock: 1 } })
    const out = await sim.control.pushInventory({ mode: "full", wait: true })
    const duplicates = out.messages.filter((m) => m.duplicate).length
    await waitFor(() => receiver.received.length === 20 + duplicates, 5000, "all deliveries")
    return receiver.received.map((r) => r.json.messageSeqId as number)
  }

  it("reproduces duplicates and the shuffled order with the same seed", async () => {
    const a = await run(42)
    const b = await run(42)
    const c = await run(43)
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    expect(a.length).toBeGreaterThan(20)
    expect(new Set(a).size).toBe(20)
    // Out of order, but only within a window: the first 5 deliveries (copies
    // included) come from the first 5 queued entries, i.e. messages 1..5.
    expect(a).not.toEqual([...a].sort((x, y) => x - y))
    expect(Math.max(...a.slice(0, 5))).toBeLessThanOrEqual(5)
  })
})

describe("soap-m2 connector against the store's WSDL", () => {
  const INVENTORY = "realtimeDespatchOrderFlowInventoryRequestManagementV1"
  /** A store face whose WSDL declares the given required request children; it answers the token call and every push. */
  async function fakeFace(required: string[]) {
    const { createServer } = await import("node:http")
    const posts: string[] = []
    const server = createServer((req, res) => {
      let body = ""
      req.on("data", (c) => (body += c))
      req.on("end", () => {
        if (req.method === "GET") {
          const tns = `http://store/orderflow/soap/default?services=${INVENTORY}`
          res.setHeader("content-type", "text/xml")
          res.end(
            `<definitions targetNamespace="${tns}"><types><xsd:schema><xsd:complexType name="R${INVENTORY.slice(1)}UpdateRequest"><xsd:sequence>` +
              required.map((n) => `<xsd:element name="${n}" minOccurs="1" maxOccurs="1" type="xsd:string"/>`).join("") +
              `</xsd:sequence></xsd:complexType></xsd:schema></types><portType><operation name="${INVENTORY}Update"/></portType></definitions>`
          )
          return
        }
        posts.push(body)
        res.setHeader("content-type", "text/xml")
        res.end(body.includes("CreateAdminAccessToken") ? "<Envelope><Body><x><result>tok123</result></x></Body></Envelope>" : "<Envelope><Body><x><result>Success</result></x></Body></Envelope>")
      })
    })
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
    const port = (server.address() as { port: number }).port
    closers.push(() => new Promise<void>((r) => server.close(() => r())))
    return { url: `http://127.0.0.1:${port}`, posts }
  }

  it("pushes with the WSDL's namespace and the token when the message carries every required element", async () => {
    const face = await fakeFace(["productQtys", "productSeqs", "messageSeqId"])
    const { sim } = await setup({ storeUrl: face.url, pushFormat: "soap-m2" })
    sim.control.seed({ products: [{ sku: "A", stock: 3 }] })
    const pushed = await sim.control.pushInventory({ mode: "single", sku: "A", wait: true })
    expect(pushed.messages[0].status).toBe("delivered")
    const push = face.posts.find((p) => p.includes("UpdateRequest"))!
    expect(push).toContain(`xmlns:ns1="http://store/orderflow/soap/default?services=${INVENTORY}"`)
    expect(sim.control.connectorLog().map((c) => [c.what, c.ok])).toEqual([
      ["wsdl", true],
      ["token", true],
    ])
  })

  it("refuses to push a message lacking an element the store's WSDL requires, naming it", async () => {
    const face = await fakeFace(["productQtys", "productSeqs", "messageSeqId", "warehouseCode"])
    const { sim } = await setup({ storeUrl: face.url, pushFormat: "soap-m2", pushRetries: 0 })
    sim.control.seed({ products: [{ sku: "A", stock: 3 }] })
    const pushed = await sim.control.pushInventory({ mode: "single", sku: "A", wait: true })
    expect(pushed.messages[0].status).toBe("failed")
    expect(sim.control.delivery(pushed.messages[0].messageSeqId).sends[0].error).toBe(
      `the message lacks warehouseCode, required by the store's WSDL of ${INVENTORY}`
    )
    expect(face.posts.filter((p) => p.includes("UpdateRequest"))).toEqual([])
  })
})
