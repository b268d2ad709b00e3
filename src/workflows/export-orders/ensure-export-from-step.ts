import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"

export type ExportFromState = { enabled: boolean; export_from: string | null }

/**
 * Orders placed before order export was enabled are exported only when the
 * admin asks (backfill). `orderExport.exportFrom` holds that boundary; it is
 * set the first time the plugin sees order export enabled without one: to
 * when the admin saved the order export settings with `enabled` on (the save
 * that enabled it), or to now when it was enabled by plugin options or
 * environment. Writing it is the only write here; the compensation puts the
 * stored settings back.
 */
export const ensureExportFromStep = createStep(
  "orderflow-ensure-order-export-from",
  async (_: Record<string, never>, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const { settings, locked } = await orderflow.getCurrentSettings()
    const s = settings.orderExport
    if (!s.enabled || s.exportFrom || locked.includes("orderExport.exportFrom")) {
      return new StepResponse<ExportFromState, Record<string, unknown> | null>({ enabled: s.enabled, export_from: s.exportFrom }, null)
    }
    const now = new Date()
    const [row] = await orderflow.listOrderflowSettings({ key: "orderExport" }, { take: 1 })
    const savedAt = row && (row.value as Record<string, unknown>)?.enabled === true ? new Date(row.updated_at as unknown as string) : null
    const from = savedAt && savedAt.getTime() <= now.getTime() ? savedAt : now
    const previous = await orderflow.exportStoredSettings()
    try {
      await orderflow.updateSettings({ orderExport: { exportFrom: from.toISOString() } })
    } catch (e) {
      // Settings that no longer validate must not stop orders being queued;
      // the boundary is then simply not set yet.
      container.resolve(ContainerRegistrationKeys.LOGGER).warn(`OrderFlow: could not set orderExport.exportFrom: ${(e as Error).message}`)
      return new StepResponse<ExportFromState, Record<string, unknown> | null>({ enabled: true, export_from: null }, null)
    }
    return new StepResponse<ExportFromState, Record<string, unknown> | null>({ enabled: true, export_from: from.toISOString() }, previous)
  },
  async (previous: Record<string, unknown> | null | undefined, { container }) => {
    if (!previous) return
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    await orderflow.restoreStoredSettings(previous)
  }
)
