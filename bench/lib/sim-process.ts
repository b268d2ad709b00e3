// The OrderFlow simulator in its own process, for benchmarks that measure the
// store: OrderFlow is another machine, so its work (parsing the documents,
// allocating, answering) must not be counted in the store's time or RSS, as it
// was while the simulator ran in the store's process. Forked with IPC; the
// parent talks to it through `call`. Messages: { id, call, args } → { id, result } or { id, error }.
import { fork } from "node:child_process"
import path from "node:path"
import type { SimulatorOptions } from "orderflow-simulator"

export type SimulatorProcess = {
  baseUrl: string
  /** Seeds products (as control.seed). */
  seed(products: Array<{ sku: string; description: string; stock: number }>): Promise<void>
  /** The orders it holds: how many, and the distinct line counts of their first shipments. */
  orders(): Promise<{ count: number; lineCounts: number[] }>
  close(): Promise<void>
}

export async function startSimulatorProcess(options: Partial<SimulatorOptions>): Promise<SimulatorProcess> {
  const child = fork(path.join(__dirname, "sim-process-child.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] })
  let next = 0
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>()
  child.on("message", (msg: { id: number; result?: unknown; error?: string }) => {
    const waiter = pending.get(msg.id)
    if (!waiter) return
    pending.delete(msg.id)
    if (msg.error) waiter.reject(new Error(`simulator process: ${msg.error}`))
    else waiter.resolve(msg.result)
  })
  child.on("exit", (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`simulator process exited (${code})`))
    pending.clear()
  })
  const call = <T>(name: string, args?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next
      pending.set(id, { resolve, reject })
      child.send({ id, call: name, args })
    })
  const { baseUrl } = await call<{ baseUrl: string }>("start", options)
  return {
    baseUrl,
    seed: (products) => call("seed", products),
    orders: () => call("orders"),
    close: async () => {
      await call("close").catch(() => undefined)
      if (child.exitCode === null) child.kill()
    },
  }
}
