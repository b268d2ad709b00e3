// The four flows, driven as people and the warehouse would: a merchant edits
// and creates products in the admin, shoppers place orders through the store
// API and the merchant captures their payment, the warehouse changes stock
// (the simulator pushes it) and despatches the orders it holds (in parcels,
// sometimes in part). Everything goes through the public APIs.
import { sleep } from "./procs.mjs"

const UK_ADDRESS = {
  first_name: "Cluster",
  last_name: "Shopper",
  address_1: "Granvilla",
  address_2: "Melton Hill",
  city: "Woodbridge",
  province: "Suffolk",
  postal_code: "IP12 1AX",
  country_code: "gb",
  phone: "01394 384181",
}

/** mulberry32: the driver's choices replay from CLUSTER_SEED (timing still varies). */
export function prng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  }
}

export class Flows {
  /**
   * @param {object} deps
   * deps.admin, deps.store: API clients; deps.sim: simulator control client;
   * deps.seeded: what scripts/cluster/seed.ts created; deps.rng; deps.log;
   * deps.runId: makes SKUs and tracking numbers of this run unique.
   */
  constructor(deps) {
    Object.assign(this, deps)
    this.stopped = false
    this.orders = [] // { id, display_id, items: [{sku, quantity}], wantPaid, captured }
    this.newProducts = [] // { id, skus }
    this.newSkusInSim = new Set()
    this.simTotals = new Map() // sku -> last known total
    this.despatches = [] // what the warehouse despatched
    this.counts = { orders: 0, unpaid: 0, captures: 0, productUpdates: 0, variantUpdates: 0, productsCreated: 0, stockChanges: 0, despatches: 0, partial: 0, multiParcel: 0, drained: 0 }
    this.errors = {} // flow -> count
    this.lastErrors = {} // flow -> message
    this.variants = this.seeded.products.flatMap((p) => p.variants.filter((v) => v.manageInventory).map((v) => ({ ...v, productId: p.id })))
    this.trackingSeq = 0
  }

  async loop(name, intervalMs, fn) {
    while (!this.stopped) {
      try {
        await fn()
      } catch (e) {
        this.errors[name] = (this.errors[name] ?? 0) + 1
        this.lastErrors[name] = e.message
        this.log(`${name}: ${e.message.split("\n")[0].slice(0, 300)}`)
      }
      // Pacing of the load, not a wait for a result.
      const pause = Math.round(intervalMs * (0.5 + this.rng.next()))
      const until = Date.now() + pause
      while (!this.stopped && Date.now() < until) await sleep(Math.min(250, until - Date.now()))
    }
  }

  /** Runs every flow until stop(); resolves when each has finished its current step. */
  start() {
    this.running = Promise.all([
      this.loop("orders", 2500, () => this.placeOrder()),
      this.loop("products", 4000, () => this.changeProducts()),
      this.loop("stock", 1500, () => this.changeStock()),
      this.loop("despatch", 3000, () => this.despatch()),
    ])
  }

  async stop() {
    this.stopped = true
    await this.running
  }

  // ---- paid (and some unpaid) orders -------------------------------------------------------

  async placeOrder() {
    const lines = []
    const count = this.rng.int(1, 3)
    while (lines.length < count) {
      const v = this.rng.pick(this.variants)
      if (!lines.some((l) => l.variant.id === v.id)) lines.push({ variant: v, quantity: this.rng.int(1, 3) })
    }
    // About one order in six is never paid: it stays in Medusa, reserving stock
    // OrderFlow does not know of (what adjustInventory "unsent_orders" is for).
    const wantPaid = !this.rng.chance(1 / 6)
    const s = this.seeded
    const { cart } = await this.store.post("/store/carts", {
      json: {
        region_id: s.regionId,
        sales_channel_id: s.salesChannelId,
        email: `shopper${this.counts.orders + 1}@cluster.test`,
        shipping_address: UK_ADDRESS,
        billing_address: UK_ADDRESS,
        items: lines.map((l) => ({ variant_id: l.variant.id, quantity: l.quantity })),
      },
    })
    await this.store.post(`/store/carts/${cart.id}/shipping-methods`, { json: { option_id: this.rng.pick(s.shippingOptionIds) } })
    const { payment_collection } = await this.store.post("/store/payment-collections", { json: { cart_id: cart.id } })
    await this.store.post(`/store/payment-collections/${payment_collection.id}/payment-sessions`, { json: { provider_id: "pp_system_default" } })
    const done = await this.store.post(`/store/carts/${cart.id}/complete`, { json: {} })
    if (done.type !== "order") throw new Error(`cart ${cart.id} did not complete: ${JSON.stringify(done.error ?? done).slice(0, 300)}`)
    const order = { id: done.order.id, display_id: done.order.display_id, items: lines.map((l) => ({ sku: l.variant.sku, quantity: l.quantity })), wantPaid, captured: false }
    this.orders.push(order)
    this.counts.orders++
    if (!wantPaid) {
      this.counts.unpaid++
      return
    }
    const { order: withPayments } = await this.admin.get(`/admin/orders/${order.id}?fields=id,*payment_collections,*payment_collections.payments`)
    const payment = withPayments.payment_collections[0].payments[0]
    await this.admin.post(`/admin/payments/${payment.id}/capture`, { json: {} })
    order.captured = true
    this.counts.captures++
  }

  // ---- product changes -----------------------------------------------------------------------

  async changeProducts() {
    const roll = this.rng.next()
    if (roll < 0.2 && this.newProducts.length < 6) return this.createProduct()
    if (roll < 0.6) {
      const p = this.rng.pick(this.seeded.products)
      const n = ++this.counts.productUpdates
      await this.admin.post(`/admin/products/${p.id}`, { json: { title: `Cluster Product ${p.handle.slice(-2)} r${n}` } })
      return
    }
    const v = this.rng.pick(this.variants)
    const n = ++this.counts.variantUpdates
    await this.admin.post(`/admin/products/${v.productId}/variants/${v.id}`, { json: { title: `Size ${v.sku.slice(-1)} r${n}` } })
  }

  async createProduct() {
    const n = String(this.newProducts.length + 1).padStart(2, "0")
    const sizes = this.newProducts.length % 2 ? ["A", "B"] : ["A"]
    const skus = sizes.map((s) => `CN${this.runId}-${n}-${s}`)
    const { product } = await this.admin.post("/admin/products", {
      json: {
        title: `Cluster New ${n}`,
        status: "published",
        shipping_profile_id: this.seeded.shippingProfileId,
        sales_channels: [{ id: this.seeded.salesChannelId }],
        options: [{ title: "Size", values: sizes }],
        variants: sizes.map((s, i) => ({
          title: `Size ${s}`,
          sku: skus[i],
          manage_inventory: true,
          options: { Size: s },
          prices: [{ currency_code: "gbp", amount: 15 + i }],
        })),
      },
    })
    this.newProducts.push({ id: product.id, skus })
    this.counts.productsCreated++
  }

  // ---- the warehouse changes stock; the simulator pushes it ---------------------------------

  async changeStock() {
    // SKUs created during the run join once product export has delivered them.
    for (const p of this.newProducts) {
      for (const sku of p.skus) {
        if (this.newSkusInSim.has(sku)) continue
        const found = await this.sim.get(`/_sim/products?sku=${encodeURIComponent(sku)}&limit=1`)
        if (found.products.some((x) => x.externalReference === sku)) {
          this.newSkusInSim.add(sku)
          // Goods arrive for the new product.
          const [record] = await this.sim.post("/_sim/stock", { json: { sku, total: 120, mode: "set" } })
          this.simTotals.set(sku, record.total)
          this.counts.stockChanges++
        }
      }
    }
    const skus = [...this.variants.map((v) => v.sku), ...this.newSkusInSim]
    const sku = this.rng.pick(skus)
    const total = this.simTotals.get(sku) ?? 400
    let delta = this.rng.int(1, 6) * (this.rng.chance(0.5) ? 1 : -1)
    if (total + delta < 150) delta = Math.abs(delta)
    if (total + delta > 600) delta = -Math.abs(delta)
    const [record] = await this.sim.post("/_sim/stock", { json: { sku, total: delta, mode: "adjust" } })
    this.simTotals.set(sku, record.total)
    this.counts.stockChanges++
  }

  // ---- the warehouse despatches what it holds ------------------------------------------------

  async despatch() {
    const { shipments } = await this.sim.get("/_sim/shipments?state=allocated")
    // A few seconds of "picking": the warehouse despatches what it has held for a while.
    const ready = shipments.filter((s) => Date.now() - Date.parse(s.createdAt) > 10_000)
    if (!ready.length) return
    await this.despatchShipment(this.rng.pick(ready))
  }

  /**
   * After the load: the warehouse works through its backlog, despatching
   * every shipment it holds (each in full, remainders of partial despatches
   * included). Returns how many are still waiting for stock or picking.
   */
  async drain() {
    const { shipments } = await this.sim.get("/_sim/shipments?state=allocated")
    const ready = shipments.filter((s) => Date.now() - Date.parse(s.createdAt) > 10_000)
    for (const shipment of ready) await this.despatchShipment(shipment, { full: true })
    const { shipments: left } = await this.sim.get("/_sim/shipments")
    return left.filter((s) => !["despatched", "cancelled"].includes(s.state)).length
  }

  async despatchShipment(shipment, { full = false } = {}) {
    const body = {
      orderReference: shipment.orderReference,
      shipmentReference: shipment.reference,
      courierName: "royalmail",
      serviceName: "TPN01",
      push: true,
    }
    const roll = full ? 1 : this.rng.next()
    const units = shipment.lines.reduce((n, l) => n + l.quantity, 0)
    if (roll < 0.3 && units > 1) {
      // Part of the shipment now, the rest later (a new shipment in the warehouse).
      const line = shipment.lines.find((l) => l.quantity > 1) ?? shipment.lines[0]
      body.lines = [{ sku: line.product, qty: line.quantity > 1 ? Math.floor(line.quantity / 2) : line.quantity }]
      body.trackingNumbers = [this.trackingNumber()]
      this.counts.partial++
    } else if (roll < 0.55) {
      body.trackingNumbers = [this.trackingNumber(), this.trackingNumber()]
      this.counts.multiParcel++
    } else {
      body.trackingNumbers = [this.trackingNumber()]
    }
    const result = await this.sim.post("/_sim/despatch", { json: body })
    this.despatches.push({ orderReference: shipment.orderReference, messageSeqId: result.message?.messageSeqId, lines: body.lines ?? null })
    this.counts[full ? "drained" : "despatches"]++
  }

  trackingNumber() {
    this.trackingSeq++
    return `TT${this.runId}-${String(this.trackingSeq).padStart(4, "0")}`
  }
}
