// Product export benchmark (issues 4 and 17): a catalog exported to the
// OrderFlow simulator with batch size 200, by the scheduler's own operation
// (`product_export`, one batch per run, run back to back until the queue is
// empty). Prints total time, SKUs/s, peak RSS of the store process (the
// simulator runs in a child process, as OrderFlow would), and SQL queries per
// batch. Target: >= 1,000 SKUs/s and RSS growth < 200 MB for 100,000 SKUs
// with default Node settings (npm run bench runs 20,000; see README).
//
//   npx tsx bench/product-export.ts [--skus 20000] [--batch 200] [--per-product 20]
//   BENCH_PROGRESS=1 (a line every 10 runs: time, rss, heap as the collector left it),
//   BENCH_GC=1 (with BENCH_PROGRESS: also a forced collection, what is retained;
//     it changes the heap's growth, so that run's peak is not the figure),
//   BENCH_HEAP_PROFILE=<file> (where what runs 11 to 30 promoted to the old
//     generation was allocated; BENCH_HEAP_PROFILE_ALL=1: every allocation),
//   BENCH_LOG_QUERIES=1 (the SQL statements of the fifth run: what one batch costs),
//   BENCH_SEED_CACHE=1 (keeps the seeded catalog as a template database, copied
//     by the next run of the same size instead of migrating and seeding again)
//
// Self-contained: creates a fresh database (PostgreSQL from DB_HOST/DB_PORT/
// DB_USERNAME/DB_PASSWORD, else an embedded one) and migrates it; a first
// store process seeds the catalog through Medusa's modules (no events: the
// first export run's sweep queues every SKU, as after installing the plugin
// in a running store); then the measured store process boots in this process,
// the simulator starts in a child process, the export runs, the simulator is
// checked to hold every SKU, and the database is dropped. About 2 minutes for
// 20,000 SKUs on a quiet machine.
import { ChildProcess, fork } from "node:child_process"
import path from "node:path"
import { constants, performance, PerformanceObserver } from "node:perf_hooks"
import { GCProfiler, getHeapSpaceStatistics, setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { prepareBenchDatabase, startStoreApp } from "./lib/boot-store"
import { startCpuProfile } from "./lib/cpu-profile"
import { reportRow } from "./lib/report"

// A collector to call, without asking for --expose-gc: RSS figures are only
// comparable from a collected heap.
setFlagsFromString("--expose-gc")
const collect: () => void = runInNewContext("gc")

const root = path.resolve(__dirname, "..")
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
// --skus and --variants are the same: one SKU per variant here.
const VARIANTS = arg("skus", arg("variants", 20_000))
const BATCH = arg("batch", 200)
const PER_PRODUCT = arg("per-product", 20)
const fmt = (n: number, digits = 0) => n.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const mb = (bytes: number) => bytes / 1048576
const log = (line: string) => process.stdout.write(`${line}\n`)

// ---- one file, three processes: the benchmark (the measured store), the seeding store, the simulator
if (process.argv.includes("--seed-child")) {
  // The catalog is seeded by a store process of its own, so that the store
  // process measured below starts as a store does: booted, catalog in place.
  seedChild().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`${e?.stack ?? e}\n`)
      process.exit(1)
    }
  )
} else if (process.argv.includes("--simulator-child")) {
  void (async () => {
    const { startSimulator } = await import("orderflow-simulator")
    const sim = await startSimulator({ port: 0, user: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa", seed: 1, log: false })
    process.send!({ url: sim.url, baseUrl: sim.baseUrl })
    // Never outlive the benchmark.
    process.on("disconnect", () => process.exit(0))
    process.on("message", async (m: any) => {
      if (m === "stats") {
        const products = [...sim.state.products.values()]
        process.send!({
          stats: {
            products: products.length,
            active: products.filter((p) => p.activated).length,
            priced: products.filter((p) => p.fields.priceGross !== undefined).length,
            imports: sim.control.documents({ path: "importitems", limit: 100_000 }).length,
            serverMs: sim.control.documents({ path: "importitems", limit: 100_000 }).reduce((sum: number, d: { durationMs?: number }) => sum + (d.durationMs ?? 0), 0),
            rssMb: mb(process.memoryUsage().rss),
          },
        })
      }
      if (m === "close") {
        await sim.close()
        process.exit(0)
      }
    })
  })()
} else {
  main().catch((e) => {
    process.stderr.write(`${e?.stack ?? e}\n`)
    process.exit(1)
  })
}

async function startSimulatorProcess(): Promise<{ child: ChildProcess; baseUrl: string; stats(): Promise<any>; close(): Promise<void> }> {
  const child = fork(__filename, ["--simulator-child"], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] })
  const { baseUrl } = await new Promise<any>((resolve, reject) => {
    child.once("message", resolve)
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)))
  })
  const ask = () =>
    new Promise<any>((resolve) => {
      const on = (m: any) => {
        if (m?.stats) {
          child.off("message", on)
          resolve(m.stats)
        }
      }
      child.on("message", on)
      child.send("stats")
    })
  return {
    child,
    baseUrl,
    stats: ask,
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve())
        child.send("close")
      }),
  }
}

async function bootStore(databaseUrl: string) {
  return startStoreApp(databaseUrl)
}

async function seedChild() {
  const app = await bootStore(process.env.DATABASE_URL!)
  try {
    await seed(app.container)
  } finally {
    await app.shutdown()
  }
}

async function main() {
  log(`product export benchmark: ${fmt(VARIANTS)} variants (${PER_PRODUCT} per product), batch size ${BATCH}`)
  // BENCH_SEED_CACHE=1 (while working on the export): the seeded catalog is
  // kept as a template database and copied by the next run of the same size.
  const template = process.env.BENCH_SEED_CACHE ? `orderflow_bench_products_seed_${VARIANTS}_${PER_PRODUCT}` : undefined
  const db = await prepareBenchDatabase("products", {}, { template })
  const databaseUrl = db.databaseUrl
  if (!db.copied) {
    const t = performance.now()
    const seeder = fork(__filename, ["--seed-child", ...process.argv.slice(2)], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] })
    const seedCode = await new Promise<number>((resolve) => seeder.once("exit", (code) => resolve(code ?? 1)))
    if (seedCode !== 0) throw new Error(`seeding failed (${seedCode})`)
    log(`  (seeding, boot and shutdown of the seeding process: ${((performance.now() - t) / 1000).toFixed(1)} s)`)
    if (template) await db.saveAs(template)
  }

  const app = await bootStore(databaseUrl)
  const container = app.container
  const sim = await startSimulatorProcess()
  let shutdownDone = false
  const shutdown = async () => {
    if (shutdownDone) return
    shutdownDone = true
    await sim.close().catch(() => undefined)
    await app.shutdown().catch(() => undefined)
    await db.stop().catch(() => undefined)
  }
  try {
    await run(container, sim)
  } finally {
    await shutdown()
  }
  process.exit(0)
}

async function seed(container: any) {
  const { ContainerRegistrationKeys, Modules, ProductStatus } = await import("@medusajs/framework/utils")
  const { seedDemoStore } = await import("../scripts/demo/seed-store")
  // ---- seed ------------------------------------------------------------------------------------
  // Straight through the modules (products, inventory items, price sets and
  // their links), ten times faster than createProductsWorkflow and without
  // events: nothing is queued, so the first export run's sweep finds every
  // variant without an export row and queues it, as when the plugin is
  // installed in a store with an existing catalog.
  const t = performance.now()
  await seedDemoStore(container, { products: [] })
  const productModule = container.resolve(Modules.PRODUCT)
  const inventory = container.resolve(Modules.INVENTORY)
  const pricing = container.resolve(Modules.PRICING)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const productCount = Math.ceil(VARIANTS / PER_PRODUCT)
  const sizes = Array.from({ length: PER_PRODUCT }, (_, i) => `S${i + 1}`)
  const PRODUCTS_PER_CALL = 100
  const SEED_LANES = 2
  // Time in each module's calls, added up over the lanes.
  const spent = { products: 0, inventory: 0, prices: 0, links: 0 }
  const timedCall = async <T>(k: keyof typeof spent, call: () => Promise<T>): Promise<T> => {
    const t0 = performance.now()
    try {
      return await call()
    } finally {
      spent[k] += performance.now() - t0
    }
  }
  const seedChunk = async (p: number) => {
    const products: any[] = await timedCall("products", () =>
      productModule.createProducts(
        Array.from({ length: Math.min(PRODUCTS_PER_CALL, productCount - p) }, (_, k) => {
          const n = p + k
          const count = Math.min(PER_PRODUCT, VARIANTS - n * PER_PRODUCT)
          return {
            title: `Bench product ${n + 1}`,
            status: ProductStatus.PUBLISHED,
            options: [{ title: "Size", values: sizes.slice(0, count) }],
            variants: sizes.slice(0, count).map((size, v) => ({
              title: size,
              sku: `BENCH-${String(n * PER_PRODUCT + v + 1).padStart(6, "0")}`,
              barcode: String(5000000000000 + n * PER_PRODUCT + v),
              weight: 100 + v,
              manage_inventory: true,
              options: { Size: size },
            })),
          }
        })
      )
    )
    const variants = products.flatMap((x: any) => x.variants)
    const [items, priceSets] = await Promise.all([
      timedCall<any[]>("inventory", () => inventory.createInventoryItems(variants.map((v: any) => ({ sku: v.sku, title: v.title })))),
      timedCall<any[]>("prices", () =>
        pricing.createPriceSets(variants.map((_: any, i: number) => ({ prices: [{ amount: 10 + (i % 7) + 0.5, currency_code: "gbp" }] })))
      ),
    ])
    await timedCall("links", () =>
      link.create([
        ...variants.map((v: any, i: number) => ({
          [Modules.PRODUCT]: { variant_id: v.id },
          [Modules.INVENTORY]: { inventory_item_id: items[i].id },
          data: { required_quantity: 1 },
        })),
        ...variants.map((v: any, i: number) => ({ [Modules.PRODUCT]: { variant_id: v.id }, [Modules.PRICING]: { price_set_id: priceSets[i].id } })),
      ])
    )
  }
  // A few chunks at a time: PostgreSQL writes one while the store builds the next.
  let next = 0
  const lane = async () => {
    for (let p = next; p < productCount; p = next) {
      next += PRODUCTS_PER_CALL
      await seedChunk(p)
    }
  }
  await Promise.all(Array.from({ length: SEED_LANES }, lane))
  log(`  seeding: time in the modules' calls (added up over ${SEED_LANES} lanes) ${Object.entries(spent).map(([k, ms]) => `${k} ${fmt(ms / 1000, 1)} s`).join(", ")}`)
  log(`  seeded ${fmt(VARIANTS)} variants in ${fmt(productCount)} products (with inventory items and GBP prices) in ${((performance.now() - t) / 1000).toFixed(1)} s`)
}

async function run(container: any, sim: Awaited<ReturnType<typeof startSimulatorProcess>>) {
  const { runOrderflowOperationWorkflow } = await import("../src/workflows/run-operation")
  const { sweepProductChangesWorkflow } = await import("../src/workflows/export-products")
  const orderflow = container.resolve("orderflow")
  const counter = countQueries()
  const timed = timeMethods(orderflow, ["claimExportItems", "settleExport"])

  const rssBooted = process.memoryUsage().rss
  await orderflow.updateSettings({
    api: { endpoint: sim.baseUrl, username: "orderflow", password: "orderflow", organisation: "demo", channel: "medusa" },
    productExport: { enabled: true, batchSize: BATCH },
  })

  // ---- export: the scheduler's operation, run back to back until nothing is left --------------
  // The first run sweeps the whole catalog (no earlier sweep to start from),
  // queues every SKU and sends the first batch; the others only export.
  collect()
  const rssStart = process.memoryUsage().rss
  const heapStart = process.memoryUsage().heapUsed
  let rssPeak = rssStart
  const peaks = { heapTotal: 0, external: 0, arrayBuffers: 0 }
  const sampler = setInterval(() => {
    const m = process.memoryUsage()
    rssPeak = Math.max(rssPeak, m.rss)
    peaks.heapTotal = Math.max(peaks.heapTotal, m.heapTotal)
    peaks.external = Math.max(peaks.external, m.external)
    peaks.arrayBuffers = Math.max(peaks.arrayBuffers, m.arrayBuffers)
  }, 50)
  // Garbage or retention: what the heap gains between full collections is
  // what a batch leaves to the old generation (promoted, then dead); V8 lets
  // the heap grow to a multiple of the live size before collecting it.
  const gcs = { major: 0, minor: 0, pauseMs: 0, majorMs: 0 }
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as any).detail?.kind
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gcs.major++
        gcs.majorMs += e.duration
      } else gcs.minor++
      gcs.pauseMs += e.duration
    }
  })
  gcObserver.observe({ entryTypes: ["gc"] })
  // Where the allocations went, from V8's own figures before and after every
  // collection: what the young generation took, and what reached the old one
  // (promoted by scavenges, or allocated there directly); with no leak, what
  // reaches the old generation is what full collections free later.
  const gcProfiler = new GCProfiler()
  const generationsStart = generations()
  gcProfiler.start()
  const cpuStart = process.cpuUsage()
  const perBatch: Array<{ ms: number; queries: number; sweep: string; sweepQueued: number; rssPeakMb: number; heapGainMb: number | null; oldGainMb: number | null; cpuMs: number }> = []
  for (const k of Object.keys(timed)) timed[k] = 0
  const started = performance.now()
  let exported = 0
  const profiler = process.env.BENCH_HEAP_PROFILE ? await promotedAllocations() : null
  let cpuProfile: { stop: () => Promise<string[]> } | null = null
  for (;;) {
    // BENCH_HEAP_PROFILE=<file>: where what runs 11 to 30 promote was allocated.
    if (profiler && perBatch.length === 10) await profiler.start()
    if (profiler && perBatch.length === 30) await profiler.stop(process.env.BENCH_HEAP_PROFILE!)
    const q0 = counter.count
    counter.log = !!process.env.BENCH_LOG_QUERIES && perBatch.length === 4
    const b0 = performance.now()
    const c0 = process.cpuUsage()
    const h0 = process.memoryUsage().heapUsed
    const old0 = generations().old
    const majors0 = gcs.major
    // BENCH_CPU_PROFILE=1: where the store's CPU goes in runs 2+ (the export of pending SKUs, not the first sweep).
    if (perBatch.length === 1) cpuProfile = await startCpuProfile("product-export")
    const { result } = await runOrderflowOperationWorkflow(container).run({ input: { operation: "product_export", trigger: "manual" } })
    counter.log = false
    if (result.status !== "success") throw new Error(`run failed: ${result.error}`)
    const s = result.summary as any
    if (s.error) throw new Error(`batch failed: ${s.error}`)
    if (!s.claimed) break
    exported += s.exported + s.duplicates
    const cpu = process.cpuUsage(c0)
    // Entries arrive asynchronously; a batch with a full collection is left out of the heap gain.
    await new Promise((resolve) => setImmediate(resolve))
    perBatch.push({
      ms: performance.now() - b0,
      queries: counter.count - q0,
      sweep: s.sweep.mode,
      sweepQueued: s.sweep.queued ?? 0,
      rssPeakMb: mb(Math.max(rssPeak, process.memoryUsage().rss)),
      heapGainMb: gcs.major === majors0 ? mb(process.memoryUsage().heapUsed - h0) : null,
      oldGainMb: gcs.major === majors0 ? mb(generations().old - old0) : null,
      cpuMs: (cpu.user + cpu.system) / 1000,
    })
    if (process.env.BENCH_PROGRESS && (perBatch.length % 10 === 0 || perBatch.length === 1)) {
      // As the collector left it; BENCH_GC=1 also collects (what is retained),
      // which changes the heap's growth: peaks of such a run are not the figure.
      const m = process.memoryUsage()
      let retained = ""
      if (process.env.BENCH_GC) {
        collect()
        retained = `, after a forced gc: heapUsed ${fmt(mb(process.memoryUsage().heapUsed))} MB, rss ${fmt(mb(process.memoryUsage().rss))} MB`
      }
      log(
        `    run ${perBatch.length}: ${fmt(perBatch[perBatch.length - 1].ms)} ms; rss ${fmt(mb(m.rss))} MB (peak ${fmt(mb(rssPeak))}), heapUsed ${fmt(mb(m.heapUsed))} MB, heapTotal ${fmt(mb(m.heapTotal))} MB, external ${fmt(mb(m.external))} MB${retained}`
      )
    }
  }
  const totalMs = performance.now() - started
  const generationsEnd = generations()
  const flows = generationFlows(generationsStart, gcProfiler.stop()?.statistics ?? [], generationsEnd)
  clearInterval(sampler)
  const cpuTotal = process.cpuUsage(cpuStart)
  gcObserver.disconnect()
  const profileLines = cpuProfile ? await cpuProfile.stop() : []
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
  collect()
  const heapEnd = process.memoryUsage().heapUsed

  // ---- checks ------------------------------------------------------------------------------------
  const [, notExported] = await orderflow.listAndCountOrderflowExportItems({ entity_type: "product", status: ["pending", "queued", "failed"] }, { take: 1 })
  const stats = await sim.stats()
  if (exported !== VARIANTS || notExported !== 0 || stats.products !== VARIANTS || stats.priced !== VARIANTS) {
    throw new Error(`incomplete: exported ${exported}, left ${notExported}, simulator holds ${stats.products} (${stats.priced} priced)`)
  }
  // What a full sweep costs when there is nothing to queue (the run after a failed one).
  const t0 = performance.now()
  const c0 = counter.count
  const { result: rescan } = await sweepProductChangesWorkflow(container).run({ input: { since: null } })
  const rescanMs = performance.now() - t0
  const rescanQueries = counter.count - c0

  // ---- figures -----------------------------------------------------------------------------------
  const first = perBatch[0]
  const rest = perBatch.slice(1)
  const restMs = rest.reduce((sum, b) => sum + b.ms, 0)
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
  const engine = timed.claimExportItems + timed.settleExport
  log("")
  log(`  exported            ${fmt(exported)} SKUs in ${perBatch.length} runs of batch size ${BATCH}; the simulator holds ${fmt(stats.products)} products from ${stats.imports} import calls`)
  log(`  total time          ${(totalMs / 1000).toFixed(2)} s, ${fmt(exported / (totalMs / 1000))} SKUs/s, from nothing queued to all exported`)
  log(`  first run           ${fmt(first.ms)} ms: full sweep queued ${fmt(first.sweepQueued)} SKUs, then exported ${BATCH} (RSS peak so far ${fmt(first.rssPeakMb)} MB)`)
  log(`  export of pending   ${fmt(restMs / 1000, 2)} s for the other ${fmt(exported - BATCH)} SKUs: ${fmt((exported - BATCH) / (restMs / 1000))} SKUs/s; median ${fmt(median(rest.map((b) => b.ms)))} ms a run (claim, load, map, send, settle, record)`)
  log(`  queries per batch   ${fmt(median(rest.map((b) => b.queries)))} (median; min ${Math.min(...rest.map((b) => b.queries))}, max ${Math.max(...rest.map((b) => b.queries))}), whatever the batch size`)
  log(`  time in the engine  claim ${fmt(timed.claimExportItems)} ms, settle + history ${fmt(timed.settleExport)} ms; OrderFlow (simulator) ${fmt(stats.serverMs)} ms; the rest (sweep, load, map, build, scheduler) ${fmt(totalMs - engine - stats.serverMs)} ms`)
  log(`  full re-sweep       ${fmt(rescan.scanned)} variants checked, ${rescan.queued} queued, in ${fmt(rescanMs)} ms (${rescanQueries} queries)`)
  log(`  store process RSS   ${fmt(mb(rssBooted))} MB booted, ${fmt(mb(rssStart))} MB at the start of the export, peak ${fmt(mb(rssPeak))} MB: growth ${fmt(mb(rssPeak - rssStart))} MB`)
  const gains = rest.flatMap((b) => (b.heapGainMb === null ? [] : [b.heapGainMb]))
  log(`  memory peaks        heapTotal ${fmt(mb(peaks.heapTotal))} MB, external ${fmt(mb(peaks.external))} MB, arrayBuffers ${fmt(mb(peaks.arrayBuffers))} MB`)
  log(`  heap gain           ${fmt(median(gains), 1)} MB a batch (median of runs 2+ without a full collection; first run ${first.heapGainMb === null ? "had one" : `${fmt(first.heapGainMb)} MB`}); ${gcs.major} full and ${gcs.minor} young collections, ${fmt(gcs.pauseMs)} ms paused (${fmt(gcs.majorMs)} ms of it in full ones)`)
  const oldGains = rest.flatMap((b) => (b.oldGainMb === null ? [] : [b.oldGainMb]))
  log(
    `  generations         young ${fmt(flows.young / 1024 / exported, 1)} KB a SKU allocated; old ${fmt(flows.old / 1024 / exported, 1)} KB a SKU reached it (${fmt(flows.promoted / 1024 / exported, 1)} KB promoted by scavenges, the rest allocated there), ${fmt(mb(flows.old))} MB in all; old generation ${fmt(median(oldGains), 2)} MB a batch (median of runs 2+ without a full collection)`
  )
  log(`  store process CPU   ${fmt((cpuTotal.user + cpuTotal.system) / 1000 / 1000, 1)} s in all; first run ${fmt(first.cpuMs)} ms, then ${fmt(median(rest.map((b) => b.cpuMs)))} ms a batch (median): ${fmt((median(rest.map((b) => b.cpuMs)) / BATCH), 2)} ms a SKU`)
  log(`  heap after GC       ${fmt(mb(heapStart))} MB before the export, ${fmt(mb(heapEnd))} MB after (the simulator process: ${fmt(stats.rssMb)} MB RSS)`)
  const rate = (exported - BATCH) / (restMs / 1000)
  reportRow({
    benchmark: "product-export",
    measure: `${fmt(VARIANTS)} SKUs, batch ${BATCH}, one batch at a time (no floor: Medusa has no export to compare with); RSS growth ${fmt(mb(rssPeak - rssStart))} MB, heap after a full collection ${fmt(mb(heapEnd - heapStart))} MB above its start`,
    unit: "SKUs/s",
    plugin: rate,
    queriesPerUnit: median(rest.map((b) => b.queries)),
    queriesUnit: "batch",
    peakRssMb: mb(rssPeak),
    target: "≥ 1,000 SKUs/s, RSS growth < 200 MB (100,000 SKUs)",
  })
  log(`  target              >= 1,000 SKUs/s exporting pending SKUs and RSS growth < 200 MB: ${rate >= 1000 && mb(rssPeak - rssStart) < 200 ? "met" : "NOT met"}`)
  for (const line of profileLines) log(`  ${line}`)
}

/**
 * Counts SQL statements on every PostgreSQL client of the process: Medusa's
 * shared connection and MikroORM's (which bundles its own copy of pg).
 */
function countQueries() {
  const counter = { count: 0, log: false }
  for (const dir of ["node_modules/pg", "node_modules/@mikro-orm/postgresql/node_modules/pg"]) {
    let mod: any
    try {
      mod = require(path.join(root, dir))
    } catch {
      continue
    }
    const proto = mod.Client.prototype
    if (proto.__orderflowCounted) continue
    const original = proto.query
    proto.query = function (...args: unknown[]) {
      counter.count++
      // BENCH_LOG_QUERIES=1 prints the statements of the 5th run (what one batch costs).
      if (counter.log) {
        const q = args[0] as string | { text?: string }
        const text = String(typeof q === "string" ? q : q?.text).replace(/\s+/g, " ").slice(0, 160)
        const t0 = performance.now()
        const result = original.apply(this, args)
        const print = () => process.stdout.write(`    sql ${(performance.now() - t0).toFixed(1)} ms: ${text}\n`)
        if (result && typeof result.then === "function") result.then(print, print)
        else print()
        return result
      }
      return original.apply(this, args)
    }
    proto.__orderflowCounted = true
  }
  return counter
}

/**
 * V8's sampling heap profiler keeping the samples a young collection freed
 * out and those a full collection freed in: allocations that lived long
 * enough to be promoted, garbage or not (a .heapprofile for DevTools).
 */
async function promotedAllocations() {
  const { Session } = await import("node:inspector")
  const { writeFileSync } = await import("node:fs")
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))))
  return {
    start: () => post("HeapProfiler.startSampling", { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !!process.env.BENCH_HEAP_PROFILE_ALL }),
    async stop(file: string) {
      const { profile } = await post("HeapProfiler.stopSampling")
      writeFileSync(file, JSON.stringify(profile))
      log(`    (promoted allocations of runs 11 to 30 written to ${file})`)
    },
  }
}

const OLD_SPACES = new Set(["old_space", "code_space", "map_space", "large_object_space", "code_large_object_space"])
const YOUNG_SPACES = new Set(["new_space", "new_large_object_space"])
type SpaceStats = Array<{ spaceName?: string; space_name?: string; spaceUsedSize?: number; space_used_size?: number }>
const usedIn = (spaces: SpaceStats, names: Set<string>) =>
  spaces.reduce((sum, s) => sum + (names.has((s.spaceName ?? s.space_name)!) ? (s.spaceUsedSize ?? s.space_used_size ?? 0) : 0), 0)

/** Bytes used in the young and the old generation now. */
function generations() {
  const spaces = getHeapSpaceStatistics() as SpaceStats
  return { young: usedIn(spaces, YOUNG_SPACES), old: usedIn(spaces, OLD_SPACES) }
}

/**
 * From GCProfiler's records: bytes allocated in the young generation, and
 * bytes that reached the old one (allocated there between collections, or
 * promoted by a scavenge), between two snapshots.
 */
function generationFlows(start: { young: number; old: number }, stats: any[], end: { young: number; old: number }) {
  let young = 0
  let old = 0
  let promoted = 0
  let prev = start
  for (const s of stats) {
    const before = { young: usedIn(s.beforeGC.heapSpaceStatistics, YOUNG_SPACES), old: usedIn(s.beforeGC.heapSpaceStatistics, OLD_SPACES) }
    const after = { young: usedIn(s.afterGC.heapSpaceStatistics, YOUNG_SPACES), old: usedIn(s.afterGC.heapSpaceStatistics, OLD_SPACES) }
    young += Math.max(0, before.young - prev.young)
    old += Math.max(0, before.old - prev.old)
    // A full collection frees old space; any other moves survivors into it.
    if (s.gcType !== "MarkSweepCompact") {
      const moved = Math.max(0, after.old - before.old)
      old += moved
      if (s.gcType === "Scavenge" || s.gcType === "MinorMarkCompact") promoted += moved
    }
    prev = after
  }
  young += Math.max(0, end.young - prev.young)
  old += Math.max(0, end.old - prev.old)
  return { young, old, promoted }
}

/** Adds up the time spent in some methods of a service (for the breakdown). */
function timeMethods(target: any, names: string[]) {
  const totals: Record<string, number> = {}
  for (const name of names) {
    totals[name] = 0
    const original = target[name].bind(target)
    target[name] = async (...args: unknown[]) => {
      const t0 = performance.now()
      try {
        return await original(...args)
      } finally {
        totals[name] += performance.now() - t0
      }
    }
  }
  return totals
}
