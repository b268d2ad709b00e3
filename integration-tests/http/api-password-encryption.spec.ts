import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { loginAsAdmin } from "../helpers/admin"
import { orderflowService } from "../helpers/orderflow"

jest.setTimeout(120_000)

const KEY = Buffer.alloc(32, 7).toString("base64")

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true", ORDERFLOW_SECRET_KEY: KEY },
  testSuite: ({ api, getContainer }) => {
    let admin: any
    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
    })

    it("stores the OrderFlow API password encrypted (enc:v1), uses it decrypted and never returns it", async () => {
      const res = await api.post("/admin/orderflow/settings", { api: { username: "medusa", password: "wms-pass-123" } }, admin)
      expect(res.data.settings.api).toMatchObject({ username: "medusa", passwordSet: true })
      const orderflow = orderflowService(getContainer())
      const [row] = await orderflow.listOrderflowSettings({ key: "api" })
      expect(row.value.password).toMatch(/^enc:v1:/)
      expect(JSON.stringify(row.value)).not.toContain("wms-pass-123")
      expect((await orderflow.getCurrentSettings()).settings.api.password).toBe("wms-pass-123")
      const shown = await api.get("/admin/orderflow/settings", admin)
      expect(JSON.stringify(shown.data)).not.toContain("wms-pass-123")
      expect(JSON.stringify(shown.data)).not.toContain("enc:v1")
    })

    it("reads a plain-text API password saved before encryption and encrypts it on the next save", async () => {
      const orderflow = orderflowService(getContainer())
      await orderflow.restoreStoredSettings({ api: { username: "medusa", password: "legacy-pass" } })
      expect((await orderflow.getCurrentSettings()).settings.api.password).toBe("legacy-pass")
      await api.post("/admin/orderflow/settings", { email: { adminName: "Ada" } }, admin)
      const [row] = await orderflow.listOrderflowSettings({ key: "api" })
      expect(row.value.password).toMatch(/^enc:v1:/)
      expect((await orderflow.getCurrentSettings()).settings.api.password).toBe("legacy-pass")
    })
  },
})
