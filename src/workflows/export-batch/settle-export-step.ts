import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../../lib/errors"
import { ItemOutcome, outcomesFor } from "../../lib/export/line-outcome"
import { retryPolicyFrom } from "../../lib/export/retry-schedule"
import { BuiltDocument, planExportSettlement } from "../../lib/export/settle-plan"
import { interpretImportReply } from "../../lib/xml/import-result"
import type { DeadExportItem, ExportItemRow } from "../../modules/orderflow/service"
import type { ExportEntityType, OperationName, OperationTrigger } from "../../types"
import { currentSettings, orderflowService } from "../common/settings"
import type { SendAlertInput } from "../send-alert"
import type { ImportsCall } from "./call-orderflow-imports-step"
import { stopExportClaimRenewal } from "./claim-export-items-step"

export type ExportBatchResult = {
  claimed: number
  released: number
  sent: number
  exported: number
  duplicates: number
  failed: number
  missing: number
  export_id: string | null
  error: string | null
  outcomes: Array<{ id: string; reference: string; outcome: string; message: string | null }>
}

export type SettleExportStepInput = {
  entity_type: ExportEntityType
  operation: OperationName
  trigger: OperationTrigger
  claimed: { items: ExportItemRow[]; released: number; dead: DeadExportItem[]; claimed_by: string }
  built: BuiltDocument
  call: ImportsCall
}

/**
 * Settles every claimed item from OrderFlow's importResult and records the
 * call with both documents, in one transaction (the module's settleExport).
 * Returns the batch's figures and the alerts to raise: items whose retries
 * are used up, and an outage that has lasted the whole retry budget.
 */
export const settleExportStep = createStep(
  "orderflow-settle-export",
  async (input: SettleExportStepInput, { container }) => {
    const { entity_type, operation, trigger, claimed, built, call } = input
    stopExportClaimRenewal(claimed.claimed_by)
    // Items whose runs kept dying before settling: failed for good at the claim.
    const deadAlerts: SendAlertInput[] = claimed.dead.map((d) => ({
      title: `OrderFlow ${entity_type} ${d.reference} could not be exported`,
      description: `${d.last_error}. Fix the cause, then export it again or reset its export status.`,
      key: `export:${d.id}:${d.attempts}`,
      resource_type: entity_type === "order" ? "order" : "product_variant",
      resource_id: d.entity_id,
    }))
    const empty: ExportBatchResult = {
      claimed: 0, released: claimed.released, sent: 0, exported: 0, duplicates: 0, failed: claimed.dead.length, missing: 0, export_id: null, error: null, outcomes: [],
    }
    if (!claimed.items.length) return new StepResponse({ result: empty, alerts: deadAlerts })
    const settings = await currentSettings(container)
    const policy = retryPolicyFrom(settings)

    let wholeError: string | null = call.error?.message ?? null
    let itemOutcomes: ItemOutcome[] | null = null
    if (call.reply && !wholeError) {
      try {
        itemOutcomes = outcomesFor(built.sent, interpretImportReply(call.reply))
      } catch (e) {
        wholeError = errorMessage(e)
      }
    }
    if (wholeError) container.resolve(ContainerRegistrationKeys.LOGGER).warn(`OrderFlow ${operation} call failed: ${wholeError}`)
    const plan = planExportSettlement({ items: claimed.items, built, itemOutcomes, wholeError, policy, now: new Date(), random: Math.random })

    const { export_id } = await orderflowService(container).settleExport({
      record: {
        operation,
        trigger,
        status: plan.status,
        http_status: call.reply?.status ?? call.error?.status ?? null,
        duration_ms: call.duration_ms,
        request_body: built.document,
        response_body: call.reply?.body ?? null,
        error: wholeError,
      },
      outcomes: plan.outcomes,
      now: new Date(),
      sent_at: new Date(call.sent_at),
      claimed_by: claimed.claimed_by,
    })

    const count = (outcome: string) => plan.outcomes.filter((o) => o.outcome === outcome).length
    const result: ExportBatchResult = {
      claimed: claimed.items.length,
      released: claimed.released,
      sent: built.sent.length,
      exported: count("success"),
      duplicates: count("duplicate"),
      failed: count("failure") + claimed.dead.length,
      missing: count("missing"),
      export_id,
      error: wholeError,
      outcomes: plan.outcomes.map((o) => ({ id: o.id, reference: o.reference, outcome: o.outcome, message: o.message ?? null })),
    }

    const alerts: SendAlertInput[] = [...deadAlerts]
    if (plan.outageAlert) {
      // Items are never failed for an outage, but someone must know it lasts.
      alerts.push({
        title: `OrderFlow ${operation.replace("_", " ")} keeps failing`,
        description: `${built.sent.length} item(s) could not be sent ${policy.maxAttempts} times in a row: ${wholeError}. They stay queued and are retried with back-off.`,
        key: `export-outage:${export_id}`,
      })
    }
    for (const item of plan.finalFailures) {
      const failure = plan.outcomes.find((o) => o.id === item.id)
      alerts.push({
        title: `OrderFlow ${entity_type} ${item.reference} could not be exported`,
        description: `${failure?.message ?? "failed"} — after ${failure?.attempts} attempts it will not be retried automatically. Fix the cause, then export it again or reset its export status.`,
        key: `export:${item.id}:${failure?.attempts}`,
        resource_type: entity_type === "order" ? "order" : "product_variant",
        resource_id: item.variant_id ?? item.entity_id,
      })
    }
    return new StepResponse({ result, alerts })
  }
)
