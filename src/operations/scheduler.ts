import { errorMessage } from "../lib/errors"
import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { dueTick } from "../lib/scheduler/cron"
import { OperationName, OPERATIONS } from "../lib/settings"
import { ORDERFLOW_MODULE } from "../modules/orderflow"
import OrderflowModuleService from "../modules/orderflow/service"
import { operationSchedule, OPERATION_RUNNERS } from "./registry"
import { OperationSummary, OperationTrigger } from "./types"

export type OperationRunResult = {
  operation: OperationName
  ran: boolean
  reason?: string
  status?: "success" | "failed"
  summary?: OperationSummary
  error?: string
  due_at?: string
}

const lockKey = (operation: OperationName) => `orderflow:operation:${operation}`

/**
 * The scheduler tick (run by the every-minute job): starts each enabled
 * operation whose admin-set cron fell due since its last run. Each operation
 * runs under its own lock, and due-ness is re-read inside the lock, so two
 * instances (or two overlapping ticks) never run the same tick twice.
 */
export async function runDueOperations(container: MedusaContainer, now: Date = new Date()): Promise<OperationRunResult[]> {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const { settings } = await orderflow.getCurrentSettings()
  const results: OperationRunResult[] = []
  for (const operation of OPERATIONS) {
    const schedule = operationSchedule(settings, operation)
    if (!schedule.enabled) {
      results.push({ operation, ran: false, reason: "disabled" })
      continue
    }
    if (!OPERATION_RUNNERS[operation]) {
      results.push({ operation, ran: false, reason: "not available" })
      continue
    }
    const run = await findRun(orderflow, operation)
    const tick = dueTick(schedule.cron, run?.last_due_at ? new Date(run.last_due_at) : null, now)
    if (!tick) {
      results.push({ operation, ran: false, reason: "not due" })
      continue
    }
    results.push(await runLocked(container, operation, { trigger: "schedule", now, dueAt: tick, waitSeconds: 1 }))
  }
  return results
}

/** Runs one operation now, whether due or not (admin "run now" / "process now"). */
export async function runOperationNow(container: MedusaContainer, operation: OperationName, now: Date = new Date()) {
  if (!OPERATION_RUNNERS[operation]) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `The ${operation} operation is not available in this version`)
  }
  return runLocked(container, operation, { trigger: "manual", now, waitSeconds: 60 })
}

async function runLocked(
  container: MedusaContainer,
  operation: OperationName,
  { trigger, now, dueAt, waitSeconds }: { trigger: OperationTrigger; now: Date; dueAt?: Date; waitSeconds: number }
): Promise<OperationRunResult> {
  const locking = container.resolve(Modules.LOCKING)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    return await locking.execute(
      lockKey(operation),
      async () => {
        const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
        const run = await findRun(orderflow, operation)
        // Another instance may have served this tick while we waited for the lock.
        if (dueAt && run?.last_due_at && new Date(run.last_due_at).getTime() >= dueAt.getTime()) {
          return { operation, ran: false, reason: "already run" }
        }
        const { settings } = await orderflow.getCurrentSettings()
        const started = new Date()
        const runner = OPERATION_RUNNERS[operation]!
        let result: OperationRunResult
        try {
          const summary = await runner({ container, settings, now, trigger })
          result = { operation, ran: true, status: "success", summary }
        } catch (e) {
          const error = errorMessage(e)
          logger.error(`OrderFlow ${operation} failed: ${error}`)
          result = { operation, ran: true, status: "failed", error }
        }
        const record = {
          last_started_at: started,
          last_finished_at: new Date(),
          last_status: result.status!,
          last_error: result.error ?? null,
          last_summary: result.summary ?? null,
          run_count: (run?.run_count ?? 0) + 1,
          ...(dueAt ? { last_due_at: dueAt } : {}),
        }
        if (run) {
          await orderflow.updateOrderflowOperationRuns({ id: run.id, ...record })
        } else {
          await orderflow.createOrderflowOperationRuns({ operation, ...record })
        }
        return { ...result, ...(dueAt ? { due_at: dueAt.toISOString() } : {}) }
      },
      { timeout: waitSeconds }
    )
  } catch (e) {
    // Could not get the lock in time: someone else is running this operation.
    if (/acquire lock|timed? ?out/i.test((e as Error).message)) {
      return { operation, ran: false, reason: "running elsewhere" }
    }
    throw e
  }
}

async function findRun(orderflow: OrderflowModuleService, operation: OperationName) {
  const [run] = await orderflow.listOrderflowOperationRuns({ operation }, { take: 1 })
  return run ?? null
}
