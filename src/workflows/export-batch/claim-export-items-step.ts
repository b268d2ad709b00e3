import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { retryPolicyFrom } from "../../lib/export/retry-schedule"
import type { DeadExportItem, ExportItemRow } from "../../modules/orderflow/service"
import type { EndpointState } from "../../modules/orderflow/repositories/incidents"
import type { ExportEntityType, OperationName, OperationTrigger } from "../../types"
import { keepHeapWithinBudget } from "../common/heap-budget"
import { currentSettings, laterOf, orderflowService } from "../common/settings"
import { newClaimant } from "../inbound-queue/claim-requests-step"

/**
 * How long a claimed item stays with a run that may have died. The run
 * renews it every third of that until it settles, so the lease bounds how
 * soon a killed worker's items are sent again, not how long a batch may take.
 */
export const EXPORT_LEASE_MS = 60 * 1000

const renewals = new Map<string, NodeJS.Timeout>()

/** Stops renewing a claim's lease (settled, or handed back). */
export function stopExportClaimRenewal(claimedBy: string) {
  const timer = renewals.get(claimedBy)
  if (timer) clearInterval(timer)
  renewals.delete(claimedBy)
}

function renewExportClaimUntilSettled(container: any, ids: string[], claimedBy: string) {
  if (!ids.length) return
  const orderflow = orderflowService(container)
  const timer = setInterval(() => {
    const now = new Date()
    orderflow.renewExportClaims({ ids, claimedBy, until: new Date(now.getTime() + EXPORT_LEASE_MS), now }).catch(() => {
      // The next renewal, or the settle's owner check, deals with it.
    })
  }, EXPORT_LEASE_MS / 3)
  timer.unref?.()
  renewals.set(claimedBy, timer)
}

export type ClaimExportItemsInput = {
  entity_type: ExportEntityType
  /** The endpoint whose circuit and block apply (the export operation). */
  operation?: OperationName
  /** manual (an admin's "Run now" or "export now") goes through a block, and probes an open circuit at once. */
  trigger?: OperationTrigger
  /** Manual export: exactly these export item ids, due or not. */
  ids?: string[]
  /** Default: the operation's configured batch size. */
  batch_size?: number
  /** The run's stamp; the claim uses the later of it and the clock (see laterOf). */
  now?: string
}

export type ClaimedExportItems = {
  items: ExportItemRow[]
  released: number
  /** Items of dead runs failed for good: their claims used up the retry policy. */
  dead: DeadExportItem[]
  claimed_at: string
  claimed_by: string
  /** What the endpoint's state let this run do (see endpointGate). */
  gate: EndpointGate
}

/**
 * normal: a batch; probe: the circuit is open, one item to see whether
 * OrderFlow answers again; waiting: the circuit is open and the last probe
 * is recent; blocked: a permanent failure (credentials, URL) until the
 * settings are saved or an admin runs the operation by hand.
 */
export type EndpointGate = {
  mode: "normal" | "probe" | "waiting" | "blocked"
  reason: string | null
  /** Split a batch OrderFlow fails as a whole: only while its last call went through (no outage under way). */
  isolate: boolean
}

export function endpointGate(
  state: EndpointState,
  { manual, now, probeSeconds }: { manual: boolean; now: Date; probeSeconds: number }
): EndpointGate {
  const isolate = state.consecutive_failures === 0
  // An admin's "Run now" is the "retry now" of a blocked endpoint.
  if (state.blocked_at && !manual) return { mode: "blocked", reason: `blocked since ${new Date(state.blocked_at).toISOString()}: ${state.blocked_reason}`, isolate: false }
  if (state.circuit_opened_at) {
    const since = `OrderFlow unreachable since ${new Date(state.circuit_opened_at).toISOString()}`
    const lastTry = state.last_failure_at ? new Date(state.last_failure_at).getTime() : 0
    // By hand, the probe goes at once.
    if (!manual && now.getTime() - lastTry < probeSeconds * 1000) {
      return { mode: "waiting", reason: `${since}; next probe after ${new Date(lastTry + probeSeconds * 1000).toISOString()}`, isolate: false }
    }
    return { mode: "probe", reason: since, isolate: false }
  }
  return { mode: "normal", reason: null, isolate }
}

/**
 * Pending -> Queued (seed 000 "Magento Workflow"): gives back the items of a
 * crashed run whose lease passed (the dead claim counts as an attempt; at
 * the retry maximum the item is failed for good and alerted), then takes up
 * to a batch of due items in the order they changed (`FOR UPDATE SKIP
 * LOCKED`, so two runs never take the same item), leased to this run and
 * renewed until settleExportStep. Compensation puts what this claim took
 * back to pending, untouched, when a later step fails before settling.
 */
export const claimExportItemsStep = createStep(
  "orderflow-claim-export-items",
  async (input: ClaimExportItemsInput, { container }) => {
    // Every batch of products or orders starts here, whoever runs it: what
    // the previous batches read is garbage by now, so a backlog does not
    // swell the store (heap-budget.ts).
    keepHeapWithinBudget()
    const orderflow = orderflowService(container)
    const settings = await currentSettings(container)
    let limit = input.batch_size
    if (!limit) {
        limit = input.entity_type === "product" ? settings.productExport.batchSize : settings.orderExport.batchSize
    }
    // Stamped after whatever queued rows before this step (the sweep): a
    // claim stamped earlier would take those rows for "changed while in flight".
    const now = laterOf(input.now, new Date())
    const claimedBy = newClaimant()
    const gate = input.operation
      ? endpointGate(await orderflow.getEndpointState(input.operation), {
          manual: input.trigger === "manual",
          now,
          probeSeconds: settings.retry.circuitProbeSeconds,
        })
      : { mode: "normal" as const, reason: null, isolate: false }
    // "Export now" of chosen items sends them whatever the circuit says.
    if (gate.mode === "probe" && !input.ids) limit = 1
    if (gate.mode === "waiting" || gate.mode === "blocked") limit = 0
    const { items, released, dead } = await orderflow.claimExportItems({
      entity_type: input.entity_type,
      limit,
      probe: gate.mode === "probe" && !input.ids,
      now,
      leaseMs: EXPORT_LEASE_MS,
      ids: input.ids,
      claimedBy,
      maxAttempts: retryPolicyFrom(settings).maxAttempts,
    })
    renewExportClaimUntilSettled(container, items.map((i) => i.id), claimedBy)
    return new StepResponse<ClaimedExportItems, { ids: string[]; claimedBy: string }>(
      { items, released, dead, claimed_at: now.toISOString(), claimed_by: claimedBy, gate },
      { ids: items.map((i) => i.id), claimedBy }
    )
  },
  async (claim, { container }) => {
    if (!claim) return
    stopExportClaimRenewal(claim.claimedBy)
    if (!claim.ids.length) return
    await orderflowService(container).updateOrderflowExportItems({
      selector: { id: claim.ids, status: "queued", claimed_by: claim.claimedBy },
      data: { status: "pending", queued_at: null, claimed_by: null, claimed_until: null },
    })
  }
)
