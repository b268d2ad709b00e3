import { despatchParcelKey, parseDespatchNotification } from "../despatch-notification"
import { despatchFromShipment, despatchPollWindow, parseDespatchedShipments } from "../despatched-shipments"

// The example of seed 002 "Despatched Shipments Per Time Period" (includeOrderLines=true).
const SEED_EXAMPLE = `<?xml version="1.0" encoding="utf-8" ?>
<shipments>
    <shipment>
        <reference>831</reference>
        <orderReference>83</orderReference>
        <originatingOrderReference>5049ecb6-6745-4c1e-8eed-be4c17204444</originatingOrderReference>
        <state>despatched</state>
        <carrier>royalmail_tracked</carrier>
        <service>TPN01</service>
        <despatchReference>TT222211109GB</despatchReference>
        <completed>2014-04-25 09:30:08</completed>
        <orderLines>
            <orderLine><productReference>spa_sku1</productReference><quantity>5</quantity><thirdPartyReference></thirdPartyReference></orderLine>
            <orderLine><productReference>spa_sku2</productReference><quantity>3</quantity><thirdPartyReference></thirdPartyReference></orderLine>
        </orderLines>
    </shipment>
    <shipment>
        <reference>1081</reference>
        <orderReference>108</orderReference>
        <originatingOrderReference></originatingOrderReference>
        <state>despatched</state>
        <carrier>royalmail_tracked</carrier>
        <service>TPS01</service>
        <despatchReference>TT222211069GB</despatchReference>
        <completed>2014-04-25 09:30:08</completed>
        <packages>
            <package despatchReference="TT222211069GB"><packageLines><packageLine product="spa_sku3" quantity="10" state="created"></packageLine></packageLines></package>
            <package despatchReference="TT222211070GB"><packageLines><packageLine product="spa_sku3" quantity="10" state="created"></packageLine></packageLines></package>
        </packages>
        <orderLines>
            <orderLine><productReference>00123</productReference><quantity>20</quantity><thirdPartyReference></thirdPartyReference></orderLine>
        </orderLines>
    </shipment>
</shipments>`

describe("parseDespatchedShipments", () => {
  it("reads the seed 002 example: references, carrier, every parcel's tracking number, completion date in UTC, lines with SKUs kept as text", () => {
    const [a, b] = parseDespatchedShipments(SEED_EXAMPLE)
    expect(a).toEqual({
      reference: "831",
      orderReference: "83",
      state: "despatched",
      carrier: "royalmail_tracked",
      service: "TPN01",
      trackingNumbers: ["TT222211109GB"],
      completed: "2014-04-25T09:30:08.000Z",
      lines: [
        { productReference: "spa_sku1", quantity: 5 },
        { productReference: "spa_sku2", quantity: 3 },
      ],
    })
    expect(b.trackingNumbers).toEqual(["TT222211069GB", "TT222211070GB"])
    expect(b.lines).toEqual([{ productReference: "00123", quantity: 20 }])
  })

  it("reads completed in OrderFlow's time zone (summer London is UTC+1)", () => {
    const summer = SEED_EXAMPLE.replace(/2014-04-25 09:30:08/g, "2026-07-01 09:30:08")
    expect(parseDespatchedShipments(summer, "Europe/London")[0].completed).toBe("2026-07-01T08:30:08.000Z")
    expect(parseDespatchedShipments(summer)[0].completed).toBe("2026-07-01T09:30:08.000Z")
  })

  it("reads an empty answer as no shipments", () => {
    expect(parseDespatchedShipments(`<?xml version="1.0"?><shipments></shipments>`)).toEqual([])
  })

  it.each([
    ["no reference", SEED_EXAMPLE.replace("<reference>831</reference>", ""), /no <reference>/],
    ["a bad date", SEED_EXAMPLE.replace("2014-04-25 09:30:08", "yesterday"), /<completed> must be a date/],
    ["a bad quantity", SEED_EXAMPLE.replace("<quantity>5</quantity>", "<quantity>five</quantity>"), /positive whole number/],
    ["another document", `<returns/>`, /not a <shipments> document/],
  ])("refuses the whole document with %s", (_name, xml, message) => {
    expect(() => parseDespatchedShipments(xml)).toThrow(message)
  })
})

describe("despatchFromShipment", () => {
  it("is the notification a push would carry: units summed per SKU, completed as ship date, no number", () => {
    const [shipment] = parseDespatchedShipments(SEED_EXAMPLE)
    const twoLines = { ...shipment, lines: [...shipment.lines, { productReference: "spa_sku1", quantity: 1 }] }
    expect(despatchFromShipment(twoLines)).toMatchObject({
      messageSeqId: null,
      orderIncrementId: "83",
      lines: [
        { index: 0, sku: "spa_sku1", qty: 6 },
        { index: 1, sku: "spa_sku2", qty: 3 },
      ],
      trackingNumbers: ["TT222211109GB"],
      courierName: "royalmail_tracked",
      dateShipped: "2014-04-25T09:30:08.000Z",
      email: false,
    })
  })

  it("has the same parcel key as the pushed notification of the same shipment, which carries a messageSeqId", () => {
    const [shipment] = parseDespatchedShipments(SEED_EXAMPLE)
    const pushed = parseDespatchNotification(
      JSON.stringify({
        orderIncrementId: "83",
        skuQty: [{ sku: "spa_sku2", qty: 3 }, { sku: "spa_sku1", qty: 5 }],
        trackingNumber: "TT222211109GB",
        tracks: [{ trackingNumber: "TT222211109GB" }],
        courierName: "royalmail_tracked",
        comment: "Shipment Created",
        email: true,
        dateShipped: "2014-04-25 09:30:08",
        messageSeqId: 7001,
      }),
      "application/json"
    )
    expect(despatchParcelKey(despatchFromShipment(shipment)!)).toBe(despatchParcelKey(pushed))
  })

  it("asks for the customer email only when told to", () => {
    const [shipment] = parseDespatchedShipments(SEED_EXAMPLE)
    expect(despatchFromShipment(shipment)!.email).toBe(false)
    expect(despatchFromShipment(shipment, { email: true })!.email).toBe(true)
  })

  it("gives nothing to apply for a shipment without lines or not despatched", () => {
    const [shipment] = parseDespatchedShipments(SEED_EXAMPLE)
    expect(despatchFromShipment({ ...shipment, lines: [] })).toBeNull()
    expect(despatchFromShipment({ ...shipment, state: "packed" })).toBeNull()
  })
})

describe("despatchPollWindow", () => {
  const now = new Date("2026-12-01T12:00:00.250Z")
  it("first run: look-back hours before now, to the next whole second", () => {
    expect(despatchPollWindow({ now, lastTo: null, overlapMinutes: 30, lookBackHours: 24 })).toEqual({
      from: new Date("2026-11-30T12:00:00.250Z"),
      to: new Date("2026-12-01T12:00:01.000Z"),
    })
  })
  it("later runs: the last successful pull's end minus the overlap", () => {
    const { from } = despatchPollWindow({ now, lastTo: new Date("2026-12-01T11:30:00Z"), overlapMinutes: 30, lookBackHours: 24 })
    expect(from).toEqual(new Date("2026-12-01T11:00:00Z"))
  })
})
