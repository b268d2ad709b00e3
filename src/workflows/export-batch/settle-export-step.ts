import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { causeKey } from "../../lib/errors"
import type { CallFailure } from "../../lib/export/isolate"
import { outcomesFor } from "../../lib/export/line-outcome"
import { retryPolicyFrom } from "../../lib/export/retry-schedule"
import { BuiltDocument, planExportSettlement, SettledOutcome } from "../../lib/export/settle-plan"
import type { DeadExportItem, ExportItemRow } from "../../modules/orderflow/service"
import { ORDERFLOW_EVENTS, type ExportEntityType, type OperationName, type OperationTrigger } from "../../types"
import { currentSettings, orderflowService } from "../common/settings"
import type { IncidentRequest } from "../incidents"
import type { ImportsCall } from "./call-orderflow-imports-step"
import { EndpointGate, stopExportClaimRenewal } from "./claim-export-items-step"

export type ExportBatchResult = {
  claimed: number
  released: number
  sent: number
  exported: number
  duplicates: number
  failed: number
  missing: number
  /** Calls made (more than one when a failed batch was split to isolate the item causing it). */
  calls: number
  export_id: string | null
  error: string | null
  /** What the endpoint's state let the run do: normal, probe, waiting, blocked. */
  gate: EndpointGate["mode"]
  gate_reason: string | null
  outcomes: Array<{ id: string; reference: string; outcome: string; message: string | null }>
}

export type SettleExportStepInput = {
  entity_type: ExportEntityType
  operation: OperationName
  trigger: OperationTrigger
  claimed: { items: ExportItemRow[]; released: number; dead: DeadExportItem[]; claimed_by: string; gate: EndpointGate }
  built: BuiltDocument
  calls: ImportsCall[]
}

/** Which setting to look at for a permanent failure. */
export function permanentFailureHint(failure: CallFailure): string {
  if (failure.status === 401 || failure.status === 403 || failure.code === "ORDERFLOW_UNAUTHORIZED") {
    return "Check Settings → OrderFlow → API connection: username, password, organisation and channel."
  }
  if (failure.status === 404) return "Check Settings → OrderFlow → API connection: the API URL (OrderFlow answered 404 Not Found)."
  return "Check Settings → OrderFlow → API connection."
}

/** A whole-call failure that points at the document rather than at OrderFlow's availability. */
export function blamesContent(failure: CallFailure | null): boolean {
  return !!failure && failure.answered && (failure.code === "ORDERFLOW_API_ERROR" || failure.status === 500)
}


/**
 * Settles every claimed item from OrderFlow's answers and records each call
 * with both documents (the module's settleExport, one transaction per
 * call); counts the batch against the endpoint (a success closes the circuit
 * and lifts a block; whole-call failures count towards opening it; a
 * permanent one blocks it) and returns the incidents to raise: the circuit
 * opened, the endpoint blocked, items failed for good (one incident per
 * cause, whatever the number of items).
 */
export const settleExportStep = createStep(
  "orderflow-settle-export",
  async (input: SettleExportStepInput, { container }) => {
    const { entity_type, operation, trigger, claimed, built, calls } = input
    stopExportClaimRenewal(claimed.claimed_by)
    const orderflow = orderflowService(container)
    const settings = await currentSettings(container)
    const policy = retryPolicyFrom(settings)
    const now = new Date()
    const incidents: IncidentRequest[] = []
    const noun = entity_type === "order" ? "order" : "product"
    const resource_type = entity_type === "order" ? "order" : "product_variant"

    const orderOf = new Map(claimed.items.filter((i) => i.order_id).map((i) => [i.entity_id, i.order_id as string]))
    const itemIncident = (message: string | null, failed: Array<{ reference: string; entity_id: string }>) => {
      incidents.push({
        key: `item:${operation}:${causeKey(message)}`,
        operation,
        kind: "item_failures",
        title: failed.length === 1 ? `OrderFlow ${noun} ${failed[0].reference} could not be exported` : `OrderFlow: ${failed.length} ${noun}s could not be exported`,
        description: `${message ?? "failed"} — not retried automatically (${failed.slice(0, 10).map((f) => f.reference).join(", ")}${failed.length > 10 ? ", …" : ""}). Fix the cause, then export again or reset the export status; items failing for the same cause while this incident is open are counted, not alerted again.`,
        resource_type: failed.length === 1 ? resource_type : undefined,
        // A claim's or exchange's row (issue 13) points at its Medusa order.
        resource_id: failed.length === 1 ? (orderOf.get(failed[0].entity_id ?? "") ?? failed[0].entity_id ?? undefined) : undefined,
      })
    }
    // Items whose runs kept dying before settling: failed for good at the claim.
    const deadByCause = new Map<string, DeadExportItem[]>()
    for (const d of claimed.dead) deadByCause.set(causeKey(d.last_error), [...(deadByCause.get(causeKey(d.last_error)) ?? []), d])
    for (const dead of deadByCause.values()) itemIncident(dead[0].last_error, dead)

    const result: ExportBatchResult = {
      claimed: claimed.items.length,
      released: claimed.released,
      sent: built.sent.length,
      exported: 0,
      duplicates: 0,
      failed: claimed.dead.length,
      missing: 0,
      calls: calls.length,
      export_id: null,
      error: null,
      gate: claimed.gate.mode,
      gate_reason: claimed.gate.reason,
      outcomes: [],
    }
    if (!claimed.items.length) return new StepResponse({ result, incidents })

    // The batch as the endpoint saw it.
    const leaves = calls.filter((c) => !c.split)
    const anySuccess = calls.some((c) => c.result !== null)
    const firstFailure = calls.find((c) => c.error)?.error ?? null
    let endpointFailures = 0
    if (calls.length) {
      const permanent = leaves.find((c) => c.error?.retry === "permanent")?.error ?? null
      const transition = await orderflow.recordEndpointOutcome(
        operation,
        anySuccess
          ? { kind: "success", now }
          : permanent
            ? { kind: "permanent", message: permanent.message, now }
            : { kind: "transient", message: firstFailure!.message, now, threshold: settings.retry.circuitThreshold },
        // A success closes the circuit's and the block's incidents in the same statement.
        { closeOnSuccess: { keys: [`circuit:${operation}`, `permanent:${operation}`], by: "OrderFlow answered again" } }
      )
      endpointFailures = transition.state.consecutive_failures
      if (transition.recovered) {
        // OrderFlow is back: what waited out the outage goes now, in a run of its own, not after its back-off.
        await orderflow.makeDeferredExportsDue(entity_type, now)
        await container.resolve(Modules.EVENT_BUS).emit({ name: ORDERFLOW_EVENTS.ENDPOINT_RECOVERED, data: { operation } })
      }
      if (anySuccess) {
        const closed = transition.closed
        if (closed.length) container.resolve(ContainerRegistrationKeys.LOGGER).info(`OrderFlow ${operation}: ${closed.map((c) => c.title).join("; ")} — closed, OrderFlow answered again`)
      } else if (permanent) {
        incidents.push({
          key: `permanent:${operation}`,
          operation,
          kind: "permanent",
          title: `OrderFlow ${operation.replace("_", " ")} is stopped: OrderFlow refuses the calls`,
          description: `${permanent.message}. ${permanentFailureHint(permanent)} Nothing is lost: ${noun}s stay queued with their attempts, and the next run after the settings are saved (or "Run now") sends them.`,
        })
      } else if (transition.state.circuit_opened_at) {
        incidents.push({
          key: `circuit:${operation}`,
          operation,
          kind: "circuit_open",
          title: `OrderFlow unreachable for ${operation.replace("_", " ")} since ${new Date(transition.state.circuit_opened_at).toISOString()}`,
          description: `${transition.state.consecutive_failures} calls in a row failed, the last: ${firstFailure!.message}. Runs now send one probe every ${settings.retry.circuitProbeSeconds} s instead of batches; queued ${noun}s keep their attempts and go out when OrderFlow answers again.`,
        })
      }
      if (!anySuccess) container.resolve(ContainerRegistrationKeys.LOGGER).warn(`OrderFlow ${operation} call failed: ${firstFailure!.message}`)
    }

    const itemsById = new Map(claimed.items.map((i) => [i.id, i]))
    const sentById = new Map(built.sent.map((s) => [s.id, s]))
    const inCalls = new Set(calls.flatMap((c) => c.ids))
    const allOutcomes: SettledOutcome[] = []
    const finalFailures: Array<{ reference: string; entity_id: string; message: string | null }> = []
    const recordCall = async (call: ImportsCall | null, outcomes: SettledOutcome[], status: "success" | "partial" | "failed", historyOnly = false) => {
      const { export_id } = await orderflow.settleExport({
        record: {
          operation,
          trigger,
          status,
          http_status: call?.reply?.status ?? call?.error?.status ?? null,
          duration_ms: call?.duration_ms ?? 0,
          request_body: call?.document ?? null,
          response_body: call?.reply?.body ?? null,
          error: call?.error?.message ?? null,
        },
        outcomes,
        now: new Date(),
        sent_at: call ? new Date(call.sent_at) : now,
        claimed_by: claimed.claimed_by,
        history_only: historyOnly,
      })
      result.export_id ??= export_id
    }

    // Items the build rejected or left out: settled with the first call, or on their own.
    const notSent = claimed.items.filter((i) => !inCalls.has(i.id))
    let pending = notSent.length
      ? planExportSettlement({ items: notSent, built: { document: null, sent: [], rejected: built.rejected }, itemOutcomes: [], failure: null, policy, now, random: Math.random })
      : null
    if (pending) {
      allOutcomes.push(...pending.outcomes)
      for (const f of pending.finalFailures) finalFailures.push({ ...f, message: pending.outcomes.find((o) => o.id === f.id)?.message ?? null })
    }
    for (const call of leaves) {
      const items = call.ids.map((id) => itemsById.get(id)!).filter(Boolean)
      const sent = call.ids.map((id) => sentById.get(id)!).filter(Boolean)
      const plan = planExportSettlement({
        items,
        built: { document: call.document, sent, rejected: [] },
        itemOutcomes: call.result ? outcomesFor(sent, call.result) : null,
        failure: call.error,
        // One item alone in a call OrderFlow answered with a failure while it took other calls in
        // this batch — or, for a batch of that one item, an <error> or HTTP 500 right after a call
        // that went through (a 502/503 is a gateway or an outage, not the item): the item is the cause.
        blame: call.ids.length === 1 && (anySuccess || (calls.length === 1 && claimed.gate.isolate && blamesContent(call.error))),
        endpointFailures,
        policy,
        now,
        random: Math.random,
      })
      allOutcomes.push(...plan.outcomes)
      for (const f of plan.finalFailures) finalFailures.push({ ...f, message: plan.outcomes.find((o) => o.id === f.id)?.message ?? null })
      const outcomes = pending ? [...pending.outcomes, ...plan.outcomes] : plan.outcomes
      const status = pending && pending.status !== plan.status ? "partial" : plan.status
      pending = null
      await recordCall(call, outcomes, status)
    }
    if (pending) await recordCall(null, pending.outcomes, pending.status)
    // Calls that were split: history only, after their items are settled by the later calls.
    for (const call of calls.filter((c) => c.split)) {
      const outcomes = call.ids.map((id): SettledOutcome => {
        const item = itemsById.get(id)!
        return { id, reference: item.reference, entity_id: item.entity_id, outcome: "missing", message: `the call failed as a whole (${call.error?.message}); sent again in halves to find the item that causes it`, attempts: item.attempts }
      })
      await recordCall(call, outcomes, "failed", true)
    }

    const count = (outcome: string) => allOutcomes.filter((o) => o.outcome === outcome).length
    result.exported = count("success")
    result.duplicates = count("duplicate")
    result.failed = count("failure") + claimed.dead.length
    result.missing = count("missing")
    result.error = anySuccess ? null : firstFailure?.message ?? null
    result.outcomes = allOutcomes.map((o) => ({ id: o.id, reference: o.reference, outcome: o.outcome, message: o.message ?? null }))

    const byCause = new Map<string, typeof finalFailures>()
    for (const f of finalFailures) byCause.set(causeKey(f.message), [...(byCause.get(causeKey(f.message)) ?? []), f])
    for (const failed of byCause.values()) itemIncident(failed[0].message, failed)
    return new StepResponse({ result, incidents })
  }
)
