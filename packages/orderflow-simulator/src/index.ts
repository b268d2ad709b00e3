// The OrderFlow simulator: a stand-in for the OrderFlow WMS that the plugin's
// tests, the demo and the benchmarks run against. See packages/orderflow-simulator/README.md.
//
//   const sim = await startSimulator({ port: 0 })
//   sim.baseUrl   // the OrderFlow endpoint for the plugin (url + context)
//   sim.control   // seed, setStock, setFaults, pushInventory, despatch, ...
//   await sim.close()

import { SimulatorControl } from "./control"
import { DocumentLog } from "./documents"
import { Faults } from "./faults"
import { OrderFlowApi } from "./orderflow-api"
import { resolveOptions, type ResolvedOptions, type SimulatorOptions } from "./options"
import { loadState, saveState } from "./persistence"
import { createPrng, randomSeed } from "./prng"
import { Pusher } from "./push"
import { SimulatorServer } from "./server"
import type { WarehouseState } from "./types"
import { Warehouse } from "./warehouse"

export interface Simulator {
  /** Server root, e.g. http://127.0.0.1:40123 (the control API is at url + /_sim/). */
  url: string
  /** url + context, e.g. http://127.0.0.1:40123/orderflow: the plugin's OrderFlow endpoint. */
  baseUrl: string
  port: number
  /** The in-memory warehouse (products, orders, counters). Read it in tests; change it through control. */
  state: WarehouseState
  /** The resolved options; push settings may be changed through control.configure. */
  options: ResolvedOptions
  control: SimulatorControl
  warehouse: Warehouse
  pusher: Pusher
  close(): Promise<void>
}

export async function startSimulator(input: SimulatorOptions = {}): Promise<Simulator> {
  const seed = input.seed ?? randomSeed()
  const options = resolveOptions(input, seed)
  const faults = new Faults(createPrng(seed, "inbound-faults"), createPrng(seed, "push-faults"))
  if (options.faults) faults.set(options.faults)
  const dataPrng = createPrng(seed, "data")
  const warehouse = new Warehouse({ sites: options.sites, organisations: options.organisations, now: options.now, prng: dataPrng, timeZone: options.timeZone })
  const documents = new DocumentLog(options.maxDocuments)

  // Persistence: debounced, so a seed of 10,000 products writes once.
  let saveTimer: NodeJS.Timeout | undefined
  const save = () => {
    if (!options.stateFile) return
    saveState(options.stateFile, {
      products: [...warehouse.state.products.values()],
      orders: [...warehouse.state.orders.values()],
      returns: [...warehouse.state.returns.values()],
      counters: warehouse.state.counters,
      messages: [...pusher.messages.values()],
    })
  }
  const changed = () => {
    if (!options.stateFile || saveTimer) return
    saveTimer = setTimeout(() => {
      saveTimer = undefined
      try {
        save()
      } catch (e) {
        options.log(`could not save ${options.stateFile}: ${(e as Error).message}`)
      }
    }, 100)
    saveTimer.unref()
  }

  const pusher = new Pusher(warehouse, options, faults, options.log, changed)
  warehouse.onChange = changed

  // Auto push: an incremental push autoPushMs after the first stock change
  // since the last one (seed 000, "Incremental Stock Push").
  let autoTimer: NodeJS.Timeout | undefined
  warehouse.onInventoryRecord = () => {
    if (options.autoPushMs <= 0 || autoTimer) return
    autoTimer = setTimeout(() => {
      autoTimer = undefined
      const messages = pusher.createInventoryMessages("incremental")
      if (messages.length > 0) options.log(`auto push: ${messages.length} incremental inventory message(s)`)
    }, options.autoPushMs)
    autoTimer.unref()
  }

  if (options.stateFile) {
    const loaded = loadState(options.stateFile)
    if (loaded) {
      for (const p of loaded.products) warehouse.state.products.set(p.externalReference, p)
      for (const o of loaded.orders) warehouse.state.orders.set(o.externalReference, o)
      for (const r of loaded.returns ?? []) warehouse.state.returns.set(r.id, r)
      Object.assign(warehouse.state.counters, loaded.counters)
      pusher.restore(loaded.messages)
      options.log(`loaded ${options.stateFile}: ${loaded.products.length} products, ${loaded.orders.length} orders`)
    }
  }

  const api = new OrderFlowApi(warehouse, options, faults, dataPrng)
  let urls = { url: "", baseUrl: "" }
  const control = new SimulatorControl({
    options,
    warehouse,
    pusher,
    faults,
    documents,
    dataPrng,
    urls: () => urls,
    onConfigChange: () => pusher.kick(),
  })
  const server = new SimulatorServer({ options, api, control, faults, documents })
  const address = await server.listen()
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address
  urls = { url: `http://${host}:${address.port}`, baseUrl: `http://${host}:${address.port}${options.context}` }

  let closed = false
  return {
    ...urls,
    port: address.port,
    state: warehouse.state,
    options,
    control,
    warehouse,
    pusher,
    async close() {
      if (closed) return
      closed = true
      if (autoTimer) clearTimeout(autoTimer)
      if (saveTimer) {
        clearTimeout(saveTimer)
        saveTimer = undefined
      }
      await pusher.close()
      await server.close()
      if (options.stateFile) save()
    },
  }
}

export type { SimulatorOptions, ResolvedOptions } from "./options"
export type { SimulatorControl, SeedInput, SeedProduct, StockInput, PushRequest, PushOutcome, MessageSummary, ConfigPatch } from "./control"
export type { FaultPatch, FaultSettings, InboundFaultRates, ScriptedFault, PushFaults, InboundFaultKind } from "./faults"
export type { PushMessage, InventoryPushMode, MessageStatus } from "./push"
export type { InventoryUpdate, ShipmentDespatch, PushFormat } from "./messages"
export type { ReceivedDocument, DocumentFilter } from "./documents"
export type { DespatchInput } from "./warehouse"
export type { ApplyReturnInput } from "./returns"
export * from "./types"
