import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { startSimulator, Simulator } from "orderflow-simulator"
import { loginAsAdmin } from "../helpers/admin"

jest.setTimeout(120_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: { headers: Record<string, string> }
    let sim: Simulator

    beforeAll(async () => {
      sim = await startSimulator({ port: 0, user: "medusa", password: "wms-pass", organisation: "acme", channel: "web", log: false })
    })
    afterAll(async () => {
      await sim.close()
    })

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
    })

    it("requires an admin", async () => {
      const res = await api.get("/admin/orderflow/settings").catch((e: any) => e.response)
      expect(res.status).toBe(401)
    })

    it("returns the defaults with every operation disabled and no secrets", async () => {
      const res = await api.get("/admin/orderflow/settings", admin)
      expect(res.status).toBe(200)
      const s = res.data.settings
      expect(s.productExport).toEqual({
        enabled: false,
        cron: "*/5 * * * *",
        batchSize: 200,
        includeImage: false,
        placeholderImage: "",
        extendedFields: false,
      })
      expect(s.orderExport.enabled).toBe(false)
      expect(s.inventoryImport.enabled).toBe(false)
      expect(s.shipmentImport.enabled).toBe(false)
      expect(s.api.passwordSet).toBe(false)
      expect(s.api.password).toBeUndefined()
      expect(s.inbound.passwordSet).toBe(false)
      expect(res.data.inbound_urls.inventory).toMatch(/\/orderflow\/inventory$/)
    })

    it("saves a partial update, keeps secrets write-only and hashes the inbound password", async () => {
      const res = await api.post(
        "/admin/orderflow/settings",
        {
          api: { endpoint: "https://wms.example.com/acme", username: "medusa", password: "out-secret", organisation: "acme", channel: "web" },
          inbound: { username: "orderflow", password: "in-secret" },
          productExport: { enabled: true, batchSize: 150 },
        },
        admin
      )
      expect(res.status).toBe(200)
      expect(JSON.stringify(res.data)).not.toMatch(/out-secret|in-secret/)
      // What to enter in OrderFlow for each connector: the store's own URLs, the inbound user, never a password.
      const base = api.defaults.baseURL
      expect(res.data.connectors.map((c: any) => [c.connector, c.properties.map((p: any) => [p.property, p.value])])).toEqual([
        [
          "Magento 2 integration (SOAP)",
          [
            ["Magento 2 API SOAP base URL", `${base}/orderflow/soap/default`],
            ["Magento 2 API SOAP User", "orderflow"],
            ["Magento 2 API SOAP Password", "the inbound password (below)"],
          ],
        ],
        [
          "Magento (1) integration (SOAP API v2)",
          [
            ["Magento API URL", `${base}/orderflow/api/v2_soap/index/`],
            ["API user", "orderflow"],
            ["API key", "the inbound password (below)"],
          ],
        ],
        [
          "REST / XML push",
          [
            ["Inventory notification URL", `${base}/orderflow/inventory`],
            ["Shipment despatch URL", `${base}/orderflow/shipment`],
            ["HTTP Basic user", "orderflow"],
            ["HTTP Basic password", "the inbound password (below)"],
          ],
        ],
      ])
      expect(res.data.settings.api).toMatchObject({ endpoint: "https://wms.example.com/acme", passwordSet: true })
      expect(res.data.settings.productExport).toMatchObject({ enabled: true, batchSize: 150, cron: "*/5 * * * *" })

      const again = await api.get("/admin/orderflow/settings", admin)
      expect(again.data.settings.inbound).toMatchObject({ username: "orderflow", passwordSet: true })

      const orderflow: any = getContainer().resolve("orderflow")
      const [row] = await orderflow.listOrderflowSettings({ key: "inbound" })
      expect(row.value.password).toBeUndefined()
      expect(row.value.passwordHash).toMatch(/^scrypt\$/)
      expect(JSON.stringify(row.value)).not.toContain("in-secret")

      // An empty secret means "unchanged".
      await api.post("/admin/orderflow/settings", { api: { password: "" } }, admin)
      const current = await orderflow.getCurrentSettings()
      expect(current.settings.api.password).toBe("out-secret")
    })

    it.each([
      [{ productExport: { cron: "every five minutes" } }, /productExport\.cron: "every five minutes" must have 5 fields/],
      [{ orderExport: { batchSize: 0 } }, /batchSize.*too small|at least/],
      [{ inventoryImport: { batchSize: -5 } }, /batchSize.*too small|at least/],
      [{ api: { endpoint: "not a url" } }, /api\.endpoint: must be an http\(s\) URL/],
      [{ api: { favourite: "x" } }, /Unrecognized fields: 'favourite'/],
      [{ orderExport: { enabled: true } }, /orderExport\.enabled: requires api\.endpoint, api\.username, api\.password, api\.channel/],
    ])("rejects %j with a clear message and saves nothing", async (body, message) => {
      const res = await api.post("/admin/orderflow/settings", body, admin).catch((e: any) => e.response)
      expect(res.status).toBe(400)
      expect(res.data.message).toMatch(message)
      const after = await api.get("/admin/orderflow/settings", admin)
      expect(after.data.settings.orderExport.batchSize).toBe(100)
      expect(after.data.settings.productExport.cron).toBe("*/5 * * * *")
      expect(after.data.settings.api.endpoint).toBe("")
    })

    it("tests the connection against OrderFlow with saved and unsaved values", async () => {
      await api.post(
        "/admin/orderflow/settings",
        { api: { endpoint: sim.baseUrl, username: "medusa", password: "wms-pass", organisation: "acme", channel: "web" } },
        admin
      )
      const ok = await api.post("/admin/orderflow/settings/test", {}, admin)
      expect(ok.data.result).toMatchObject({ ok: true, status: 200 })
      const wrong = await api.post("/admin/orderflow/settings/test", { api: { password: "nope" } }, admin)
      expect(wrong.data.result).toMatchObject({ ok: false, status: 401 })
      expect(wrong.data.result.message).toMatch(/refused the username or password/)
      const lost = await api.post("/admin/orderflow/settings/test", { api: { endpoint: `${sim.url}/nowhere` } }, admin)
      expect(lost.data.result.ok).toBe(false)
      const down = await api.post("/admin/orderflow/settings/test", { api: { endpoint: "http://127.0.0.1:9" } }, admin)
      expect(down.data.result).toMatchObject({ ok: false, status: null })
      expect(down.data.result.message).toMatch(/network error/)
      // The saved password was not replaced by the test.
      const orderflow: any = getContainer().resolve("orderflow")
      expect((await orderflow.getCurrentSettings()).settings.api.password).toBe("wms-pass")
      const docs = sim.control.documents({ path: "/remotewarehouse/imports/importitems.xml" })
      expect(JSON.stringify(docs)).toContain("acme")
    })
  },
})
