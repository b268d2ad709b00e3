import { readFixture } from "../../__tests__/fixture"
import { interpretOrderActionReply, parseOrderDetail } from "../order-replies"

// The success answer of cancel/hold/release is the order detail document
// (seed 002, "Order Detail Pull" example).
const DETAIL = `<order externalReference="81" state="despatched">
 <shipments>
  <shipment sequence="1" state="created" earliestShipDate="2014-02-11">
   <orderLines>
    <orderLine product="steepletoneroxy1pink" quantity="1"
      state="created">
    </orderLine>
   </orderLines>
  </shipment>
 </shipments>
</order>`

describe("interpretOrderActionReply", () => {
  it("reads the seed's order detail document as done, with its states", () => {
    expect(interpretOrderActionReply({ status: 200, body: DETAIL })).toEqual({ kind: "done", state: "despatched", shipmentStates: ["created"] })
    expect(parseOrderDetail(DETAIL)).toEqual({ externalReference: "81", state: "despatched", shipmentStates: ["created"] })
  })

  it("treats the seed's MissingDataException (HTTP 200) as not found, with the message readable", () => {
    expect(interpretOrderActionReply({ status: 200, body: readFixture("seed-002-cancel-error.xml") })).toEqual({
      kind: "not_found",
      message: "Unable to find order for reference 'duff'. (MissingDataException)",
      exception: "rtd.exceptions.MissingDataException",
    })
  })

  it("treats any other <error> as a refusal, whatever the HTTP status", () => {
    const refused = `<?xml version="1.0" encoding="UTF-8"?>
<error>
<message>
<![CDATA[Order &apos;12&apos; cannot be cancelled: shipment &apos;12-1&apos; is packed; it will need to be unpacked.]]>
</message>
<exception>rtd.exceptions.InvalidStateException</exception>
<detail>
<![CDATA[...]]>
</detail>
</error>`
    for (const status of [200, 500]) {
      expect(interpretOrderActionReply({ status, body: refused })).toEqual({
        kind: "refused",
        message: "Order '12' cannot be cancelled: shipment '12-1' is packed; it will need to be unpacked. (InvalidStateException)",
        exception: "rtd.exceptions.InvalidStateException",
      })
    }
  })

  it("retries what says nothing about the order: 5xx pages, HTML with 200, truncated XML, empty bodies, refused credentials", () => {
    expect(interpretOrderActionReply({ status: 503, body: "<html><body>Service Unavailable</body></html>" })).toEqual({
      kind: "retry",
      message: "OrderFlow answered HTTP 503: <html><body>Service Unavailable</body></html>",
    })
    expect(interpretOrderActionReply({ status: 200, body: "<html><body>Please log in</body></html>" }).kind).toBe("retry")
    expect(interpretOrderActionReply({ status: 200, body: `<order externalReference="1" state="canc` }).kind).toBe("retry")
    expect(interpretOrderActionReply({ status: 200, body: "" })).toMatchObject({ kind: "retry" })
    expect(interpretOrderActionReply({ status: 401, body: readFixture("seed-002-cancel-error.xml") }).kind).toBe("retry")
  })
})
