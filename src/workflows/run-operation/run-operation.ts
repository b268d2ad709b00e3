import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../../lib/errors"
import { dueTick } from "../../lib/scheduler/cron"
import { OrderflowSettings } from "../../lib/settings"
import type OrderflowModuleService from "../../modules/orderflow/service"
import { OperationName, OPERATIONS, OperationRunStatus, OperationTrigger } from "../../types"
import { orderflowService } from "../common/settings"
import { EVENT_OPERATION_WORKFLOWS, OPERATION_WORKFLOWS } from "./operation-workflows"

/** What an operation did, shown in the admin and returned by the run API. */
export type OperationSummary = Record<string, unknown>

export type OperationRunResult = {
  operation: OperationName
  ran: boolean
  reason?: string
  status?: OperationRunStatus
  summary?: OperationSummary
  error?: string
  due_at?: string
}

const lockKey = (operation: OperationName) => `orderflow:operation:${operation}`

/** Where an operation's enable flag and cron live in the settings. */
export function operationSchedule(settings: OrderflowSettings, operation: OperationName) {
  switch (operation) {
    case "product_export":
      return settings.productExport
    case "order_export":
      return settings.orderExport
    case "inventory_import":
      return settings.inventoryImport
    case "shipment_import":
      return settings.shipmentImport
    case "log_cleaning":
      return settings.logCleaning
    case "returns":
      return settings.returns
    case "shipment_poll":
      return settings.shipmentPoll
    case "stock_drift":
      return settings.stockDrift
  }
}

async function findRun(orderflow: OrderflowModuleService, operation: OperationName) {
  const [run] = await orderflow.listOrderflowOperationRuns({ operation }, { take: 1 })
  return run ?? null
}

/**
 * Runs one operation's workflow under the operation's lock (Medusa's Locking
 * module: two instances, or two overlapping ticks, never run the same
 * operation at once) and records the run. With `dueAt` (a scheduled tick)
 * due-ness is re-read inside the lock: another instance may have served this
 * tick while we waited for it.
 */
export async function runOperationLocked(
  container: MedusaContainer,
  operation: OperationName,
  { trigger, now, dueAt, waitSeconds }: { trigger: OperationTrigger; now: Date; dueAt?: Date; waitSeconds: number }
): Promise<OperationRunResult> {
  const locking = container.resolve(Modules.LOCKING)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const orderflow = orderflowService(container)
  try {
    return await locking.execute(
      lockKey(operation),
      async () => {
        const run = await findRun(orderflow, operation)
        if (dueAt && run?.last_due_at && new Date(run.last_due_at).getTime() >= dueAt.getTime()) {
          return { operation, ran: false, reason: "already run" }
        }
        const started = new Date()
        let result: OperationRunResult
        try {
          const workflow = trigger === "event" && operation in EVENT_OPERATION_WORKFLOWS ? EVENT_OPERATION_WORKFLOWS[operation as keyof typeof EVENT_OPERATION_WORKFLOWS] : OPERATION_WORKFLOWS[operation]
          const { result: summary } = await workflow(container).run({ input: { trigger, now: now.toISOString() } })
          result = { operation, ran: true, status: "success", summary: summary as OperationSummary }
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
        if (run) await orderflow.updateOrderflowOperationRuns({ id: run.id, ...record })
        else await orderflow.createOrderflowOperationRuns({ operation, ...record })
        return { ...result, ...(dueAt ? { due_at: dueAt.toISOString() } : {}) }
      },
      { timeout: waitSeconds }
    )
  } catch (e) {
    // Could not get the lock in time: someone else is running this operation.
    // Medusa's providers say "Failed to acquire lock for key …" or "Timed-out acquiring lock.".
    if (isLockTimeout(e)) return { operation, ran: false, reason: "running elsewhere" }
    throw e
  }
}

/** Whether `e` is the Locking module's "could not get the lock in time". */
export function isLockTimeout(e: unknown): boolean {
  return /acquir(e|ing) lock|timed?[- ]?out acquiring/i.test(String((e as Error)?.message ?? e))
}

export type RunOperationInput = { operation: OperationName; trigger?: OperationTrigger; now?: string }

/** One operation now, whether due or not (admin "run now" / "process now"); waits up to a minute for a run in progress. */
export const runOperationStep = createStep("orderflow-run-operation", async (input: RunOperationInput, { container }) => {
  const now = input.now ? new Date(input.now) : new Date()
  return new StepResponse(await runOperationLocked(container as MedusaContainer, input.operation, { trigger: input.trigger ?? "manual", now, waitSeconds: 60 }))
})

export const runOrderflowOperationWorkflow = createWorkflow("orderflow-run-operation", (input: RunOperationInput) => {
  return new WorkflowResponse(runOperationStep(input))
})

/**
 * The scheduler tick (DESIGN.md section 6): each enabled operation whose
 * admin-set cron fell due since its last run is run, one after the other,
 * each under its own lock.
 */
export const runDueOperationsStep = createStep("orderflow-run-due-operations", async ({ now }: { now?: string }, { container }) => {
  const at = now ? new Date(now) : new Date()
  const orderflow = orderflowService(container)
  const { settings } = await orderflow.getCurrentSettings()
  const results: OperationRunResult[] = []
  for (const operation of OPERATIONS) {
    const schedule = operationSchedule(settings, operation)
    if (!schedule.enabled) {
      results.push({ operation, ran: false, reason: "disabled" })
      continue
    }
    const run = await findRun(orderflow, operation)
    const tick = dueTick(schedule.cron, run?.last_due_at ? new Date(run.last_due_at) : null, at)
    if (!tick) {
      results.push({ operation, ran: false, reason: "not due" })
      continue
    }
    results.push(await runOperationLocked(container as MedusaContainer, operation, { trigger: "schedule", now: at, dueAt: tick, waitSeconds: 1 }))
  }
  return new StepResponse(results)
})

export const runDueOperationsWorkflow = createWorkflow("orderflow-run-due-operations", (input: { now?: string }) => {
  return new WorkflowResponse(runDueOperationsStep(input))
})
