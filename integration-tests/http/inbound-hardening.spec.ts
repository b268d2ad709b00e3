import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { IApiKeyModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createApiKeysWorkflow } from "@medusajs/medusa/core-flows"
import { loginAsAdmin } from "../helpers/admin"
import { basicAuth, configureOrderflow, inboundHeaders, INBOUND_PASSWORD, INBOUND_USER, inventoryMessage, orderflowService } from "../helpers/orderflow"

jest.setTimeout(120_000)

/**
 * Issue 12, inbound hardening, over HTTP against the real store. Medusa
 * trusts one proxy hop, so each test sets its client address with
 * X-Forwarded-For (the guard's memory lives in the process across tests).
 */
medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true", ORDERFLOW_EVENT_PROCESSING_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let admin: any
    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
      await configureOrderflow(api, admin)
    })
    const requests = () => orderflowService(getContainer()).listOrderflowRequests({}, {})
    const push = (seq: number, auth: string, from: string) => {
      const options = inboundHeaders("application/json", auth)
      return api.post("/orderflow/inventory", inventoryMessage(seq, [{ sku: "A", qty: 1, seq }]), {
        ...options,
        headers: { ...options.headers, "x-forwarded-for": from },
      })
    }
    const right = basicAuth(INBOUND_USER, INBOUND_PASSWORD)

    it("refuses a revoked secret API key on the very next request", async () => {
      const { result } = await createApiKeysWorkflow(getContainer()).run({
        input: { api_keys: [{ title: "OrderFlow", type: "secret", created_by: "test" }] },
      })
      const key = basicAuth(result[0].token, "")
      expect((await push(1, key, "192.0.2.1")).status).toBe(200)
      expect((await push(2, key, "192.0.2.1")).status).toBe(200)
      const apiKeys: IApiKeyModuleService = getContainer().resolve(Modules.API_KEY)
      await apiKeys.revoke({ id: result[0].id }, { revoked_by: "test" })
      const after = await push(3, key, "192.0.2.1")
      expect(after.status).toBe(401)
      expect(after.data).toEqual({ message: "Invalid API key" })
      expect((await requests()).map((r: any) => r.message_seq_id).sort()).toEqual([1, 2])
    })

    it("refuses the old inbound password on the first request after it is changed, and accepts the new one", async () => {
      expect((await push(1, right, "192.0.2.2")).status).toBe(200)
      await configureOrderflow(api, admin, { inbound: { password: "new-secret" } })
      const old = await push(2, right, "192.0.2.2")
      expect(old.status).toBe(401)
      expect((await push(3, basicAuth(INBOUND_USER, "new-secret"), "192.0.2.2")).status).toBe(200)
      expect((await requests()).map((r: any) => r.message_seq_id).sort()).toEqual([1, 3])
    })

    it("accepts the previous password during a rotation until it is cleared, and never after its expiry", async () => {
      await configureOrderflow(api, admin, { inbound: { password: "next-secret", previousPassword: INBOUND_PASSWORD } })
      const settings = await api.get("/admin/orderflow/settings", admin)
      expect(settings.data.settings.inbound).toMatchObject({ passwordSet: true, previousPasswordSet: true, previousPasswordExpiresAt: null })
      expect(JSON.stringify(settings.data)).not.toContain(INBOUND_PASSWORD)
      expect((await push(1, right, "192.0.2.3")).status).toBe(200)
      expect((await push(2, basicAuth(INBOUND_USER, "next-secret"), "192.0.2.3")).status).toBe(200)

      await api.post("/admin/orderflow/settings", { inbound: { previousPasswordExpiresAt: "2000-01-01T00:00:00Z" } }, admin)
      expect((await push(3, right, "192.0.2.3")).status).toBe(401)

      await api.post("/admin/orderflow/settings", { inbound: { previousPasswordExpiresAt: null } }, admin)
      expect((await push(4, right, "192.0.2.3")).status).toBe(200)
      await api.post("/admin/orderflow/settings", { inbound: { previousPassword: null } }, admin)
      expect((await push(5, right, "192.0.2.3")).status).toBe(401)
      const after = await api.get("/admin/orderflow/settings", admin)
      expect(after.data.settings.inbound.previousPasswordSet).toBe(false)
      expect((await requests()).map((r: any) => r.message_seq_id).sort()).toEqual([1, 2, 4])
    })

    it("after 10 bad passwords answers 429 with Retry-After, and still serves OrderFlow's right password from the same address", async () => {
      // OrderFlow has pushed before (the store knows its password is right).
      expect((await push(1, right, "192.0.2.4")).status).toBe(200)
      const bad = basicAuth(INBOUND_USER, "guess")
      const statuses: number[] = []
      for (let i = 0; i < 10; i++) statuses.push((await push(100 + i, bad, "198.51.100.4")).status)
      expect(statuses).toEqual(Array(10).fill(401))
      const throttled = await push(200, bad, "198.51.100.4")
      expect(throttled.status).toBe(429)
      expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0)
      expect(Number(throttled.headers["retry-after"])).toBeLessThanOrEqual(60)
      expect(throttled.data.message).toMatch(/Too many failed logins/)
      expect((await push(2, right, "198.51.100.4")).status).toBe(200)
      // Another username from the same address is counted on its own.
      expect((await push(300, basicAuth("someone", "x"), "198.51.100.4")).status).toBe(401)
      expect((await requests()).map((r: any) => r.message_seq_id).sort()).toEqual([1, 2])
    })

    it("refuses an address outside inbound.allowedAddresses with 403 and stores nothing; an address inside is served", async () => {
      const saved = await api.post(
        "/admin/orderflow/settings",
        { inbound: { allowedAddresses: ["203.0.113.0/24", "2001:db8::/32"] } },
        admin
      )
      expect(saved.data.settings.inbound.allowedAddresses).toEqual(["203.0.113.0/24", "2001:db8::/32"])
      const outside = await push(1, right, "198.51.100.99")
      expect(outside.status).toBe(403)
      expect(outside.data.message).toMatch(/Address 198\.51\.100\.99 may not call the OrderFlow routes.*inbound\.allowedAddresses/)
      expect((await push(2, right, "203.0.113.50")).status).toBe(200)
      expect((await push(3, right, "2001:db8:1::5")).status).toBe(200)
      expect((await requests()).map((r: any) => r.message_seq_id).sort()).toEqual([2, 3])
    })

    it("rejects a malformed CIDR range in inbound.allowedAddresses with 400 naming it and saves nothing", async () => {
      const res = await api
        .post("/admin/orderflow/settings", { inbound: { allowedAddresses: ["10.0.0.0/8", "10.0.0.0/33"], username: "changed" } }, admin)
        .catch((e: any) => e.response)
      expect(res.status).toBe(400)
      expect(res.data.message).toMatch(/inbound\.allowedAddresses: "10\.0\.0\.0\/33" is not an IPv4 or IPv6 address or CIDR range/)
      const after = await api.get("/admin/orderflow/settings", admin)
      expect(after.data.settings.inbound).toMatchObject({ username: INBOUND_USER, allowedAddresses: [] })
    })
  },
})
