import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { request } from "undici"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { parseXml } from "../../src/lib/xml/safe-xml"
import { configureForPushes } from "../helpers/warehouse"
import { loginAsAdmin } from "../helpers/admin"
import { INBOUND_PASSWORD, INBOUND_USER, orderflowService } from "../helpers/orderflow"
import { capturePayment, placeOrder, variantBySku } from "../helpers/store"

jest.setTimeout(300_000)

// OrderFlow's "Magento" (1) connector, unchanged, against the store (issue 16):
// RPC/encoded envelopes of ORDERFLOW-SOAP.md §2.4 posted to /orderflow/api/v2_soap/index/.
const envelope = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:Magento" ` +
  `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" ` +
  `SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`
const login = (username: string, apiKey: string) =>
  envelope(`<ns1:login><username xsi:type="xsd:string">${username}</username><apiKey xsi:type="xsd:string">${apiKey}</apiKey></ns1:login>`)
const inventory = (session: string, messageSeqId: number, lines: Array<{ sku: string; qty: number; seq: number }>) =>
  envelope(
    `<ns1:orderflowInventoryMultiUpdate><sessionId xsi:type="xsd:string">${session}</sessionId>` +
      `<skusQty SOAP-ENC:arrayType="ns1:skuQty[${lines.length}]" xsi:type="ns1:skuQtyArray">${lines.map((l) => `<item xsi:type="ns1:skuQty"><key xsi:type="xsd:string">${l.sku}</key><value xsi:type="xsd:int">${l.qty}</value></item>`).join("")}</skusQty>` +
      `<skusSeqId SOAP-ENC:arrayType="ns1:skuSeq[${lines.length}]" xsi:type="ns1:skuSeqArray">${lines.map((l) => `<item xsi:type="ns1:skuSeq"><key xsi:type="xsd:string">${l.sku}</key><value xsi:type="xsd:int">${l.seq}</value></item>`).join("")}</skusSeqId>` +
      `<messageSeqId xsi:type="xsd:int">${messageSeqId}</messageSeqId></ns1:orderflowInventoryMultiUpdate>`
  )

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any

    beforeAll(async () => {
      seeded = await seedDemoStore(getContainer())
    })

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
      await configureForPushes(api, admin, seeded)
    })

    const endpoint = () => `${api.defaults.baseURL}/orderflow/api/v2_soap/index/`
    const call = async (body: string) => {
      const res = await request(endpoint(), {
        method: "POST",
        headers: { "content-type": "text/xml; charset=utf-8", soapaction: '"urn:Mage_Api_Model_Server_V2_HandlerAction"' },
        body,
      })
      const text = await res.body.text()
      const doc = parseXml(text) as any
      return { status: res.statusCode, body: text, doc: doc.Envelope.Body }
    }
    const value = (node: any) => (typeof node === "string" ? node : node?.["#text"])
    const service = () => orderflowService(getContainer())
    const stocked = async (sku: string) => {
      const [level] = await getContainer()
        .resolve(Modules.INVENTORY)
        .listInventoryLevels({ inventory_item_id: variantBySku(seeded, sku).inventoryItemId!, location_id: seeded.stockLocationId })
      return Number(level.stocked_quantity)
    }
    const runImport = async (operation: "inventory_import" | "shipment_import") => (await api.post(`/admin/orderflow/operations/${operation}/run`, {}, admin)).data.run

    it("serves the RPC/encoded WSDL at ?wsdl=1 with the endpoint's own address", async () => {
      const res = await request(`${api.defaults.baseURL}/orderflow/api/v2_soap/?wsdl=1`)
      expect(res.statusCode).toBe(200)
      const wsdl = parseXml(await res.body.text(), { isArray: (path) => path[path.length - 1] === "operation" }) as any
      expect(wsdl.definitions.portType.operation.map((o: any) => o["@_name"])).toEqual(["login", "endSession", "orderflowInventoryMultiUpdate", "orderflowShipmentCreate"])
      expect(wsdl.definitions.service.port.address["@_location"]).toBe(endpoint())
    })

    it("a wrong API key gets fault 2 and stores nothing; an unknown session gets fault 5 and stores nothing", async () => {
      const denied = await call(login(INBOUND_USER, "wrong-key"))
      expect([denied.status, denied.doc.Fault.faultcode, denied.doc.Fault.faultstring]).toEqual([500, "2", "Access denied."])
      expect(await service().listOrderflowApiSessions({})).toHaveLength(0)
      const unknown = await call(inventory("0123456789abcdef0123456789abcdef", 9, [{ sku: "TEE-S", qty: 1, seq: 1 }]))
      expect([unknown.status, unknown.doc.Fault.faultcode]).toEqual([500, "5"])
      expect(await service().listOrderflowRequests({})).toHaveLength(0)
    })

    it("login, stock and a despatch pushed with the session id are applied like the REST routes; an expired session gets fault 5, a new login works, endSession ends it", async () => {
      const loggedIn = await call(login(INBOUND_USER, INBOUND_PASSWORD))
      const session = value(loggedIn.doc.loginResponse.loginReturn)
      expect(session).toMatch(/^[0-9a-f]{32}$/)

      const pushed = await call(inventory(session, 4, [{ sku: "TEE-L", qty: 41, seq: 10 }]))
      expect(value(pushed.doc.orderflowInventoryMultiUpdateResponse.result)).toBe("Success - Message 4 Received")
      expect(await runImport("inventory_import")).toMatchObject({ status: "success" })
      expect(await stocked("TEE-L")).toBe(41)

      const order = await placeOrder(api, seeded, [{ sku: "HOOD-M", quantity: 2 }])
      await capturePayment(api, admin, order.id)
      const reference = String(order.display_id)
      await service().createOrderflowExportItems({ entity_type: "order", entity_id: order.id, reference, status: "exported", exported_at: new Date() })
      const despatch = await call(
        envelope(
          `<ns1:orderflowShipmentCreate><sessionId xsi:type="xsd:string">${session}</sessionId><orderIncrementId xsi:type="xsd:string">${reference}</orderIncrementId>` +
            `<skuQty SOAP-ENC:arrayType="ns1:skuQty[1]" xsi:type="ns1:skuQtyArray"><item xsi:type="ns1:skuQty"><key xsi:type="xsd:string">HOOD-M</key><value xsi:type="xsd:int">2</value></item></skuQty>` +
            `<comment xsi:type="xsd:string">Shipment Created</comment><email xsi:type="xsd:int">0</email><includeComment xsi:type="xsd:int">0</includeComment>` +
            `<courierName xsi:type="xsd:string">Royal Mail</courierName><serviceName xsi:type="xsd:string">Tracked 24</serviceName><trackingNumber xsi:type="xsd:string">M1-TT1</trackingNumber>` +
            `<dateShipped xsi:type="xsd:date">2026-11-30 10:00:00</dateShipped><messageSeqId xsi:type="xsd:long">98766</messageSeqId></ns1:orderflowShipmentCreate>`
        )
      )
      expect(value(despatch.doc.orderflowShipmentCreateResponse.result)).toBe("Success - Message 98766 Received")
      expect(await runImport("shipment_import")).toMatchObject({ status: "success" })
      const o = (await api.get(`/admin/orders/${order.id}?fields=id,fulfillment_status,*items,*fulfillments,*fulfillments.labels`, admin)).data.order
      expect(o.fulfillment_status).toBe("shipped")
      expect(o.fulfillments[0].labels.map((l: any) => l.tracking_number)).toEqual(["M1-TT1"])

      // An idle session expires (Magento 1: an hour): fault 5, nothing stored; the connector logs in again.
      const [row] = await service().listOrderflowApiSessions({ face: "m1" })
      await service().updateOrderflowApiSessions({ id: row.id, expires_at: new Date(Date.now() - 1000) })
      const before = (await service().listOrderflowRequests({})).length
      const expired = await call(inventory(session, 5, [{ sku: "TEE-L", qty: 40, seq: 11 }]))
      expect([expired.status, expired.doc.Fault.faultcode, expired.doc.Fault.faultstring]).toEqual([500, "5", "Session expired. Try to relogin."])
      expect(await service().listOrderflowRequests({})).toHaveLength(before)
      const again = value((await call(login(INBOUND_USER, INBOUND_PASSWORD))).doc.loginResponse.loginReturn)
      expect(value((await call(inventory(again, 5, [{ sku: "TEE-L", qty: 40, seq: 11 }]))).doc.orderflowInventoryMultiUpdateResponse.result)).toBe("Success - Message 5 Received")
      const ended = await call(envelope(`<ns1:endSession><sessionId xsi:type="xsd:string">${again}</sessionId></ns1:endSession>`))
      expect(value(ended.doc.endSessionResponse.endSessionReturn)).toBe("true")
      expect((await call(inventory(again, 6, [{ sku: "TEE-L", qty: 39, seq: 12 }]))).doc.Fault.faultcode).toBe("5")
    })
  },
})
