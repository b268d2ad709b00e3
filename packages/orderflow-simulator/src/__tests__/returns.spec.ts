// Returns Import and Applied Returns Per Time Period (seed 002).

import { handleControlRequest } from "../control"
import { startSimulator, type Simulator } from "../index"
import { call, importOrders, orderXml, parseXml } from "./helpers"

const returnXml = (fields: string) => `<?xml version="1.0" encoding="UTF-8"?>
<imports>
  <import type="return" operation="insert">
${fields}
  </import>
</imports>`

/** The seed's example, for an order and products the simulator knows. */
const seedReturn = (authorisation = "TEST_return", orderReference = "R1") =>
  returnXml(`    return.orderReference=${orderReference}
    return.authorisation=${authorisation}
    return.authorised=true
    return.type=goods_not_delivered
    return.storeId=001
    return.returnDate=2015-01-21 16:35:17
    return.user=philz
    return.organisation=demo
    return.site=DEFAULT
    return.note=Customer did not like colour
    returnLine.1.quantity=1
    returnLine.1.reason=A - Not wanted
    returnLine.1.condition=As new
    returnLine.1.product=DVD-BELOVED
    returnLine.1.returnItem=return
    returnLine.2.quantity=1
    returnLine.2.reason= B - Not as described
    returnLine.2.condition=Packaging damaged
    returnLine.2.product=DVD-FRAN
    returnLine.2.returnItem=return`)

const importReturn = (sim: Simulator, xml: string, organisation = "demo") =>
  call(sim, "POST", "/remotewarehouse/imports/importitems.xml", { body: xml, headers: { organisation } })

const applied = (sim: Simulator, form: Record<string, string>) =>
  call(sim, "POST", "/remotewarehouse/returnitem/applied.xml", {
    body: new URLSearchParams(form).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  })

describe("returns", () => {
  let sim: Simulator
  let clock: Date
  beforeEach(async () => {
    clock = new Date("2026-12-01T10:00:00.000Z")
    sim = await startSimulator({ port: 0, seed: 9, now: () => clock })
    sim.control.seed({ products: [{ sku: "DVD-BELOVED", stock: 5 }, { sku: "DVD-FRAN", stock: 5 }, { sku: "OTHER", stock: 5 }] })
    await importOrders(sim, orderXml("R1", [["DVD-BELOVED", 1], ["DVD-FRAN", 2]]), "medusa")
  })
  afterEach(() => sim.close())

  it("stores the seed's two-line return as created, with an id, its lines and the order's originating reference", async () => {
    const res = await importReturn(sim, seedReturn())
    expect(res.status).toBe(200)
    const result = parseXml(res.body).importResult
    expect(result.importSuccesses.import).toHaveLength(1)
    expect(result.importSuccesses.import[0]["@type"]).toBe("return")
    const [ret] = sim.control.returns()
    expect(ret).toMatchObject({
      id: 1,
      orderReference: "R1",
      originatingOrderReference: "R1",
      authorisation: "TEST_return",
      authorised: true,
      type: "goods_not_delivered",
      site: "DEFAULT",
      returnDate: "2015-01-21 16:35:17",
      note: "Customer did not like colour",
      state: "created",
      createdAt: "2026-12-01T10:00:00.000Z",
    })
    expect(ret.lines.map((l) => [l.product, l.quantity, l.reason, l.condition, l.state])).toEqual([
      ["DVD-BELOVED", 1, "A - Not wanted", "As new", "created"],
      ["DVD-FRAN", 1, "B - Not as described", "Packaging damaged", "created"],
    ])
  })

  it("reports an authorisation used before as a duplicate and stores nothing new", async () => {
    await importReturn(sim, seedReturn())
    const again = parseXml((await importReturn(sim, seedReturn())).body).importResult
    expect(again.importDuplicates.import).toHaveLength(1)
    expect(sim.control.returns()).toHaveLength(1)
  })

  it.each([
    ["an unknown order", seedReturn("A1", "NOPE"), "ref:order:NOPE"],
    ["a product not on the order", seedReturn("A2").replace("returnLine.1.product=DVD-BELOVED", "returnLine.1.product=OTHER"), "Product 'OTHER' of return line 1 is not on order 'R1'"],
    ["an unknown product", seedReturn("A3").replace("returnLine.1.product=DVD-BELOVED", "returnLine.1.product=GHOST"), "ref:product:GHOST"],
    ["a quantity of 1.5", seedReturn("A4").replace("returnLine.1.quantity=1", "returnLine.1.quantity=1.5"), "Invalid quantity '1.5' for return line 1"],
    ["no lines", returnXml("    return.orderReference=R1\n    return.authorisation=A5"), "at least one returnLine.N is required"],
    ["neither order nor authorisation", returnXml("    returnLine.1.quantity=1\n    returnLine.1.product=DVD-FRAN"), "'return.authorisation' is required"],
    ["an unknown site", seedReturn("A6").replace("return.site=DEFAULT", "return.site=MARS"), "ref:site:MARS"],
    ["an update", seedReturn("A7").replace('operation="insert"', 'operation="update"'), "Unsupported operation 'update' for return imports"],
  ])("fails a return with %s, naming the cause, and stores nothing", async (_what, xml, message) => {
    const result = parseXml((await importReturn(sim, xml)).body).importResult
    expect(result.importFailures.import[0].failureMessage).toContain(message)
    expect(sim.control.returns()).toHaveLength(0)
  })

  it("refuses a return on /remoteorder and one for another organisation than the header's", async () => {
    const viaOrder = parseXml((await importOrders(sim, seedReturn("B1"), "medusa")).body).importResult
    expect(viaOrder.importFailures.import[0].failureMessage).toContain("/remotewarehouse/imports/importitems.xml")
    const other = parseXml((await importReturn(sim, seedReturn("B2"), "nobody")).body).importResult
    expect(other.importFailures.import[0].failureMessage).toContain("return.organisation 'demo' does not match the organisation header 'nobody'")
  })

  it("lists applied returns completed in [from, to) in the seed's format, lines and originating reference only when asked", async () => {
    await importReturn(sim, seedReturn("C1"))
    await importReturn(sim, seedReturn("C2"))
    clock = new Date("2026-12-01T11:00:00.000Z")
    sim.control.applyReturn(1, { lines: [{ product: "DVD-FRAN", condition: "Product damaged (irreparable)" }] })
    clock = new Date("2026-12-01T12:00:00.000Z")
    sim.control.applyReturn(2)

    const both = await applied(sim, { organisation: "demo", from: "2026-12-01 11:00:00", to: "2026-12-01 12:00:01", includeLines: "true", includeOriginatingOrderReference: "true" })
    expect(both.status).toBe(200)
    const returns = parseXml(both.body).returns.return
    expect(returns.map((r: any) => [r.id, r.completed, r.originatingOrderReference])).toEqual([
      ["1", "2026-12-01 11:00:00", "R1"],
      ["2", "2026-12-01 12:00:00", "R1"],
    ])
    expect(returns[0]).toMatchObject({ organisation: "demo", site: "DEFAULT", state: "applied", orderReference: "R1", created: "2026-12-01 10:00:00", type: "goods_not_delivered" })
    expect(returns[0].returnLines.returnLine).toEqual([
      { productReference: "DVD-BELOVED", quantity: "1", state: "applied", returnCondition: "", reason: "A - Not wanted", note: "" },
      { productReference: "DVD-FRAN", quantity: "1", state: "applied", returnCondition: "Product damaged (irreparable)", reason: "B - Not as described", note: "" },
    ])

    // `to` is exclusive: the return completed at 12:00:00 is left out.
    const early = parseXml((await applied(sim, { organisation: "demo", from: "2026-12-01 11:00:00", to: "2026-12-01 12:00:00" })).body).returns
    expect([early.return].flat().map((r: any) => r.id)).toEqual(["1"])
    expect(early.return.returnLines).toBeUndefined()
    expect(early.return.originatingOrderReference).toBeUndefined()
    // `from` is inclusive; a created (not applied) return is never listed.
    await importReturn(sim, seedReturn("C3"))
    const late = parseXml((await applied(sim, { organisation: "demo", from: "2026-12-01 12:00:00" })).body).returns
    expect([late.return].flat().map((r: any) => r.id)).toEqual(["2"])
  })

  it("needs from and the organisation, and answers an unknown organisation with an error document", async () => {
    expect((await applied(sim, { organisation: "demo" })).body).toContain("Required parameter 'from' is not present.")
    expect((await applied(sim, { from: "2026-12-01" })).body).toContain("A channel and/or organisation must be supplied.")
    expect((await applied(sim, { organisation: "ghost", from: "2026-12-01" })).body).toContain("not an authenticated organisation")
  })

  it("applies a return through the control API once: a second apply, an unknown id or an unknown product is refused", async () => {
    await importReturn(sim, seedReturn("D1"))
    const listed = await handleControlRequest(sim.control, "GET", "/_sim/returns", new URLSearchParams("state=created"), "")
    expect((listed.json as any).returns.map((r: any) => r.id)).toEqual([1])
    await expect(handleControlRequest(sim.control, "POST", "/_sim/returns/1/apply", new URLSearchParams(), JSON.stringify({ lines: [{ product: "GHOST" }] }))).rejects.toThrow(
      "Return 1 has no line with product 'GHOST'"
    )
    const done = await handleControlRequest(sim.control, "POST", "/_sim/returns/1/apply", new URLSearchParams(), JSON.stringify({ condition: "As new" }))
    expect((done.json as any).lines.map((l: any) => l.returnCondition)).toEqual(["As new", "As new"])
    await expect(handleControlRequest(sim.control, "POST", "/_sim/returns/1/apply", new URLSearchParams(), "{}")).rejects.toThrow("Return 1 is applied")
    await expect(handleControlRequest(sim.control, "POST", "/_sim/returns/9/apply", new URLSearchParams(), "{}")).rejects.toThrow("Unknown return 9")
  })
})
