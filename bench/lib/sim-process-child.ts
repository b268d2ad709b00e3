// The child side of sim-process.ts: one simulator, driven over IPC.
import { startSimulator, type Simulator, type SimulatorOptions } from "orderflow-simulator"

let sim: Simulator | undefined

const calls: Record<string, (args: any) => Promise<unknown> | unknown> = {
  async start(options: Partial<SimulatorOptions>) {
    sim = await startSimulator({ port: 0, log: false, ...options })
    return { baseUrl: sim.baseUrl }
  },
  seed(products: Array<{ sku: string; description: string; stock: number }>) {
    sim!.control.seed({ products })
    return true
  },
  orders() {
    const orders = [...sim!.state.orders.values()]
    return { count: orders.length, lineCounts: [...new Set(orders.map((o) => o.shipments[0].lines.length))] }
  },
  async close() {
    await sim?.close()
    setImmediate(() => process.exit(0))
    return true
  },
}

process.on("message", async (msg: { id: number; call: string; args: unknown }) => {
  try {
    process.send!({ id: msg.id, result: await calls[msg.call](msg.args) })
  } catch (e) {
    process.send!({ id: msg.id, error: (e as Error).stack ?? String(e) })
  }
})
process.on("disconnect", () => process.exit(0))
