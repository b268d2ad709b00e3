// npm run bench [-- name...]: runs the benchmarks one after the other (each in
// its own process, so peak RSS is its own), prints their figures, and ends
// with one summary table (plugin, floor, ratio, queries per unit, peak RSS),
// also written to bench/results.md with the machine it ran on.
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import type { BenchRow } from "./lib/report"

const ALL = ["simulator-push", "inventory-import", "product-export", "order-export", "order-export-event", "shipment-import", "latency", "inbound-flood", "stock-drift"]
/**
 * Other modes of a benchmark file. inventory-import-200k runs by name only (not in ALL).
 * inventory-import-200k grows the store to 200,000 SKUs after the usual apply
 * (bench/inventory-import.ts part 3); it takes several minutes more, so the
 * default run leaves it out.
 */
const VARIANTS: Record<string, { file: string; args: string[] }> = {
  // The order export's runs as an event (a captured payment) starts them:
  // the same steps, not stored as workflow executions.
  "order-export-event": { file: "order-export", args: ["--path", "event"] },
  "inventory-import-200k": { file: "inventory-import", args: ["--skus", "200000"] },
}
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"))
const names = wanted.length ? wanted : ALL
const tsx = path.join(__dirname, "..", "node_modules", ".bin", "tsx")
const resultsDir = mkdtempSync(path.join(os.tmpdir(), "orderflow-bench-"))
const resultsFile = path.join(resultsDir, "rows.jsonl")
writeFileSync(resultsFile, "")
const loadBefore = os.loadavg()
const startedAt = new Date()
const outcomes: Array<{ name: string; seconds: number; status: number | null | "absent" }> = []
for (const name of names) {
  const variant = VARIANTS[name]
  const file = path.join(__dirname, `${variant?.file ?? name}.ts`)
  if (!existsSync(file)) {
    process.stdout.write(`\n== ${name}: not present, skipped\n`)
    outcomes.push({ name, seconds: 0, status: "absent" })
    continue
  }
  process.stdout.write(`\n== ${name}\n`)
  const started = Date.now()
  const res = spawnSync(tsx, [file, ...(variant?.args ?? [])], { stdio: "inherit", env: { LOG_LEVEL: "error", ...process.env, BENCH_RESULTS_FILE: resultsFile } })
  const seconds = (Date.now() - started) / 1000
  process.stdout.write(`   (${name} took ${seconds.toFixed(0)} s, exit ${res.status})\n`)
  outcomes.push({ name, seconds, status: res.status })
}

const records = readFileSync(resultsFile, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { row?: BenchRow; postgres?: string })
rmSync(resultsDir, { recursive: true, force: true })
const rows = records.flatMap((r) => (r.row ? [r.row] : []))
const postgres = [...new Set(records.flatMap((r) => (r.postgres ? [r.postgres] : [])))].join(", ") || "not reported"

const num = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n) ? "—" : n.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const figure = (n: number | null | undefined) => (n !== null && n !== undefined && Math.abs(n) < 100 ? num(n, 1) : num(n))
const header = ["benchmark", "measure (batch, concurrency)", "unit", "plugin", "floor", "floor is", "ratio", "queries per unit (plugin / floor)", "peak RSS MB", "target"]
const table = [
  `| ${header.join(" | ")} |`,
  `| ${header.map(() => "---").join(" | ")} |`,
  ...rows.map((r) =>
    [
      r.benchmark,
      r.measure,
      r.unit,
      figure(r.plugin),
      figure(r.floor),
      r.floorLabel ?? "—",
      r.ratio === null || r.ratio === undefined ? "—" : `${num(r.ratio, 2)}×`,
      r.queriesPerUnit === null || r.queriesPerUnit === undefined
        ? "—"
        : `${num(r.queriesPerUnit, 3)}${r.floorQueriesPerUnit !== null && r.floorQueriesPerUnit !== undefined ? ` / ${num(r.floorQueriesPerUnit, 3)}` : ""} per ${r.queriesUnit ?? "unit"}`,
      num(r.peakRssMb),
      r.target ?? "—",
    ]
      .map((c) => String(c).replace(/\|/g, "\\|"))
      .join(" | ")
  ).map((l) => `| ${l} |`),
]
const failed = outcomes.filter((o) => o.status !== 0 && o.status !== "absent")
const cpus = os.cpus()
const machine = [
  `- when: ${startedAt.toISOString()} to ${new Date().toISOString()}`,
  `- command: \`npm run bench${wanted.length ? ` -- ${wanted.join(" ")}` : ""}\`${process.env.DB_HOST ? ` with DB_HOST=${process.env.DB_HOST}` : " (embedded PostgreSQL)"}`,
  `- CPU: ${cpus[0]?.model ?? "unknown"}, ${cpus.length} cores`,
  `- memory: ${num(os.totalmem() / 1024 ** 3, 1)} GiB`,
  `- node ${process.version}, PostgreSQL ${postgres}, ${os.type()} ${os.release()}`,
  `- load average (1/5/15 min) at the start ${loadBefore.map((l) => l.toFixed(2)).join(" / ")}, at the end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ")}`,
  `- benchmarks: ${outcomes.map((o) => `${o.name} ${o.status === "absent" ? "absent" : `${o.seconds.toFixed(0)} s${o.status === 0 ? "" : ` (FAILED, exit ${o.status})`}`}`).join(", ")}`,
]
const how = [
  "Each benchmark runs the plugin and its floor (the same work done by Medusa alone) in one process, in the same run, on the same data,",
  "at the same batch size and concurrency. Ratio: plugin ÷ floor for rates (1.00× = as fast as Medusa alone, higher is better);",
  "floor ÷ plugin for times. Absolute figures move with the machine's load; the ratio is the figure to compare.",
]
process.stdout.write(`\n== summary\n\n${machine.join("\n")}\n\n${table.join("\n")}\n\n${how.join("\n")}\n`)
// A partial run (some benchmarks named) prints its table but leaves the full run's results file alone.
if (!wanted.length || process.env.BENCH_WRITE_RESULTS === "1") {
  writeFileSync(path.join(__dirname, "results.md"), `# Benchmark results\n\nWritten by \`npm run bench\` (bench/run.ts).\n\n${machine.join("\n")}\n\n${table.join("\n")}\n\n${how.join("\n")}\n`)
  process.stdout.write(`\n(written to bench/results.md)\n`)
}
process.exit(failed.length ? 1 : 0)
