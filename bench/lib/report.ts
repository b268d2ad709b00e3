// One row of the summary table `npm run bench` ends with. Each benchmark
// prints its rows as `BENCH-ROW {json}` lines and, when bench/run.ts started
// it, appends them to BENCH_RESULTS_FILE (one JSON object a line), which the
// runner reads back once every benchmark has finished.
import { appendFileSync } from "node:fs"

export type BenchRow = {
  benchmark: string
  /** What is measured, with its batch size and concurrency (the floor uses the same). */
  measure: string
  /** Unit of plugin and floor: "lines/s", "shipments/s", "ms p50"... */
  unit: string
  plugin: number
  /** The same work done by Medusa alone, in the same run, on the same data, at the same batch size and concurrency. */
  floor?: number | null
  floorLabel?: string
  /** plugin / floor for rates (≥ 1: the plugin is as fast as the floor); floor / plugin for times. Filled in by reportRow. */
  ratio?: number | null
  /** SQL statements per unit of work (line, shipment, order, batch...). */
  queriesPerUnit?: number | null
  queriesUnit?: string
  floorQueriesPerUnit?: number | null
  peakRssMb?: number | null
  target?: string
}

/** Higher is better for rates ("…/s"), lower for times. */
export const isRate = (unit: string) => unit.endsWith("/s")

export function reportRow(row: BenchRow) {
  const ratio =
    row.floor === undefined || row.floor === null || !row.floor || !row.plugin
      ? null
      : isRate(row.unit)
        ? row.plugin / row.floor
        : row.floor / row.plugin
  const full = { ...row, ratio }
  process.stdout.write(`BENCH-ROW ${JSON.stringify(full)}\n`)
  if (process.env.BENCH_RESULTS_FILE) appendFileSync(process.env.BENCH_RESULTS_FILE, `${JSON.stringify({ row: full })}\n`)
}

/** The database server's version, recorded once for bench/results.md. */
export function reportPostgres(version: string) {
  if (process.env.BENCH_RESULTS_FILE) appendFileSync(process.env.BENCH_RESULTS_FILE, `${JSON.stringify({ postgres: version })}\n`)
}
