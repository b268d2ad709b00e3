import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createApiKeysWorkflow } from "@medusajs/medusa/core-flows"
import { loginAsAdmin } from "../helpers/admin"
import {
  basicAuth,
  configureOrderflow,
  inboundHeaders,
  INBOUND_PASSWORD,
  INBOUND_USER,
  inventoryMessage,
  orderflowService,
} from "../helpers/orderflow"

jest.setTimeout(120_000)

const SOAP_MESSAGE = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:Magento" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/">
  <SOAP-ENV:Body>
    <ns1:realtimeDespatchOrderFlowInventoryRequestManagementV1Update>
      <sessionId xsi:type="xsd:string">token</sessionId>
      <skusQty SOAP-ENC:arrayType="ns1:skuQty[1]" xsi:type="ns1:skuQtyArray">
        <item xsi:type="ns1:skuQty"><key xsi:type="xsd:string">hdd000</key><value xsi:type="xsd:int">0</value></item>
      </skusQty>
      <skusSeqId SOAP-ENC:arrayType="ns1:skuSeq[1]" xsi:type="ns1:skuSeqArray">
        <item xsi:type="ns1:skuSeq"><key xsi:type="xsd:string">hdd000</key><value xsi:type="xsd:int">10</value></item>
      </skusSeqId>
      <messageSeqId xsi:type="xsd:int">4</messageSeqId>
    </ns1:realtimeDespatchOrderFlowInventoryRequestManagementV1Update>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let admin: any
    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
      await configureOrderflow(api, admin)
    })
    const requests = () => orderflowService(getContainer()).listOrderflowRequests({}, { order: { created_at: "ASC" } })

    it("refuses anonymous and wrong credentials with 401 realm RTD and stores nothing", async () => {
      const body = inventoryMessage(1, [{ sku: "TEE-M", qty: 5, seq: 10 }])
      const anonymous = await api.post("/orderflow/inventory", body, { validateStatus: () => true })
      expect(anonymous.status).toBe(401)
      expect(anonymous.headers["www-authenticate"]).toBe('Basic realm="RTD"')
      const wrong = await api.post("/orderflow/inventory", body, inboundHeaders("application/json", basicAuth(INBOUND_USER, "guess")))
      expect(wrong.status).toBe(401)
      expect(wrong.data).toEqual({ message: "Invalid username or password" })
      const wrongUser = await api.post("/orderflow/inventory", body, inboundHeaders("application/json", basicAuth("root", INBOUND_PASSWORD)))
      expect(wrongUser.status).toBe(401)
      expect(await requests()).toEqual([])
    })

    it("stores a JSON message and acknowledges it by number", async () => {
      const res = await api.post("/orderflow/inventory", inventoryMessage(71, [{ sku: "00123", qty: 90, seq: 5 }]), inboundHeaders())
      expect(res.status).toBe(200)
      expect(res.data).toBe("Success - Message 71 Received")
      const [row] = await requests()
      expect(res.headers["x-orderflow-request-id"]).toBe(row.id)
      expect(row).toMatchObject({ type: "inventory", message_seq_id: 71, status: "pending", line_count: 1 })
      expect(row.dedupe_key).toMatch(/^inventory:71:[0-9a-f]{32}$/)
      expect(row.payload.lines[0]).toMatchObject({ sku: "00123", qty: 90, seq: 5 })
      expect(JSON.parse(row.body).productQtys[0].sku).toBe("00123")
    })

    it("accepts the SOAP envelope of the guide and answers in SOAP", async () => {
      const res = await api.post("/orderflow/inventory", SOAP_MESSAGE, inboundHeaders("text/xml"))
      expect(res.data).not.toMatch(/<error>/)
      expect(res.status).toBe(200)
      expect(res.headers["content-type"]).toMatch(/xml/)
      expect(res.data).toContain("Success - Message 4 Received")
      expect(res.data).toContain("Envelope")
      const [row] = await requests()
      expect(row.payload.lines).toEqual([{ index: 0, sku: "hdd000", qty: 0, seq: 10, source: null, lastOrderExported: null }])
    })

    it("accepts a secret API key as the Basic username", async () => {
      const { result } = await createApiKeysWorkflow(getContainer()).run({
        input: { api_keys: [{ title: "OrderFlow", type: "secret", created_by: "test" }] },
      })
      const token = result[0].token
      const res = await api.post("/orderflow/inventory", inventoryMessage(2, [{ sku: "A", qty: 1, seq: 1 }]), inboundHeaders("application/json", basicAuth(token, "")))
      expect(res.status).toBe(200)
      const revoked = await getContainer().resolve(Modules.API_KEY).revoke({ id: result[0].id }, { revoked_by: "test" })
      expect(revoked).toBeDefined()
    })

    it("acknowledges a re-delivery but records it as a duplicate, even when deliveries race", async () => {
      const body = inventoryMessage(9, [{ sku: "TEE-M", qty: 5, seq: 10 }])
      const results = await Promise.all(Array.from({ length: 6 }, () => api.post("/orderflow/inventory", body, inboundHeaders())))
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200])
      expect(new Set(results.map((r) => r.data))).toEqual(new Set(["Success - Message 9 Received"]))
      const rows = await requests()
      const pending = rows.filter((r: any) => r.status === "pending")
      const duplicates = rows.filter((r: any) => r.status === "duplicate")
      expect(pending).toHaveLength(1)
      expect(duplicates).toHaveLength(5)
      expect(new Set(duplicates.map((d: any) => d.duplicate_of_id))).toEqual(new Set([pending[0].id]))
    })

    it("keeps a message that reuses a messageSeqId with other figures (not a re-delivery)", async () => {
      await api.post("/orderflow/inventory", inventoryMessage(15, [{ sku: "A", qty: 1, seq: 1 }]), inboundHeaders())
      const second = await api.post("/orderflow/inventory", inventoryMessage(15, [{ sku: "A", qty: 2, seq: 2 }]), inboundHeaders())
      expect(second.status).toBe(200)
      expect(second.data).toBe("Success - Message 15 Received")
      const rows = await requests()
      expect(rows.map((r: any) => r.status)).toEqual(["pending", "pending"])
    })

    it.each([
      ["malformed JSON", "application/json", '{"productQtys": [', 400, /JSON/i],
      ["a DTD (billion laughs)", "application/xml", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><inventoryUpdate><messageSeqId>&lol2;</messageSeqId></inventoryUpdate>', 400, /DOCTYPE|DTD|entit/i],
      ["an external entity", "application/xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><inventoryUpdate><messageSeqId>&xxe;</messageSeqId></inventoryUpdate>', 400, /DOCTYPE|DTD|entit/i],
      ["a fractional quantity", "application/json", JSON.stringify(inventoryMessage(3, [{ sku: "A", qty: 1.5, seq: 1 }])), 400, /productQtys\[0\]\.qty/],
      ["a non-numeric quantity", "application/json", JSON.stringify({ productQtys: [{ sku: "A", qty: "abc" }], productSeqs: [{ sku: "A", seq: 1 }], messageSeqId: 3 }), 400, /qty/],
      ["a missing messageSeqId", "application/json", JSON.stringify({ productQtys: [{ sku: "A", qty: 1 }], productSeqs: [{ sku: "A", seq: 1 }] }), 400, /messageSeqId/],
      ["a quantity without sequence id", "application/json", JSON.stringify({ productQtys: [{ sku: "A", qty: 1 }], productSeqs: [], messageSeqId: 3 }), 400, /sequence/i],
      ["a numeric SKU", "application/json", JSON.stringify({ productQtys: [{ sku: 123, qty: 1 }], productSeqs: [{ sku: 123, seq: 1 }], messageSeqId: 3 }), 400, /sku/],
      ["an unsupported content type", "text/plain", "sku=A", 415, /content type|Content-Type/i],
    ])("rejects %s (sent as %s) with a clear error and stores nothing", async (_what, contentType, body, status, message) => {
      const res = await api.post("/orderflow/inventory", body, inboundHeaders(contentType as string))
      expect(res.status).toBe(status)
      const text = typeof res.data === "string" ? res.data : res.data.message
      expect(text).toMatch(message as RegExp)
      expect(await requests()).toEqual([])
    })

    it("refuses a 50 MB body and a 100,000-line message with the default limits", async () => {
      const huge = await api.post("/orderflow/inventory", "x".repeat(50 * 1024 * 1024), inboundHeaders())
      expect(huge.status).toBe(413)
      expect(huge.data.message).toMatch(/limit is 5242880 bytes/)
      const lines = Array.from({ length: 100_000 }, (_, i) => ({ sku: `S${i}`, qty: 1, seq: 1 }))
      const many = await api.post("/orderflow/inventory", inventoryMessage(6, lines), inboundHeaders())
      expect(many.status).toBe(413)
      expect(await requests()).toEqual([])
    })

    it("refuses a body over the limit with 413 and too many lines", async () => {
      await configureOrderflow(api, admin, { inbound: { maxBodyBytes: 10_000, maxLines: 50 } })
      const big = "x".repeat(20_000)
      const res = await api.post("/orderflow/inventory", JSON.stringify({ pad: big }), inboundHeaders())
      expect(res.status).toBe(413)
      const lines = Array.from({ length: 60 }, (_, i) => ({ sku: `S${i}`, qty: 1, seq: 1 }))
      const many = await api.post("/orderflow/inventory", inventoryMessage(5, lines), inboundHeaders())
      expect(many.status).toBe(413)
      expect(await requests()).toEqual([])
    })
  },
})
