#!/usr/bin/env node
// `npm run test:cluster`: the demo store as one `server` and two `worker`
// Medusa instances sharing PostgreSQL and Redis, the OrderFlow simulator with
// its faults on, all four flows driven for a while with a worker SIGKILLed
// about every 20 s, then the invariants checked. Ends with `N passed, N
// failed`; exits non-zero on any failure. See README, "Running in
// production: several instances (worker mode)".
//
// Environment (all optional):
//   CLUSTER_PG_URL       PostgreSQL server, without database  [postgres://postgres@127.0.0.1:5432]
//   CLUSTER_REDIS_URL    Redis server, without DB number       [redis://127.0.0.1:6379]
//   CLUSTER_REDIS_DB     Redis DB number used, FLUSHed before and after the run [11]
//   CLUSTER_DURATION_S   seconds of load and chaos              [150]
//   CLUSTER_CONVERGE_S   seconds allowed to settle afterwards   [240]
//   CLUSTER_KILL_EVERY_S seconds between worker SIGKILLs        [20]
//   CLUSTER_RANDOM_SEED  seed of the driver's and simulator's choices [random, printed]
//   CLUSTER_SABOTAGE     level | claim: corrupt one thing before the checks, to see them fail
//   CLUSTER_KEEP_LOGS    1: keep the log directory even when everything passed
//   CLUSTER_KEEP_DB      1: keep the database and the Redis DB for a post-mortem (not dropped / flushed)
import { randomBytes, randomInt } from "node:crypto"
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import Redis from "ioredis"
import pg from "pg"
import { expectedLevels, isPaid, runChecks, snapshot } from "./checks.mjs"
import { Flows, prng } from "./flows.mjs"
import { adminClient, client } from "./http.mjs"
import { freePort, Processes, sleep, tail, waitForHttp } from "./procs.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
const env = process.env
const cfg = {
  pgUrl: (env.CLUSTER_PG_URL ?? "postgres://postgres@127.0.0.1:5432").replace(/\/+$/, ""),
  redisUrl: (env.CLUSTER_REDIS_URL ?? "redis://127.0.0.1:6379").replace(/\/+$/, ""),
  redisDb: Number(env.CLUSTER_REDIS_DB ?? 11),
  durationS: Number(env.CLUSTER_DURATION_S ?? 150),
  convergeS: Number(env.CLUSTER_CONVERGE_S ?? 240),
  killEveryS: Number(env.CLUSTER_KILL_EVERY_S ?? 20),
  seed: Number(env.CLUSTER_RANDOM_SEED ?? randomInt(1, 2 ** 31 - 1)),
  sabotage: env.CLUSTER_SABOTAGE ?? "",
  keepLogs: env.CLUSTER_KEEP_LOGS === "1",
  keepDb: env.CLUSTER_KEEP_DB === "1",
}
const ADMIN_EMAIL = "admin@cluster.local"
const ADMIN_PASSWORD = "cluster-admin-pw"
const INBOUND_USER = "orderflow"
const INBOUND_PASSWORD = "cluster-push-pw"
const SIM_USER = "orderflow"
const SIM_PASSWORD = "cluster-sim-pw"
const dbName = `orderflow_cluster_${process.pid}`
const redisInstanceUrl = `${cfg.redisUrl}/${cfg.redisDb}`
const medusaBin = path.join(root, "node_modules", ".bin", "medusa")
const simBin = path.join(root, "node_modules", ".bin", "orderflow-simulator")
const startedAt = Date.now()
const logDir = mkdtempSync(path.join(os.tmpdir(), "orderflow-cluster-"))
const procs = new Processes({ cwd: root, logDir })

const elapsed = () => `${Math.round((Date.now() - startedAt) / 1000)}s`.padStart(5)
const log = (msg) => process.stdout.write(`[cluster ${elapsed()}] ${msg}\n`)

let dbCreated = false
let cleaningUp = null

/** Stops every child, drops the database, empties the Redis DB. Safe to call twice. */
function cleanup({ keepLogs }) {
  cleaningUp ??= (async () => {
    await procs.stopAll()
    if (cfg.keepDb) {
      log(`database ${cfg.pgUrl}/${dbName} and Redis DB ${redisInstanceUrl} kept (CLUSTER_KEEP_DB)`)
    } else if (dbCreated) {
      const admin = new pg.Client({ connectionString: `${cfg.pgUrl}/postgres` })
      try {
        await admin.connect()
        await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
      } catch (e) {
        log(`could not drop database ${dbName}: ${e.message}`)
      } finally {
        await admin.end().catch(() => {})
      }
    }
    if (!cfg.keepDb) {
      const redis = new Redis(redisInstanceUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
      try {
        await redis.connect()
        await redis.flushdb()
      } catch (e) {
        log(`could not flush Redis DB ${cfg.redisDb}: ${e.message}`)
      } finally {
        redis.disconnect()
      }
    }
    if (keepLogs) log(`logs kept in ${logDir}`)
    else rmSync(logDir, { recursive: true, force: true })
  })()
  return cleaningUp
}

function printLogTails(lines = 40) {
  for (const file of readdirSync(logDir).sort()) {
    const text = tail(path.join(logDir, file), lines)
      .split("\n")
      .map((l) => (l.length > 400 ? `${l.slice(0, 400)}...` : l))
      .join("\n")
    process.stdout.write(`\n----- tail of ${file} -----\n${text}\n`)
  }
}

for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, async () => {
    log(`${sig}: stopping everything`)
    await cleanup({ keepLogs: true })
    process.stdout.write("0 passed, 1 failed\n")
    process.exit(130)
  })
}

// One key for every instance: the API password saved by one is read by all (README "Encryption key").
const secretKey = randomBytes(32).toString("base64")

/** Environment of every Medusa process: the same database, Redis and secrets; nothing of ours leaks in. */
function medusaEnv(extra) {
  const base = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("ORDERFLOW_") && !k.startsWith("CLUSTER_")))
  return {
    ...base,
    DATABASE_URL: `${cfg.pgUrl}/${dbName}`,
    REDIS_URL: redisInstanceUrl,
    NODE_ENV: "production",
    MEDUSA_ADMIN_DISABLED: "true",
    MEDUSA_DISABLE_TELEMETRY: "true",
    JWT_SECRET: "cluster-jwt-secret",
    COOKIE_SECRET: "cluster-cookie-secret",
    ORDERFLOW_SECRET_KEY: secretKey,
    ...extra,
  }
}

async function preflight() {
  const admin = new pg.Client({ connectionString: `${cfg.pgUrl}/postgres`, connectionTimeoutMillis: 5000 })
  try {
    await admin.connect()
  } catch (e) {
    throw new Error(`PostgreSQL does not answer at ${cfg.pgUrl} (${e.message}); set CLUSTER_PG_URL`)
  }
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
    await admin.query(`CREATE DATABASE "${dbName}"`)
    dbCreated = true
  } finally {
    await admin.end()
  }
  const redis = new Redis(redisInstanceUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 })
  try {
    await redis.connect()
    const keys = await redis.dbsize()
    if (keys) log(`Redis DB ${cfg.redisDb} held ${keys} keys: flushing it (CLUSTER_REDIS_DB picks another)`)
    await redis.flushdb()
  } catch (e) {
    throw new Error(`Redis does not answer at ${redisInstanceUrl} (${e.message}); set CLUSTER_REDIS_URL / CLUSTER_REDIS_DB`)
  } finally {
    redis.disconnect()
  }
}

async function main() {
  log(`seed ${cfg.seed}; ${cfg.durationS} s of load with a worker SIGKILL every ~${cfg.killEveryS} s; logs in ${logDir}`)
  await preflight()
  log(`database ${dbName} created; Redis DB ${cfg.redisDb} flushed`)

  const [serverPort, simPort, ...workerPorts] = await Promise.all([freePort(), freePort(), freePort(), freePort()])
  const storeUrl = `http://127.0.0.1:${serverPort}`
  const simUrl = `http://127.0.0.1:${simPort}`

  const sim = procs.start("simulator", simBin, [
    "--port", String(simPort), "--host", "127.0.0.1",
    "--user", SIM_USER, "--password", SIM_PASSWORD,
    "--organisation", "demo", "--channel", "medusa",
    "--store-url", storeUrl, "--store-user", INBOUND_USER, "--store-password", INBOUND_PASSWORD,
    "--auto-push", "1000",
    // The plugin's default api.timeZone: both sides read each other's times alike in any season.
    "--time-zone", "Europe/London",
    "--seed", String(cfg.seed),
  ], { ...env, NODE_ENV: "production" })

  log("migrating")
  await procs.run("migrate", medusaBin, ["db:migrate"], medusaEnv({ MEDUSA_WORKER_MODE: "server" }))
  log("seeding the store")
  const seedOut = await procs.run("seed", medusaBin, ["exec", "./scripts/cluster/seed.ts"], medusaEnv({
    MEDUSA_WORKER_MODE: "server",
    CLUSTER_ADMIN_EMAIL: ADMIN_EMAIL,
    CLUSTER_ADMIN_PASSWORD: ADMIN_PASSWORD,
  }))
  const seedLine = seedOut.split("\n").find((l) => l.startsWith("CLUSTER_SEED "))
  if (!seedLine) throw new Error("the seed printed no CLUSTER_SEED line")
  const seeded = JSON.parse(seedLine.slice("CLUSTER_SEED ".length))
  await waitForHttp(`${simUrl}/_sim/state`, { timeoutMs: 30_000, proc: sim, what: "the simulator" })

  // ---- the cluster ----------------------------------------------------------------------------
  const unexpectedExits = []
  const watch = (proc, role) => {
    proc.done.then((exit) => {
      if (!proc.killedOnPurpose && !stopping) {
        unexpectedExits.push(`${proc.name} (${role}) exited by itself with ${exit}`)
        log(`${proc.name} exited by itself (${exit})`)
      }
    })
    return proc
  }
  let stopping = false
  const server = watch(procs.start("server", medusaBin, ["start"], medusaEnv({ MEDUSA_WORKER_MODE: "server", PORT: String(serverPort) })), "server")
  const workers = workerPorts.map((port, i) => ({ name: `worker-${i + 1}`, port, proc: null, up: false, restarts: 0 }))
  const startWorker = (w) => {
    w.up = false
    w.proc = watch(procs.start(w.name, medusaBin, ["start"], medusaEnv({ MEDUSA_WORKER_MODE: "worker", PORT: String(w.port) })), "worker")
    const proc = w.proc
    // Worker mode serves /health only (no routes): that is how readiness shows.
    w.ready = waitForHttp(`http://127.0.0.1:${w.port}/health`, { timeoutMs: 240_000, proc, what: w.name }).then(
      () => {
        if (w.proc === proc) w.up = true
      },
      (e) => {
        if (w.proc === proc && !proc.killedOnPurpose) log(`${w.name}: ${e.message.split("\n")[0]}`)
      }
    )
  }
  workers.forEach(startWorker)
  log(`starting 1 server (:${serverPort}) and 2 workers (:${workerPorts.join(", :")}) with medusa start`)
  await waitForHttp(`${storeUrl}/health`, { timeoutMs: 240_000, proc: server, what: "the server" })
  await Promise.all(workers.map((w) => w.ready))
  if (!workers.every((w) => w.up)) throw new Error("the workers did not come up")
  log("server and workers are up")

  const admin = await adminClient(storeUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
  const simCtl = client(simUrl)
  await admin.post("/admin/orderflow/settings", {
    json: {
      api: { endpoint: `${simUrl}/orderflow`, username: SIM_USER, password: SIM_PASSWORD, organisation: "demo", channel: "medusa", timeoutSeconds: 2 },
      inbound: { username: INBOUND_USER, password: INBOUND_PASSWORD },
      email: { adminName: "Cluster Admin", adminEmail: ADMIN_EMAIL },
      productExport: { enabled: true, cron: "* * * * *" },
      orderExport: { enabled: true, cron: "* * * * *" },
      inventoryImport: {
        enabled: true,
        cron: "* * * * *",
        defaultLocationId: seeded.stockLocationId,
        locations: { DEFAULT: seeded.stockLocationId },
        adjustInventory: "unsent_orders",
      },
      shipmentImport: { enabled: true, cron: "* * * * *" },
      // Seconds, not the default minutes to an hour, so retries fit in the run.
      retry: { baseDelaySeconds: 5, maxDelaySeconds: 20 },
    },
  })
  // The warehouse already holds the catalogue with the store's stock; product
  // export replaces the placeholder descriptions.
  const skus = seeded.products.flatMap((p) => p.variants.filter((v) => v.manageInventory).map((v) => v.sku))
  await simCtl.post("/_sim/seed", { json: { products: skus.map((sku) => ({ sku, description: "pre-seeded, not exported yet", stock: 400 })) } })
  await simCtl.post("/_sim/faults", {
    json: {
      // The plugin calls OrderFlow a few times a minute (one batch per
      // operation and cron tick), so the first two imports fail for certain;
      // the rates add more at random.
      next: [
        { fault: "error", count: 1, path: "importitems", status: 503 },
        { fault: "timeout", count: 1, path: "importitems", timeoutMs: 5000 },
      ],
      inbound: { errorRate: 0.15, timeoutRate: 0.1, timeoutMs: 5000 },
      push: { duplicateRate: 0.2, shuffleWindow: 4, shuffleHoldMs: 500 },
    },
  })
  log(`plugin configured; simulator seeded with ${skus.length} SKUs; faults on: 15% 5xx, 10% timeouts (plugin timeout 2 s), 20% duplicate pushes, shuffled in windows of 4`)

  // ---- load and chaos ---------------------------------------------------------------------------
  const rng = prng(cfg.seed)
  const store = client(storeUrl, { "x-publishable-api-key": seeded.publishableKey })
  const flows = new Flows({ admin, store, sim: simCtl, seeded, rng, log: (m) => log(`  ${m}`), runId: String(cfg.seed % 100000) })
  flows.start()
  let kills = 0
  const chaosEnd = Date.now() + cfg.durationS * 1000
  let nextKill = Date.now() + cfg.killEveryS * 1000
  let lastReport = Date.now()
  while (Date.now() < chaosEnd) {
    await sleep(250)
    if (server.exited) throw new Error(`the server exited during the run (${server.exit})\n${tail(server.log, 40)}`)
    if (Date.now() >= nextKill) {
      nextKill = Date.now() + Math.round(cfg.killEveryS * 1000 * (0.75 + rng.next() * 0.5))
      const up = workers.filter((w) => w.up)
      if (up.length) {
        const w = rng.pick(up)
        w.proc.killedOnPurpose = true
        procs.signal(w.proc, "SIGKILL")
        await w.proc.done
        kills++
        w.restarts++
        log(`SIGKILL ${w.name} (pid ${w.proc.pid}); restarting it`)
        startWorker(w)
      }
    }
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now()
      log(`load: ${JSON.stringify(flows.counts)}; workers up: ${workers.filter((w) => w.up).map((w) => w.name).join(", ") || "none"}`)
    }
  }
  await flows.stop()
  log(`load stopped: ${JSON.stringify(flows.counts)}; flow errors: ${JSON.stringify(flows.errors)}`)
  // Let the last restarted worker finish booting, then take the faults away.
  await Promise.all(workers.map((w) => w.ready))
  await simCtl.del("/_sim/faults")
  await simCtl.post("/_sim/deliveries/flush", { json: {} })
  log("faults cleared; the warehouse despatches its backlog; waiting for the cluster to settle")

  // ---- convergence --------------------------------------------------------------------------------
  // Read-only from here on (but for CLUSTER_SABOTAGE=claim).
  const db = new pg.Pool({ connectionString: `${cfg.pgUrl}/${dbName}`, max: 4 })
  try {
    const settleStart = Date.now()
    const deadline = settleStart + cfg.convergeS * 1000
    let outstanding = "not checked"
    let converged = false
    let lastLog = 0
    while (Date.now() < deadline) {
      const waiting = await flows.drain().catch((e) => {
        log(`  drain: ${e.message.split("\n")[0]}`)
        return -1
      })
      outstanding = await whatIsOutstanding({ admin, simCtl, db, locationId: seeded.stockLocationId })
      if (waiting) outstanding = [waiting > 0 ? `${waiting} shipments not despatched yet` : "despatching failed", outstanding].filter(Boolean).join("; ")
      if (!outstanding) {
        converged = true
        break
      }
      if (Date.now() - lastLog > 20_000) {
        lastLog = Date.now()
        log(`settling (${Math.round((Date.now() - settleStart) / 1000)} s): ${outstanding}`)
      }
      await simCtl.post("/_sim/deliveries/flush", { json: {} }).catch(() => {})
      await sleep(3000)
    }
    const convergeSeconds = Math.round((Date.now() - settleStart) / 1000)
    log(converged ? `settled after ${convergeSeconds} s` : `NOT settled after ${convergeSeconds} s: ${outstanding}`)

    if (cfg.sabotage) await sabotage(cfg.sabotage, { admin, db, locationId: seeded.stockLocationId })

    // ---- checks -------------------------------------------------------------------------------------
    const snap = await snapshot({ admin, sim: simCtl, db })
    const results = runChecks(snap, {
      kills,
      minKills: Math.max(1, Math.floor(cfg.durationS / cfg.killEveryS) - 2),
      counts: flows.counts,
      converged,
      convergeSeconds,
      outstanding,
      locationId: seeded.stockLocationId,
    })
    results.push({
      name: "instances: the server and the workers never exited by themselves",
      ok: unexpectedExits.length === 0,
      details: unexpectedExits,
    })
    stopping = true
    process.stdout.write("\n")
    for (const r of results) {
      process.stdout.write(`${r.ok ? "ok" : "not ok"} - ${r.name}\n`)
      for (const d of r.details) process.stdout.write(`    # ${d}\n`)
    }
    const failed = results.filter((r) => !r.ok).length
    const passed = results.length - failed
    if (Object.keys(flows.errors).length) {
      process.stdout.write(`\n(flow requests that failed and were not retried by the driver: ${JSON.stringify(flows.errors)}; last: ${JSON.stringify(flows.lastErrors).slice(0, 1500)})\n`)
    }
    if (failed) printLogTails()
    await db.end().catch(() => {})
    await cleanup({ keepLogs: failed > 0 || cfg.keepLogs })
    process.stdout.write(`\ncluster test took ${Math.round((Date.now() - startedAt) / 1000)} s\n${passed} passed, ${failed} failed\n`)
    process.exit(failed ? 1 : 0)
  } finally {
    stopping = true
    await db.end().catch(() => {})
  }
}

/** Empty string when settled, else what is still moving. */
async function whatIsOutstanding({ admin, simCtl, db, locationId }) {
  const out = []
  const pending = await simCtl.get("/_sim/deliveries?status=pending&view=summary&limit=1")
  if (pending.count) out.push(`${pending.count} pushes pending`)
  const iso = (d) => (d ? new Date(d).toISOString().slice(11, 19) : "-")
  const { rows: requests } = await db.query(
    `SELECT id, type, message_seq_id, status, attempts, next_attempt_at, claimed_until FROM orderflow_request
      WHERE deleted_at IS NULL AND status IN ('pending', 'processing') ORDER BY received_at`
  )
  if (requests.length) {
    const some = requests.slice(0, 3).map((r) => `${r.type} ${r.message_seq_id} ${r.status} attempts ${r.attempts} next ${iso(r.next_attempt_at)} claimed until ${iso(r.claimed_until)}`)
    out.push(`${requests.length} requests pending/processing (${some.join("; ")})`)
  }
  const { rows: items } = await db.query(
    `SELECT entity_type, reference, status, attempts, next_attempt_at, queued_at, claimed_until FROM orderflow_export_item
      WHERE deleted_at IS NULL AND (status IN ('pending', 'queued') OR (status = 'failed' AND next_attempt_at IS NOT NULL)) ORDER BY changed_at`
  )
  if (items.length) {
    const some = items.slice(0, 3).map((e) => `${e.entity_type} ${e.reference} ${e.status} attempts ${e.attempts} next ${iso(e.next_attempt_at)} queued ${iso(e.queued_at)} claimed until ${iso(e.claimed_until)}`)
    out.push(`${items.length} export items pending/queued/retrying (${some.join("; ")})`)
  }
  const s = await snapshot({ admin, sim: simCtl, db, light: true })
  const simRefs = new Set(s.simOrders.map((o) => o.originalReference ?? o.externalReference))
  const notThere = s.orders.filter((o) => isPaid(o) && !simRefs.has(String(o.display_id))).length
  if (notThere) out.push(`${notThere} paid orders not in the simulator`)
  const off = expectedLevels(s, locationId).filter((r) => r.actual !== r.expected).length
  if (off) out.push(`${off} stock levels differ`)
  return out.join("; ")
}

/** Deliberate damage, to show that the checks can fail (CLUSTER_SABOTAGE). */
async function sabotage(kind, { admin, db, locationId }) {
  if (kind === "level") {
    const { inventory_items } = await admin.get("/admin/inventory-items?fields=id,sku,*location_levels&limit=1")
    const item = inventory_items[0]
    const level = item.location_levels.find((l) => l.location_id === locationId)
    await admin.post(`/admin/inventory-items/${item.id}/location-levels/${locationId}`, { json: { stocked_quantity: Number(level.stocked_quantity) + 7 } })
    log(`SABOTAGE: stocked quantity of ${item.sku} raised by 7 behind the plugin's back`)
  } else if (kind === "claim") {
    const { rows } = await db.query(
      `UPDATE orderflow_request SET status = 'processing', claimed_by = 'sabotage', claimed_until = now() + interval '5 minutes'
        WHERE id = (SELECT id FROM orderflow_request WHERE status = 'processed' AND type = 'inventory' ORDER BY received_at DESC LIMIT 1)
        RETURNING id, message_seq_id`
    )
    log(`SABOTAGE: request ${rows[0]?.id} (message ${rows[0]?.message_seq_id}) put back to processing`)
  } else {
    throw new Error(`unknown CLUSTER_SABOTAGE "${kind}" (level | claim)`)
  }
}

main().catch(async (e) => {
  process.stdout.write(`\nnot ok - the cluster test could not run: ${e.stack ?? e.message}\n`)
  printLogTails()
  await cleanup({ keepLogs: true })
  process.stdout.write(`\ncluster test took ${Math.round((Date.now() - startedAt) / 1000)} s\n0 passed, 1 failed\n`)
  process.exit(1)
})
