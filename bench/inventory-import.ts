// Inventory import benchmarks (issues 6 and 17):
//  1. intake: messages of 200 SKUs posted with concurrency 16 for 20 s (autocannon):
//     acknowledged messages/s, p50/p99 latency. Target >= 200 msg/s, p99 < 250 ms.
//  2. apply: a full stock push of 20,000 SKUs in 100 messages from the simulator,
//     processed by the inventory_import operation (one run, GROUP_LINES lines per
//     level write, one group after the other): lines/s, queries per line, peak RSS;
//     and, in the same run on the same 20,000 levels at the same batch size and
//     concurrency, the floors: the inventory module's own bulk write
//     (updateInventoryLevels) and Medusa's batchInventoryItemLevelsWorkflow.
//     Target: >= 0.9x the module's bulk write.
//  3. flat cost (`--skus 200000`, or `npm run bench -- inventory-import-200k`): after
//     part 2, the store grows to 200,000 SKUs (items and levels through the inventory
//     module in bulk chunks; the plugin's applied sequence ids and import history for
//     them through its own module), the same 20,000 SKUs are pushed again with new
//     figures and applied the same way: per-line apply time at 200k against 20k
//     (target within +-20%), and EXPLAIN (ANALYZE) of every read the plan makes for
//     a group of GROUP_LINES lines (stale check, levels, and the unsent-order reads,
//     with a few orders and their reservations made through Medusa's modules).
//     Parts 1's batch workflow floor and the intake run only in the default mode.
// Run: npx tsx bench/inventory-import.ts [--skus 200000]   (or npm run bench)
process.env.LOG_LEVEL ??= "error"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { batchInventoryItemLevelsWorkflow, createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import autocannon from "autocannon"
import { performance } from "node:perf_hooks"
import { Client } from "pg"
import { startSimulator } from "orderflow-simulator"
import { bootStore, drainOperation, fmt, rssSampler } from "./lib/boot-store"
import { startCpuProfile } from "./lib/cpu-profile"
import { reportRow } from "./lib/report"

const SKU_COUNT = Number(process.env.BENCH_SKUS ?? 20_000)
const skusFlag = process.argv.indexOf("--skus")
/** The store's size for the flat-cost part (3); null: part 3 is skipped. */
const GROWN_SKUS = skusFlag >= 0 ? Number(process.argv[skusFlag + 1]) : Number(process.env.BENCH_INVENTORY_SKUS ?? 0) || null
if (GROWN_SKUS !== null && !(Number.isInteger(GROWN_SKUS) && GROWN_SKUS > SKU_COUNT)) throw new Error(`--skus must be an integer above ${SKU_COUNT}`)
const PER_MESSAGE = 200
const USER = "orderflow"
const PASSWORD = "bench-secret"
const sku = (i: number) => `SIM-${String(i + 1).padStart(5, "0")}`

/**
 * A plan's lines, with the nodes repeated per value of a long IN/OR list (a
 * 5,000-arm BitmapOr) shown twice and then counted: a line whose shape (text
 * without figures and literals) occurs more than 20 times is shown twice.
 */
const condensePlan = (rows: string[]) => {
  const shape = (l: string) => l.replace(/'[^']*'/g, "'…'").replace(/[\d.]+/g, "#")
  const counts = new Map<string, number>()
  for (const l of rows) counts.set(shape(l), (counts.get(shape(l)) ?? 0) + 1)
  const shown = new Map<string, number>()
  const out: string[] = []
  for (const l of rows) {
    const k = shape(l)
    const n = (shown.get(k) ?? 0) + 1
    shown.set(k, n)
    if ((counts.get(k) ?? 0) > 20 && n > 2) continue
    out.push(`     ${l.length > 220 ? `${l.slice(0, 220)}…` : l}`)
  }
  const hidden = [...counts].filter(([, n]) => n > 20)
  for (const [k, n] of hidden) out.push(`     (… ${n - 2} more lines like "${k.trim().slice(0, 80)}")`)
  return out.join("\n")
}

/** Orders with a reservation made for the plans of part 3. */
const ORDERS = 500

async function main() {
  process.stdout.write(`inventory import benchmark: ${fmt(SKU_COUNT)} SKUs, ${PER_MESSAGE} per message\n`)
  // Only the drain below applies the push (no event-started runs racing the floors).
  const store = await bootStore("inventory", { ORDERFLOW_EVENT_PROCESSING_DISABLED: "true" })
  // Loaded once the store is up, as the store loads it.
  const { GROUP_LINES } = await import("../src/workflows/import-inventory/inventory-import-operation")
  const c = store.container
  const inventory = c.resolve(Modules.INVENTORY)
  const orderflow = c.resolve("orderflow")
  const {
    result: [location],
  } = await createStockLocationsWorkflow(c).run({ input: { locations: [{ name: "Bench warehouse" }] } })
  let t = performance.now()
  const itemIds: string[] = []
  for (let i = 0; i < SKU_COUNT; i += 1000) {
    const items = await inventory.createInventoryItems(
      Array.from({ length: Math.min(1000, SKU_COUNT - i) }, (_, k) => ({ sku: sku(i + k), title: sku(i + k) }))
    )
    await inventory.createInventoryLevels(items.map((it: any) => ({ inventory_item_id: it.id, location_id: location.id, stocked_quantity: 0 })))
    itemIds.push(...items.map((it: any) => it.id))
  }
  process.stdout.write(`  seeded ${fmt(SKU_COUNT)} inventory items with levels in ${((performance.now() - t) / 1000).toFixed(1)} s\n`)
  if (GROWN_SKUS !== null) await seedOrders()
  await orderflow.updateSettings({
    inbound: { username: USER, password: PASSWORD },
    inventoryImport: { enabled: true, batchSize: 100, defaultLocationId: location.id },
  })
  const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`

  // ---- 1. apply -----------------------------------------------------------------------------
  const sim = await startSimulator({
    port: 0,
    storeUrl: store.url,
    storeUser: USER,
    storePassword: PASSWORD,
    chunkSize: PER_MESSAGE,
    pushConcurrency: 4,
    seed: 1,
    log: false,
  })
  sim.control.seed({ generate: { count: SKU_COUNT, prefix: "SIM-", stock: [0, 500] } })
  t = performance.now()
  const pushed = await sim.control.pushInventory({ mode: "full", wait: true, timeoutMs: 600_000 })
  const pushSeconds = (performance.now() - t) / 1000
  const delivered = pushed.messages.filter((m) => m.status === "delivered").length
  process.stdout.write(`  full push delivered: ${delivered}/${pushed.messages.length} messages in ${pushSeconds.toFixed(1)} s\n`)

  // The plugin writes GROUP_LINES lines per call of the inventory module (one
  // run claims the whole push: batchSize 100 messages), one group after the
  // other. The floors do the same writes at the same batch size, serially too,
  // on the same 20,000 levels, in this process: Medusa's inventory module
  // (updateInventoryLevels, the bulk write itself) and Medusa's
  // batchInventoryItemLevelsWorkflow (the module write plus its before-image
  // read, events and compensation). The module floor runs before and after the
  // plugin, after an unmeasured warm-up pass; the figure is the mean of the two
  // rates (the plugin's run sits between them, so a load that drifts during
  // the run weighs on both sides alike).
  const floorModule = async (label: string, base: number) => {
    const r = rssSampler()
    store.queries.reset()
    const t0 = performance.now()
    for (let i = 0; i < itemIds.length; i += GROUP_LINES) {
      await inventory.updateInventoryLevels(
        itemIds.slice(i, i + GROUP_LINES).map((id, k) => ({ inventory_item_id: id, location_id: location.id, stocked_quantity: base + k }))
      )
    }
    const seconds = (performance.now() - t0) / 1000
    const out = { seconds, rate: itemIds.length / seconds, queriesPerLine: store.queries.count / itemIds.length, peakMb: r.stop().peakMb }
    process.stdout.write(
      `  floor ${label} (inventory module updateInventoryLevels, ${fmt(GROUP_LINES)} per call, serial): ${fmt(itemIds.length)} levels in ${seconds.toFixed(2)} s = ` +
        `${fmt(out.rate)} lines/s, ${fmt(out.queriesPerLine, 3)} queries per line, peak RSS ${fmt(out.peakMb)} MB\n`
    )
    return out
  }
  await floorModule("A0 (warm-up, not counted)", 500)
  const moduleBefore = await floorModule("A1", 1000)

  // Where the plugin's time goes: its calls of the locking, inventory and own
  // module services, timed by wrappers (behaviour unchanged) during the apply only.
  const applyPush = async (label: string) => {
    const spans = new Map<string, { calls: number; ms: number }>()
    const unwrap: Array<() => void> = []
    const time = (service: any, method: string, spanLabel: string) => {
      const original = service[method]
      service[method] = async function (...args: any[]) {
        const t0 = performance.now()
        try {
          return await original.apply(service, args)
        } finally {
          const span = spans.get(spanLabel) ?? { calls: 0, ms: 0 }
          span.calls++
          span.ms += performance.now() - t0
          spans.set(spanLabel, span)
        }
      }
      unwrap.push(() => (service[method] = original))
    }
    time(c.resolve(Modules.LOCKING), "acquire", "locking.acquire (stock locks)")
    time(c.resolve(Modules.LOCKING), "release", "locking.release")
    time(inventory, "listInventoryItems", "inventory.listInventoryItems (plan; the next group's, concurrent with the current group)")
    time(inventory, "listInventoryLevels", "inventory.listInventoryLevels")
    time(inventory, "listReservationItems", "inventory.listReservationItems (plan)")
    time(inventory, "updateInventoryLevels", "inventory.updateInventoryLevels (the write)")
    time(inventory, "createInventoryLevels", "inventory.createInventoryLevels")
    time(orderflow, "claimRequests", "orderflow.claimRequests")
    const eventBus = c.resolve(Modules.EVENT_BUS)
    time(eventBus, "emit", "eventBus.emit (inventory-level events, grouped)")
    time(eventBus, "releaseGroupedEvents", "eventBus.releaseGroupedEvents")
    time(orderflow, "getInventorySequences", "orderflow.getInventorySequences (plan, concurrent with the levels read)")
    time(orderflow, "recordImports", "orderflow.recordImports (imports, lines, sequences, requests)")
    time(orderflow.history_, "recordImports", "  of which: import reports and lines")
    time(orderflow.sequences_, "advance", "  of which: sequence ids")
    time(orderflow.inboundQueue_, "settleProcessed", "  of which: requests marked processed")
    const rss = rssSampler()
    store.queries.reset()
    // BENCH_CPU_PROFILE=1: where the store's CPU goes during the apply (own time by package).
    const cpuProfile = await startCpuProfile("inventory-import")
    const t0 = performance.now()
    const drained = await drainOperation(c, "inventory_import")
    for (const line of await cpuProfile.stop()) process.stdout.write(`  ${line}\n`)
    const applied = drained.applied ?? 0
    const processed = drained.processed ?? 0
    const seconds = (performance.now() - t0) / 1000
    const queries = store.queries.count
    const mem = rss.stop()
    for (const u of unwrap) u()
    process.stdout.write(
      `  plugin apply ${label} (inventory_import, ${fmt(GROUP_LINES)} lines per level write, serial): ${fmt(applied)} lines applied from ${processed} messages in ${seconds.toFixed(2)} s = ${fmt(applied / seconds)} lines/s ` +
        `(${fmt((1000 * seconds) / Math.max(1, applied), 3)} ms per line), ${fmt(queries / Math.max(1, applied), 3)} queries per line (${fmt(queries / Math.max(1, processed), 1)} per message), ` +
        `peak RSS ${fmt(mem.peakMb)} MB (growth ${fmt(mem.growthMb)} MB)\n`
    )
    // The "of which" spans are inside recordImports, the sequence read runs
    // while the levels are read, and the items of group n+1 are read while
    // group n runs (only the first group's is on the path, counted in the
    // rest): each counted once.
    const accounted = [...spans].filter(([l]) => !l.trimStart().startsWith("of which") && !l.includes("concurrent")).reduce((a, [, x]) => a + x.ms, 0)
    for (const [l, x] of [...spans].sort((a, b) => b[1].ms - a[1].ms)) {
      process.stdout.write(`    ${l.padEnd(64)} ${String(x.calls).padStart(6)} calls, ${fmt(x.ms)} ms (${fmt((100 * x.ms) / (seconds * 1000))}% of the apply)\n`)
    }
    process.stdout.write(`    ${"the rest (workflow engine, planning, events, serialisation)".padEnd(64)} ${fmt(seconds * 1000 - accounted)} ms\n`)
    if (applied !== SKU_COUNT) throw new Error(`expected ${SKU_COUNT} lines applied, got ${applied}`)
    // The same comparison within the plugin's own run, immune to the load drifting
    // between runs: the share of the apply spent in the module's write itself.
    const writeShare = (spans.get("inventory.updateInventoryLevels (the write)")?.ms ?? 0) / (seconds * 1000)
    process.stdout.write(`  the module's write took ${fmt(100 * writeShare)}% of the plugin's apply (1.00x the module would be 100%)\n`)
    return { seconds, applied, rate: applied / seconds, msPerLine: (1000 * seconds) / applied, queriesPerLine: queries / Math.max(1, applied), peakMb: mem.peakMb, writeShare }
  }
  const apply20k = await applyPush(`at ${fmt(SKU_COUNT)} SKUs`)
  const applyRate = apply20k.rate
  const writeShare = apply20k.writeShare
  const mem = { peakMb: apply20k.peakMb }
  const applyQueriesPerLine = apply20k.queriesPerLine

  let workflowRate: number | null = null
  let workflowQueries: number | null = null
  if (GROWN_SKUS === null) {
    const wr = rssSampler()
    store.queries.reset()
    t = performance.now()
    for (let i = 0; i < itemIds.length; i += GROUP_LINES) {
      await batchInventoryItemLevelsWorkflow(c).run({
        input: {
          update: itemIds.slice(i, i + GROUP_LINES).map((id, k) => ({ inventory_item_id: id, location_id: location.id, stocked_quantity: 2000 + k })),
        },
      })
    }
    const workflowSeconds = (performance.now() - t) / 1000
    workflowRate = itemIds.length / workflowSeconds
    workflowQueries = store.queries.count / itemIds.length
    const workflowMem = wr.stop()
    process.stdout.write(
      `  floor B (batchInventoryItemLevelsWorkflow, ${fmt(GROUP_LINES)} per call, serial): ${fmt(itemIds.length)} levels in ${workflowSeconds.toFixed(2)} s = ` +
        `${fmt(workflowRate)} lines/s, ${fmt(workflowQueries, 3)} queries per line, peak RSS ${fmt(workflowMem.peakMb)} MB\n`
    )
  }
  const moduleAfter = await floorModule("A2", 3000)
  const moduleFloor = {
    rate: (moduleBefore.rate + moduleAfter.rate) / 2,
    queriesPerLine: (moduleBefore.queriesPerLine + moduleAfter.queriesPerLine) / 2,
  }
  process.stdout.write(
    `  ratio plugin/module floor: ${(applyRate / moduleFloor.rate).toFixed(2)}x (target >= 0.9x)` +
      (workflowRate ? `; plugin/workflow floor: ${(applyRate / workflowRate).toFixed(2)}x` : "") +
      "\n"
  )
  const measure = `apply of a ${fmt(SKU_COUNT)}-SKU push (${SKU_COUNT / PER_MESSAGE} messages), ${fmt(GROUP_LINES)} lines per write, serial; the module's write = ${fmt(100 * writeShare)}% of the apply`
  reportRow({
    benchmark: "inventory-import",
    measure,
    unit: "lines/s",
    plugin: applyRate,
    floor: moduleFloor.rate,
    floorLabel: `inventory module updateInventoryLevels, ${fmt(GROUP_LINES)} per call (mean of ${fmt(moduleBefore.rate)} before and ${fmt(moduleAfter.rate)} after the plugin)`,
    queriesPerUnit: applyQueriesPerLine,
    queriesUnit: "line",
    floorQueriesPerUnit: moduleFloor.queriesPerLine,
    peakRssMb: mem.peakMb,
    target: "≥ 0.9× the module",
  })
  if (workflowRate !== null) {
    reportRow({
      benchmark: "inventory-import",
      measure,
      unit: "lines/s",
      plugin: applyRate,
      floor: workflowRate,
      floorLabel: `batchInventoryItemLevelsWorkflow, ${fmt(GROUP_LINES)} per call`,
      queriesPerUnit: applyQueriesPerLine,
      queriesUnit: "line",
      floorQueriesPerUnit: workflowQueries,
      peakRssMb: mem.peakMb,
    })
  }

  if (GROWN_SKUS !== null) {
    await explainReads(SKU_COUNT)
    await flatCost(GROWN_SKUS, apply20k, moduleFloor.rate)
    await sim.close()
    await store.shutdown()
    return
  }

  // ---- 3. flat cost: the same push applied again in a store of GROWN_SKUS SKUs --------------------
  async function flatCost(grown: number, at20k: { msPerLine: number; rate: number }, floor20k: number) {
    // Items and levels through the inventory module, in bulk chunks.
    let t0 = performance.now()
    const CHUNK = 5000
    for (let i = SKU_COUNT; i < grown; i += CHUNK) {
      const items = await inventory.createInventoryItems(Array.from({ length: Math.min(CHUNK, grown - i) }, (_, k) => ({ sku: sku(i + k), title: sku(i + k) })))
      await inventory.createInventoryLevels(items.map((it: any) => ({ inventory_item_id: it.id, location_id: location.id, stocked_quantity: 0 })))
    }
    process.stdout.write(`  grown to ${fmt(grown)} inventory items with levels in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)
    // What a store of that size holds in the plugin's own tables after a full
    // push: an applied sequence id and an import line per SKU (recordImports,
    // as the import records them: set-based, one call per 20,000 lines).
    t0 = performance.now()
    const now = new Date()
    for (let i = SKU_COUNT, n = 0; i < grown; i += 20_000, n++) {
      const skus = Array.from({ length: Math.min(20_000, grown - i) }, (_, k) => sku(i + k))
      await orderflow.recordImports({
        imports: [
          {
            request_id: `bench-history-${n}`,
            type: "inventory",
            message_seq_id: n + 1,
            status: "success",
            duration_ms: 0,
            lines: skus.map((s) => ({ sku: s, source: null, location_id: location.id, received_qty: 0, seq_id: 1, previous_seq_id: null, applied_qty: 0, outcome: "applied" })),
          },
        ],
        sequence_writes: skus.map((s) => ({ sku: s, location_id: location.id, seq_id: 1 })),
        now,
        claimed_by: null,
      })
    }
    process.stdout.write(`  recorded sequence ids and import lines for the ${fmt(grown - SKU_COUNT)} new SKUs in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)
    const knex = c.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    await knex.raw("ANALYZE")

    // New figures for the same 20,000 SKUs (new inventory records: new sequence ids), pushed and applied as before.
    sim.control.seed({ generate: { count: SKU_COUNT, prefix: "SIM-", stock: [0, 500] } })
    const pushedAgain = await sim.control.pushInventory({ mode: "full", wait: true, timeoutMs: 600_000 })
    process.stdout.write(`  full push at ${fmt(grown)} SKUs delivered: ${pushedAgain.messages.filter((m) => m.status === "delivered").length}/${pushedAgain.messages.length} messages\n`)
    const floorBefore = await floorModule(`A3 at ${fmt(grown)} SKUs`, 4000)
    const atGrown = await applyPush(`at ${fmt(grown)} SKUs`)
    const floorAfter = await floorModule(`A4 at ${fmt(grown)} SKUs`, 5000)
    const floorGrown = (floorBefore.rate + floorAfter.rate) / 2
    const ratio = atGrown.msPerLine / at20k.msPerLine
    process.stdout.write(
      `  per-line apply time: ${fmt(at20k.msPerLine, 3)} ms at ${fmt(SKU_COUNT)} SKUs, ${fmt(atGrown.msPerLine, 3)} ms at ${fmt(grown)} SKUs = ${ratio.toFixed(2)}x (target within 0.8x-1.2x); ` +
        `plugin/module floor ${(at20k.rate / floor20k).toFixed(2)}x at ${fmt(SKU_COUNT)}, ${(atGrown.rate / floorGrown).toFixed(2)}x at ${fmt(grown)}\n`
    )
    reportRow({
      benchmark: "inventory-import-200k",
      measure:
        `per-line apply time of the same ${fmt(SKU_COUNT)}-SKU push in a store of ${fmt(SKU_COUNT)} SKUs (${fmt(at20k.msPerLine, 3)} ms) and of ${fmt(grown)} SKUs (${fmt(atGrown.msPerLine, 3)} ms), ` +
        `${fmt(GROUP_LINES)} lines per write, serial; plugin/module ${(at20k.rate / floor20k).toFixed(2)}x and ${(atGrown.rate / floorGrown).toFixed(2)}x`,
      unit: "ms per line",
      plugin: atGrown.msPerLine,
      floor: at20k.msPerLine,
      floorLabel: `the plugin's own per-line time at ${fmt(SKU_COUNT)} SKUs (ratio = 20k / ${fmt(grown / 1000)}k)`,
      queriesPerUnit: atGrown.queriesPerLine,
      queriesUnit: "line",
      peakRssMb: atGrown.peakMb,
      target: `within ±20% of ${fmt(SKU_COUNT / 1000)}k (ratio 0.83–1.25)`,
    })
    await explainReads(grown)
  }

  // Orders (through the order module) on SKUs of the first group, each with a
  // reservation (through the inventory module), so that the unsent-order reads
  // have rows to find at both sizes.
  async function seedOrders() {
    const orderModule = c.resolve(Modules.ORDER)
    const orders = await orderModule.createOrders(
      Array.from({ length: ORDERS }, (_, k) => ({
        currency_code: "eur",
        email: `bench-${k}@example.com`,
        items: [{ title: sku(k * 10), quantity: 1, unit_price: 1, variant_sku: sku(k * 10) }],
      }))
    )
    const orderItems = (
      await orderModule.listOrders({ id: orders.map((o: any) => o.id) }, { select: ["id", "items.id", "items.variant_sku"], relations: ["items"], take: null })
    ).flatMap((o: any) => o.items)
    const itemBySku = new Map(
      (await inventory.listInventoryItems({ sku: orderItems.map((i: any) => i.variant_sku) }, { select: ["id", "sku"], take: null })).map((i: any) => [i.sku, i.id])
    )
    // Medusa reserves only what is in stock.
    await inventory.updateInventoryLevels([...itemBySku.values()].map((id) => ({ inventory_item_id: id, location_id: location.id, stocked_quantity: 10 })))
    await inventory.createReservationItems(
      orderItems.map((li: any) => ({ inventory_item_id: itemBySku.get(li.variant_sku), location_id: location.id, quantity: 1, line_item_id: li.id }))
    )
  }

  // EXPLAIN (ANALYZE) of every statement the plan's reads run for one group of
  // GROUP_LINES lines (loadInventoryFacts with the unsent orders and active
  // carts adjustment: stale check, items, levels, reservations, their orders,
  // export rows, order changes, cart links), and of the reads inside Medusa's
  // updateInventoryLevels for the same levels, at the store's current size.
  async function explainReads(size: number) {
    // A plan that cannot be shown must not cost the figures above.
    await explainReadsOrThrow(size).catch((e) => process.stdout.write(`  EXPLAIN at ${fmt(size)} SKUs failed: ${e.stack ?? e}\n`))
  }
  async function explainReadsOrThrow(size: number) {
    const knex = c.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    await knex.raw("ANALYZE")
    const { loadInventoryFacts } = await import("../src/workflows/import-inventory/prepare-inventory-import-step")
    const settings = {
      negativeAsZero: true,
      adjustInventory: "unsent_orders_and_active_carts" as const,
      unsentOrderStatuses: ["pending", "requires_action"],
      unsentOrderCutoffDays: 30,
      activeCartCutoffDays: 7,
      locations: {},
      defaultLocationId: location.id,
    }
    const lines = Array.from({ length: GROUP_LINES }, (_, k) => ({ index: k, sku: sku(k), qty: 1, seq: 1, source: null, lastOrderExported: null }))
    const capture = async (f: () => Promise<unknown>) => {
      const captured: Array<{ sql: string; bindings: unknown[] }> = []
      const listener = (q: any) => captured.push({ sql: q.sql, bindings: q.bindings ?? [] })
      knex.on("query", listener)
      try {
        return { result: await f(), captured }
      } finally {
        knex.removeListener("query", listener)
      }
    }
    const plan = await capture(() => loadInventoryFacts(c, lines, settings, new Date()))
    const write = await capture(() =>
      inventory.updateInventoryLevels(itemIds.slice(0, GROUP_LINES).map((id, k) => ({ inventory_item_id: id, location_id: location.id, stocked_quantity: 6000 + k })))
    )
    const pg = new Client({ connectionString: store.databaseUrl })
    await pg.connect()
    const explain = async (title: string, captured: Array<{ sql: string; bindings: unknown[] }>) => {
      process.stdout.write(`\n  EXPLAIN (ANALYZE, BUFFERS) at ${fmt(size)} SKUs: ${title}\n`)
      for (const q of captured) {
        if (!/^\s*select/i.test(q.sql)) continue
        let n = 0
        const text = /\$1\b/.test(q.sql) ? q.sql : q.sql.replace(/\?/g, () => `$${++n}`)
        const shown = text.replace(/\s+/g, " ").replace(/(\$\d+(, )?){4,}/g, "$1, …").replace(/(\(?"?\w+"?\."?\w+"? = \$\d+ and "?\w+"?\."?\w+"? = \$\d+\)? or ){3,}/g, "$1… or ").slice(0, 300)
        const result = await pg.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, q.bindings as unknown[])
        process.stdout.write(`\n  -- ${shown}\n${condensePlan(result.rows.map((r: any) => r["QUERY PLAN"]))}\n`)
      }
    }
    await explain(`the plan's reads for one group of ${fmt(GROUP_LINES)} lines (${ORDERS} orders with reservations on it; ${(plan.result as any).reservations.length} reservations read)`, plan.captured)
    await explain(`the reads inside Medusa's updateInventoryLevels for the same ${fmt(GROUP_LINES)} levels`, write.captured)
    await pg.end()
  }

  // ---- 2. intake (last: its messages carry sequence ids that would make later lines stale) ---------------------------------------------------------------------------
  let seq = 1_000_000
  const body = () => {
    const start = (seq * PER_MESSAGE) % SKU_COUNT
    const lines = Array.from({ length: PER_MESSAGE }, (_, k) => sku((start + k) % SKU_COUNT))
    return JSON.stringify({
      productQtys: lines.map((s, k) => ({ sku: s, qty: k })),
      productSeqs: lines.map((s) => ({ sku: s, seq })),
      messageSeqId: seq++,
    })
  }
  const intake: any = await autocannon({
    url: `${store.url}/orderflow/inventory`,
    connections: 16,
    duration: Number(process.env.BENCH_INTAKE_SECONDS ?? 20),
    requests: [
      {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        setupRequest: (req: any) => ({ ...req, body: body() }),
      },
    ],
  })
  const acked = intake["2xx"]
  process.stdout.write(
    `  intake: ${fmt(acked)} messages acknowledged in ${intake.duration} s = ${fmt(acked / intake.duration, 1)} msg/s ` +
      `(${fmt((acked * PER_MESSAGE) / intake.duration)} SKU lines/s), latency p50 ${intake.latency.p50} ms, p99 ${intake.latency.p99} ms, ` +
      `non-2xx ${intake.non2xx}, errors ${intake.errors}\n`
  )
  reportRow({
    benchmark: "inventory-import",
    measure: `intake, ${PER_MESSAGE}-SKU messages, 16 connections, ${intake.duration} s (no floor: Medusa has no such route)`,
    unit: "messages/s",
    plugin: acked / intake.duration,
    target: `≥ 200 msg/s, p99 < 250 ms (p99 here ${intake.latency.p99} ms)`,
  })

  // Let the last in-flight intake requests finish before the pool closes.
  await new Promise((r) => setTimeout(r, 1500))
  await sim.close()
  await store.shutdown()
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e.stack ?? e}\n`)
    process.exit(1)
  }
)
