// Product and order imports against the literal examples of seed 002.

import { startSimulator, type Simulator } from "../index"
import { fixture, importOrders, importProducts, normalise, orderXml, parseXml, productsXml, squash } from "./helpers"

const VOLATILE = ["@item", "@queryTime"]

describe("product import (seed 002 examples)", () => {
  let sim: Simulator
  beforeAll(async () => {
    // The examples name organisation "supershop" and channel "MYCHANNEL".
    sim = await startSimulator({ port: 0, organisation: "supershop", channel: "MYCHANNEL", seed: 1 })
  })
  afterAll(() => sim.close())

  it("answers the 3-product example with 3 successes in the documented shape", async () => {
    const res = await importProducts(sim, fixture("product-import.xml"), "supershop")
    expect(res.status).toBe(200)
    const got = parseXml(res.body)
    expect(normalise(got, VOLATILE)).toEqual(normalise(parseXml(fixture("product-import-result.xml")), VOLATILE))
    const first = got.importResult.importSuccesses.import[0]
    expect(first["@item"]).toMatch(/^rtd\.domain\.database\.Product@[0-9a-f]{6,8}$/)
    expect(first["@queryTime"]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/)
    // No importDuplicates element at all, as in the documented success answer.
    expect(res.body).not.toContain("importDuplicates")

    const full = sim.state.products.get("TEST_fullproduct")!
    expect(full.description).toBe("A description for the test product")
    expect(full.fields.weight).toBe("100")
    expect(full.fields.userDefined1).toBe("User defined field value 1")
    expect(full.fields.userDefined2).toBe("")
    expect(full.activated).toBe(true)
    expect(sim.state.products.get("TEST_min_product")!.organisation).toBe("supershop")
    expect([...sim.state.products.keys()]).toEqual(["TEST_fullproduct", "TEST_min_product", "TEST_global_product"])
  })

  it("reports a missing channel as a failure and re-inserts as duplicates, exactly as documented", async () => {
    const res = await importProducts(sim, fixture("product-import-failures.xml"), "supershop")
    expect(res.status).toBe(200)
    const got = parseXml(res.body)
    expect(normalise(got, VOLATILE)).toEqual(normalise(parseXml(fixture("product-import-failures-result.xml")), VOLATILE))
    // The raw answer writes the quotes as &apos; like the document.
    expect(res.body).toContain("An instance of product with reference &apos;TEST_min_product&apos; is already present in the database.")
    expect(sim.state.products.has("TEST_fullprosduct")).toBe(false)
  })

  it("applies the documented product update, keeping the fields it does not name", async () => {
    const res = await importProducts(sim, fixture("product-update.xml"), "supershop")
    const s = parseXml(res.body).importResult.importSuccesses.import
    expect(s).toHaveLength(1)
    expect(s[0]["@operation"]).toBe("update")
    const p = sim.state.products.get("TEST_fullproduct")!
    expect(p.description).toBe("An updated description for the test product")
    expect(p.fields.weight).toBe("250")
    expect(p.fields.weightUnits).toBe("grams")
  })

  it("fails an update of an unknown product and inserts-or-updates with merge", async () => {
    const upd = parseXml((await importProducts(sim, productsXml(["NOPE"], "update"), "supershop")).body).importResult
    expect(squash(upd.importFailures.import[0].failureMessage)).toBe("Unable to find any entity associated with identifier: ref:product:NOPE")

    const first = parseXml((await importProducts(sim, productsXml(["MERGED"], "merge"), "supershop")).body).importResult
    expect(first.importSuccesses.import[0]["@operation"]).toBe("merge")
    const again = productsXml(["MERGED"], "merge").replace("description=Product MERGED", "description=Changed")
    const second = parseXml((await importProducts(sim, again, "supershop")).body).importResult
    expect(second.importSuccesses.import).toHaveLength(1)
    expect(sim.state.products.get("MERGED")!.description).toBe("Changed")
  })

  it("requires a description on insert and valid numbers and booleans", async () => {
    const xml = `<imports>
  <import type="product" operation="insert" externalReference="NODESC">
    externalReference=NODESC
    weight=100
  </import>
  <import type="product" operation="insert" externalReference="BADWEIGHT">
    description=x
    weight=10,5
  </import>
  <import type="product" operation="insert" externalReference="BADBOOL">
    description=x
    activated=yes
  </import>
</imports>`
    const r = parseXml((await importProducts(sim, xml, "supershop")).body).importResult
    const messages = r.importFailures.import.map((i: any) => [i["@externalReference"], squash(i.failureMessage)])
    expect(messages).toEqual([
      ["NODESC", "Property 'description' is required for a new product"],
      ["BADWEIGHT", "Invalid number '10,5' for property 'weight'"],
      ["BADBOOL", "Invalid boolean 'yes' for property 'activated' (expected true or false)"],
    ])
    expect(r.importSuccesses).toBe("")
  })

  it("fails every item when the organisation header is missing or unknown", async () => {
    const missing = parseXml((await importProducts(sim, productsXml(["A1", "A2"]))).body).importResult
    expect(missing.importFailures.import.map((i: any) => squash(i.failureMessage))).toEqual([
      "Unable to find any entity associated with identifier: ref:organisation:null",
      "Unable to find any entity associated with identifier: ref:organisation:null",
    ])
    const unknown = parseXml((await importProducts(sim, productsXml(["A1"]), "nowhere")).body).importResult
    expect(squash(unknown.importFailures.import[0].failureDetail)).toBe(
      "Unable to find any entity associated with identifier: ref:organisation:nowhere (rtd.exceptions.ImportMissingDataException) ..."
    )
    expect(sim.state.products.has("A1")).toBe(false)
  })
})

describe("import document parsing", () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 2 })
  })
  afterAll(() => sim.close())

  it("splits at the first '=', skips comments and blank lines, decodes entities, CDATA and [BR]", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<imports>
  <import type="product" operation="insert" externalReference="P&amp;1">
    # a comment line = not a property
    externalReference=P&amp;1

    description=<![CDATA[Fish & chips <large> &amp; more]]>
    userDefined1=a=b=c
    userDefined2=line one[BR]line two
    userDefined3=&#65;&#x42;&lt;&apos;&quot;
  </import>
</imports>`
    const r = parseXml((await importProducts(sim, xml, "demo")).body).importResult
    expect(r.importSuccesses.import[0]["@externalReference"]).toBe("P&1")
    const p = sim.state.products.get("P&1")!
    expect(p.description).toBe("Fish & chips <large> &amp; more")
    expect(p.fields.userDefined1).toBe("a=b=c")
    expect(p.fields.userDefined2).toBe("line one\nline two")
    expect(p.fields.userDefined3).toBe("AB<'\"")
    expect(Object.keys(p.fields)).not.toContain("# a comment line ")
  })

  it("accepts a byte order mark before the declaration", async () => {
    const r = parseXml((await importProducts(sim, `\ufeff<?xml version="1.0" encoding="UTF-8"?>\n${productsXml(["BOM1"])}`, "demo")).body).importResult
    expect(r.importSuccesses.import[0]["@externalReference"]).toBe("BOM1")
  })

  it("fails an item with a line that is not key=value", async () => {
    const xml = `<imports><import type="product" operation="insert" externalReference="Q1">\ndescription=x\njust some text\n</import></imports>`
    const r = parseXml((await importProducts(sim, xml, "demo")).body).importResult
    expect(squash(r.importFailures.import[0].failureMessage)).toBe("Unable to parse property line 'just some text' (expected key=value)")
  })

  it("answers malformed XML, undeclared entities and a wrong root with an <error> document (HTTP 200 by default)", async () => {
    for (const [xml, text] of [
      ["<imports><import type='product'>", "Unable to parse import document"],
      ["<imports><import type='product' operation='insert'>description=&nbsp;</import></imports>", 'The entity "nbsp" was referenced, but not declared.'],
      ["<products/>", "Expected root element <imports>"],
      ["", "Premature end of file."],
    ]) {
      const res = await importProducts(sim, xml, "demo")
      expect(res.status).toBe(200)
      const e = parseXml(res.body).error
      expect(e.exception).toBe("rtd.exceptions.ImportParseException")
      expect(e.message).toContain(text)
    }
  })

  it("uses --error-status for <error> documents", async () => {
    const other = await startSimulator({ port: 0, errorStatus: 500 })
    try {
      const res = await importProducts(other, "<nope", "demo")
      expect(res.status).toBe(500)
      expect(parseXml(res.body).error.exception).toBe("rtd.exceptions.ImportParseException")
    } finally {
      await other.close()
    }
  })
})

describe("order import (seed 002 examples)", () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organisation: "supershop", channel: "MYCHANNEL", seed: 3 })
    sim.control.seed({
      products: [
        { sku: "DVD-BELOVED", stock: 100 },
        { sku: "DVD-MATR", stock: 5 },
        { sku: "STOCK10", stock: 10 },
      ],
    })
  })
  afterAll(() => sim.close())

  it("imports the documented order and fails the two placeholder items", async () => {
    const before = sim.state.counters.inventoryRecordId
    const res = await importOrders(sim, fixture("order-import.xml"), "MYCHANNEL")
    const r = parseXml(res.body).importResult
    expect(r.importSuccesses.import.map((i: any) => [i["@type"], i["@operation"], i["@externalReference"], i["@entity"]])).toEqual([
      ["order", "insert", "TEST_order1", "rtd.domain.database.OrderItem"],
    ])
    expect(r.importFailures.import.map((i: any) => [i["@externalReference"], squash(i.failureMessage)])).toEqual([
      ["TEST_minorder", "Unable to parse property line '...' (expected key=value)"],
      ["TEST_with_product", "Unable to parse property line '...' (expected key=value)"],
    ])

    const order = sim.state.orders.get("TEST_order1")!
    expect(order.channel).toBe("MYCHANNEL")
    expect(order.fields.placed).toBe("2014-08-31 07:16:02")
    expect(order.fields.deliveryPostCode).toBe("IP12 1AX")
    expect(order.attributes).toEqual([
      { name: "TEST_att1", title: "Attribute 1", value: "Attribute Value 1" },
      { name: "TEST_att2", title: "Attribute 2", value: "Attribute Value 2" },
    ])
    expect(order.shipments).toHaveLength(1)
    const s = order.shipments[0]
    expect(s.reference).toBe("TEST_myref_1")
    expect(s.earliestShipDate).toBe("1999-12-31")
    expect(s.lines.map((l) => [l.product, l.quantity, l.state])).toEqual([
      ["DVD-BELOVED", 10, "created"],
      ["DVD-MATR", 20, "out-of-stock"],
    ])
    // 20 DVD-MATR wanted, 5 in stock: the shipment waits (ready), available goes negative.
    expect(s.state).toBe("ready")
    const matr = sim.state.products.get("DVD-MATR")!.stock.DEFAULT
    expect(matr.allocated).toBe(20)
    expect(sim.control.product("DVD-MATR").stock.DEFAULT.available).toBe(-15)
    expect(matr.inventoryId).toBeGreaterThan(before)
    expect(matr.lastLineRequirementChangeId).toBe(matr.inventoryId)
    expect(sim.state.counters.lastOrderImportAt).toBeDefined()
  })

  it("treats a re-import as a duplicate, with insert and with merge", async () => {
    for (const operation of ["insert", "merge"]) {
      const xml = orderXml("TEST_order1", [["DVD-BELOVED", 1]], "", operation)
      const r = parseXml((await importOrders(sim, xml, "MYCHANNEL")).body).importResult
      expect(r.importSuccesses).toBe("")
      expect(squash(r.importDuplicates.import[0].duplicateMessage)).toBe(
        "An instance of order with reference 'TEST_order1' is already present in the database."
      )
      expect(squash(r.importDuplicates.import[0].duplicateDetail)).toContain("(rtd.exceptions.ValidationErrorException)")
    }
    expect(sim.state.orders.get("TEST_order1")!.shipments[0].lines).toHaveLength(2)
  })

  it("fails an order naming an unknown product, exactly in the documented shape", async () => {
    const r = parseXml((await importOrders(sim, orderXml("O-UNKNOWN", [["NOPE", 1]]), "MYCHANNEL")).body).importResult
    const f = r.importFailures.import[0]
    expect(f["@externalReference"]).toBe("O-UNKNOWN")
    expect(squash(f.failureMessage)).toBe("Unable to find any entity associated with identifier: ref:product:NOPE")
    expect(squash(f.failureDetail)).toBe(
      "Unable to find any entity associated with identifier: ref:product:NOPE (rtd.exceptions.ImportMissingDataException) ..."
    )
    expect(sim.state.orders.has("O-UNKNOWN")).toBe(false)
  })

  it("merges the documented product definitions before the order", async () => {
    const xml = fixture("order-merge-products.xml")
      .replace("...", "deliveryContactName=Merge Customer")
      .replace("...", "orderLine.1.product=entity:product.1\n    orderLine.1.quantity=2")
    const r = parseXml((await importOrders(sim, xml, "MYCHANNEL")).body).importResult
    expect(r.importSuccesses.import[0]["@externalReference"]).toBe("TEST_myref")
    const product = sim.state.products.get("TEST_orderproduct1")!
    expect(product.type).toBe("temporary")
    expect(product.description).toBe("A description for the new product 1")
    expect(sim.state.orders.get("TEST_myref")!.shipments[0].lines[0].product).toBe("TEST_orderproduct1")

    // Merge again under a new order reference: the known product is updated.
    const again = xml.replace('externalReference="TEST_myref"', 'externalReference="TEST_myref2"').replace("A description for the new product 1", "Renamed")
    const r2 = parseXml((await importOrders(sim, again, "MYCHANNEL")).body).importResult
    expect(r2.importSuccesses.import).toHaveLength(1)
    expect(product.description).toBe("Renamed")
  })

  it("with insert, a product definition of a known product makes the order a duplicate (use merge)", async () => {
    const xml = `<imports>
  <import type="order" operation="insert" externalReference="TEST_with_known_product">
    product.1.externalReference=TEST_orderproduct1
    product.1.description=A description for the new product 1
    product.1.type=default
    product.1.activated=true
    orderLine.1.product=entity:product.1
    orderLine.1.quantity=1
  </import>
</imports>`
    const r = parseXml((await importOrders(sim, xml, "MYCHANNEL")).body).importResult
    expect(squash(r.importDuplicates.import[0].duplicateMessage)).toBe(
      "An instance of product with reference 'TEST_orderproduct1' is already present in the database."
    )
    expect(sim.state.orders.has("TEST_with_known_product")).toBe(false)
  })

  it("creates a new product from a definition with insert (seed 002, 'Referring to Products')", async () => {
    const xml = `<imports>
  <import type="order" operation="insert" externalReference="TEST_with_product">
    product.1.externalReference=TEST_orderproduct9
    product.1.description=A description for the new product 9
    product.1.type=default
    product.1.activated=true

    orderLine.1.product=entity:product.1
    orderLine.1.quantity=10
  </import>
</imports>`
    const r = parseXml((await importOrders(sim, xml, "MYCHANNEL")).body).importResult
    expect(r.importSuccesses.import[0]["@externalReference"]).toBe("TEST_with_product")
    expect(sim.state.products.get("TEST_orderproduct9")!.organisation).toBe("supershop")
  })

  it("validates quantities, order lines, dates and numbers even with strict mode off", async () => {
    // These checks are the importer's own; strict mode (import-fields.spec.ts) adds to them.
    sim.control.configure({ strict: false })
    const cases: [string, string, string][] = [
      ["Q0", orderXml("Q0", [["STOCK10", 0]]), "Invalid quantity '0' for order line 1 (orderLine.1.quantity must be a positive integer)"],
      ["QNEG", orderXml("QNEG", [["STOCK10", -1]]), "Invalid quantity '-1' for order line 1 (orderLine.1.quantity must be a positive integer)"],
      ["QDEC", orderXml("QDEC", [["STOCK10", "1.5"]]), "Invalid quantity '1.5' for order line 1 (orderLine.1.quantity must be a positive integer)"],
      ["QTXT", orderXml("QTXT", [["STOCK10", "abc"]]), "Invalid quantity 'abc' for order line 1 (orderLine.1.quantity must be a positive integer)"],
      ["NOLINES", orderXml("NOLINES", []), "Order 'NOLINES' has no order lines; at least one orderLine.N is required"],
      [
        "ISODATE",
        orderXml("ISODATE", [["STOCK10", 1]], "    placed=2014-08-31T07:16:02Z\n"),
        "Invalid date '2014-08-31T07:16:02Z' for property 'placed' (expected yyyy-MM-dd HH:mm:ss or yyyy-MM-dd)",
      ],
      ["COMMA", orderXml("COMMA", [["STOCK10", 1]], "    totalPriceNet=10,50\n"), "Invalid number '10,50' for property 'totalPriceNet'"],
    ]
    try {
      for (const [ref, xml, message] of cases) {
        const r = parseXml((await importOrders(sim, xml, "MYCHANNEL")).body).importResult
        expect([r.importFailures.import?.[0]?.["@externalReference"], squash(r.importFailures.import?.[0]?.failureMessage)]).toEqual([ref, message])
        expect(sim.state.orders.has(ref)).toBe(false)
      }
    } finally {
      sim.control.configure({ strict: true })
    }
  })

  it("fails an unknown channel on the item or a missing channel header", async () => {
    const own = parseXml((await importOrders(sim, orderXml("CH1", [["STOCK10", 1]], "    channel=NOPE\n"), "MYCHANNEL")).body).importResult
    expect(squash(own.importFailures.import[0].failureMessage)).toBe("Unable to find any entity associated with identifier: ref:channel:NOPE")
    const none = parseXml((await importOrders(sim, orderXml("CH2", [["STOCK10", 1]]))).body).importResult
    expect(squash(none.importFailures.import[0].failureMessage)).toBe("Unable to find any entity associated with identifier: ref:channel:null")
    const header = parseXml((await importOrders(sim, orderXml("CH3", [["STOCK10", 1]]), "WRONG")).body).importResult
    expect(squash(header.importFailures.import[0].failureMessage)).toBe("Unable to find any entity associated with identifier: ref:channel:WRONG")
  })

  it("allocates stock when the site holds it, and leaves later orders ready when it does not", async () => {
    const record = sim.state.products.get("STOCK10")!.stock.DEFAULT
    const id0 = record.inventoryId
    await importOrders(sim, orderXml("ALLOC1", [["STOCK10", 4]]), "MYCHANNEL")
    expect(sim.state.orders.get("ALLOC1")!.shipments[0].state).toBe("allocated")
    expect(sim.state.orders.get("ALLOC1")!.shipments[0].lines[0].state).toBe("allocated")
    const id1 = record.inventoryId
    expect(id1).toBeGreaterThan(id0)
    await importOrders(sim, orderXml("ALLOC2", [["STOCK10", 8]]), "MYCHANNEL")
    expect(sim.state.orders.get("ALLOC2")!.shipments[0].state).toBe("ready")
    expect(record.inventoryId).toBeGreaterThan(id1)
    expect(sim.control.product("STOCK10").stock.DEFAULT.available).toBe(-2)

    // A delivery of stock lets the waiting shipment allocate.
    sim.control.setStock({ sku: "STOCK10", total: 20 })
    expect(sim.state.orders.get("ALLOC2")!.shipments[0].state).toBe("allocated")
    expect(sim.control.product("STOCK10").stock.DEFAULT.available).toBe(8)
  })

  it("allocates the orders of one document oldest first, as one order at a time would: a later smaller order takes what an earlier larger one could not", async () => {
    sim.control.seed({ products: [{ sku: "DOCSKU", description: "Allocated in one document", stock: 5 }] })
    const items = [orderXml("DOC1", [["DOCSKU", 3]]), orderXml("DOC2", [["DOCSKU", 4]]), orderXml("DOC3", [["DOCSKU", 2]])]
      .map((doc) => doc.replace(/^<imports>\n|\n<\/imports>$/g, ""))
      .join("\n")
    const result = parseXml((await importOrders(sim, `<imports>\n${items}\n</imports>`, "MYCHANNEL")).body).importResult
    expect(result.importFailures).toBeFalsy()
    expect(["DOC1", "DOC2", "DOC3"].map((ref) => sim.state.orders.get(ref)!.shipments[0].state)).toEqual(["allocated", "ready", "allocated"])
    expect(sim.state.orders.get("DOC2")!.shipments[0].lines[0].state).toBe("out-of-stock")
    expect(sim.control.product("DOCSKU").stock.DEFAULT.available).toBe(5 - 3 - 4 - 2)
  })

  it("replaces an order with reinsert, unless it cannot be cancelled", async () => {
    await importOrders(sim, orderXml("RE1", [["DVD-BELOVED", 1]]), "MYCHANNEL")
    const r = parseXml((await importOrders(sim, orderXml("RE1", [["DVD-BELOVED", 3]], "", "reinsert"), "MYCHANNEL")).body).importResult
    expect(r.importSuccesses.import[0]["@operation"]).toBe("reinsert")
    expect(sim.state.orders.get("RE1")!.shipments[0].lines[0].quantity).toBe(3)
    const old = [...sim.state.orders.values()].find((o) => o.externalReference.startsWith("RE1_cancelled_"))!
    expect(old.state).toBe("cancelled")

    sim.control.setShipmentState("RE1", "packed")
    const refused = parseXml((await importOrders(sim, orderXml("RE1", [["DVD-BELOVED", 5]], "", "reinsert"), "MYCHANNEL")).body).importResult
    expect(squash(refused.importFailures.import[0].failureMessage)).toContain("must be unpacked before it can be cancelled")
    expect(sim.state.orders.get("RE1")!.shipments[0].lines[0].quantity).toBe(3)
    expect(sim.state.orders.get("RE1")!.shipments[0].state).toBe("packed")
  })

  it("puts a shipment whose earliest ship date is in the future on hold", async () => {
    const tomorrow = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10)
    await importOrders(sim, orderXml("LATER", [["DVD-BELOVED", 1]], `    shipment.earliestShipDate=${tomorrow}\n`), "MYCHANNEL")
    const order = sim.state.orders.get("LATER")!
    expect(order.shipments[0].state).toBe("on_hold")
    expect(order.shipments[0].preHoldState).toBe("allocated")
    expect(order.state).toBe("on_hold")
  })
})
