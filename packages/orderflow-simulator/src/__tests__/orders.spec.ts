// Order cancel / hold / release / detail (seed 002, "Order Operations").

import { startSimulator, type Simulator } from "../index"
import { call, fixture, importOrders, orderXml, parseXml, shape } from "./helpers"

const post = (sim: Simulator, op: string, query: string, channel = "medusa") =>
  call(sim, "POST", `/remoteorder/order/${op}.xml?${query}`, { headers: { channel } })

describe("order operations", () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 4, channel: "medusa,other" })
    sim.control.seed({ products: [{ sku: "SKU-A", stock: 50 }, { sku: "SKU-B", stock: 50 }] })
  })
  afterAll(() => sim.close())

  const newOrder = async (ref: string, lines: [string, number][] = [["SKU-A", 2]], channel = "medusa") => {
    const r = parseXml((await importOrders(sim, orderXml(ref, lines), channel)).body).importResult
    expect(r.importSuccesses.import[0]["@externalReference"]).toBe(ref)
  }

  it("answers cancel of an unknown order with the documented MissingDataException error, byte for byte in its message", async () => {
    const res = await post(sim, "cancel", "externalReference=duff")
    expect(res.status).toBe(200)
    expect(res.headers["content-type"]).toContain("xml")
    const want = parseXml(fixture("cancel-missing-order-error.xml")).error
    const got = parseXml(res.body).error
    expect(Object.keys(got)).toEqual(Object.keys(want))
    expect(got.message).toBe(want.message)
    expect(got.message).toBe("Unable to find order for reference &apos;duff&apos;.")
    expect(got.exception).toBe("rtd.exceptions.MissingDataException")
    expect(res.body).toContain("<message>\n<![CDATA[Unable to find order for reference &apos;duff&apos;.]]>\n</message>")
    expect(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<error>')).toBe(true)
  })

  it("cancels every open shipment, releases the requirement and answers with the order document", async () => {
    await newOrder("C1", [["SKU-A", 3], ["SKU-B", 1]])
    const a = sim.state.products.get("SKU-A")!.stock.DEFAULT
    expect(a.allocated).toBe(3)
    const id = a.inventoryId
    const res = await post(sim, "cancel", "externalReference=C1")
    expect(res.status).toBe(200)
    const order = parseXml(res.body).order
    expect(order["@externalReference"]).toBe("C1")
    expect(order["@state"]).toBe("cancelled")
    expect(order.shipments.shipment[0]["@state"]).toBe("cancelled")
    expect(a.allocated).toBe(0)
    expect(a.inventoryId).toBeGreaterThan(id)
    // Cancelling again answers the same way.
    expect(parseXml((await post(sim, "cancel", "externalReference=C1")).body).order["@state"]).toBe("cancelled")
    // Without cancelChangesExternalReference the reference cannot be imported again.
    const again = parseXml((await importOrders(sim, orderXml("C1", [["SKU-A", 1]]), "medusa")).body).importResult
    expect(again.importDuplicates.import[0]["@externalReference"]).toBe("C1")
  })

  it("refuses to cancel an order with a packed shipment", async () => {
    await newOrder("C2")
    sim.control.setShipmentState("C2", "packed")
    const res = await post(sim, "cancel", "externalReference=C2")
    expect(res.status).toBe(200)
    const e = parseXml(res.body).error
    expect(e.exception).toBe("rtd.exceptions.InvalidStateException")
    expect(e.message).toBe(
      "Unable to cancel order &apos;C2&apos;: shipment &apos;C21&apos; is in state &apos;packed&apos; and must be unpacked before it can be cancelled."
    )
    expect(sim.state.orders.get("C2")!.shipments[0].state).toBe("packed")
    expect(sim.state.products.get("SKU-A")!.stock.DEFAULT.allocated).toBe(2)
  })

  it("cancels the open remainder of a partly despatched order, and refuses a fully despatched one", async () => {
    await newOrder("C3", [["SKU-A", 2], ["SKU-B", 2]])
    await sim.control.despatch({ orderReference: "C3", lines: [{ sku: "SKU-A", qty: 2 }], push: false })
    const ok = parseXml((await post(sim, "cancel", "externalReference=C3")).body).order
    expect(ok.shipments.shipment.map((s: any) => s["@state"])).toEqual(["despatched", "cancelled"])

    await newOrder("C4")
    await sim.control.despatch({ orderReference: "C4", push: false })
    const refused = parseXml((await post(sim, "cancel", "externalReference=C4")).body).error
    expect(refused.exception).toBe("rtd.exceptions.InvalidStateException")
    expect(refused.message).toContain("all of its shipments have been despatched")
  })

  it("re-ships a fully despatched order as a new despatched shipment (all of the last parcel, or the lines asked), taking the stock again", async () => {
    await newOrder("RS1", [["SKU-A", 2], ["SKU-B", 1]])
    await expect(sim.control.despatch({ orderReference: "RS1", reship: true, push: false })).rejects.toThrow("has an open shipment")
    await sim.control.despatch({ orderReference: "RS1", trackingNumbers: ["T1"], push: false })
    const stockA = () => Object.values(sim.control.product("SKU-A").stock)[0].total
    const before = stockA()
    const again = await sim.control.despatch({ orderReference: "RS1", reship: true, trackingNumbers: ["T2"], push: false })
    expect(again.shipment).toMatchObject({ reference: "RS12", state: "despatched", despatchReference: "T2" })
    expect(again.shipment.lines.map((l: any) => [l.product, l.quantity])).toEqual([["SKU-A", 2], ["SKU-B", 1]])
    const part = await sim.control.despatch({ orderReference: "RS1", reship: true, lines: [{ sku: "SKU-B", qty: 1 }], trackingNumbers: ["T3"], push: false })
    expect(part.shipment.lines.map((l: any) => [l.product, l.quantity])).toEqual([["SKU-B", 1]])
    expect(before - stockA()).toBe(2)
    await expect(sim.control.despatch({ orderReference: "RS1", reship: true, lines: [{ sku: "SKU-X", qty: 1 }], push: false })).rejects.toThrow("has no line for 'SKU-X'")
  })

  it("frees the reference with cancelChangesExternalReference=true so the order can be imported again", async () => {
    await newOrder("C5")
    const res = parseXml((await post(sim, "cancel", "externalReference=C5&cancelChangesExternalReference=true")).body).order
    expect(res["@state"]).toBe("cancelled")
    expect(res["@externalReference"]).toMatch(/^C5_cancelled_\d+$/)
    await newOrder("C5", [["SKU-B", 1]])
    expect(sim.state.orders.get("C5")!.state).toBe("created")
  })

  it("raises UnauthorizedDataAccessException for an order of another channel, and needs a channel", async () => {
    await newOrder("C6", [["SKU-A", 1]], "other")
    const e = parseXml((await post(sim, "cancel", "externalReference=C6", "medusa")).body).error
    expect(e.exception).toBe("rtd.exceptions.UnauthorizedDataAccessException")
    expect(sim.state.orders.get("C6")!.state).toBe("created")
    const none = parseXml((await call(sim, "POST", "/remoteorder/order/cancel.xml?externalReference=C6")).body).error
    expect(none.exception).toBe("rtd.exceptions.InvalidParameterException")
  })

  it("holds and releases an order, with the documented refusals", async () => {
    await newOrder("H1")
    const held = parseXml((await post(sim, "hold", "externalReference=H1")).body).order
    expect(held.shipments.shipment[0]["@state"]).toBe("on_hold")
    const released = parseXml((await post(sim, "release", "externalReference=H1")).body).order
    expect(released.shipments.shipment[0]["@state"]).toBe("allocated")

    const notHeld = parseXml((await post(sim, "release", "externalReference=H1")).body).error
    expect(notHeld.exception).toBe("rtd.exceptions.InvalidStateException")
    expect(notHeld.message).toContain("is not on hold")

    sim.control.setShipmentState("H1", "packed")
    const packed = parseXml((await post(sim, "hold", "externalReference=H1")).body).error
    expect(packed.message).toContain("has been packed")

    for (const op of ["hold", "release"]) {
      const missing = parseXml((await post(sim, op, "externalReference=duff")).body).error
      expect(missing.exception).toBe("rtd.exceptions.MissingDataException")
      expect(missing.message).toBe("Unable to find order for reference &apos;duff&apos;.")
    }
  })

  it("cancels a held order", async () => {
    await newOrder("H2")
    await post(sim, "hold", "externalReference=H2")
    const res = parseXml((await post(sim, "cancel", "externalReference=H2")).body).order
    expect(res["@state"]).toBe("cancelled")
  })

  it("answers order detail in the documented shape", async () => {
    await newOrder("D1", [["SKU-A", 1], ["SKU-B", 2]])
    const res = await call(sim, "GET", "/remoteorder/order/detail.xml?externalReference=D1", { headers: { channel: "medusa" } })
    expect(res.status).toBe(200)
    const got = parseXml(res.body)
    expect(shape(got)).toEqual(shape(parseXml(fixture("order-detail.xml"))))
    const s = got.order.shipments.shipment[0]
    expect([got.order["@state"], s["@sequence"], s["@state"], s["@earliestShipDate"]]).toEqual([
      "created",
      "1",
      "allocated",
      new Date().toISOString().slice(0, 10),
    ])
    expect(s.orderLines.orderLine.map((l: any) => [l["@product"], l["@quantity"], l["@state"]])).toEqual([
      ["SKU-A", "1", "allocated"],
      ["SKU-B", "2", "allocated"],
    ])
    const missing = parseXml((await call(sim, "GET", "/remoteorder/order/detail.xml?externalReference=duff", { headers: { channel: "medusa" } })).body)
    expect(missing.error.exception).toBe("rtd.exceptions.MissingDataException")
  })

  it("cancels one order line (orderReference + productReference) but never the last one", async () => {
    await newOrder("L1", [["SKU-A", 1], ["SKU-B", 4]])
    const b = sim.state.products.get("SKU-B")!.stock.DEFAULT
    const before = b.allocated
    const res = parseXml((await post(sim, "cancel", "orderReference=L1&productReference=SKU-B")).body).order
    expect(res.shipments.shipment[0].orderLines.orderLine.map((l: any) => l["@product"])).toEqual(["SKU-A"])
    expect(b.allocated).toBe(before - 4)
    const last = parseXml((await post(sim, "cancel", "orderReference=L1&productReference=SKU-A")).body).error
    expect(last.message).toContain("last order line")
    const missing = parseXml((await post(sim, "cancel", "orderReference=L1&productReference=duff")).body).error
    expect([missing.exception, missing.message]).toEqual(["rtd.exceptions.MissingDataException", "Unable to find order line with product &apos;duff&apos;."])
  })

  it("rejects the wrong HTTP method", async () => {
    const res = await call(sim, "GET", "/remoteorder/order/cancel.xml?externalReference=C1", { headers: { channel: "medusa" } })
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe("POST")
  })
})
