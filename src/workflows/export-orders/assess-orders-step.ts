import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { assessOrders, OrderAssessment } from "./assess-orders"
import type { ExportFromState } from "./ensure-export-from-step"
import { orderIdsOfPayments } from "./load-order-facts"

/**
 * Where a request to queue orders comes from. Events and the sweep act only
 * while order export is enabled and only on orders placed since it was
 * (`exportFrom`); the admin's manual export and backfill do neither check.
 */
export type QueueSource = "event" | "sweep" | "manual" | "backfill"

export type QueueOrdersInput = {
  order_ids?: string[]
  /** payment.captured carries the payment; its order is looked up. */
  payment_ids?: string[]
  source: QueueSource
}

export type AssessedOrders = {
  /** Set when nothing was assessed, e.g. "order export is disabled". */
  ignored: string | null
  assessments: OrderAssessment[]
}

const AUTOMATIC: ReadonlyArray<QueueSource> = ["event", "sweep"]

/** Read-only: eligibility and export row of each order. */
export const assessOrdersForExportStep = createStep(
  "orderflow-assess-orders-for-export",
  async ({ input, state }: { input: QueueOrdersInput; state: ExportFromState }, { container }) => {
    const automatic = AUTOMATIC.includes(input.source)
    if (automatic && !state.enabled) {
      return new StepResponse<AssessedOrders>({ ignored: "order export is disabled", assessments: [] })
    }
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const { settings } = await orderflow.getCurrentSettings()
    const fromPayments = input.payment_ids?.length ? await orderIdsOfPayments(container, input.payment_ids) : []
    const ids = [...new Set([...(input.order_ids ?? []), ...fromPayments])]
    const assessments = await assessOrders(container, ids, {
      exportFrom: automatic && state.export_from ? new Date(state.export_from) : null,
      referencePrefix: settings.orderExport.referencePrefix,
    })
    return new StepResponse<AssessedOrders>({ ignored: null, assessments })
  }
)
