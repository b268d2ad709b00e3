#!/usr/bin/env node
// `npm run dev`: the demo store with the plugin, and the OrderFlow simulator
// wired to it both ways. Needs nothing but Node: without DATABASE_URL an
// embedded PostgreSQL is started (and kept in ORDERFLOW_DEV_DATA_DIR between
// runs). Ctrl-C stops everything.
import { spawn } from "node:child_process"
import { createHash, randomBytes } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { freePort, startEmbeddedPostgres } from "./embedded-postgres.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const MEDUSA_PORT = Number(process.env.PORT ?? 9000)
const SIM_PORT = Number(process.env.ORDERFLOW_SIMULATOR_PORT ?? 9100)
const ADMIN_EMAIL = process.env.DEMO_ADMIN_EMAIL ?? "admin@orderflow.local"
const ADMIN_PASSWORD = process.env.DEMO_ADMIN_PASSWORD ?? "orderflow-demo"
// OrderFlow -> store credentials (the store's inbound user) and store -> OrderFlow (the simulator's user).
const INBOUND_USER = "orderflow"
const INBOUND_PASSWORD = process.env.DEMO_INBOUND_PASSWORD ?? "orderflow-push"
const SIM_USER = "orderflow"
const SIM_PASSWORD = "orderflow"

const children = new Set()
let pg = null
let stopping = false

const log = (msg) => process.stdout.write(`\x1b[36m[dev]\x1b[0m ${msg}\n`)

function run(cmd, args, { env, quiet = false, allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit", detached: true })
    children.add(child)
    let output = ""
    child.stdout?.on("data", (d) => (output += d))
    child.stderr?.on("data", (d) => (output += d))
    child.on("exit", (code, signal) => {
      children.delete(child)
      if (code === 0 || allowFail) resolve({ code, output })
      else reject(new Error(`${cmd} ${args.join(" ")} exited with ${code ?? signal}\n${output.slice(-4000)}`))
    })
  })
}

function startLongRunning(name, cmd, args, env) {
  const child = spawn(cmd, args, { cwd: root, env, stdio: "inherit", detached: true })
  children.add(child)
  child.on("exit", (code, signal) => {
    children.delete(child)
    if (!stopping) {
      log(`${name} stopped (${code ?? signal}); shutting down`)
      shutdown(1)
    }
  })
  return child
}

async function waitForHttp(url, what, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url)
      if (res.status < 500) return
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`${what} did not come up at ${url}`)
}

async function shutdown(code = 0) {
  if (stopping) return
  stopping = true
  log("stopping...")
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGTERM")
    } catch {}
  }
  const deadline = Date.now() + 8000
  while (children.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGKILL")
    } catch {}
  }
  if (pg) {
    await pg.stop().catch(() => {})
    log("embedded PostgreSQL stopped")
  }
  process.exit(code)
}

process.on("SIGINT", () => shutdown(0))
process.on("SIGTERM", () => shutdown(0))

async function main() {
  const medusa = path.join(root, "node_modules", ".bin", "medusa")
  const simulator = path.join(root, "node_modules", ".bin", "orderflow-simulator")
  for (const [port, what] of [[MEDUSA_PORT, "the store"], [SIM_PORT, "the OrderFlow simulator"]]) {
    if ((await freePort(port)) !== port) throw new Error(`port ${port} (for ${what}) is in use; set PORT / ORDERFLOW_SIMULATOR_PORT`)
  }

  let databaseUrl = process.env.DATABASE_URL
  // The warehouse keeps its state next to the store's, so that a restart
  // continues its message numbers (a reset counter would look like old messages).
  const stateKey = createHash("sha1").update(databaseUrl ?? root).digest("hex").slice(0, 8)
  const stateDir = process.env.ORDERFLOW_DEV_DATA_DIR ?? path.join(os.tmpdir(), `medusa-orderflow-dev-${stateKey}`)
  mkdirSync(stateDir, { recursive: true })
  if (!databaseUrl) {
    const dataDir = path.join(stateDir, "postgres")
    log(`no DATABASE_URL: starting an embedded PostgreSQL (data in ${dataDir})`)
    pg = await startEmbeddedPostgres({ dataDir, port: 5433 })
    await pg.createDatabase("medusa_orderflow_demo")
    databaseUrl = pg.url("medusa_orderflow_demo")
  } else {
    log(`using DATABASE_URL`)
  }

  // The API password is stored encrypted (README "Encryption key"); `medusa
  // exec` runs the seed with NODE_ENV unset, which counts as production and
  // refuses to store it without a key. The demo keeps its own key next to its
  // data, so the stored password stays readable across restarts.
  let secretKey = process.env.ORDERFLOW_SECRET_KEY
  if (!secretKey) {
    const keyFile = path.join(stateDir, "orderflow-secret-key")
    if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString("base64"), { mode: 0o600 })
    secretKey = readFileSync(keyFile, "utf8").trim()
  }

  const env = {
    ...process.env,
    ORDERFLOW_SECRET_KEY: secretKey,
    DATABASE_URL: databaseUrl,
    PORT: String(MEDUSA_PORT),
    MEDUSA_DISABLE_TELEMETRY: "true",
    STORE_CORS: process.env.STORE_CORS ?? "http://localhost:8000",
    ADMIN_CORS: process.env.ADMIN_CORS ?? `http://localhost:${MEDUSA_PORT},http://localhost:5173`,
    AUTH_CORS: process.env.AUTH_CORS ?? `http://localhost:${MEDUSA_PORT},http://localhost:5173,http://localhost:8000`,
    DEMO_SIMULATOR_URL: `http://127.0.0.1:${SIM_PORT}`,
    DEMO_SIMULATOR_USER: SIM_USER,
    DEMO_SIMULATOR_PASSWORD: SIM_PASSWORD,
    DEMO_INBOUND_USER: INBOUND_USER,
    DEMO_INBOUND_PASSWORD: INBOUND_PASSWORD,
  }

  log("running migrations")
  await run(medusa, ["db:migrate"], { env, quiet: true })
  const user = await run(medusa, ["user", "-e", ADMIN_EMAIL, "-p", ADMIN_PASSWORD], { env, quiet: true, allowFail: true })
  if (user.code !== 0 && !/already exists/i.test(user.output)) log(`could not create the admin user:\n${user.output.slice(-2000)}`)

  log(`starting the OrderFlow simulator on http://localhost:${SIM_PORT}`)
  startLongRunning("simulator", simulator, [
    "--port", String(SIM_PORT),
    "--host", "127.0.0.1",
    "--user", SIM_USER,
    "--password", SIM_PASSWORD,
    "--organisation", "demo",
    "--channel", "medusa",
    "--store-url", `http://localhost:${MEDUSA_PORT}`,
    "--store-user", INBOUND_USER,
    "--store-password", INBOUND_PASSWORD,
    "--auto-push", "5000",
    // A UK OrderFlow's clock, the plugin's default api.timeZone.
    "--time-zone", "Europe/London",
    "--state-file", path.join(stateDir, "simulator.json"),
  ], env)
  await waitForHttp(`http://127.0.0.1:${SIM_PORT}/_sim/state`, "the simulator", 30_000)

  log("seeding the demo store, the plugin settings and the warehouse")
  const seed = await run(medusa, ["exec", "./scripts/demo/seed.ts"], { env, quiet: true })
  const demoLines = seed.output.split("\n").filter((l) => l.startsWith("DEMO: ")).map((l) => l.slice(6))

  log("starting Medusa (medusa develop)")
  startLongRunning("medusa", medusa, ["develop"], env)
  await waitForHttp(`http://localhost:${MEDUSA_PORT}/health`, "the store")
  const banner = [
    "",
    "  Demo store with medusa-plugin-orderflow is running",
    `  Admin:      http://localhost:${MEDUSA_PORT}/app   login ${ADMIN_EMAIL} / ${ADMIN_PASSWORD}`,
    `  Settings:   http://localhost:${MEDUSA_PORT}/app/settings/orderflow`,
    `  Store API:  http://localhost:${MEDUSA_PORT}/store`,
    ...demoLines.map((l) => `              ${l}`),
    `  Simulator:  http://localhost:${SIM_PORT}/_sim/state   (npm run simulator -- --help)`,
    "  Ctrl-C stops everything.",
    "",
  ]
  process.stdout.write(banner.join("\n") + "\n")
}

main().catch(async (e) => {
  process.stderr.write(`\n[dev] ${e.stack ?? e.message}\n`)
  await shutdown(1)
})
