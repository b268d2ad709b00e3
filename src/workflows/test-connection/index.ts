import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../../lib/errors"
import { interpretImportReply } from "../../lib/xml/import-result"
import { buildEmptyImportsDocument } from "../../lib/xml/imports-document"
import type { OrderflowSettings } from "../../lib/settings"
import { orderflowClientFrom } from "../common/orderflow-client"
import { currentSettings } from "../common/settings"

export type TestConnectionInput = { api?: Partial<OrderflowSettings["api"]> }
export type TestConnectionResult = { ok: boolean; status: number | null; duration_ms: number; endpoint: string; message: string }

/**
 * "Test connection": an empty `<imports/>` to the product import URL with
 * the organisation header, using the saved settings overlaid with unsaved
 * values from the form (an empty value means the saved one). Nothing is
 * imported and nothing is written; the answer says whether URL, credentials
 * and organisation are right. Never throws: a failure is the answer.
 */
export const testOrderflowConnectionStep = createStep("orderflow-test-connection", async (input: TestConnectionInput, { container }) => {
  const settings = await currentSettings(container)
  const override = Object.fromEntries(Object.entries(input.api ?? {}).filter(([, v]) => v !== undefined && v !== ""))
  const endpoint = String(override.endpoint ?? settings.api.endpoint)
  let status: number | null = null
  let duration = 0
  try {
    const reply = await orderflowClientFrom(settings, override).importProducts(buildEmptyImportsDocument())
    status = reply.status
    duration = Math.round(reply.durationMs)
    interpretImportReply(reply)
    const organisation = override.organisation ?? settings.api.organisation
    return new StepResponse<TestConnectionResult>({ ok: true, status, duration_ms: duration, endpoint, message: `OrderFlow answered the product import URL for organisation "${organisation}"` })
  } catch (e) {
    const hint =
      status === 401 || status === 403
        ? "OrderFlow refused the username or password"
        : status === 404
          ? "Nothing at this URL: check the endpoint and its instance context path"
          : null
    const message = hint ? `${hint} (${errorMessage(e)})` : errorMessage(e)
    return new StepResponse<TestConnectionResult>({ ok: false, status, duration_ms: duration, endpoint, message })
  }
})

// Not stored: its input may carry an unsaved password.
export const testOrderflowConnectionWorkflow = createWorkflow("orderflow-test-connection", (input: TestConnectionInput) => {
  return new WorkflowResponse(testOrderflowConnectionStep(input))
})
