// Inventory pull, pending shipments and despatched shipments (seed 002).

import { startSimulator, type Simulator } from "../index"
import { call, fixture, importOrders, orderXml, parseXml, shape } from "./helpers"

const inventory = (sim: Simulator, query: string) => call(sim, "POST", `/remotewarehouse/inventory.xml?${query}`)

describe("inventory pull", () => {
  let sim: Simulator
  let multi: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 6 })
    sim.control.seed({ products: [{ sku: "DVD-BLDRNDC", stock: 1 }, { sku: "OTHER", stock: 7 }, { sku: "00123", stock: 3 }] })
    await importOrders(sim, orderXml("INV1", [["DVD-BLDRNDC", 2]]), "medusa")
    multi = await startSimulator({ port: 0, seed: 6, sites: ["DEFAULT", "SECOND"] })
    multi.control.seed({ products: [{ sku: "DVD-BLDRNDC", stock: { DEFAULT: 1, SECOND: 4 } }] })
    multi.control.setStock({ sku: "DVD-BLDRNDC", site: "SECOND", damaged: 1 })
  })
  afterAll(async () => {
    await sim.close()
    await multi.close()
  })

  it("answers the documented attributes with total, allocated and a possibly negative available", async () => {
    const res = await inventory(sim, "channel=medusa&externalReferences=DVD-BLDRNDC")
    expect(res.status).toBe(200)
    const got = parseXml(res.body).inventory.product
    const documented = parseXml(fixture("inventory.xml")).inventory.product[0]
    expect(Object.keys(got[0]).sort()).toEqual(Object.keys(documented).sort())
    const record = sim.state.products.get("DVD-BLDRNDC")!.stock.DEFAULT
    expect(got).toEqual([
      {
        "@inventoryId": String(record.inventoryId),
        "@externalReference": "DVD-BLDRNDC",
        "@site": "DEFAULT",
        "@total": "1",
        "@allocated": "2",
        "@available": "-1",
        "@frozen": "0",
        "@inspection": "0",
        "@damaged": "0",
        "@quarantined": "0",
        "@onOrder": "0",
        "@lastStockChangeId": String(record.lastStockChangeId),
        "@lastLineRequirementChangeId": String(record.lastLineRequirementChangeId),
      },
    ])
    expect(record.lastLineRequirementChangeId).toBeGreaterThan(record.lastStockChangeId)
  })

  it("lists every product of the channel without externalReferences, keeping SKUs as strings", async () => {
    const got = parseXml((await inventory(sim, "organisation=demo")).body).inventory.product
    expect(got.map((p: any) => [p["@externalReference"], p["@available"]])).toEqual([
      ["DVD-BLDRNDC", "-1"],
      ["OTHER", "7"],
      ["00123", "3"],
    ])
  })

  it("filters by from (inclusive) on the product's last inventory change", async () => {
    const future = parseXml((await inventory(sim, "channel=medusa&from=2999-01-01")).body).inventory
    expect(future).toBe("")
    const past = parseXml((await inventory(sim, `channel=medusa&from=${encodeURIComponent("2000-01-01 00:00:00")}`)).body).inventory.product
    expect(past).toHaveLength(3)
    const bad = parseXml((await inventory(sim, "channel=medusa&from=yesterday")).body).error
    expect(bad.exception).toBe("rtd.exceptions.InvalidParameterException")
  })

  it("needs a channel or organisation", async () => {
    const e = parseXml((await inventory(sim, "")).body).error
    expect(e.exception).toBe("rtd.exceptions.InvalidParameterException")
  })

  it("answers global, any and per-site records in a multi-site warehouse", async () => {
    const p = multi.state.products.get("DVD-BLDRNDC")!
    const global = parseXml((await inventory(multi, "channel=medusa")).body).inventory.product
    expect(global.map((r: any) => [r["@site"], r["@total"], r["@damaged"], r["@available"], r["@inventoryId"]])).toEqual([
      ["global", "5", "1", "4", String(p.global!.inventoryId)],
    ])
    const any = parseXml((await inventory(multi, "channel=medusa&site=any")).body).inventory.product
    expect(any.map((r: any) => [r["@site"], r["@available"], r["@inventoryId"]])).toEqual([
      ["global", "4", String(p.global!.inventoryId)],
      ["DEFAULT", "1", String(p.stock.DEFAULT.inventoryId)],
      ["SECOND", "3", String(p.stock.SECOND.inventoryId)],
    ])
    // Site and global records have ids of their own.
    expect(new Set(any.map((r: any) => r["@inventoryId"])).size).toBe(3)
    const second = parseXml((await inventory(multi, "channel=medusa&site=SECOND")).body).inventory.product
    expect(second.map((r: any) => r["@site"])).toEqual(["SECOND"])
    const unknown = parseXml((await inventory(multi, "channel=medusa&site=THIRD")).body).error
    expect(unknown.exception).toBe("rtd.exceptions.MissingDataException")
  })
})

describe("pending and despatched shipments", () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 7 })
    sim.control.seed({ products: [{ sku: "spa_sku1", stock: 100 }, { sku: "spa_sku2", stock: 100 }, { sku: "spa_sku3", stock: 100 }] })
    for (const [ref, lines] of [
      ["83", [["spa_sku1", 5], ["spa_sku2", 3]]],
      ["85", [["spa_sku1", 1]]],
      ["108", [["spa_sku3", 20]]],
      ["200", [["spa_sku1", 1]]],
    ] as [string, [string, number][]][]) {
      await importOrders(sim, orderXml(ref, lines), "medusa")
    }
    await sim.control.despatch({ orderReference: "83", trackingNumbers: ["TT222211109GB"], courierName: "royalmail_tracked", serviceName: "TPN01", dateShipped: "2014-04-25 09:30:08", push: false })
    await sim.control.despatch({ orderReference: "85", trackingNumbers: ["TT222211090GB"], courierName: "royalmail_tracked", serviceName: "TPN01", dateShipped: "2014-04-25 09:30:08", push: false })
    await sim.control.despatch({
      orderReference: "108",
      trackingNumbers: ["TT222211069GB", "TT222211070GB"],
      courierName: "royalmail_tracked",
      serviceName: "TPS01",
      dateShipped: "2014-04-25 09:30:08",
      push: false,
    })
    await sim.control.despatch({ orderReference: "200", trackingNumbers: ["LATE"], dateShipped: "2014-04-26 00:00:00", push: false })
  })
  afterAll(() => sim.close())

  const despatches = (query: string) => call(sim, "POST", `/remoteorder/shipment/despatches.xml?${query}`)

  it("answers despatches per period in the documented shape, packages with their own despatchReference", async () => {
    const res = await despatches("channel=medusa&from=2014-04-25&to=2014-04-26&includeOrderLines=true&includePackageLines=true")
    expect(res.status).toBe(200)
    const got = parseXml(res.body)
    expect(shape(got)).toEqual(shape(parseXml(fixture("despatched-shipments.xml"))))
    const shipments = got.shipments.shipment
    // "to" is exclusive: order 200 (2014-04-26 00:00:00) is not listed.
    expect(shipments.map((s: any) => [s.reference, s.orderReference, s.state, s.carrier, s.service, s.despatchReference, s.completed])).toEqual([
      ["831", "83", "despatched", "royalmail_tracked", "TPN01", "TT222211109GB", "2014-04-25 09:30:08"],
      ["851", "85", "despatched", "royalmail_tracked", "TPN01", "TT222211090GB", "2014-04-25 09:30:08"],
      ["1081", "108", "despatched", "royalmail_tracked", "TPS01", "TT222211069GB", "2014-04-25 09:30:08"],
    ])
    expect(shipments[0].packages).toBeUndefined()
    expect(shipments[0].orderLines.orderLine.map((l: any) => [l.productReference, l.quantity, l.thirdPartyReference])).toEqual([
      ["spa_sku1", "5", ""],
      ["spa_sku2", "3", ""],
    ])
    expect(
      shipments[2].packages.package.map((p: any) => [p["@despatchReference"], p.packageLines.packageLine.map((l: any) => [l["@product"], l["@quantity"], l["@state"]])])
    ).toEqual([
      ["TT222211069GB", [["spa_sku3", "10", "created"]]],
      ["TT222211070GB", [["spa_sku3", "10", "created"]]],
    ])
  })

  it("leaves out order lines and package lines unless asked, and honours times", async () => {
    const plain = parseXml((await despatches(`channel=medusa&from=${encodeURIComponent("2014-04-25 09:30:08")}&to=${encodeURIComponent("2014-04-26 00:00:01")}`)).body)
    const s = plain.shipments.shipment
    expect(s.map((x: any) => x.reference)).toEqual(["831", "851", "1081", "2001"])
    expect(s[0].orderLines).toBeUndefined()
    expect(s[2].packages.package[0].packageLines).toBeUndefined()
    const none = parseXml((await despatches(`channel=medusa&from=${encodeURIComponent("2014-04-25 09:30:09")}&to=2014-04-26`)).body)
    expect(none.shipments).toBe("")
  })

  it("reads from/to and writes completed in its timeZone", async () => {
    const london = await startSimulator({ port: 0, seed: 7, timeZone: "Europe/London" })
    try {
      london.control.seed({ products: [{ sku: "spa_sku1", stock: 10 }] })
      await importOrders(london, orderXml("TZ", [["spa_sku1", 1]]), "medusa")
      // Control API text is the warehouse's wall-clock time too: 12:30 London = 11:30Z.
      await london.control.despatch({ orderReference: "TZ", trackingNumbers: ["T"], dateShipped: "2026-07-01 12:30:00", push: false })
      const q = (from: string, to: string) =>
        call(london, "POST", `/remoteorder/shipment/despatches.xml?channel=medusa&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)
      // 11:30Z is 12:30 BST: a window of 12:00-13:00 London time holds it, 11:00-12:00 does not.
      const inside = parseXml((await q("2026-07-01 12:00:00", "2026-07-01 13:00:00")).body).shipments.shipment
      expect(inside.map((s: any) => [s.reference, s.completed])).toEqual([["TZ1", "2026-07-01 12:30:00"]])
      expect(parseXml((await q("2026-07-01 11:00:00", "2026-07-01 12:00:00")).body).shipments).toBe("")
    } finally {
      await london.close()
    }
  })

  it("requires from and to in the documented formats", async () => {
    for (const q of ["channel=medusa&to=2014-04-26", "channel=medusa&from=2014-04-25", "channel=medusa&from=25/04/2014&to=2014-04-26"]) {
      expect(parseXml((await despatches(q)).body).error.exception).toBe("rtd.exceptions.InvalidParameterException")
    }
  })

  it("lists the shipments whose state changed in the window (Shipments State Change), in the documented shape, lines with their state only when asked", async () => {
    const stateChanges = (query: string) => call(sim, "GET", `/remoteorder/shipment/statechange.xml?${query}`)
    const from = encodeURIComponent("2000-01-01 00:00:00")
    const res = await stateChanges(`channel=medusa&from=${from}&includeLines=true`)
    expect(res.status).toBe(200)
    const got = parseXml(res.body)
    expect(shape(got)).toEqual(shape(parseXml(fixture("shipments-state-change.xml"))))
    const byRef = new Map(got.shipments.shipment.map((s: any) => [s.reference, s]))
    expect(["831", "851", "1081", "2001"].map((r) => [r, (byRef.get(r) as any)?.state])).toEqual([
      ["831", "despatched"],
      ["851", "despatched"],
      ["1081", "despatched"],
      ["2001", "despatched"],
    ])
    expect((byRef.get("831") as any).orderLines.orderLine.map((l: any) => [l.productReference, l.quantity, l.state])).toEqual([
      ["spa_sku1", "5", "despatched"],
      ["spa_sku2", "3", "despatched"],
    ])
    // No carrier, tracking or despatch time in this feed.
    expect((byRef.get("831") as any).despatchReference).toBeUndefined()
    const plain = parseXml((await stateChanges(`channel=medusa&from=${from}`)).body)
    expect(plain.shipments.shipment[0].orderLines).toBeUndefined()
    // "to" is exclusive, and a window before the changes lists nothing.
    expect(parseXml((await stateChanges(`channel=medusa&from=${from}&to=2000-01-02`)).body).shipments).toBe("")
    expect(parseXml((await stateChanges("channel=medusa")).body).error.exception).toBe("rtd.exceptions.InvalidParameterException")
    expect((await call(sim, "POST", `/remoteorder/shipment/statechange.xml?channel=medusa&from=${from}`)).status).toBe(405)
  })

  it("lists pending (open) shipments of the channel in the documented shape", async () => {
    await importOrders(sim, orderXml("300", [["spa_sku2", 1]]), "medusa")
    await importOrders(sim, orderXml("301", [["spa_sku2", 1000]]), "medusa")
    const res = await call(sim, "GET", "/remoteorder/shipment/pending.xml?channel=medusa")
    const got = parseXml(res.body)
    expect(shape(got)).toEqual(shape(parseXml(fixture("pending-shipments.xml"))))
    expect(got.shipments.shipment.map((s: any) => [s.reference, s.orderReference, s.state])).toEqual([
      ["3001", "300", "allocated"],
      ["3011", "301", "ready"],
    ])
    expect(got.shipments.shipment[0].created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    expect(got.shipments.shipment[0].earliestShipDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })
})
