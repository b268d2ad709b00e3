// npm run simulator -- [flags]                 start the simulator
// npm run simulator -- <command> [args] [--url] drive a running one through its control API
//
// One binary, two roles: with no command (or "serve") it starts a server;
// with a command it is a thin client of /_sim/ on --url, so a person at a
// terminal can seed, push, despatch and inject faults on a running instance.

import { readFileSync } from "node:fs"
import { startSimulator } from "./index"
import type { FaultPatch } from "./faults"
import type { PushFormat } from "./messages"
import { DEFAULTS, type SimulatorOptions } from "./options"
import type { SimulatorUser } from "./types"

const HELP = `OrderFlow simulator - a stand-in for the OrderFlow WMS (see packages/orderflow-simulator/README.md)

USAGE
  npm run simulator -- [serve] [flags]           start the simulator
  npm run simulator -- <command> [args] [--url U] run one control command against a running simulator

SERVER FLAGS (defaults in brackets)
  --port N                 port to listen on [${DEFAULTS.port}] (0 = any free port)
  --host H                 interface [${DEFAULTS.host}]
  --context PATH           OrderFlow instance context path; the API is {context}/remotewarehouse/... [${DEFAULTS.context}]
  --user U --password P    HTTP Basic user accepted (realm RTD; also the user/password headers) [${DEFAULTS.user}/${DEFAULTS.password}]
  --users-json JSON        several users: [{"user":"a","password":"b","channels":["x"],"organisations":["o"]}]
  --organisation REF       the organisation it knows [${DEFAULTS.organisation}]
  --channel REF[,REF]      the channel(s) of that organisation [${DEFAULTS.channel}]
  --sites A[,B]            site references; the first is the default site [DEFAULT]
  --store-url URL          where pushes go: POST {url}/orderflow/inventory and /orderflow/shipment
  --store-user U           HTTP Basic user for pushes (no Authorization header when unset)
  --store-password P       HTTP Basic password for pushes
  --push-format F          json | xml | soap [json]
  --chunk-size N           inventory.notification.chunk.size: SKUs per inventory message [${DEFAULTS.chunkSize}]
  --push-retries N         retries after the first attempt before a message is failed [${DEFAULTS.pushRetries}]
  --push-retry-delay-ms N  back-off base: retry n waits N * 2^(n-1) ms [${DEFAULTS.pushRetryDelayMs}]
  --push-timeout-ms N      per-attempt push timeout [${DEFAULTS.pushTimeoutMs}]
  --push-concurrency N     pushes in flight at once [${DEFAULTS.pushConcurrency}]
  --auto-push [MS]         incremental inventory push MS ms after stock changes [off; bare flag = 5000]
  --negative-as-zero       send negative available figures as 0 [off]
  --time-zone ZONE         IANA zone of the yyyy-MM-dd HH:mm:ss times it sends and reads [UTC]
  --seed N                 seed for every random choice (faults, shuffles, generated data) [random, printed]
  --state-file PATH        load state from / save state to this JSON file [in memory]
  --error-status N         HTTP status sent with <error> documents [${DEFAULTS.errorStatus}]
  --cancel-changes-reference  default of cancel.xml's cancelChangesExternalReference [false]
  --strict[=false]         strict imports: undocumented property, malformed value or unknown code = importFailures line
                           [on; env ORDERFLOW_SIM_STRICT=true|false when the flag is not given]
  --tax-codes A[,B]        tax codes OrderFlow knows, checked in strict mode [T1,T2]
  --seed-products N        generate N products at start (with --seed-prefix P [SIM-], --seed-stock N|MIN-MAX [100])
  --quiet                  no progress lines
  Inbound faults (rates are 0..1, rolled per request with the seeded PRNG):
  --error-rate R           HTTP 500/503 with an HTML body (request not applied)
  --latency-ms N|MIN-MAX   delay before every answer
  --timeout-rate R         accept, stay silent --timeout-ms [30000], then close (request applied)
  --drop-rate R            destroy the connection without answering (request not applied)
  --malformed-rate R       truncated XML answer (request applied)
  --html-rate R            HTML login page with status 200 (request not applied)
  --omit-rate R            per import item: applied but missing from importResult
  --fault-path TEXT        rate faults only for routes containing TEXT
  Push faults:
  --duplicate-rate R       deliver a message twice
  --shuffle-window N       release messages in shuffled windows of N (out-of-order delivery)
  --help                   this text

COMMANDS (client of a running simulator; --url [http://127.0.0.1:9100] or ORDERFLOW_SIM_URL)
  state                                   counters, sizes, delivery summary, faults
  config [--store-url U] [--store-user U] [--store-password P] [--push-format F] [--chunk-size N] ...
  seed --count N [--prefix P] [--stock N|MIN-MAX]    generate products
  seed --file products.json               [{"sku":"A","description":"..","stock":10}] or {"products":[...]}
  stock SKU TOTAL [--site S] [--adjust]   set (or with --adjust add to) the total stock
  products [--sku TEXT] [--limit N]       list products with stock per site
  orders | order REF                      list orders / show one
  push single SKU | push full | push incremental [--no-wait] [--timeout-ms N]
                                          create inventory messages; waits and prints progress unless --no-wait
  despatch ORDER [--lines SKU:QTY,...] [--tracking T1,T2] [--courier C] [--service S]
           [--comment TEXT] [--email] [--include-comment] [--date-shipped "yyyy-MM-dd HH:mm:ss"] [--force]
  shipment-state REF STATE                REF = order or shipment reference; STATE = ready|allocated|on_hold|picked|packed|...
  cancel ORDER [--change-reference]       cancel from the warehouse side
  deliveries [--status pending|delivered|failed]
  retry [ID ...]                          re-queue failed messages (all when no id)
  documents [--path TEXT] [--limit N]     requests received on the OrderFlow API
  faults                                  show faults
  faults set [fault flags as above]       set rate faults
  faults clear                            remove every fault
  fail-next N FAULT [--path TEXT] [--status N] [--applied true|false]
                                          FAULT = error|timeout|drop|malformed|html|omit
  reset [--counters]                      empty everything (counters keep rising unless --counters)

CONTROL API (JSON, no auth, at the server root)
  GET  /_sim/state                         GET/POST /_sim/config   GET /_sim/import-fields (strict mode's table)
  POST /_sim/seed      {"products":[{"sku","description","stock"}], "generate":{"count","prefix","stock"}}
  POST /_sim/stock     {"sku","site","total","damaged","quarantined","inspection","frozen","mode":"set|adjust"} (or an array)
  GET  /_sim/products[?sku=&limit=&offset=]   GET /_sim/products/:sku
  GET  /_sim/orders    GET /_sim/orders/:ref   POST /_sim/orders/:ref/cancel {"changeExternalReference"}
  GET  /_sim/shipments[?state=]                POST /_sim/shipments/:ref/state {"state":"packed"}
  GET  /_sim/returns[?state=created|applied]   GET /_sim/returns/:id
  POST /_sim/returns/:id/apply {"condition":"As new","lines":[{"product","condition"}]}
  POST /_sim/despatch  {"orderReference","shipmentReference","lines":[{"sku","qty"}],"trackingNumbers":[..],
                        "packages":[{"trackingNumber","lines"}],"courierName","serviceName","comment","email",
                        "includeComment","dateShipped","force","push","wait"}
  GET  /_sim/documents[?path=&method=&since=&limit=]   GET /_sim/documents/:id   DELETE /_sim/documents
  GET|POST|DELETE /_sim/faults  {"inbound":{..rates..},"next":[{"fault","count","path","status","applied","timeoutMs","omit"}],
                                 "push":{"duplicateRate","duplicateNext","giveUpNext","shuffleWindow","shuffleOrder","shuffleHoldMs"}}
  POST /_sim/push      {"mode":"single|full|incremental","sku","wait","timeoutMs"}
  GET  /_sim/deliveries[?status=&since=&limit=&view=summary|full]   GET /_sim/deliveries/:id
  POST /_sim/deliveries/retry {"ids":[..]}   POST /_sim/deliveries/flush   POST /_sim/deliveries/wait {"ids","timeoutMs"}
  POST /_sim/reset     {"counters":false}
`

const BOOLEAN_FLAGS = new Set([
  "help",
  "strict",
  "negative-as-zero",
  "cancel-changes-reference",
  "quiet",
  "adjust",
  "no-wait",
  "email",
  "include-comment",
  "force",
  "counters",
  "change-reference",
])

interface ParsedArgs {
  positional: string[]
  flags: Map<string, string>
}

function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = []
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith("--")) {
      positional.push(a)
      continue
    }
    const eq = a.indexOf("=")
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2)
    if (eq > 0) flags.set(name, a.slice(eq + 1))
    else if (BOOLEAN_FLAGS.has(name)) flags.set(name, "true")
    else if (name === "auto-push") {
      // Optional value.
      const next = argv[i + 1]
      if (next !== undefined && /^\d+$/.test(next)) flags.set(name, argv[++i])
      else flags.set(name, "5000")
    } else {
      const next = argv[i + 1]
      if (next === undefined) throw new Error(`--${name} needs a value`)
      flags.set(name, next)
      i++
    }
  }
  return { positional, flags }
}

function int(flags: Map<string, string>, name: string): number | undefined {
  const v = flags.get(name)
  if (v === undefined) return undefined
  if (!/^-?\d+$/.test(v)) throw new Error(`--${name} must be an integer, got '${v}'`)
  return Number(v)
}

function rate(flags: Map<string, string>, name: string): number | undefined {
  const v = flags.get(name)
  if (v === undefined) return undefined
  const n = Number(v)
  if (!(n >= 0 && n <= 1)) throw new Error(`--${name} must be between 0 and 1, got '${v}'`)
  return n
}

function range(text: string | undefined): number | [number, number] | undefined {
  if (text === undefined) return undefined
  const m = /^(\d+)(?:-(\d+))?$/.exec(text)
  if (!m) throw new Error(`Expected N or MIN-MAX, got '${text}'`)
  return m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])]
}

const KNOWN_SERVER_FLAGS = new Set([
  "port", "host", "context", "user", "password", "users-json", "organisation", "channel", "sites", "store-url", "store-user",
  "store-password", "push-format", "chunk-size", "push-retries", "push-retry-delay-ms", "push-timeout-ms", "push-concurrency",
  "auto-push", "negative-as-zero", "time-zone", "seed", "state-file", "error-status", "cancel-changes-reference", "seed-products",
  "seed-prefix", "seed-stock", "strict", "tax-codes", "quiet", "help", "error-rate", "latency-ms", "timeout-rate", "timeout-ms", "drop-rate",
  "malformed-rate", "html-rate", "omit-rate", "fault-path", "duplicate-rate", "shuffle-window",
])

function faultFlags(flags: Map<string, string>): FaultPatch {
  const inbound = {
    errorRate: rate(flags, "error-rate"),
    latencyMs: range(flags.get("latency-ms")),
    timeoutRate: rate(flags, "timeout-rate"),
    timeoutMs: int(flags, "timeout-ms"),
    dropRate: rate(flags, "drop-rate"),
    malformedRate: rate(flags, "malformed-rate"),
    htmlRate: rate(flags, "html-rate"),
    omitRate: rate(flags, "omit-rate"),
    path: flags.get("fault-path"),
  }
  const push = { duplicateRate: rate(flags, "duplicate-rate"), shuffleWindow: int(flags, "shuffle-window") }
  const clean = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
  return { inbound: clean(inbound), push: clean(push) }
}

/** --strict, --strict=false, or ORDERFLOW_SIM_STRICT; undefined leaves the default (on). */
function strictFlag(value: string | undefined): boolean | undefined {
  if (value === undefined || value === "") return undefined
  if (/^(true|1|yes|on)$/i.test(value)) return true
  if (/^(false|0|no|off)$/i.test(value)) return false
  throw new Error(`--strict / ORDERFLOW_SIM_STRICT must be true or false, got '${value}'`)
}

async function serve(flags: Map<string, string>): Promise<void> {
  for (const name of flags.keys()) if (!KNOWN_SERVER_FLAGS.has(name)) throw new Error(`Unknown flag --${name} (see --help)`)
  const quiet = flags.get("quiet") === "true"
  const log = quiet ? () => {} : (line: string) => console.log(`[simulator] ${line}`)
  const users = flags.get("users-json") ? (JSON.parse(flags.get("users-json")!) as SimulatorUser[]) : undefined
  const options: SimulatorOptions = {
    port: int(flags, "port"),
    host: flags.get("host"),
    context: flags.get("context"),
    user: flags.get("user"),
    password: flags.get("password"),
    users,
    organisation: flags.get("organisation"),
    channel: flags.get("channel"),
    sites: flags.get("sites")?.split(","),
    storeUrl: flags.get("store-url"),
    storeUser: flags.get("store-user"),
    storePassword: flags.get("store-password"),
    pushFormat: flags.get("push-format") as PushFormat | undefined,
    chunkSize: int(flags, "chunk-size"),
    pushRetries: int(flags, "push-retries"),
    pushRetryDelayMs: int(flags, "push-retry-delay-ms"),
    pushTimeoutMs: int(flags, "push-timeout-ms"),
    pushConcurrency: int(flags, "push-concurrency"),
    autoPushMs: int(flags, "auto-push"),
    negativeAsZero: flags.get("negative-as-zero") === "true",
    timeZone: flags.get("time-zone"),
    seed: flags.get("seed") !== undefined && /^\d+$/.test(flags.get("seed")!) ? Number(flags.get("seed")) : flags.get("seed"),
    stateFile: flags.get("state-file"),
    errorStatus: int(flags, "error-status"),
    cancelChangesExternalReference: flags.get("cancel-changes-reference") === "true",
    strict: strictFlag(flags.get("strict") ?? process.env.ORDERFLOW_SIM_STRICT),
    taxCodes: flags.get("tax-codes")?.split(","),
    faults: faultFlags(flags),
    log,
  }
  const sim = await startSimulator(options)
  const count = int(flags, "seed-products")
  if (count) {
    const stock = range(flags.get("seed-stock")) ?? 100
    const result = sim.control.seed({ generate: { count, prefix: flags.get("seed-prefix"), stock } })
    log(`seeded ${result.created} products (${result.first} .. ${result.last})`)
  }
  const o = sim.options
  console.log(`OrderFlow simulator listening on ${sim.url}`)
  console.log(`  OrderFlow endpoint : ${sim.baseUrl}   (user ${o.users.map((u) => u.user).join(", ")})`)
  console.log(`  organisations      : ${o.organisations.map((x) => `${x.reference} [channels ${x.channels.join(", ")}]`).join("; ")}`)
  console.log(`  sites              : ${o.sites.join(", ")}`)
  console.log(`  imports            : ${o.strict ? `strict (seed 002 fields only; tax codes ${o.taxCodes.join(", ")})` : "lenient (--strict=false)"}`)
  console.log(`  pushes             : ${o.storeUrl ? `${o.storeUrl}/orderflow/{inventory,shipment} as ${o.pushFormat}` : "no --store-url (messages stay queued)"}`)
  console.log(`  control API        : ${sim.url}/_sim/state   seed ${o.seed}${o.stateFile ? `   state file ${o.stateFile}` : ""}`)
  const stop = async () => {
    await sim.close()
    process.exit(0)
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
}

// ---- client commands --------------------------------------------------------------------------------

async function call(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}/_sim/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error(`${method} /_sim/${path}: ${res.status} ${(json as { error?: string }).error ?? ""}`)
  return json
}

const print = (v: unknown) => console.log(JSON.stringify(v, null, 2))

/** Polls the messages of a push and prints progress until all are delivered or failed. */
async function followPush(base: string, ids: number[], timeoutMs: number): Promise<void> {
  const started = Date.now()
  const since = Math.min(...ids) - 1
  let last = ""
  for (;;) {
    const { deliveries } = await call(base, "GET", `deliveries?view=summary&since=${since}&limit=100000`)
    const mine = (deliveries as { messageSeqId: number; status: string }[]).filter((d) => ids.includes(d.messageSeqId))
    const delivered = mine.filter((d) => d.status === "delivered").length
    const failed = mine.filter((d) => d.status === "failed").length
    const line = `delivered ${delivered}/${ids.length}${failed ? `, failed ${failed}` : ""}`
    if (line !== last) console.log(`  ${line}  (${((Date.now() - started) / 1000).toFixed(1)} s)`)
    last = line
    if (delivered + failed >= ids.length) return
    if (Date.now() - started > timeoutMs) {
      console.log("  timed out waiting; the messages are still queued (see: deliveries)")
      return
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

async function client(command: string, args: string[], flags: Map<string, string>): Promise<void> {
  const base = (flags.get("url") ?? process.env.ORDERFLOW_SIM_URL ?? `http://127.0.0.1:${DEFAULTS.port}`).replace(/\/$/, "")
  switch (command) {
    case "state":
      return print(await call(base, "GET", "state"))
    case "config": {
      const patch: Record<string, unknown> = {
        storeUrl: flags.get("store-url"),
        storeUser: flags.get("store-user"),
        storePassword: flags.get("store-password"),
        pushFormat: flags.get("push-format"),
        chunkSize: int(flags, "chunk-size"),
        pushRetries: int(flags, "push-retries"),
        pushRetryDelayMs: int(flags, "push-retry-delay-ms"),
        pushTimeoutMs: int(flags, "push-timeout-ms"),
        pushConcurrency: int(flags, "push-concurrency"),
        autoPushMs: int(flags, "auto-push"),
        errorStatus: int(flags, "error-status"),
        strict: strictFlag(flags.get("strict")),
        taxCodes: flags.get("tax-codes")?.split(","),
      }
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
      return print(Object.keys(defined).length ? await call(base, "POST", "config", defined) : await call(base, "GET", "config"))
    }
    case "seed": {
      if (flags.get("file")) {
        const data = JSON.parse(readFileSync(flags.get("file")!, "utf8"))
        return print(await call(base, "POST", "seed", Array.isArray(data) ? { products: data } : data))
      }
      const count = int(flags, "count")
      if (count === undefined) throw new Error("seed needs --count N or --file F")
      return print(await call(base, "POST", "seed", { generate: { count, prefix: flags.get("prefix"), stock: range(flags.get("stock")) } }))
    }
    case "stock": {
      const [sku, total] = args
      if (!sku || total === undefined || !/^-?\d+$/.test(total)) throw new Error("usage: stock SKU TOTAL [--site S] [--adjust]")
      return print(await call(base, "POST", "stock", { sku, site: flags.get("site"), total: Number(total), mode: flags.get("adjust") ? "adjust" : "set" }))
    }
    case "products":
      return print(await call(base, "GET", `products?sku=${encodeURIComponent(flags.get("sku") ?? "")}&limit=${int(flags, "limit") ?? 100}`))
    case "orders":
      return print(await call(base, "GET", "orders"))
    case "order":
      return print(await call(base, "GET", `orders/${encodeURIComponent(args[0] ?? "")}`))
    case "push": {
      const [mode, sku] = args
      if (!["single", "full", "incremental"].includes(mode)) throw new Error("usage: push single SKU | push full | push incremental")
      const result = await call(base, "POST", "push", { mode, sku })
      const ids = (result.messages as { messageSeqId: number }[]).map((m) => m.messageSeqId)
      console.log(`${mode} push: ${ids.length} message(s)${ids.length ? ` (messageSeqId ${ids[0]}..${ids[ids.length - 1]})` : ""}`)
      if (ids.length && flags.get("no-wait") !== "true") await followPush(base, ids, int(flags, "timeout-ms") ?? 600000)
      return
    }
    case "despatch": {
      const [orderReference] = args
      if (!orderReference) throw new Error("usage: despatch ORDER [--lines SKU:QTY,...] [--tracking T1,T2] ...")
      const lines = flags.get("lines")?.split(",").map((pair) => {
        const i = pair.lastIndexOf(":")
        return { sku: pair.slice(0, i), qty: Number(pair.slice(i + 1)) }
      })
      return print(
        await call(base, "POST", "despatch", {
          orderReference,
          lines,
          trackingNumbers: flags.get("tracking")?.split(","),
          courierName: flags.get("courier"),
          serviceName: flags.get("service"),
          comment: flags.get("comment"),
          email: flags.get("email") === "true" ? true : undefined,
          includeComment: flags.get("include-comment") === "true" ? true : undefined,
          dateShipped: flags.get("date-shipped"),
          force: flags.get("force") === "true" ? true : undefined,
        })
      )
    }
    case "shipment-state": {
      const [reference, state] = args
      if (!reference || !state) throw new Error("usage: shipment-state REF STATE")
      return print(await call(base, "POST", `shipments/${encodeURIComponent(reference)}/state`, { state }))
    }
    case "cancel":
      return print(await call(base, "POST", `orders/${encodeURIComponent(args[0] ?? "")}/cancel`, { changeExternalReference: flags.get("change-reference") === "true" }))
    case "deliveries":
      return print(await call(base, "GET", `deliveries?view=summary${flags.get("status") ? `&status=${flags.get("status")}` : ""}`))
    case "retry":
      return print(await call(base, "POST", "deliveries/retry", args.length ? { ids: args.map(Number) } : {}))
    case "documents":
      return print(await call(base, "GET", `documents?path=${encodeURIComponent(flags.get("path") ?? "")}&limit=${int(flags, "limit") ?? 20}`))
    case "faults": {
      if (args[0] === "clear") return print(await call(base, "DELETE", "faults"))
      if (args[0] === "set") return print(await call(base, "POST", "faults", faultFlags(flags)))
      return print(await call(base, "GET", "faults"))
    }
    case "fail-next": {
      const [count, fault] = args
      if (!count || !fault) throw new Error("usage: fail-next N FAULT [--path TEXT]")
      const applied = flags.get("applied")
      return print(
        await call(base, "POST", "faults", {
          next: [{ fault, count: Number(count), path: flags.get("path"), status: int(flags, "status"), applied: applied === undefined ? undefined : applied === "true" }],
        })
      )
    }
    case "reset":
      return print(await call(base, "POST", "reset", { counters: flags.get("counters") === "true" }))
    default:
      throw new Error(`Unknown command '${command}' (see --help)`)
  }
}

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2))
  if (flags.get("help") === "true") {
    console.log(HELP)
    return
  }
  const [command, ...args] = positional
  if (!command || command === "serve") return serve(flags)
  return client(command, args, flags)
}

main().catch((e: unknown) => {
  console.error(`error: ${(e as Error).message}`)
  process.exit(1)
})
