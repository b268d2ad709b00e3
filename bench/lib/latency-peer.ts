// The OrderFlow side of bench/latency.ts, in its own process (forked with IPC) so that
// the store's busy event loop neither slows the offered push rate nor delays the
// observation of the levels: the simulator, the steady push driver, and an observer
// that polls Medusa's inventory levels with its own PostgreSQL connection.
// Messages: { id, call, args } → { id, result } or { id, error }.
import { startSimulator, type Simulator } from "orderflow-simulator"
import { Client } from "pg"

export type PeerStart = {
  storeUrl: string
  storeUser: string
  storePassword: string
  chunkSize: number
  pushConcurrency: number
  databaseUrl: string
  locationId: string
  products: Array<{ sku: string; stock: number }>
}
export type PeerRun = { rate: number; seconds: number; perMessage: number; skus: string[]; pollMs: number; drainTimeoutMs: number }
export type PeerMessage = {
  seqId: number
  /** When the driver changed the stock and queued the message (ms epoch). */
  tickAt: number
  /** The original copy's first send (ms epoch), NaN when never sent. */
  sentAt: number
  /** How long the store took to answer that send (ms). */
  ackMs: number
  delivered: boolean
  /** First poll answer in which every SKU of the message showed its figure or a later one. */
  shownAt?: number
}
export type PeerRunResult = { messages: PeerMessage[]; polls: number; pollMs: { p50: number; max: number }; tickSeconds: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)))

let sim: Simulator | undefined
let db: Client | undefined
let start: PeerStart

const calls: Record<string, (args: any) => Promise<unknown>> = {
  async start(args: PeerStart) {
    start = args
    sim = await startSimulator({
      port: 0,
      seed: 1,
      log: false,
      storeUrl: args.storeUrl,
      storeUser: args.storeUser,
      storePassword: args.storePassword,
      chunkSize: args.chunkSize,
      pushConcurrency: args.pushConcurrency,
    })
    sim.control.seed({ products: args.products.map((p) => ({ sku: p.sku, description: p.sku, stock: p.stock })) })
    db = new Client({ connectionString: args.databaseUrl, application_name: "latency-observer" })
    await db.connect()
    return { baseUrl: sim.baseUrl, url: sim.url }
  },

  /** An incremental push of everything changed since the last one; resolves when delivered. */
  async pushAll() {
    const out = await sim!.control.pushInventory({ mode: "incremental", wait: true, timeoutMs: 120_000 })
    return out.messages.map((m) => m.messageSeqId)
  },

  /**
   * Every 1/rate s: set the stock of the next perMessage SKUs (cycling through skus) to
   * 1000 + tick, so each SKU's figure only rises, and push them as one incremental
   * message. Meanwhile poll the levels every pollMs; stop when every message showed or
   * drainTimeoutMs after the last send.
   */
  async run(args: PeerRun): Promise<PeerRunResult> {
    const count = Math.round(args.rate * args.seconds)
    const interval = 1000 / args.rate
    const records: Array<PeerMessage & { expected: Map<string, number> }> = []
    const pending = new Set<(typeof records)[number]>()
    let sending = true
    let polls = 0
    const pollTimes: number[] = []
    const sql = `SELECT ii.sku, (il.stocked_quantity - il.reserved_quantity)::float8 AS available
                   FROM inventory_level il JOIN inventory_item ii ON ii.id = il.inventory_item_id
                  WHERE il.location_id = $1 AND il.deleted_at IS NULL AND ii.deleted_at IS NULL AND ii.sku = ANY($2)`
    const observer = (async () => {
      let stopAt = Infinity
      while (sending || pending.size) {
        if (!sending && stopAt === Infinity) stopAt = Date.now() + args.drainTimeoutMs
        if (Date.now() > stopAt) break
        const t0 = Date.now()
        const { rows } = await db!.query(sql, [start.locationId, args.skus])
        const at = Date.now()
        polls++
        pollTimes.push(at - t0)
        const levels = new Map<string, number>(rows.map((r: { sku: string; available: number }) => [r.sku, Number(r.available)]))
        for (const m of pending) {
          let shown = true
          for (const [sku, qty] of m.expected) {
            if ((levels.get(sku) ?? -Infinity) < qty) {
              shown = false
              break
            }
          }
          if (shown) {
            m.shownAt = at
            pending.delete(m)
          }
        }
        await sleep(args.pollMs - (Date.now() - t0))
      }
    })()

    const started = Date.now()
    for (let i = 0; i < count; i++) {
      await sleep(started + i * interval - Date.now())
      const first = (i * args.perMessage) % args.skus.length
      sim!.control.setStock(Array.from({ length: args.perMessage }, (_, k) => ({ sku: args.skus[(first + k) % args.skus.length], total: 1000 + i })))
      const tickAt = Date.now()
      const pushed = await sim!.control.pushInventory({ mode: "incremental" })
      for (const summary of pushed.messages) {
        const payload = sim!.pusher.messages.get(summary.messageSeqId)!.payload as { productQtys: Array<{ sku: string; qty: number }> }
        const m = { seqId: summary.messageSeqId, tickAt, sentAt: NaN, ackMs: NaN, delivered: false, expected: new Map(payload.productQtys.map((q) => [q.sku, q.qty])) }
        records.push(m)
        pending.add(m)
      }
    }
    const tickSeconds = (Date.now() - started) / 1000
    await sim!.pusher.waitFor(
      records.map((m) => m.seqId),
      120_000
    )
    sending = false
    await observer
    pollTimes.sort((a, b) => a - b)
    return {
      tickSeconds,
      polls,
      pollMs: { p50: pollTimes[Math.floor(pollTimes.length / 2)] ?? NaN, max: pollTimes[pollTimes.length - 1] ?? NaN },
      messages: records.map(({ expected: _expected, ...m }) => {
        const message = sim!.pusher.messages.get(m.seqId)!
        const send = message.sends.find((s) => s.copy === "original")
        return { ...m, sentAt: send ? Date.parse(send.at) : NaN, ackMs: send ? send.durationMs : NaN, delivered: message.status === "delivered" }
      }),
    }
  },

  /** The simulator's available figure at its default site, per SKU. */
  async available({ skus }: { skus: string[] }) {
    return Object.fromEntries(skus.map((s) => [s, sim!.control.product(s).stock.DEFAULT?.available ?? null]))
  },

  /** When the simulator received each order it holds (ms epoch), by externalReference. */
  async orders({ references }: { references: string[] }) {
    return Object.fromEntries(
      references.flatMap((r) => {
        const o = sim!.state.orders.get(r)
        return o ? [[r, new Date(o.receivedAt).getTime()]] : []
      })
    )
  },

  async importCalls() {
    return sim!.control.documents({ path: "remoteorder/imports", limit: 100_000 }).length
  },

  async close() {
    await sim?.close()
    await db?.end().catch(() => undefined)
    setImmediate(() => process.exit(0))
    return true
  },
}

process.on("message", async (msg: { id: number; call: string; args: unknown }) => {
  try {
    const result = await calls[msg.call](msg.args)
    process.send!({ id: msg.id, result })
  } catch (e) {
    process.send!({ id: msg.id, error: (e as Error).stack ?? String(e) })
  }
})
process.on("disconnect", () => process.exit(0))
