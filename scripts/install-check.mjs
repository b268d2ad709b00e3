#!/usr/bin/env node
// `npm run test:install`: installs the plugin into a freshly generated, minimal
// Medusa store the way the README's "Installing into an existing store" tells a
// merchant, and checks it there over HTTP. Real parts only: the packed tarball,
// a real `npm install`, real Medusa, a real PostgreSQL.
//
//   1. `npm run build` (medusa plugin:build) and `npm pack` into a temp dir
//   2. meanwhile a store in a temp dir: package.json (the @medusajs/* versions
//      of this repo), tsconfig.json and a medusa-config.ts whose `plugins`
//      entry is copied from the README; `npm install` there
//   3. `npm install <tarball>` in the store (the README's `npm install
//      medusa-plugin-orderflow`, from the tarball: a `file:` dependency)
//   4. a fresh database: DATABASE_URL's server if set, else PostgreSQL on
//      127.0.0.1:5432 (user postgres) if it answers, else an embedded one
//      (made before the plugin build, so that a missing one fails at once)
//   5. `npx medusa db:migrate` (orderflow_* tables), `npx medusa user`,
//      `npx medusa build`, then `npx medusa start` from .medusa/server with
//      NODE_ENV=production, as a deployed store runs
//   6. inbound push to /orderflow/inventory (401 without / with wrong
//      credentials, 200 and the acknowledgement with them, message stored);
//      admin login, GET /admin/orderflow/settings (401 without a token, 200 and
//      the settings shape with it); the admin bundle carries the plugin's pages
//
// Prints `ok - ...` / `not ok - ...` per check and `N passed, N failed` last;
// exits 1 on any failure. Everything it started is stopped and the database
// dropped; temp dirs are removed unless KEEP_INSTALL_CHECK=1.
// INSTALL_CHECK_ADMIN=0 builds the store with the admin disabled (faster);
// INSTALL_CHECK_EMBEDDED_PG=1 uses the embedded PostgreSQL even when a server
// is available (to check the fallback a machine without PostgreSQL takes).
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { createWriteStream, existsSync } from "node:fs"
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import pg from "pg"
import { freePort, startEmbeddedPostgres } from "./embedded-postgres.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const KEEP = process.env.KEEP_INSTALL_CHECK === "1"
const WITH_ADMIN = process.env.INSTALL_CHECK_ADMIN !== "0"
const FORCE_EMBEDDED = process.env.INSTALL_CHECK_EMBEDDED_PG === "1"
const ADMIN_EMAIL = "install-check@example.com"
const ADMIN_PASSWORD = `admin-${randomBytes(6).toString("hex")}`
const INBOUND_USER = "orderflow-install-check"
const INBOUND_PASSWORD = `push-${randomBytes(6).toString("hex")}`
const MESSAGE_SEQ_ID = 4711
const LAST_FAILURE_LOG = path.join(os.tmpdir(), "orderflow-install-check-last-failure.log")

const started = Date.now()
const results = { passed: 0, failed: 0 }
const cleanups = [] // run last-in first-out
let logStream = null
let workDir = null
let finishing = false

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
const say = (line) => process.stdout.write(`${line}\n`)
const log = (line) => logStream?.write(`${line}\n`)

// Once the check is stopping (a fatal step, Ctrl-C), steps still winding down
// report nothing: their failures are the stop's, not the plugin's.
function pass(what) {
  if (finishing) return
  results.passed++
  say(`ok - ${what}`)
  log(`ok - ${what}`)
}

function fail(what, detail) {
  if (finishing) return
  results.failed++
  say(`not ok - ${what}`)
  log(`not ok - ${what}`)
  if (detail) {
    const text = String(detail).trimEnd().split("\n").map((l) => `  ${l}`).join("\n")
    say(text)
    log(text)
  }
}

/** A step that later steps need: a failure ends the run (after cleanup). */
class Fatal extends Error {}

function check(condition, what, detail) {
  if (condition) pass(what)
  else fail(what, typeof detail === "function" ? detail() : detail)
  return condition
}

function require_(condition, what, detail) {
  if (!check(condition, what, detail)) throw new Fatal(what)
}

// Child processes: each in a process group of its own, so that stopping it
// stops whatever it started too; output streamed to the log line by line with
// a prefix, the last lines kept for failure reports.
const groups = new Set()

function childEnv(extra = {}) {
  const env = { ...process.env }
  // `npm run test:install` exports the repo's npm context; a nested npm in the
  // store must not see it. ORDERFLOW__* from the caller's shell must not leak
  // into the store (the plugin reads them through `env: process.env`).
  for (const key of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$)/.test(key) || key === "INIT_CWD") delete env[key]
    if (key.startsWith("ORDERFLOW")) delete env[key]
  }
  delete env.DATABASE_URL
  delete env.NODE_ENV
  return { ...env, MEDUSA_DISABLE_TELEMETRY: "true", ...extra }
}

function spawnLogged(label, cmd, args, { cwd, env }) {
  if (finishing) throw new Fatal("the check is stopping")
  log(`\n[${label}] $ ${cmd} ${args.join(" ")}   (in ${cwd})`)
  const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true })
  if (child.pid) groups.add(child.pid)
  const state = { child, tail: [], stdout: "", exited: null }
  const lineReader = () => {
    let partial = ""
    return (chunk) => {
      const lines = (partial + chunk).split("\n")
      partial = lines.pop()
      for (const line of lines) {
        log(`[${label}] ${line}`)
        if (!line.trim()) continue
        state.tail.push(line)
        if (state.tail.length > 60) state.tail.shift()
      }
    }
  }
  const onStdout = lineReader()
  child.stdout.on("data", (chunk) => {
    state.stdout += chunk
    onStdout(chunk)
  })
  child.stderr.on("data", lineReader())
  child.on("exit", (code, signal) => {
    state.exited = code ?? signal
  })
  return state
}

/** Runs a command to its end (all output read); never rejects. */
function run(label, cmd, args, { cwd, env = childEnv(), timeoutMs = 300_000 } = {}) {
  if (finishing) return Promise.resolve({ code: -1, ok: false, ms: 0, tail: "(not started: the check is stopping)", stdout: "" })
  const t0 = Date.now()
  const state = spawnLogged(label, cmd, args, { cwd, env })
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      state.tail.push(`(timed out after ${seconds(timeoutMs)}; stopped)`)
      stopGroup(state.child.pid, 0)
    }, timeoutMs)
    const done = (code) => {
      clearTimeout(timer)
      resolve({ code, ok: code === 0, ms: Date.now() - t0, tail: state.tail.join("\n"), stdout: state.stdout })
    }
    state.child.on("error", (e) => {
      state.tail.push(e.message)
      done(-1)
    })
    state.child.on("close", (code, signal) => done(code ?? signal))
  })
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal)
  } catch {
    // the group is gone
  }
}

/** SIGTERM to the whole group, SIGKILL to whatever is left after graceMs. */
async function stopGroup(pgid, graceMs = 8000) {
  if (!pgid || !groupAlive(pgid)) return
  signalGroup(pgid, "SIGTERM")
  const deadline = Date.now() + graceMs
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  if (groupAlive(pgid)) signalGroup(pgid, "SIGKILL")
}

// ---------------------------------------------------------------- database

async function canConnect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query("select 1")
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * A fresh database on the first server that works: DATABASE_URL's, else the
 * local one, else an embedded one. Returns the store's URL, where it is, and
 * release() (drops the database, stops an embedded server). The admin
 * connection uses DATABASE_URL's own database, or `postgres`.
 */
async function prepareDatabase() {
  const name = `orderflow_install_check_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`
  let adminUrl
  let source
  let embedded = null
  let pgDir = null
  let created = false
  const release = async () => {
    try {
      if (created) {
        const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 })
        await c.connect()
        try {
          await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name])
          await c.query(`DROP DATABASE IF EXISTS "${name}"`)
        } finally {
          await c.end()
        }
      }
    } finally {
      if (embedded) await embedded.stop()
      if (pgDir && !KEEP) await rm(pgDir, { recursive: true, force: true })
    }
  }
  try {
    if (process.env.DATABASE_URL && !FORCE_EMBEDDED) {
      adminUrl = process.env.DATABASE_URL
      source = "the server of DATABASE_URL"
    } else if (!FORCE_EMBEDDED && (await canConnect("postgres://postgres@127.0.0.1:5432/postgres"))) {
      adminUrl = "postgres://postgres@127.0.0.1:5432/postgres"
      source = "the local server at 127.0.0.1:5432 (user postgres)"
    } else {
      // No PostgreSQL on this machine: the repo's embedded one, in a dir of
      // its own (as root, the `postgres` system user must be able to reach it).
      pgDir = await mkdtemp(path.join(os.tmpdir(), "orderflow-install-check-pg-"))
      embedded = await startEmbeddedPostgres({ dataDir: path.join(pgDir, "data"), persistent: false })
      adminUrl = embedded.url("postgres")
      source = `an embedded PostgreSQL on port ${embedded.port} (${FORCE_EMBEDDED ? "INSTALL_CHECK_EMBEDDED_PG=1" : "no DATABASE_URL, nothing at 127.0.0.1:5432"})`
    }
    const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 })
    await admin.connect()
    try {
      await admin.query(`CREATE DATABASE "${name}"`)
      created = true
    } finally {
      await admin.end()
    }
  } catch (e) {
    await release().catch(() => {})
    const where = source ?? "the embedded PostgreSQL"
    return { error: new Error(`${where}: ${e.message}${process.env.DATABASE_URL ? " (DATABASE_URL must let its user CREATE DATABASE)" : ""}`), release: async () => {} }
  }
  const storeUrl = new URL(adminUrl)
  storeUrl.pathname = `/${name}`
  return { name, url: storeUrl.toString(), source, release }
}

async function orderflowTables(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    const { rows } = await client.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'orderflow\\_%' ORDER BY 1"
    )
    return rows.map((r) => r.table_name)
  } finally {
    await client.end()
  }
}

// ---------------------------------------------------------------- README

/**
 * What the README's "Installing into an existing store" section tells a
 * merchant: the npm install command, the `plugins: [...]` entry of its
 * medusa-config.ts example (copied verbatim into the generated store) and the
 * migrate command.
 */
function readInstallSection(readme, packageName) {
  const start = readme.indexOf("\n## Installing into an existing store")
  if (start < 0) return { problem: 'no "## Installing into an existing store" section' }
  const end = readme.indexOf("\n## ", start + 5)
  const section = readme.slice(start, end < 0 ? undefined : end)
  const problems = []
  if (!section.includes(`npm install ${packageName}`)) problems.push(`no "npm install ${packageName}"`)
  if (!section.includes("npx medusa db:migrate")) problems.push('no "npx medusa db:migrate"')
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1]
  const plugins = code ? bracketBlock(code, code.indexOf("plugins:")) : null
  if (!plugins) problems.push("no medusa-config.ts example with `plugins: [...]`")
  else if (!plugins.includes(`resolve: "${packageName}"`)) problems.push(`its plugins entry does not resolve "${packageName}"`)
  return problems.length ? { problem: problems.join("; ") } : { plugins }
}

/** `plugins: [ ... ]` from `at`, brackets matched outside strings and // comments. */
function bracketBlock(code, at) {
  if (at < 0) return null
  const open = code.indexOf("[", at)
  let depth = 0
  for (let i = open; i < code.length; i++) {
    const ch = code[i]
    if (ch === "/" && code[i + 1] === "/") {
      i = code.indexOf("\n", i)
      if (i < 0) return null
    } else if (ch === '"' || ch === "'" || ch === "`") {
      i = code.indexOf(ch, i + 1)
      if (i < 0) return null
    } else if (ch === "[") depth++
    else if (ch === "]" && --depth === 0) return code.slice(at, i + 1)
  }
  return null
}

// ---------------------------------------------------------------- store

function storeFiles({ rootPkg, plugins }) {
  const dev = rootPkg.devDependencies
  const version = (name) => {
    const v = dev[name] ?? rootPkg.dependencies?.[name]
    if (!v) throw new Error(`package.json has no version of ${name} to pin the store to`)
    return v
  }
  // What a Medusa store's package.json holds (as create-medusa-app writes it),
  // reduced to what runs a server: the four Medusa packages, and ts-node with
  // SWC so the CLI can load medusa-config.ts. The plugin's peers come from npm.
  const packageJson = {
    name: "orderflow-install-check-store",
    version: "0.0.0",
    private: true,
    scripts: { build: "medusa build", start: "medusa start", dev: "medusa develop" },
    dependencies: {
      "@medusajs/admin-sdk": version("@medusajs/admin-sdk"),
      "@medusajs/cli": version("@medusajs/cli"),
      "@medusajs/framework": version("@medusajs/framework"),
      "@medusajs/medusa": version("@medusajs/medusa"),
    },
    devDependencies: {
      "@swc/core": version("@swc/core"),
      "@types/node": version("@types/node"),
      "ts-node": version("ts-node"),
      typescript: version("typescript"),
    },
    // The repo's own pins (registry quirks) and install-script allowances.
    ...(rootPkg.overrides ? { overrides: rootPkg.overrides } : {}),
    ...(rootPkg.allowScripts ? { allowScripts: rootPkg.allowScripts } : {}),
    engines: { node: rootPkg.engines?.node ?? ">=20" },
  }
  const tsconfig = {
    compilerOptions: {
      target: "ES2021",
      esModuleInterop: true,
      module: "Node16",
      moduleResolution: "Node16",
      emitDecoratorMetadata: true,
      experimentalDecorators: true,
      skipLibCheck: true,
      skipDefaultLibCheck: true,
      declaration: false,
      sourceMap: false,
      inlineSourceMap: true,
      outDir: "./.medusa/server",
      rootDir: "./",
      jsx: "react-jsx",
      forceConsistentCasingInFileNames: true,
      resolveJsonModule: true,
      checkJs: false,
      strictNullChecks: true,
    },
    "ts-node": { swc: true },
    include: ["**/*", ".medusa/types/*"],
    exclude: ["node_modules", ".medusa/server", ".medusa/admin", ".cache"],
  }
  const medusaConfig = `import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

// Generated by medusa-plugin-orderflow's scripts/install-check.mjs. The
// plugins entry is the README's ("Installing into an existing store").
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: { disable: process.env.STORE_ADMIN_DISABLED === "true" },
  ${plugins.replace(/\n/g, "\n  ")},
})
`
  return {
    "package.json": JSON.stringify(packageJson, null, 2) + "\n",
    "tsconfig.json": JSON.stringify(tsconfig, null, 2) + "\n",
    "medusa-config.ts": medusaConfig,
  }
}

/** Versions of every installed copy of a package under node_modules (nested included). */
async function installedVersions(nodeModules, name) {
  const found = []
  const visit = async (dir, depth) => {
    const pkgFile = path.join(dir, name, "package.json")
    if (existsSync(pkgFile)) found.push(JSON.parse(await readFile(pkgFile, "utf8")).version)
    if (depth > 4) return
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory()) continue
      const sub = entry.name.startsWith("@")
        ? (await readdir(path.join(dir, entry.name), { withFileTypes: true }).catch(() => [])).map((e) => path.join(dir, entry.name, e.name))
        : [path.join(dir, entry.name)]
      for (const pkgDir of sub) {
        const nested = path.join(pkgDir, "node_modules")
        if (existsSync(nested)) await visit(nested, depth + 1)
      }
    }
  }
  await visit(nodeModules, 0)
  return found
}

// ---------------------------------------------------------------- HTTP

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`

async function http(base, method, route, { headers = {}, body } = {}) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(30_000),
  })
  const text = await res.text()
  let json = null
  try {
    json = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, text, json }
}

async function waitForHealth(base, server, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exited !== null) return `the store exited (${server.exited}) before it was ready`
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) })
      if (res.status === 200) return null
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  return `no 200 from ${base}/health within ${seconds(timeoutMs)}`
}

const brief = (res) => `HTTP ${res.status}: ${res.text.slice(0, 400)}`

// ---------------------------------------------------------------- main

async function main() {
  const rootPkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"))
  const readme = await readFile(path.join(root, "README.md"), "utf8")
  workDir = await mkdtemp(path.join(os.tmpdir(), "orderflow-install-check-"))
  logStream = createWriteStream(path.join(workDir, "install-check.log"))
  logStream.on("error", (e) => say(`# log: ${e.message}`))
  say(`# install check of ${rootPkg.name} ${rootPkg.version} in ${workDir}${WITH_ADMIN ? "" : " (admin disabled)"}`)

  const install = readInstallSection(readme, rootPkg.name)
  require_(!install.problem, "README \"Installing into an existing store\": npm install, plugins entry for medusa-config.ts, npx medusa db:migrate", install.problem)

  // The store a merchant already has: written and installed while the plugin
  // is built and packed (the two do not depend on each other).
  const storeDir = path.join(workDir, "store")
  await mkdir(storeDir)
  for (const [file, content] of Object.entries(storeFiles({ rootPkg, plugins: install.plugins }))) {
    await writeFile(path.join(storeDir, file), content)
  }
  const npmFlags = ["--prefer-offline", "--no-audit", "--no-fund"]
  const storeInstall = run("store install", "npm", ["install", ...npmFlags], { cwd: storeDir, timeoutMs: 480_000 })

  // The database (seconds; made first so that a missing one fails at once).
  const databasePromise = prepareDatabase()
  cleanups.push(async () => (await databasePromise).release())
  const db = await databasePromise
  require_(!db.error, db.error ? "a fresh PostgreSQL database" : `a fresh PostgreSQL database ${db.name} on ${db.source}`, db.error?.message)

  // The plugin, built and packed as it is published.
  const packDir = path.join(workDir, "pack")
  await mkdir(packDir)
  const pluginBuild = await run("plugin:build", "npm", ["run", "build"], { cwd: root, timeoutMs: 300_000 })
  const pack = pluginBuild.ok ? await run("pack", "npm", ["pack", "--pack-destination", packDir, "--json"], { cwd: root, timeoutMs: 120_000 }) : null
  const baseInstall = await storeInstall
  require_(pluginBuild.ok, `npm run build (medusa plugin:build) (${seconds(pluginBuild.ms)})`, pluginBuild.tail)
  require_(pack.ok, "npm pack", pack.tail)
  const packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("[")))[0]
  const tarball = path.join(packDir, packed.filename)
  const files = packed.files.map((f) => f.path)
  const stray = files.filter((f) => !f.startsWith(".medusa/server/") && !["package.json", "README.md", "LICENSE"].includes(f))
  const testFiles = files.filter((f) => /__tests__|\.spec\.|integration-tests/.test(f))
  check(
    stray.length === 0 && testFiles.length === 0 && files.includes("package.json") && files.some((f) => f.startsWith(".medusa/server/src/modules/")),
    `tarball ${packed.filename}: .medusa/server, package.json, README.md only (${files.length} files, ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked)`,
    () => `unexpected files: ${[...stray, ...testFiles].slice(0, 20).join(", ") || "(none)"}; package.json present: ${files.includes("package.json")}`
  )

  // The store's own install, then the README's `npm install
  // medusa-plugin-orderflow` with the tarball in place of the registry.
  require_(
    baseInstall.ok,
    `npm install of a new Medusa ${rootPkg.devDependencies["@medusajs/medusa"]} store (${seconds(baseInstall.ms)})`,
    baseInstall.tail
  )
  const pluginInstall = await run("plugin install", "npm", ["install", ...npmFlags, tarball], { cwd: storeDir, timeoutMs: 300_000 })
  const storePkg = JSON.parse(await readFile(path.join(storeDir, "package.json"), "utf8"))
  require_(
    pluginInstall.ok && storePkg.dependencies?.[rootPkg.name]?.startsWith("file:"),
    `npm install <tarball> in the store: dependency ${rootPkg.name} ${storePkg.dependencies?.[rootPkg.name] ?? "(missing)"} (${seconds(pluginInstall.ms)})`,
    pluginInstall.tail
  )
  const uiPin = rootPkg.peerDependencies?.["@medusajs/ui"]
  const uiVersions = await installedVersions(path.join(storeDir, "node_modules"), "@medusajs/ui")
  check(
    uiVersions.length > 0 && uiVersions.every((v) => v === uiPin),
    `the store's @medusajs/ui is the plugin's peer ${uiPin} (installed: ${uiVersions.join(", ") || "none"})`,
    `every copy must be ${uiPin}: other versions nest @medusajs/draft-order and the store cannot boot`
  )

  const port = await freePort()
  const base = `http://localhost:${port}`
  const storeEnv = childEnv({
    DATABASE_URL: db.url,
    PORT: String(port),
    JWT_SECRET: randomBytes(24).toString("hex"),
    COOKIE_SECRET: randomBytes(24).toString("hex"),
    STORE_ADMIN_DISABLED: WITH_ADMIN ? "false" : "true",
    ADMIN_CORS: base,
    AUTH_CORS: base,
    // Settings → OrderFlow's inbound credentials, through `env: process.env`.
    ORDERFLOW__INBOUND__USERNAME: INBOUND_USER,
    ORDERFLOW__INBOUND__PASSWORD: INBOUND_PASSWORD,
  })

  // Migrations and the admin user need the database; `medusa build` does
  // not (it loads the app without one), so they run side by side.
  const migrateAndUser = (async () => {
    const migrate = await run("db:migrate", "npx", ["--no", "medusa", "db:migrate"], { cwd: storeDir, env: storeEnv, timeoutMs: 300_000 })
    if (!migrate.ok) return { migrate }
    const tables = await orderflowTables(db.url).catch((e) => e)
    const user = await run("user", "npx", ["--no", "medusa", "user", "-e", ADMIN_EMAIL, "-p", ADMIN_PASSWORD], { cwd: storeDir, env: storeEnv, timeoutMs: 180_000 })
    return { migrate, tables, user }
  })()
  const storeBuild = run("medusa build", "npx", ["--no", "medusa", "build"], { cwd: storeDir, env: storeEnv, timeoutMs: 420_000 })

  const { migrate, tables, user } = await migrateAndUser
  const built = await storeBuild
  require_(migrate.ok, `npx medusa db:migrate (${seconds(migrate.ms)})`, migrate.tail)
  require_(
    Array.isArray(tables) && tables.includes("orderflow_request") && tables.includes("orderflow_setting"),
    `the plugin's migrations ran: ${Array.isArray(tables) ? tables.length : 0} orderflow_* tables`,
    () => (Array.isArray(tables) ? `orderflow_* tables: ${tables.join(", ") || "none"}` : String(tables))
  )
  require_(user.ok, `npx medusa user -e ${ADMIN_EMAIL} (${seconds(user.ms)})`, user.tail)
  const serverDir = path.join(storeDir, ".medusa", "server")
  require_(
    built.ok && existsSync(path.join(serverDir, "medusa-config.js")),
    `npx medusa build${WITH_ADMIN ? " (backend and admin)" : " (admin disabled)"} (${seconds(built.ms)})`,
    built.tail
  )

  // Start as a deployed store does: from the build output, NODE_ENV=production.
  // (A deployment runs `npm install` in .medusa/server; its package.json is the
  // store's, so the store's node_modules is linked instead.)
  await symlink(path.join(storeDir, "node_modules"), path.join(serverDir, "node_modules"), "dir")
  const serverStarted = Date.now()
  const server = spawnLogged("medusa start", "npx", ["--no", "medusa", "start"], {
    cwd: serverDir,
    env: { ...storeEnv, NODE_ENV: "production" },
  })
  cleanups.push(() => stopGroup(server.child.pid))
  const notReady = await waitForHealth(base, server, 180_000)
  require_(!notReady, `npx medusa start (NODE_ENV=production, from .medusa/server) answers /health on port ${port} (${seconds(Date.now() - serverStarted)})`, () => `${notReady}\n${server.tail.join("\n")}`)

  // The inbound route OrderFlow calls.
  const message = JSON.stringify({
    productQtys: [{ sku: "INSTALL-CHECK-0001", qty: 12 }],
    productSeqs: [{ sku: "INSTALL-CHECK-0001", seq: 1 }],
    messageSeqId: MESSAGE_SEQ_ID,
  })
  const json = { "content-type": "application/json" }
  const anonymous = await http(base, "POST", "/orderflow/inventory", { headers: json, body: message })
  check(
    anonymous.status === 401 && anonymous.headers.get("www-authenticate") === 'Basic realm="RTD"',
    "POST /orderflow/inventory without credentials → 401, WWW-Authenticate: Basic realm=\"RTD\"",
    () => `${brief(anonymous)} (WWW-Authenticate: ${anonymous.headers.get("www-authenticate")})`
  )
  const wrong = await http(base, "POST", "/orderflow/inventory", { headers: { ...json, authorization: basic(INBOUND_USER, "not-the-password") }, body: message })
  check(wrong.status === 401, "POST /orderflow/inventory with a wrong password → 401", () => brief(wrong))
  const pushed = await http(base, "POST", "/orderflow/inventory", { headers: { ...json, authorization: basic(INBOUND_USER, INBOUND_PASSWORD) }, body: message })
  const requestId = pushed.headers.get("x-orderflow-request-id")
  check(
    pushed.status === 200 && pushed.json === `Success - Message ${MESSAGE_SEQ_ID} Received` && !!requestId,
    `POST /orderflow/inventory with the inbound credentials from ORDERFLOW__INBOUND__* → 200 "Success - Message ${MESSAGE_SEQ_ID} Received", X-OrderFlow-Request-Id ${requestId}`,
    () => `${brief(pushed)} (X-OrderFlow-Request-Id: ${requestId})`
  )

  // The admin API.
  const login = await http(base, "POST", "/auth/user/emailpass", { headers: json, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) })
  const token = login.json?.token
  require_(login.status === 200 && typeof token === "string", "POST /auth/user/emailpass → 200 with a token", () => brief(login))
  const bearer = { authorization: `Bearer ${token}` }

  const noToken = await http(base, "GET", "/admin/orderflow/settings")
  check(noToken.status === 401, "GET /admin/orderflow/settings without a token → 401", () => brief(noToken))
  const settings = await http(base, "GET", "/admin/orderflow/settings", { headers: bearer })
  const s = settings.json
  const groups = ["api", "inbound", "email", "productExport", "orderExport", "inventoryImport", "shipmentImport", "retry", "logCleaning"]
  check(
    settings.status === 200 &&
      groups.every((g) => s?.settings?.[g] && typeof s.settings[g] === "object") &&
      s.settings.inbound.username === INBOUND_USER &&
      s.settings.inbound.passwordSet === true &&
      Array.isArray(s.locked) &&
      s.locked.includes("inbound.username") &&
      s.locked.includes("inbound.password") &&
      s.inbound_urls?.inventory === `${base}/orderflow/inventory` &&
      !settings.text.includes(INBOUND_PASSWORD),
    `GET /admin/orderflow/settings → 200: ${groups.length} groups, inbound user from env, passwordSet, no password in the reply, locked ${JSON.stringify(s?.locked ?? null)}`,
    () => brief(settings)
  )
  const stored = await http(base, "GET", `/admin/orderflow/requests?message_seq_id=${MESSAGE_SEQ_ID}`, { headers: bearer })
  const row = stored.json?.requests?.find((r) => r.id === requestId)
  check(
    stored.status === 200 && row?.type === "inventory" && row?.status === "pending" && row?.line_count === 1,
    `the acknowledged message is stored: GET /admin/orderflow/requests lists ${requestId} (inventory, pending, 1 line)`,
    () => brief(stored)
  )

  // The admin dashboard carries the plugin's pages (its "./admin" export).
  if (WITH_ADMIN) {
    const app = await http(base, "GET", "/app")
    const entry = /<script[^>]+src="([^"]+)"/.exec(app.text)?.[1]
    const bundle = entry ? await http(base, "GET", entry) : null
    check(
      app.status === 200 && bundle?.status === 200 && bundle.text.includes("/admin/orderflow/settings"),
      `GET /app → 200 and its bundle ${entry ?? ""} contains the plugin's admin pages`,
      () => `/app: HTTP ${app.status}; entry script: ${entry ?? "none"}; bundle: ${bundle ? `HTTP ${bundle.status}, ${bundle.text.length} bytes, mentions /admin/orderflow/settings: ${bundle.text.includes("/admin/orderflow/settings")}` : "not fetched"}`
    )
  }

  if (server.exited !== null) fail("the store kept running during the checks", server.tail.join("\n"))
}

async function cleanup() {
  await Promise.all([...groups].map((pgid) => stopGroup(pgid)))
  while (cleanups.length) {
    const step = cleanups.pop()
    try {
      await step()
    } catch (e) {
      say(`# cleanup: ${e.message}`)
    }
  }
}

async function finish(code) {
  if (finishing) return
  finishing = true
  // Children first (they still write to the log), then the database and dirs.
  await cleanup()
  const failed = results.failed > 0 || code
  if (logStream) {
    const stream = logStream
    logStream = null
    await new Promise((r) => stream.end(r))
    if (failed) {
      await copyFile(stream.path, LAST_FAILURE_LOG).then(() => say(`# full log: ${LAST_FAILURE_LOG}`), () => {})
    } else {
      await rm(LAST_FAILURE_LOG, { force: true })
    }
  }
  if (workDir && !KEEP) await rm(workDir, { recursive: true, force: true })
  if (KEEP && workDir) say(`# kept ${workDir} (KEEP_INSTALL_CHECK=1)`)
  say(`# ${seconds(Date.now() - started)} in all`)
  say(`${results.passed} passed, ${results.failed} failed`)
  process.exit(failed ? 1 : 0)
}

// Importing embedded-postgres installs async-exit-hook, which ends the process
// on these signals before this script has stopped the store and dropped the
// database. The cleanup here stops an embedded PostgreSQL itself, last.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.removeAllListeners(signal)
  process.on(signal, () => {
    fail(`interrupted (${signal})`)
    finish(1)
  })
}

main().then(
  () => finish(0),
  (e) => {
    if (finishing) return
    if (!(e instanceof Fatal)) fail("the install check itself failed", e.stack ?? String(e))
    else say("# stopped: the remaining checks need that step")
    finish(1)
  }
)
