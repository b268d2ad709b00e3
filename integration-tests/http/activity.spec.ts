import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type OrderflowModuleService from "../../src/modules/orderflow/service"
import { loginAsAdmin } from "../helpers/admin"

jest.setTimeout(120_000)

const HOUR = 3600_000
const hourOf = (t: Date) => new Date(Math.floor(t.getTime() / HOUR) * HOUR).toISOString()

type Bucket = { hour: string; exports_success: number; exports_failed: number; messages_processed: number; messages_failed: number }

// Issue 12 (admin): the overview page's chart, GET /admin/orderflow/activity.
medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let admin: any

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
    })

    const errorOf = (p: Promise<unknown>) => p.then(() => ({ status: 200, data: null as any }), (e: any) => e.response)

    it("counts calls to OrderFlow and processed messages in the hour they ended, leaves out other hours, duplicates and unprocessed messages", async () => {
      const orderflow: OrderflowModuleService = getContainer().resolve("orderflow")
      const now = new Date()
      const twoHoursAgo = new Date(now.getTime() - 2 * HOUR)
      const fiveHoursAgo = new Date(now.getTime() - 5 * HOUR)
      const thirtyHoursAgo = new Date(now.getTime() - 30 * HOUR)

      const [recentOk, , failedEarlier, partialEarlier, old] = await orderflow.createOrderflowExports([
        { operation: "product_export", status: "success" },
        { operation: "order_export", status: "success" },
        { operation: "order_export", status: "failed", error: "HTTP 503" },
        { operation: "product_export", status: "partial" },
        { operation: "product_export", status: "success" },
      ])
      // created_at is set by the database: backdate through the module's own update.
      await orderflow.updateOrderflowExports([
        { id: recentOk.id, created_at: now },
        { id: failedEarlier.id, created_at: twoHoursAgo },
        { id: partialEarlier.id, created_at: twoHoursAgo },
        { id: old.id, created_at: thirtyHoursAgo },
      ] as any)
      const message = (n: number, status: string, processed_at: Date | null) => ({
        type: "inventory" as const,
        dedupe_key: `inventory:${n}`,
        content_type: "application/json",
        body: "{}",
        received_at: processed_at ?? now,
        status: status as any,
        processed_at,
      })
      await orderflow.createOrderflowRequests([
        message(1, "processed", now),
        message(2, "processed", now),
        message(3, "processed_with_errors", twoHoursAgo),
        message(4, "failed", fiveHoursAgo),
        message(5, "resolved", fiveHoursAgo),
        message(6, "pending", null),
        { ...message(7, "duplicate", now), dedupe_key: "inventory:1" },
        message(8, "processed", thirtyHoursAgo),
      ])

      const res = await api.get("/admin/orderflow/activity", admin)
      expect(res.status).toBe(200)
      expect(res.data.hours).toBe(24)
      const buckets: Bucket[] = res.data.activity
      expect(buckets).toHaveLength(24)
      // Consecutive whole hours, oldest first, the last one the current hour.
      buckets.forEach((b, i) => {
        expect(new Date(b.hour).getTime() % HOUR).toBe(0)
        if (i) expect(new Date(b.hour).getTime() - new Date(buckets[i - 1].hour).getTime()).toBe(HOUR)
      })
      const last = new Date(buckets[23].hour).getTime()
      expect(last).toBeGreaterThanOrEqual(new Date(hourOf(now)).getTime())
      expect(last).toBeLessThanOrEqual(Date.now())

      const at = (t: Date) => buckets.find((b) => new Date(b.hour).toISOString() === hourOf(t))
      expect(at(now)).toEqual({ hour: expect.any(String), exports_success: 2, exports_failed: 0, messages_processed: 2, messages_failed: 0 })
      expect(at(twoHoursAgo)).toMatchObject({ exports_success: 0, exports_failed: 2, messages_processed: 0, messages_failed: 1 })
      expect(at(fiveHoursAgo)).toMatchObject({ exports_success: 0, exports_failed: 0, messages_processed: 0, messages_failed: 2 })
      expect(at(thirtyHoursAgo)).toBeUndefined()
      const total = (k: keyof Omit<Bucket, "hour">) => buckets.reduce((s, b) => s + b[k], 0)
      expect([total("exports_success"), total("exports_failed"), total("messages_processed"), total("messages_failed")]).toEqual([2, 2, 2, 3])

      // A wider window reaches the older rows.
      const week = await api.get("/admin/orderflow/activity?hours=48", admin)
      expect(week.data.activity).toHaveLength(48)
      expect(week.data.activity.find((b: Bucket) => new Date(b.hour).toISOString() === hourOf(thirtyHoursAgo))).toMatchObject({
        exports_success: 1,
        messages_processed: 1,
      })
    })

    it("refuses hours outside 1–168, non-whole numbers and unknown parameters with a 400 naming the problem", async () => {
      for (const [query, message] of [
        ["hours=0", "hours: hours must be at least 1"],
        ["hours=169", "hours: hours must be at most 168 (a week)"],
        ["hours=abc", "hours: hours must be a whole number of hours from 1 to 168"],
        ["hours=2.5", "hours: hours must be a whole number of hours from 1 to 168"],
      ]) {
        const res = await errorOf(api.get(`/admin/orderflow/activity?${query}`, admin))
        expect([query, res.status, res.data.message]).toEqual([query, 400, message])
      }
      const unknown = await errorOf(api.get("/admin/orderflow/activity?days=2", admin))
      expect(unknown.status).toBe(400)
      expect(unknown.data.message).toMatch(/days/)
      const one = await api.get("/admin/orderflow/activity?hours=1", admin)
      expect(one.data.activity).toHaveLength(1)
    })

    it("answers 401 without an admin session", async () => {
      const res = await errorOf(api.get("/admin/orderflow/activity"))
      expect(res.status).toBe(401)
    })
  },
})
