import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../../lib/errors"
import type { ClaimedRequest } from "../../modules/orderflow/service"
import { eventOperationWorkflow, OperationInput, operationWorkflow } from "../common/operation"
import { currentSettings } from "../common/settings"
import { claimInboundRequestsStep, ClaimedRequests, FailedRequest, inboundRunSummary, keepRequestsClaimed, settleFailedRequestsStep } from "../inbound-queue"
import { failureAlertKey, failureCause } from "../../lib/inbound"
import { asIncidents, raiseIncidentsStep } from "../incidents"
import type { SendAlertInput } from "../send-alert"
import { importInventoryWorkflow, InventoryImportOutcome, InventoryImportSettings } from "./import-inventory"
import { readInventoryItemsBySku } from "./prepare-inventory-import-step"

/** Lines written with one call of the inventory module (one group). */
export const GROUP_LINES = 5000

export type AppliedRequests = { counts: Record<string, number>; failures: FailedRequest[]; alerts: SendAlertInput[] }

/**
 * Messages applied except some lines (processed_with_errors): one incident
 * (one alert) per cause, not per message or SKU (failureCause strips the
 * SKU), so a stream of messages naming a renamed site raises one alert while
 * its incident is open; each message still shows on the requests list and
 * the health page.
 */
export function lineFailureAlerts(outcomes: InventoryImportOutcome[]): SendAlertInput[] {
  const alerts = new Map<string, SendAlertInput>()
  for (const o of outcomes) {
    for (const line of o.failed_lines ?? []) {
      const cause = failureCause(line.message, [line.sku])
      const key = failureAlertKey("inventory", cause)
      if (alerts.has(key)) continue
      alerts.set(key, {
        title: `OrderFlow stock lines not applied: ${cause}`.slice(0, 200),
        description:
          `Inventory message ${o.message_seq_id ?? o.request_id} was applied except ${o.failed} of ${o.lines} lines ` +
          `(e.g. SKU "${line.sku}": ${line.message}). Stock for those SKUs is not updated. Other messages failing for the same cause ` +
          `raise no new alert while this incident is open: list them at OrderFlow → Requests with status "processed with errors", fix the cause, then "Process now" them.`,
        key,
        resource_type: "orderflow_request",
        resource_id: o.request_id,
      })
    }
  }
  return [...alerts.values()]
}

/** One incident for every message of a re-initialised OrderFlow's full push (kept open until the ids are reset). */
export const REINITIALISED_INCIDENT_KEY = "inventory:reinitialised"

/**
 * A full push whose sequence ids are all below the stored ones (OrderFlow's
 * Initialize button restarted its record ids): every later update would be
 * stale forever. Raised as one incident, however many messages of the push
 * show it; the sequence reset closes it.
 */
export function reinitialisedAlerts(outcomes: InventoryImportOutcome[]): SendAlertInput[] {
  const first = outcomes.find((o) => o.reinitialised)
  if (!first) return []
  const messages = outcomes.filter((o) => o.reinitialised).length
  const range = first.seq_range
  return [
    {
      title: "OrderFlow's inventory looks re-initialised: stock updates are being discarded as stale",
      description:
        `Stock message ${first.message_seq_id ?? first.request_id}` +
        (messages > 1 ? ` (and ${messages - 1} more in this run)` : "") +
        ` carried sequence ids all below the ones applied` +
        (range ? ` (received from ${range.received_min}, applied up to ${range.stored_max})` : "") +
        `: OrderFlow's Initialize button restarts its inventory record ids, and until the stored ids are reset every update is stale. ` +
        `Reset them at OrderFlow → Stock → "Reset all sequence ids" (POST /admin/orderflow/inventory/sequences/reset with {"all": true}), then push all stock levels from OrderFlow again.`,
      key: REINITIALISED_INCIDENT_KEY,
      resource_type: "orderflow_request",
      resource_id: first.request_id,
    },
  ]
}

const lineCount = (request: ClaimedRequest) => (Array.isArray(request.payload?.lines) ? request.payload.lines.length : 1)

/** The plan's settings, with the only stock location as default when none is set. */
export async function importSettings(container: MedusaContainer): Promise<InventoryImportSettings> {
  const s = (await currentSettings(container)).inventoryImport
  let defaultLocationId = s.defaultLocationId
  if (!defaultLocationId) {
    const locations = await container.resolve(Modules.STOCK_LOCATION).listStockLocations({}, { select: ["id"], take: 2 })
    if (locations.length === 1) defaultLocationId = locations[0].id
  }
  return {
    negativeAsZero: s.negativeAsZero,
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
 * `orderflow-import-inventory` workflow: plan, one inventory module write,
 * record); a group that fails is retried message by message so that a
 * poison message is isolated. Failures are returned for settling, not thrown.
 */
export const applyInventoryMessagesStep = createStep(
  "orderflow-apply-inventory-messages",
  async ({ requests, claimed_by }: ClaimedRequests, { container }) => {
    const counts: Record<string, number> = { processed: 0 }
    const failures: FailedRequest[] = []
    const outcomes: InventoryImportOutcome[] = []
    if (!requests.length) return new StepResponse<AppliedRequests>({ counts, failures, alerts: [] })
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const settings = await importSettings(container as MedusaContainer)
    const add = (o: InventoryImportOutcome | undefined) => {
      counts.processed++
      if (!o) return
      outcomes.push(o)
      if (o.failed) counts.processed_with_errors = (counts.processed_with_errors ?? 0) + 1
      for (const [k, v] of Object.entries({ lines: o.lines, applied: o.applied, stale: o.stale, unknown_sku: o.unknown_sku, failed_lines: o.failed })) {
        counts[k] = (counts[k] ?? 0) + v
      }
    }
    const apply = async (group: ClaimedRequest[], items?: Array<[string, string]>) => {
      const { result } = await importInventoryWorkflow(container).run({
        input: {
          messages: group.map((r) => ({ request_id: r.id, update: r.payload, received_at: new Date(r.received_at).toISOString() })),
          settings,
          claimed_by,
          ...(items ? { items } : {}),
        },
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
    // The groups, then each applied in turn. While a group's workflow runs
    // (mostly the inventory module's write), the next group's SKUs are looked
    // up (their inventory items: the one read of the plan that may be taken
    // outside the stock locks, see loadInventoryFacts), so that read is off
    // the path. Writes stay one group after the other.
    const groups: ClaimedRequest[][] = []
    for (let i = 0; i < requests.length; ) {
      const group: ClaimedRequest[] = []
      let lines = 0
      while (i < requests.length && (group.length === 0 || lines + lineCount(requests[i]) <= GROUP_LINES)) {
        lines += lineCount(requests[i])
        group.push(requests[i++])
      }
      groups.push(group)
    }
    const skusOf = (group: ClaimedRequest[]) => [
      ...new Set(group.flatMap((r) => (Array.isArray(r.payload?.lines) ? r.payload.lines.map((l: { sku: string }) => l.sku) : []))),
    ]
    // A failed look-up only means the workflow reads the items itself.
    const lookUp = (group: ClaimedRequest[] | undefined) =>
      group && group.length > 1 ? readInventoryItemsBySku(container as MedusaContainer, skusOf(group)).catch(() => undefined) : Promise.resolve(undefined)
    const applyAll = async () => {
      let next = lookUp(groups[0])
      for (let g = 0; g < groups.length; g++) {
        const group = groups[g]
        const items = await next
        next = lookUp(groups[g + 1])
        if (group.length === 1) {
          await applyOne(group[0])
          continue
        }
        try {
          const outcomes = await apply(group, items)
          for (const request of group) add(outcomes.get(request.id))
        } catch (e) {
          logger.info(`OrderFlow inventory: a group of ${group.length} messages failed (${errorMessage(e)}); processing them one by one`)
          for (const request of group) await applyOne(request)
        }
      }
      await next
    }
    await keepRequestsClaimed(container, requests.map((r) => r.id), claimed_by, applyAll)
    return new StepResponse<AppliedRequests>({ counts, failures, alerts: [...lineFailureAlerts(outcomes), ...reinitialisedAlerts(outcomes)] })
  }
)

/**
 * Operation `inventory_import` (seed 000 "Inventory Import"): claim a batch
 * of stored stock messages → apply them (grouped) → settle the ones that
 * failed (back-off or failed for good) → alert (failed messages, and line
 * failures once per cause).
 */
function composeInventoryImport(input: OperationInput) {
  const claimed = claimInboundRequestsStep(transform({ input }, ({ input }) => ({ type: "inventory" as const, now: input.now })))
  const applied = applyInventoryMessagesStep(claimed)
  const settled = settleFailedRequestsStep(
    transform({ applied, claimed }, ({ applied, claimed }) => ({ type: "inventory" as const, failures: applied.failures, claimed_by: claimed.claimed_by, dead: claimed.dead }))
  )
  raiseIncidentsStep(
    transform({ applied, settled }, ({ applied, settled }) => [
      ...asIncidents(applied.alerts, "inventory_import", "line_failures"),
      ...asIncidents(settled.alerts, "inventory_import", "dead_letters"),
    ])
  )
  return new WorkflowResponse(transform({ claimed, applied, settled }, inboundRunSummary))
}

export const inventoryImportWorkflow = createWorkflow(operationWorkflow("orderflow-inventory-import"), composeInventoryImport)

/** The same run started by an event: not stored (see EVENT_OPERATION_WORKFLOWS). */
export const inventoryImportOnEventWorkflow = createWorkflow(eventOperationWorkflow("orderflow-inventory-import"), composeInventoryImport)
