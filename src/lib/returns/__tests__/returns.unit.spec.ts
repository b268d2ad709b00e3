import { OrderflowApiError, OrderflowResponseError } from "../../errors"
import {
  buildReturnImportDocument,
  interpretAppliedReturnsReply,
  orderflowReturnCondition,
  orderflowReturnReason,
  parseAppliedReturns,
  planReceipt,
  pullWindow,
  receiveItems,
  restockActionFor,
  returnAuthorisation,
} from ".."

const RESTOCK = { "As new": "restock", "Packaging damaged": "restock", "Product damaged (refurbishable)": "damaged", "Product damaged (irreparable)": "damaged" } as const

describe("buildReturnImportDocument", () => {
  it("writes the seed's two-line example (without the optional storeId/user/channel) field by field", () => {
    const xml = buildReturnImportDocument({
      orderReference: "order_reference",
      authorisation: "TEST_return",
      type: "goods_not_delivered",
      returnDate: "2015-01-21 16:35:17",
      organisation: "myco",
      site: "WAREHOUSE_1",
      note: "Customer did not like colour",
      lines: [
        { product: "DVD-BELOVED", quantity: 1, reason: "A - Not wanted", condition: "As new" },
        { product: "DVD-FRAN", quantity: 1, reason: "B - Not as described", condition: "Packaging damaged" },
      ],
    })
    expect(xml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>
<imports>
  <import type="return" operation="insert">
    return.orderReference=order_reference
    return.authorisation=TEST_return
    return.authorised=true
    return.type=goods_not_delivered
    return.returnDate=2015-01-21 16:35:17
    return.organisation=myco
    return.site=WAREHOUSE_1
    return.note=Customer did not like colour
    returnLine.1.quantity=1
    returnLine.1.reason=A - Not wanted
    returnLine.1.condition=As new
    returnLine.1.product=DVD-BELOVED
    returnLine.1.returnItem=return
    returnLine.2.quantity=1
    returnLine.2.reason=B - Not as described
    returnLine.2.condition=Packaging damaged
    returnLine.2.product=DVD-FRAN
    returnLine.2.returnItem=return
  </import>
</imports>
`
    )
  })

  it("leaves return.site out when empty, escapes markup and turns line breaks in the note into [BR]", () => {
    const xml = buildReturnImportDocument({
      orderReference: "12",
      authorisation: "RET-3",
      type: "unknown",
      returnDate: "2026-12-01 10:00:00",
      organisation: "demo",
      site: "",
      note: "too <big>\nand & red",
      lines: [{ product: "TEE-M", quantity: 2, reason: "H - Other", condition: "As new" }],
    })
    expect(xml).not.toContain("return.site")
    expect(xml).toContain("return.note=too &lt;big&gt;[BR]and &amp; red\n")
  })

  it("refuses a return without lines, and a quantity that is not a positive whole number, naming the field", () => {
    const base = { orderReference: "12", authorisation: "RET-3", type: "unknown", returnDate: "2026-12-01 10:00:00", organisation: "demo" }
    expect(() => buildReturnImportDocument({ ...base, lines: [] })).toThrow("return RET-3 has no lines")
    expect(() => buildReturnImportDocument({ ...base, lines: [{ product: "A", quantity: 1.5, reason: "H - Other", condition: "As new" }] })).toThrow(
      "returnLine.1.quantity must be a positive whole number, got 1.5"
    )
  })
})

describe("reasons, conditions and authorisation", () => {
  it("maps a Medusa reason through the merchant's table, accepts OrderFlow's own names, and falls back to H - Other", () => {
    const mapping = { wrong_size: "C - Wrong size" }
    expect(orderflowReturnReason("wrong_size", mapping)).toBe("C - Wrong size")
    expect(orderflowReturnReason("b - not as described", mapping)).toBe("B - Not as described")
    expect(orderflowReturnReason("changed_mind", mapping)).toBe("H - Other")
    expect(orderflowReturnReason(null, mapping)).toBe("H - Other")
  })

  it("sends the default condition unless the reason is mapped to one", () => {
    expect(orderflowReturnCondition("damaged", { damaged: "Packaging damaged" }, "As new")).toBe("Packaging damaged")
    expect(orderflowReturnCondition("wrong_size", { damaged: "Packaging damaged" }, "As new")).toBe("As new")
    expect(orderflowReturnCondition(undefined, {}, "As new")).toBe("As new")
  })

  it("builds the authorisation from the prefix and the return's display id", () => {
    expect(returnAuthorisation("WEB-", 7, "return_01")).toBe("WEB-RET-7")
    expect(returnAuthorisation("", null, "return_01")).toBe("RET-return_01")
  })
})

const SEED_APPLIED = `<?xml version="1.0" encoding="utf-8" ?>
<returns>
    <return>
        <id>1</id>
        <organisation>Myco Incorporated</organisation>
        <site>Default</site>
        <state>applied</state>
        <returnDate>2011-07-29 14:18:02</returnDate>
        <note></note>
        <type>goods_not_delivered</type>
        <orderReference></orderReference>
        <originatingOrderReference>5049ecb6-6745-4c1e-8eed-be4c17204444</originatingOrderReference>
        <created>2011-07-29 14:04:32</created>
        <completed>2011-10-14 14:50:47</completed>
        <returnLines>
            <returnLine>
                <productReference>PHO-IPHONE4</productReference>
                <quantity>4</quantity>
                <state>applied</state>
                <returnCondition></returnCondition>
                <reason></reason>
                <note>No reason given</note>
            </returnLine>
            <returnLine>
                <productReference>PHO-HTC-SENSATION</productReference>
                <quantity>2</quantity>
                <state>applied</state>
                <returnCondition></returnCondition>
                <reason></reason>
                <note></note>
            </returnLine>
        </returnLines>
    </return>
    <return>
        <id>26</id>
        <organisation>Myco Incorporated</organisation>
        <site>Default</site>
        <state>applied</state>
        <returnDate>2012-01-24 00:00:00</returnDate>
        <note>adfa</note>
        <type>goods_not_delivered</type>
        <orderReference></orderReference>
        <originatingOrderReference>01ad2357-0e0e-46fe-9656-1605ffab7b2c</originatingOrderReference>
        <created>2019-12-02 16:04:38</created>
        <completed>2019-12-03 16:34:21</completed>
        <returnLines>
            <returnLine>
                <productReference>DVD-FRAN</productReference>
                <quantity>10</quantity>
                <state>applied</state>
                <returnCondition></returnCondition>
                <reason>B - Not as described</reason>
                <note></note>
            </returnLine>
        </returnLines>
    </return>
</returns>`

describe("parseAppliedReturns", () => {
  it("reads the seed's example: two returns, their references, completion times and lines", () => {
    const returns = parseAppliedReturns(SEED_APPLIED)
    expect(returns.map((r) => [r.id, r.originatingOrderReference, r.completed, r.lines.length])).toEqual([
      ["1", "5049ecb6-6745-4c1e-8eed-be4c17204444", "2011-10-14 14:50:47", 2],
      ["26", "01ad2357-0e0e-46fe-9656-1605ffab7b2c", "2019-12-03 16:34:21", 1],
    ])
    expect(returns[0].lines[0]).toEqual({ productReference: "PHO-IPHONE4", quantity: 4, state: "applied", returnCondition: "", reason: "", note: "No reason given" })
    expect(returns[1]).toMatchObject({ note: "adfa", orderReference: "", type: "goods_not_delivered", lines: [{ productReference: "DVD-FRAN", quantity: 10, reason: "B - Not as described" }] })
  })

  it("reads an empty <returns/> as no returns and keeps SKUs with leading zeros as text", () => {
    expect(parseAppliedReturns("<returns/>")).toEqual([])
    const one = parseAppliedReturns(
      "<returns><return><id>5</id><returnLines><returnLine><productReference>00123</productReference><quantity>1</quantity></returnLine></returnLines></return></returns>"
    )
    expect(one[0].lines[0].productReference).toBe("00123")
  })

  it("refuses a document with a bad quantity or no id as a whole, and classifies <error> and HTTP failures", () => {
    expect(() =>
      parseAppliedReturns("<returns><return><id>5</id><returnLines><returnLine><productReference>A</productReference><quantity>x</quantity></returnLine></returnLines></return></returns>")
    ).toThrow(OrderflowResponseError)
    expect(() => parseAppliedReturns("<returns><return><note/></return></returns>")).toThrow("return 1 has no <id>")
    expect(() => parseAppliedReturns("<html><body>Bad gateway</body></html>")).toThrow(OrderflowResponseError)
    expect(() =>
      interpretAppliedReturnsReply({ status: 200, body: "<error><message>Organisation unknown</message><exception>X</exception></error>" })
    ).toThrow(OrderflowApiError)
    expect(() => interpretAppliedReturnsReply({ status: 503, body: "down" })).toThrow("HTTP 503")
  })
})

describe("planReceipt", () => {
  const applied = (lines: Array<[string, number, string]>) => ({
    ...parseAppliedReturns(SEED_APPLIED)[1],
    id: "77",
    originatingOrderReference: "12",
    lines: lines.map(([productReference, quantity, returnCondition]) => ({ productReference, quantity, returnCondition, state: "applied", reason: "", note: "" })),
  })
  const open = [
    { record_id: "r1", return_id: "ret_1", order_id: "o1", lines: [{ item_id: "i1", sku: "TEE-M", quantity: 1, condition: "As new" }] },
    {
      record_id: "r2",
      return_id: "ret_2",
      order_id: "o1",
      lines: [
        { item_id: "i1", sku: "TEE-M", quantity: 2, condition: "As new" },
        { item_id: "i2", sku: "MUG", quantity: 1, condition: "As new" },
      ],
    },
  ]

  it("picks the first open return covering every SKU and quantity, restocking or damaging per condition (empty: the one sent)", () => {
    const plan = planReceipt(applied([["TEE-M", 2, ""], ["MUG", 1, "Product damaged (irreparable)"]]), open, RESTOCK)
    expect(plan).toEqual({
      kind: "receive",
      record_id: "r2",
      return_id: "ret_2",
      order_id: "o1",
      lines: [
        { item_id: "i1", sku: "TEE-M", quantity: 2, condition: "As new", action: "restock" },
        { item_id: "i2", sku: "MUG", quantity: 1, condition: "Product damaged (irreparable)", action: "damaged" },
      ],
    })
    if (plan.kind !== "receive") throw new Error("unreachable")
    expect(receiveItems(plan.lines, "restock")).toEqual([{ id: "i1", quantity: 2 }])
    expect(receiveItems(plan.lines, "damaged")).toEqual([{ id: "i2", quantity: 1 }])
  })

  it("is unmatched when no open return covers the quantities, or when there is none", () => {
    expect(planReceipt(applied([["TEE-M", 3, ""]]), open, RESTOCK)).toEqual({ kind: "unmatched", reason: "no open return of the order covers TEE-M×3" })
    expect(planReceipt(applied([["TEE-M", 1, ""]]), [], RESTOCK)).toEqual({ kind: "unmatched", reason: "no open return sent for order reference 12" })
  })

  it("treats a condition the mapping does not know as damaged", () => {
    expect(restockActionFor("Smells of smoke", RESTOCK)).toBe("damaged")
    expect(restockActionFor("as new", RESTOCK)).toBe("restock")
  })
})

describe("pullWindow", () => {
  const now = new Date("2026-12-01T12:00:00.400Z")
  it("starts at the last pull's end minus the overlap and ends at now rounded up to the next second", () => {
    expect(pullWindow({ now, overlapMinutes: 60, lastTo: new Date("2026-12-01T11:45:00Z"), firstSentAt: null })).toEqual({
      from: new Date("2026-12-01T10:45:00Z"),
      to: new Date("2026-12-01T12:00:01Z"),
    })
  })
  it("on the first pull starts at the first return sent minus the overlap, else at now minus the overlap", () => {
    expect(pullWindow({ now, overlapMinutes: 10, lastTo: null, firstSentAt: new Date("2026-11-30T08:00:00Z") }).from).toEqual(new Date("2026-11-30T07:50:00Z"))
    expect(pullWindow({ now, overlapMinutes: 10, lastTo: null, firstSentAt: null }).from).toEqual(new Date("2026-12-01T11:50:00.400Z"))
  })
})
