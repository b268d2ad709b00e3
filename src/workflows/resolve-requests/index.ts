import { MedusaError } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"

export type ResolveRequestsInput = {
  ids: string[]
  /** The admin user resolving them (auth actor id). */
  resolved_by: string | null
}

/**
 * Failed (dead-lettered) messages → resolved, all or none: an id that is
 * unknown or not failed refuses the whole call, naming each one, and
 * changes nothing. Compensation puts them back to failed.
 */
export const resolveRequestsStep = createStep(
  "orderflow-resolve-requests",
  async ({ ids, resolved_by }: ResolveRequestsInput, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const { resolved, refused } = await orderflow.resolveRequests({ ids, by: resolved_by, now: new Date() })
    if (refused.length) {
      const list = refused.map((r) => `${r.id} (${r.status === "not_found" ? "not found" : r.status})`).join(", ")
      throw new MedusaError(
        refused.every((r) => r.status === "not_found") ? MedusaError.Types.NOT_FOUND : MedusaError.Types.NOT_ALLOWED,
        `Only failed requests (dead letters) can be resolved; nothing was changed. Refused: ${list}`
      )
    }
    return new StepResponse({ resolved }, resolved)
  },
  async (resolved, { container }) => {
    if (!resolved?.length) return
    await container.resolve<OrderflowModuleService>(ORDERFLOW_MODULE).unresolveRequests(resolved)
  }
)

/**
 * "Resolve" (POST /admin/orderflow/requests/:id/resolve and
 * /admin/orderflow/requests/resolve): an admin closes dead letters after
 * dealing with them (stock corrected by hand, despatch entered, or nothing
 * to do). A resolved request is never processed again and log cleaning
 * deletes it after historyDays, like a processed one.
 */
export const resolveRequestsWorkflow = createWorkflow("orderflow-resolve-requests", (input: ResolveRequestsInput) => {
  const result = resolveRequestsStep(input)
  return new WorkflowResponse(result)
})
