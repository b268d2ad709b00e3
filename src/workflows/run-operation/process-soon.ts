import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import type { OperationName } from "../../types"
import { currentSettings } from "../common/settings"
import { operationSchedule, OperationRunResult, runOperationLocked } from "./run-operation"

/**
 * How long an event waits for others before its operation runs: what
 * arrives meanwhile is processed by the same run. Stock is worth a second,
 * so inventory and despatches wait little; exports are batched over a few
 * seconds, as OrderFlow takes a document of many orders or SKUs as cheaply
 * as one.
 */
export const EVENT_WINDOW_MS: Record<Exclude<OperationName, "log_cleaning" | "returns" | "shipment_poll" | "stock_drift">, number> = {
  inventory_import: 150,
  shipment_import: 250,
  order_export: 2000,
  product_export: 5000,
}

/** How long an event-started run waits for a run of the same operation in progress elsewhere. */
const EVENT_LOCK_WAIT_SECONDS = 120

type Lane = { timer: NodeJS.Timeout | null; running: boolean; again: boolean }

/**
 * One coalescing lane per operation in this process. An event only marks
 * its operation as wanted: the first starts a short timer; events arriving
 * before it fires, or while the run is in progress, are folded into the same
 * or the next run ("whatever is pending when the previous run ends"). Runs
 * take the operation's cluster-wide lock like scheduled ones, so a worker
 * waits for another worker's run rather than racing it, then processes what
 * that run did not claim. Nothing is lost if this process dies with a lane
 * pending: the rows are stored, and the scheduled run (the backstop) claims
 * them at its next tick.
 */
const lanes = new Map<OperationName, Lane>()

const laneOf = (operation: OperationName) => {
  let lane = lanes.get(operation)
  if (!lane) {
    lane = { timer: null, running: false, again: false }
    lanes.set(operation, lane)
  }
  return lane
}

/** True when the run took a full batch, so more may be waiting. */
function tookFullBatch(result: OperationRunResult, batchSize: number): boolean {
  const claimed = Number(result.summary?.claimed ?? 0)
  return result.status === "success" && claimed >= batchSize
}

async function runLane(container: MedusaContainer, operation: OperationName): Promise<void> {
  const lane = laneOf(operation)
  lane.timer = null
  lane.running = true
  lane.again = false
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  let more = false
  try {
    const schedule = operationSchedule(await currentSettings(container), operation)
    if (!schedule.enabled) return
    const result = await runOperationLocked(container, operation, { trigger: "event", now: new Date(), waitSeconds: EVENT_LOCK_WAIT_SECONDS })
    more = tookFullBatch(result, "batchSize" in schedule ? Number(schedule.batchSize) : Infinity)
  } catch (e) {
    logger.warn(`OrderFlow ${operation}: event-started run failed (${errorMessage(e)}); the scheduled run will pick the work up`)
  } finally {
    lane.running = false
    if (lane.again || more) scheduleLane(container, operation, 0)
  }
}

function scheduleLane(container: MedusaContainer, operation: OperationName, windowMs: number) {
  const lane = laneOf(operation)
  if (lane.running) {
    lane.again = true
    return
  }
  if (lane.timer) return
  lane.timer = setTimeout(() => void runLane(container, operation), windowMs)
  lane.timer.unref?.()
}

/**
 * Asks for `operation` to run soon in this process (subscribers call it
 * after storing or queueing work). Returns at once: the subscriber never
 * waits for the run, so the event bus is not held up.
 * ORDERFLOW_EVENT_PROCESSING_DISABLED=true leaves everything to the
 * scheduled runs (the integration tests drive operations explicitly).
 */
export function processSoon(container: MedusaContainer, operation: keyof typeof EVENT_WINDOW_MS, windowMs = EVENT_WINDOW_MS[operation]): void {
  if (process.env.ORDERFLOW_EVENT_PROCESSING_DISABLED === "true") return
  scheduleLane(container, operation, windowMs)
}

/** Test support: whether any lane has a run scheduled or in progress. */
export function lanesIdle(): boolean {
  return [...lanes.values()].every((l) => !l.timer && !l.running)
}
