import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { OrderflowError } from "../../../../../lib/errors"
import { buildEmptyImportsDocument } from "../../../../../lib/xml/imports-document"
import { interpretImportReply } from "../../../../../lib/xml/import-result"
import { ORDERFLOW_MODULE } from "../../../../../modules/orderflow"
import OrderflowModuleService from "../../../../../modules/orderflow/service"
import { orderflowClientFrom } from "../../../../../workflows/common/orderflow-client"
import { AdminTestOrderflowConnection } from "../validators"

/**
 * POST /admin/orderflow/settings/test — "Test connection": sends an empty
 * `<imports/>` to the product import URL with the organisation header, using
 * the saved settings overlaid with any unsaved values from the form (an empty
 * password means the saved one). Nothing is imported; the answer shows
 * whether URL, credentials and organisation are right.
 */
export async function POST(
  req: AuthenticatedMedusaRequest<z.infer<typeof AdminTestOrderflowConnection>>,
  res: MedusaResponse
) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const { settings } = await orderflow.getCurrentSettings()
  const override = Object.fromEntries(
    Object.entries(req.validatedBody?.api ?? {}).filter(([, v]) => v !== undefined && v !== "")
  )
  const endpoint = String(override.endpoint ?? settings.api.endpoint)
  let status: number | null = null
  let duration = 0
  try {
    const client = orderflowClientFrom(settings, override)
    const reply = await client.importProducts(buildEmptyImportsDocument())
    status = reply.status
    duration = Math.round(reply.durationMs)
    interpretImportReply(reply)
    res.json({
      result: { ok: true, status, duration_ms: duration, endpoint, message: `OrderFlow answered the product import URL for organisation "${override.organisation ?? settings.api.organisation}"` },
    })
  } catch (e) {
    const err = e as OrderflowError
    const hint =
      status === 401 || status === 403
        ? "OrderFlow refused the username or password"
        : status === 404
          ? "Nothing at this URL: check the endpoint and its instance context path"
          : null
    res.json({
      result: { ok: false, status, duration_ms: duration, endpoint, message: hint ? `${hint} (${err.message})` : err.message },
    })
  }
}
