import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../../lib/errors"
import type { ClaimedRequest } from "../../modules/orderflow/service"
import { eventOperationWorkflow, OperationInput, operationWorkflow } from "../common/operation"
import { currentSettings } from "../common/settings"
import { claimInboundRequestsStep, ClaimedRequests, FailedRequest, inboundRunSummary, keepRequestsClaimed, settleFailedRequestsStep } from "../inbound-queue"
import { sendAlertsStep } from "../send-alert"
import { importInventoryWorkflow, InventoryImportOutcome, InventoryImportSettings } from "./import-inventory"

/** Lines written with one call of Medusa's batch level workflow. */
export const GROUP_LINES = 5000

export type AppliedRequests = { counts: Record<string, number>; failures: FailedRequest[] }

const lineCount = (request: ClaimedRequest) => (Array.isArray(request.payload?.lines) ? request.payload.lines.length : 1)

/** The plan's settings, with the only stock location as default when none is set. */
async function importSettings(container: MedusaContainer): Promise<InventoryImportSettings> {
  const s = (await currentSettings(container)).inventoryImport
  let defaultLocationId = s.defaultLocationId
  if (!defaultLocationId) {
    const locations = await container.resolve(Modules.STOCK_LOCATION).listStockLocations({}, { select: ["id"], take: 2 })
    if (locations.length === 1) defaultLocationId = locations[0].id
  }
  return {
    allowNegativeQuantities: s.allowNegativeQuantities,
    adjustInventory: s.adjustInventory,
    unsentOrderStatuses: s.unsentOrderStatuses,
    unsentOrderCutoffDays: s.unsentOrderCutoffDays,
    activeCartCutoffDays: s.activeCartCutoffDays,
    locations: s.locations,
    defaultLocationId,
  }
}

/**
 * Applies the claimed stock messages in messageSeqId order. Consecutive
 * messages are grouped up to GROUP_LINES lines to share one write (the
 * `orderflow-import-inventory` workflow: plan, Medusa's batch level write,
 * record); a group that fails is retried message by message so that a
 * poison message is isolated. Failures are returned for settling, not thrown.
 */
export const applyInventoryMessagesStep = createStep(
  "orderflow-apply-inventory-messages",
  async ({ requests, claimed_by }: ClaimedRequests, { container }) => {
    const counts: Record<string, number> = { processed: 0 }
    const failures: FailedRequest[] = []
    if (!requests.length) return new StepResponse<AppliedRequests>({ counts, failures })
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const settings = await importSettings(container as MedusaContainer)
    const add = (o: InventoryImportOutcome | undefined) => {
      counts.processed++
      if (!o) return
      for (const [k, v] of Object.entries({ lines: o.lines, applied: o.applied, stale: o.stale, unknown_sku: o.unknown_sku, failed_lines: o.failed })) {
        counts[k] = (counts[k] ?? 0) + v
      }
    }
    const apply = async (group: ClaimedRequest[]) => {
      const { result } = await importInventoryWorkflow(container).run({
        input: { messages: group.map((r) => ({ request_id: r.id, update: r.payload })), settings, claimed_by },
      })
      return new Map(result.map((o: InventoryImportOutcome) => [o.request_id, o]))
    }
    const applyOne = async (request: ClaimedRequest) => {
      try {
        add((await apply([request])).get(request.id))
      } catch (e) {
        failures.push({ id: request.id, message_seq_id: request.message_seq_id, attempts: request.attempts, error: errorMessage(e) })
      }
    }
    const applyAll = async () => {
      let i = 0
      while (i < requests.length) {
        const group: ClaimedRequest[] = []
        let lines = 0
        while (i < requests.length && (group.length === 0 || lines + lineCount(requests[i]) <= GROUP_LINES)) {
          lines += lineCount(requests[i])
          group.push(requests[i++])
        }
        if (group.length === 1) {
          await applyOne(group[0])
          continue
        }
        try {
          const outcomes = await apply(group)
          for (const request of group) add(outcomes.get(request.id))
        } catch (e) {
          logger.info(`OrderFlow inventory: a group of ${group.length} messages failed (${errorMessage(e)}); processing them one by one`)
          for (const request of group) await applyOne(request)
        }
      }
    }
    await keepRequestsClaimed(container, requests.map((r) => r.id), claimed_by, applyAll)
    return new StepResponse<AppliedRequests>({ counts, failures })
  }
)

/**
 * Operation `inventory_import` (seed 000 "Inventory Import"): claim a batch
 * of stored stock messages → apply them (grouped) → settle the ones that
 * failed (back-off or failed for good) → alert.
 */
function composeInventoryImport(input: OperationInput) {
  const claimed = claimInboundRequestsStep(transform({ input }, ({ input }) => ({ type: "inventory" as const, now: input.now })))
  const applied = applyInventoryMessagesStep(claimed)
  const settled = settleFailedRequestsStep(
    transform({ applied, claimed }, ({ applied, claimed }) => ({ type: "inventory" as const, failures: applied.failures, claimed_by: claimed.claimed_by, dead: claimed.dead }))
  )
  sendAlertsStep(transform({ settled }, ({ settled }) => settled.alerts))
  return new WorkflowResponse(transform({ claimed, applied, settled }, inboundRunSummary))
}

export const inventoryImportWorkflow = createWorkflow(operationWorkflow("orderflow-inventory-import"), composeInventoryImport)

/** The same run started by an event: not stored (see EVENT_OPERATION_WORKFLOWS). */
export const inventoryImportOnEventWorkflow = createWorkflow(eventOperationWorkflow("orderflow-inventory-import"), composeInventoryImport)
