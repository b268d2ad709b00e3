import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    it("boots the store with the orderflow module", async () => {
      const res = await api.get("/health")
      expect(res.status).toEqual(200)
      const svc: any = getContainer().resolve("orderflow")
      const [rows, count] = await svc.listAndCountOrderflowSettings({})
      expect(count).toBe(0)
      expect(rows).toEqual([])
    })
  },
})
