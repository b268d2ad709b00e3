import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { request } from "undici"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { parseXml } from "../../src/lib/xml/safe-xml"
import { configureForPushes } from "../helpers/warehouse"
import { loginAsAdmin } from "../helpers/admin"
import { basicAuth, INBOUND_PASSWORD, INBOUND_USER, orderflowService, runOperation } from "../helpers/orderflow"
import { capturePayment, placeOrder, variantBySku } from "../helpers/store"

jest.setTimeout(300_000)

// OrderFlow's "Magento 2" connector, unchanged, against the store (issue 16):
// the envelopes of ORDERFLOW-SOAP.md §1.8 posted to /orderflow/soap/default.
const INVENTORY = "realtimeDespatchOrderFlowInventoryRequestManagementV1"
const SHIPMENT = "realtimeDespatchOrderFlowShipmentRequestManagementV1"
const TOKEN = "integrationAdminTokenServiceV1"

const envelope = (version: "1.1" | "1.2", inner: string) =>
  version === "1.1"
    ? `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:x"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`
    : `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ns1="urn:x"><env:Body>${inner}</env:Body></env:Envelope>`
const inventoryCall = (messageSeqId: number, lines: Array<{ sku: string; qty: number; seq: number }>) =>
  `<ns1:${INVENTORY}UpdateRequest><productQtys>${lines.map((l) => `<item><sku>${l.sku}</sku><qty>${l.qty}</qty></item>`).join("")}</productQtys>` +
  `<productSeqs>${lines.map((l) => `<item><sku>${l.sku}</sku><seq>${l.seq}</seq><lastOrderExported></lastOrderExported></item>`).join("")}</productSeqs>` +
  `<messageSeqId>${messageSeqId}</messageSeqId></ns1:${INVENTORY}UpdateRequest>`

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

    const face = () => `${api.defaults.baseURL}/orderflow/soap/default`
    const post = async (service: string, body: string, headers: Record<string, string> = {}, contentType = "text/xml; charset=utf-8") => {
      const res = await request(`${face()}?services=${service}`, {
        method: "POST",
        headers: { "content-type": contentType, soapaction: `"${service}"`, ...headers },
        body,
      })
      return { status: res.statusCode, contentType: String(res.headers["content-type"]), body: await res.body.text(), requestId: res.headers["x-orderflow-request-id"] }
    }
    const tokenFor = async (username: string, password: string) =>
      post(TOKEN, envelope("1.1", `<ns1:${TOKEN}CreateAdminAccessTokenRequest><username>${username}</username><password>${password}</password></ns1:${TOKEN}CreateAdminAccessTokenRequest>`))
    const resultOf = (body: string, element: string) => (parseXml(body) as any).Envelope.Body[element].result
    const faultTextOf = (body: string) => {
      const text = (parseXml(body) as any).Envelope.Body.Fault.Reason.Text
      return typeof text === "string" ? text : text["#text"]
    }
    const service = () => orderflowService(getContainer())
    const available = async (sku: string) => {
      const [level] = await getContainer()
        .resolve(Modules.INVENTORY)
        .listInventoryLevels({ inventory_item_id: variantBySku(seeded, sku).inventoryItemId!, location_id: seeded.stockLocationId })
      return Number(level.stocked_quantity)
    }
    const runImport = async (operation: "inventory_import" | "shipment_import") => (await api.post(`/admin/orderflow/operations/${operation}/run`, {}, admin)).data.run

    it("serves a WSDL per service list that is XML and names the operations; other parameters are refused", async () => {
      const res = await request(`${face()}?wsdl&services=${INVENTORY},${SHIPMENT}`)
      expect(res.statusCode).toBe(200)
      expect(String(res.headers["content-type"]).toLowerCase()).toBe("text/xml; charset=utf-8")
      const wsdl = parseXml(await res.body.text(), { isArray: (path) => path[path.length - 1] === "portType" }) as any
      expect(wsdl.definitions["@_targetNamespace"]).toBe(`${face()}?services=${INVENTORY}%2C${SHIPMENT}`)
      expect(wsdl.definitions.portType.map((p: any) => p.operation["@_name"])).toEqual([`${INVENTORY}Update`, `${SHIPMENT}Create`])
      expect((await request(`${face()}?wsdl&services=${INVENTORY}&debug=1`)).statusCode).toBe(400)
      expect((await request(`${face()}?wsdl&services=catalogProductRepositoryV1`)).statusCode).toBe(404)
    })

    it("a wrong password gets Magento's fault and no token; a push without credentials gets a fault and stores nothing", async () => {
      const wrong = await tokenFor(INBOUND_USER, "not-the-password")
      expect([wrong.status, wrong.contentType]).toEqual([200, "application/soap+xml; charset=utf-8"])
      expect(faultTextOf(wrong.body)).toBe("You did not sign in correctly or your account is temporarily disabled.")
      expect(await service().listOrderflowApiSessions({})).toHaveLength(0)
      const anonymous = await post(INVENTORY, envelope("1.1", inventoryCall(501, [{ sku: "TEE-S", qty: 7, seq: 10 }])))
      expect(faultTextOf(anonymous.body)).toBe("The consumer isn't authorized to access %resources.")
      const forged = await post(INVENTORY, envelope("1.1", inventoryCall(501, [{ sku: "TEE-S", qty: 7, seq: 10 }])), { authorization: "Bearer notatoken" })
      expect(faultTextOf(forged.body)).toBe("The consumer isn't authorized to access %resources.")
      expect(await service().listOrderflowRequests({})).toHaveLength(0)
    })

    it("token, then stock pushed with the Bearer token: acknowledged as Magento does, applied like a REST push, stale and re-delivered messages handled the same", async () => {
      const token = await tokenFor(INBOUND_USER, INBOUND_PASSWORD)
      const bearer = resultOf(token.body, `${TOKEN}CreateAdminAccessTokenResponse`)
      expect(bearer).toMatch(/^[a-z0-9]{32}$/)
      const [session] = await service().listOrderflowApiSessions({})
      expect(session.token_hash).not.toContain(bearer)

      const body = envelope("1.1", inventoryCall(71, [{ sku: "TEE-S", qty: 33, seq: 20 }, { sku: "TEE-M", qty: 12, seq: 20 }]))
      const pushed = await post(INVENTORY, body, { authorization: `Bearer ${bearer}` })
      expect([pushed.status, pushed.contentType]).toEqual([200, "text/xml; charset=utf-8"])
      expect(resultOf(pushed.body, `${INVENTORY}UpdateResponse`)).toBe("Success - Message 71 Received")
      const again = await post(INVENTORY, body, { authorization: `Bearer ${bearer}` })
      expect(resultOf(again.body, `${INVENTORY}UpdateResponse`)).toBe("Success - Message 71 Received")
      // An older figure for TEE-S (lower sequence id) in SOAP 1.2, with HTTP Basic instead of the token.
      const stale = await post(INVENTORY, envelope("1.2", inventoryCall(72, [{ sku: "TEE-S", qty: 1, seq: 19 }])), { authorization: basicAuth(INBOUND_USER, INBOUND_PASSWORD) }, "application/soap+xml; charset=utf-8")
      expect(stale.contentType).toBe("application/soap+xml; charset=utf-8")
      expect(resultOf(stale.body, `${INVENTORY}UpdateResponse`)).toBe("Success - Message 72 Received")

      const rows = await service().listOrderflowRequests({ type: "inventory" }, { order: { received_at: "ASC" } })
      expect(rows.map((r: any) => [r.message_seq_id, r.status])).toEqual([
        [71, "pending"],
        [71, "duplicate"],
        [72, "pending"],
      ])
      // The request history keeps the envelope as it came.
      expect(rows[0].body).toBe(body)
      expect(await runImport("inventory_import")).toMatchObject({ status: "success" })
      expect([await available("TEE-S"), await available("TEE-M")]).toEqual([33, 12])
      const [staleImport] = await service().listOrderflowImports({ message_seq_id: 72 }, { relations: ["lines"] })
      expect(staleImport.lines.map((l: any) => l.outcome)).toEqual(["stale"])

      // The first stock message through this face is marked and outlives log cleaning, verbatim.
      expect(rows.map((r: any) => [r.kind, r.first_of_kind])).toEqual([
        ["soap-m2", true],
        ["soap-m2", false],
        ["soap-m2", false],
      ])
      const cleaned = await runOperation(getContainer(), "log_cleaning", new Date(Date.now() + 400 * 86_400_000))
      expect(cleaned.status).toBe("success")
      const kept = await service().listOrderflowRequests({ type: "inventory" })
      expect(kept.map((r: any) => [r.id, r.body])).toEqual([[rows[0].id, body]])
    })

    it("a despatch pushed as the connector's shipment create applies a partial despatch like the REST route", async () => {
      const order = await placeOrder(api, seeded, [{ sku: "HOOD-S", quantity: 2 }])
      await capturePayment(api, admin, order.id)
      const reference = String(order.display_id)
      await service().createOrderflowExportItems({ entity_type: "order", entity_id: order.id, reference, status: "exported", exported_at: new Date() })
      const call =
        `<ns1:${SHIPMENT}CreateRequest><orderIncrementId>${reference}</orderIncrementId><skuQty><item><sku>HOOD-S</sku><qty>1</qty></item></skuQty>` +
        `<tracks><item><trackingNumber>SOAP-T1</trackingNumber></item></tracks><comment>Shipment Created</comment><email>0</email><includeComment>0</includeComment>` +
        `<courierName>Royal Mail</courierName><serviceName>Tracked 24</serviceName><trackingNumber>SOAP-T1</trackingNumber><dateShipped>2026-11-30 10:00:00</dateShipped>` +
        `<messageSeqId>98765</messageSeqId></ns1:${SHIPMENT}CreateRequest>`
      const pushed = await post(SHIPMENT, envelope("1.1", call), { authorization: basicAuth(INBOUND_USER, INBOUND_PASSWORD) })
      expect(resultOf(pushed.body, `${SHIPMENT}CreateResponse`)).toBe("Success - Message 98765 Received")
      expect(await runImport("shipment_import")).toMatchObject({ status: "success" })
      const o = (await api.get(`/admin/orders/${order.id}?fields=id,fulfillment_status,*items,*fulfillments,*fulfillments.labels`, admin)).data.order
      expect(o.fulfillment_status).toBe("partially_shipped")
      expect(o.fulfillments[0].labels.map((l: any) => l.tracking_number)).toEqual(["SOAP-T1"])
      // The same connector pointed at the plain REST route (HTTP Basic): read as the face reads it, answered with the CreateResponse.
      const viaRest = await request(`${api.defaults.baseURL}/orderflow/shipment`, {
        method: "POST",
        headers: { "content-type": "text/xml; charset=utf-8", authorization: basicAuth(INBOUND_USER, INBOUND_PASSWORD) },
        body: envelope("1.1", call.replace("SOAP-T1</trackingNumber></item>", "SOAP-T2</trackingNumber></item>").replace("<trackingNumber>SOAP-T1</trackingNumber><dateShipped>", "<trackingNumber>SOAP-T2</trackingNumber><dateShipped>").replace("<messageSeqId>98765", "<messageSeqId>98767")),
      })
      expect(viaRest.statusCode).toBe(200)
      expect(resultOf(await viaRest.body.text(), `${SHIPMENT}CreateResponse`)).toBe("Success - Message 98767 Received")
      expect(await runImport("shipment_import")).toMatchObject({ status: "success" })
      const both = (await api.get(`/admin/orders/${order.id}?fields=id,fulfillment_status,*items,*fulfillments,*fulfillments.labels`, admin)).data.order
      expect([both.fulfillment_status, both.fulfillments.map((f: any) => f.labels[0].tracking_number).sort()]).toEqual(["shipped", ["SOAP-T1", "SOAP-T2"]])
      const [restRow] = await service().listOrderflowRequests({ message_seq_id: 98767 })
      expect(restRow.kind).toBe("rest-soap")

      // A missing orderIncrementId: Magento's fault naming the field, nothing stored.
      const before = (await service().listOrderflowRequests({})).length
      const missing = await post(SHIPMENT, envelope("1.1", call.replace(`<orderIncrementId>${reference}</orderIncrementId>`, "")), { authorization: basicAuth(INBOUND_USER, INBOUND_PASSWORD) })
      expect(faultTextOf(missing.body)).toBe('"%fieldName" is required. Enter and try again.')
      expect(missing.body).toContain("<m:value>orderIncrementId</m:value>")
      expect(await service().listOrderflowRequests({})).toHaveLength(before)
    })
  },
})
