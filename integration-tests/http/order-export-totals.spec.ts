import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { seedDemoStore, SeededStore } from "../../scripts/demo/seed-store"
import { startSimulator, type Simulator } from "orderflow-simulator"
import { formatMoney, roundMoney } from "../../src/lib/order-export"
import { loadOrderFacts } from "../../src/workflows/export-orders/load-order-facts"
import { loginAsAdmin, waitFor } from "../helpers/admin"
import { configureOrderflow, orderflowService } from "../helpers/orderflow"
import { capturePayment, placeOrder, UK_ADDRESS, variantBySku } from "../helpers/store"

jest.setTimeout(240_000)

// The order export computes the document's totals itself from the orders'
// stored inputs (lib/order-export/order-totals.ts) instead of asking Query
// for them (issue 17). Here every exported figure is compared with what
// Medusa's order module computes for the same order (Query with totals):
// orders with line and shipping promotions, tax-inclusive and
// tax-exclusive prices and promotions, several tax lines, a credit line,
// returned-free quantities above 1, and GBP, EUR and JPY.

const SKUS = ["TEE-S", "TEE-M", "HOOD-M", "00123-MUG"]

type ItemSpec = { sku: string; quantity: number; price: number; inclusive?: boolean; rates?: number[]; discounts?: Array<{ amount: number; inclusive?: boolean }> }
type OrderSpec = {
  currency: string
  items: ItemSpec[]
  shipping?: { amount: number; inclusive?: boolean; rates?: number[]; discounts?: Array<{ amount: number; inclusive?: boolean }> }
  credit?: number
}

const ORDERS: OrderSpec[] = [
  // Tax-exclusive prices, a line promotion on a quantity of 3, free shipping by promotion.
  {
    currency: "gbp",
    items: [
      { sku: "TEE-M", quantity: 3, price: 20, rates: [20], discounts: [{ amount: 5 }] },
      { sku: "HOOD-M", quantity: 2, price: 45, rates: [20] },
    ],
    shipping: { amount: 4.95, rates: [20], discounts: [{ amount: 4.95 }] },
  },
  // Tax-inclusive prices with half cents of tax (9.99 incl. 20% = 1.665 tax), a tax-inclusive promotion, tax-inclusive shipping.
  {
    currency: "gbp",
    items: [
      { sku: "TEE-S", quantity: 1, price: 9.99, inclusive: true, rates: [20] },
      { sku: "00123-MUG", quantity: 3, price: 19.995, inclusive: true, rates: [20], discounts: [{ amount: 2.5, inclusive: true }] },
    ],
    shipping: { amount: 5.95, inclusive: true, rates: [20] },
  },
  // EUR: two tax lines on one item, prices of more than two decimals, a tax-inclusive shipping promotion.
  {
    currency: "eur",
    items: [
      { sku: "TEE-M", quantity: 7, price: 12.345, rates: [19] },
      { sku: "00123-MUG", quantity: 3, price: 8.333, rates: [5, 2.5], discounts: [{ amount: 1.11, inclusive: true }, { amount: 0.7 }] },
    ],
    shipping: { amount: 3.3333, rates: [19], discounts: [{ amount: 1, inclusive: true }] },
  },
  // JPY, tax-inclusive and exclusive items side by side.
  {
    currency: "jpy",
    items: [
      { sku: "HOOD-M", quantity: 2, price: 1234, inclusive: true, rates: [10] },
      { sku: "TEE-S", quantity: 1, price: 999, rates: [8], discounts: [{ amount: 100 }] },
    ],
    shipping: { amount: 500, inclusive: true, rates: [10] },
  },
  // No tax at all (no tax lines, a zero rate), a discount and a credit line.
  {
    currency: "gbp",
    items: [
      { sku: "TEE-M", quantity: 2, price: 15, rates: [], discounts: [{ amount: 3 }] },
      { sku: "HOOD-M", quantity: 1, price: 10, rates: [0] },
    ],
    shipping: { amount: 3.5, rates: [] },
    credit: 4.25,
  },
]

medusaIntegrationTestRunner({
  env: { ORDERFLOW_SCHEDULER_DISABLED: "true" },
  testSuite: ({ api, getContainer }) => {
    let seeded: SeededStore
    let admin: any
    let sim: Simulator

    beforeAll(async () => {
      sim = await startSimulator({ port: 0, user: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", seed: 17, log: false })
      seeded = await seedDemoStore(getContainer())
    })

    afterAll(async () => {
      await sim?.close()
    })

    beforeEach(async () => {
      admin = await loginAsAdmin(api, getContainer())
      sim.control.reset()
      sim.control.seed({ products: SKUS.map((sku) => ({ sku, description: sku, stock: 500 })) })
      await configureOrderflow(api, admin, {
        api: { endpoint: sim.baseUrl, username: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", timeoutSeconds: 5 },
        orderExport: { enabled: true, batchSize: 100 },
      })
    })

    const service = () => orderflowService(getContainer())
    const runExport = async () => {
      const res = await api.post("/admin/orderflow/operations/order_export/run", {}, admin)
      expect(res.data.run).toMatchObject({ ran: true, status: "success" })
      return res.data.run.summary
    }

    /** Medusa's own totals of these orders: Query asking the order module for them. */
    const medusaTotals = async (orderIds: string[]) => {
      const { data } = await getContainer()
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({
          entity: "order",
          fields: ["id", "display_id", "currency_code", "total", "tax_total", "shipping_total", "shipping_tax_total", "discount_total", "items.id", "items.total", "items.tax_total"],
          filters: { id: orderIds },
        })
      return data as any[]
    }

    /** The order import figures the document must carry for Medusa's totals: gross and tax in cents, net their difference. */
    const expectedFigures = (gross: number, tax: number) => {
      const g = roundMoney(Number(gross))
      const t = roundMoney(Number(tax))
      return { gross: formatMoney(g), tax: formatMoney(t), net: formatMoney(g - t) }
    }

    /** Compares every order, shipping and line figure OrderFlow received with Medusa's totals of the order; returns how many figures were compared. */
    const compareWithMedusa = (medusa: any[]) => {
      let compared = 0
      for (const order of medusa) {
        const received = sim.state.orders.get(String(order.display_id))
        expect(received).toBeDefined()
        const f = received!.fields
        const totals = expectedFigures(order.total, order.tax_total)
        const shipping = expectedFigures(order.shipping_total, order.shipping_tax_total)
        expect({ order: order.display_id, currency: f.currency, gross: f.totalPriceGross, tax: f.totalTax, net: f.totalPriceNet }).toEqual({
          order: order.display_id,
          currency: order.currency_code.toUpperCase(),
          ...totals,
        })
        expect({ order: order.display_id, gross: f.shippingPriceGross, tax: f.shippingTax, net: f.shippingPriceNet }).toEqual({ order: order.display_id, ...shipping })
        const lines = received!.shipments[0].lines
        expect(lines).toHaveLength(order.items.length)
        for (const item of order.items) {
          const line = lines.find((l) => l.thirdPartyReference === item.id)
          expect(line).toBeDefined()
          expect({ item: item.id, gross: line!.fields.totalPriceGross, tax: line!.fields.totalTax, net: line!.fields.totalPriceNet }).toEqual({
            item: item.id,
            ...expectedFigures(item.total, item.tax_total),
          })
          compared += 3
        }
        compared += 6
      }
      return compared
    }

    it("sends each order's, shipping's and line's net, gross and tax equal to Medusa's totals, for promotions, tax-inclusive prices, shipping tax, credit lines and three currencies", async () => {
      const container = getContainer()
      const variant = (sku: string) => {
        const product = seeded.products.find((p) => p.variants.some((v) => v.sku === sku))!
        return { variant_id: variantBySku(seeded, sku).id, product_id: product.id }
      }
      const adjustments = (discounts: ItemSpec["discounts"], code: string) =>
        (discounts ?? []).map((d, n) => ({ code: `${code}${n + 1}`, amount: d.amount, is_tax_inclusive: !!d.inclusive }))
      // Written through the order module (what createOrderWorkflow writes), with the tax lines and promotion adjustments given explicitly.
      const created = await container.resolve(Modules.ORDER).createOrders(
        ORDERS.map((o, n) => ({
          region_id: seeded.regionId,
          sales_channel_id: seeded.salesChannelId,
          currency_code: o.currency,
          email: `totals${n}@example.com`,
          status: "pending",
          shipping_address: UK_ADDRESS,
          billing_address: UK_ADDRESS,
          items: o.items.map((i) => ({
            title: i.sku,
            product_title: i.sku,
            ...variant(i.sku),
            variant_sku: i.sku,
            quantity: i.quantity,
            unit_price: i.price,
            is_tax_inclusive: !!i.inclusive,
            tax_lines: (i.rates ?? []).map((rate, r) => ({ code: `TAX${r + 1}`, rate, description: `${rate}%` })),
            adjustments: adjustments(i.discounts, "LINE"),
          })),
          shipping_methods: o.shipping
            ? [
                {
                  name: "Standard Delivery",
                  amount: o.shipping.amount,
                  is_tax_inclusive: !!o.shipping.inclusive,
                  shipping_option_id: seeded.shippingOptionIds[0],
                  tax_lines: (o.shipping.rates ?? []).map((rate, r) => ({ code: `TAX${r + 1}`, rate })),
                  adjustments: adjustments(o.shipping.discounts, "SHIP"),
                },
              ]
            : [],
          credit_lines: o.credit ? [{ amount: o.credit, reference: "store-credit", reference_id: `credit_${n}` }] : [],
        })) as any
      )
      const orderIds = created.map((o: any) => o.id as string)
      const medusa = await medusaTotals(orderIds)
      expect(medusa).toHaveLength(ORDERS.length)
      // The cases are real: Medusa sees the discounts, the credit line, tax-inclusive lines and shipping tax.
      expect(medusa.filter((o) => Number(o.discount_total) > 0)).toHaveLength(5)
      expect(medusa.filter((o) => Number(o.shipping_tax_total) > 0)).toHaveLength(3)
      expect(new Set(medusa.map((o) => o.currency_code))).toEqual(new Set(["gbp", "eur", "jpy"]))

      // The eligibility check compares the captured amount with the order total: it reads the same total as Medusa's.
      const eligibility = await loadOrderFacts(container, orderIds)
      for (const order of medusa) expect({ id: order.id, total: eligibility.orders.get(order.id)!.total }).toEqual({ id: order.id, total: Number(order.total) })

      // Queued as the events would queue them (their payments are not modelled: the export batch does not re-check them).
      await service().markExportPending(
        medusa.map((o) => ({ entity_type: "order", entity_id: o.id, reference: String(o.display_id) })),
        { now: new Date(), insertOnly: true }
      )
      const summary = await runExport()
      expect(summary).toMatchObject({ claimed: ORDERS.length, exported: ORDERS.length, failed: 0 })
      expect(compareWithMedusa(medusa)).toBe(ORDERS.length * 6 + ORDERS.reduce((n, o) => n + o.items.length * 3, 0))
    })

    it("sends a shopper's order with a promotion applied by Medusa, captured and queued by its event, with Medusa's totals", async () => {
      const promotion = await api.post(
        "/admin/promotions",
        {
          code: "TOTALS15",
          type: "standard",
          status: "active",
          application_method: { type: "percentage", target_type: "items", allocation: "across", value: 15, currency_code: "gbp" },
        },
        admin
      )
      expect(promotion.status).toBe(200)
      const order = await placeOrder(
        api,
        seeded,
        [
          { sku: "TEE-M", quantity: 3 },
          { sku: "00123-MUG", quantity: 2 },
        ],
        { promoCodes: ["TOTALS15"] }
      )
      await capturePayment(api, admin, order.id)
      // Queued only if the eligibility check found the captured amount to cover the total it computed.
      await waitFor(
        async () => ((await service().listOrderflowExportItems({ entity_type: "order", entity_id: order.id }))[0]?.status === "pending" ? true : null),
        { what: "order pending after capture" }
      )

      const medusa = await medusaTotals([order.id])
      expect(Number(medusa[0].discount_total)).toBeGreaterThan(0)
      expect(Number(medusa[0].tax_total)).toBeGreaterThan(0)
      const summary = await runExport()
      expect(summary).toMatchObject({ exported: 1, failed: 0 })
      expect(compareWithMedusa(medusa)).toBe(6 + 2 * 3)
    })
  },
})
