// npm run bench [-- name...]: runs the benchmarks one after the other (each in
// its own process, so peak RSS is its own) and prints their figures.
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import path from "node:path"

const ALL = ["simulator-push", "inventory-import", "product-export", "order-export", "shipment-import", "latency", "inbound-flood", "stock-drift"]
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"))
const names = wanted.length ? wanted : ALL
const tsx = path.join(__dirname, "..", "node_modules", ".bin", "tsx")
let failed = 0
for (const name of names) {
  const file = path.join(__dirname, `${name}.ts`)
  if (!existsSync(file)) {
    process.stdout.write(`\n== ${name}: not present, skipped\n`)
    continue
  }
  process.stdout.write(`\n== ${name}\n`)
  const started = Date.now()
  const res = spawnSync(tsx, [file], { stdio: "inherit", env: { LOG_LEVEL: "error", ...process.env } })
  process.stdout.write(`   (${name} took ${((Date.now() - started) / 1000).toFixed(0)} s, exit ${res.status})\n`)
  if (res.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
