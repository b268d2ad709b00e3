// Benchmark of the simulator's push side: a full stock push of 10,000 SKUs
// (100 messages of inventory.notification.chunk.size = 100) with duplicate
// and out-of-order delivery switched on, into a stub store that answers 200.
//
//   npx tsx bench/simulator-push.ts [--skus 10000] [--chunk-size 100] [--concurrency 1]
//                                   [--duplicate-rate 0.1] [--shuffle-window 10] [--format json|xml|soap]

import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { startSimulator } from "orderflow-simulator"
import type { PushFormat } from "orderflow-simulator/messages"
import { reportRow } from "./lib/report"

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback
}

const SKUS = Number(arg("skus", "10000"))
const CHUNK = Number(arg("chunk-size", "100"))
const CONCURRENCY = Number(arg("concurrency", "1"))
const DUPLICATE_RATE = Number(arg("duplicate-rate", "0.1"))
const SHUFFLE_WINDOW = Number(arg("shuffle-window", "10"))
const FORMAT = arg("format", "json") as PushFormat

/** The stub store: counts messages and SKU lines, and notices re-deliveries of a messageSeqId. */
async function startStub() {
  const stats = { requests: 0, lines: 0, duplicates: 0, bytes: 0, outOfOrder: 0 }
  const seen = new Set<number>()
  let highest = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8")
      stats.requests++
      stats.bytes += body.length
      let id: number
      if (FORMAT === "json") {
        const json = JSON.parse(body) as { messageSeqId: number; productQtys: unknown[] }
        id = json.messageSeqId
        stats.lines += json.productQtys.length
      } else {
        id = Number(/<messageSeqId[^>]*>(\d+)</.exec(body)?.[1])
        stats.lines += (body.match(FORMAT === "soap" ? /<item xsi:type="ns1:skuQty">/g : /<productQty>/g) ?? []).length
      }
      if (seen.has(id)) stats.duplicates++
      else if (id < highest) stats.outOfOrder++
      seen.add(id)
      highest = Math.max(highest, id)
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify(`Success - Message ${id} Received`))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    uniqueMessages: () => seen.size,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function main(): Promise<void> {
  const stub = await startStub()
  const sim = await startSimulator({
    port: 0,
    seed: 2026,
    storeUrl: stub.url,
    storeUser: "bench",
    storePassword: "bench",
    chunkSize: CHUNK,
    pushConcurrency: CONCURRENCY,
    pushFormat: FORMAT,
    faults: { push: { duplicateRate: DUPLICATE_RATE, shuffleWindow: SHUFFLE_WINDOW } },
  })
  try {
    const seedStarted = performance.now()
    sim.control.seed({ generate: { count: SKUS, prefix: "BENCH-", stock: [0, 500] } })
    const seedMs = performance.now() - seedStarted

    const started = performance.now()
    const out = await sim.control.pushInventory({ mode: "full", wait: true, timeoutMs: 120000 })
    const duplicatesPlanned = out.messages.filter((m) => m.duplicate).length
    // wait resolves on the originals; the duplicate copies may still be in flight.
    const deadline = Date.now() + 60000
    while (stub.stats.requests < out.messages.length + duplicatesPlanned && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2))
    }
    const elapsed = (performance.now() - started) / 1000

    const failed = out.messages.filter((m) => m.status !== "delivered").length
    const s = stub.stats
    console.log(`simulator push benchmark (${FORMAT}, chunk ${CHUNK}, concurrency ${CONCURRENCY}, duplicate rate ${DUPLICATE_RATE}, shuffle window ${SHUFFLE_WINDOW})`)
    console.log(`  seeded               ${SKUS} SKUs in ${seedMs.toFixed(0)} ms`)
    console.log(`  messages created     ${out.messages.length} (every one delivered: ${failed === 0 && stub.uniqueMessages() === out.messages.length})`)
    console.log(`  requests received    ${s.requests} (${(s.bytes / 1024 / 1024).toFixed(1)} MiB)`)
    console.log(`  duplicates delivered ${s.duplicates}`)
    console.log(`  out-of-order arrivals ${s.outOfOrder}`)
    console.log(`  elapsed              ${elapsed.toFixed(2)} s`)
    console.log(`  messages/s           ${(s.requests / elapsed).toFixed(0)}`)
    console.log(`  SKU lines/s          ${(s.lines / elapsed).toFixed(0)}`)
    reportRow({ benchmark: "simulator-push", measure: `${SKUS} SKUs in messages of ${CHUNK}, concurrency ${CONCURRENCY}, to a stub receiver (the test peer, no floor)`, unit: "SKU lines/s", plugin: s.lines / elapsed })
    if (failed > 0 || stub.uniqueMessages() !== out.messages.length) process.exitCode = 1
  } finally {
    await sim.close()
    await stub.close()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
