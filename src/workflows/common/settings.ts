import { MedusaContainer } from "@medusajs/framework/types"
import { OrderflowSettings } from "../../lib/settings"
import { ORDERFLOW_MODULE } from "../../types"
import type OrderflowModuleService from "../../modules/orderflow/service"

/**
 * The settings in force, read inside a step. Steps read them themselves
 * rather than receiving them as workflow input: inputs and step results are
 * stored with the workflow execution (Settings → Workflows), and the
 * settings carry OrderFlow's password.
 */
export async function currentSettings(container: MedusaContainer | { resolve: MedusaContainer["resolve"] }): Promise<OrderflowSettings> {
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  return (await orderflow.getCurrentSettings({ maxAgeMs: SETTINGS_MAX_AGE_MS })).settings
}

/**
 * The steps of one run read the settings several times within milliseconds:
 * a copy this recent is good enough. An edit in this process clears it at
 * once; another instance's edit is seen within this time.
 */
export const SETTINGS_MAX_AGE_MS = 2000

export function orderflowService(container: { resolve: MedusaContainer["resolve"] }): OrderflowModuleService {
  return container.resolve(ORDERFLOW_MODULE)
}

/** The later of two instants (a run's stamp may be given in the past or the future by tests and the scheduler). */
export function laterOf(a: Date | string | undefined | null, b: Date): Date {
  const t = a ? new Date(a).getTime() : Number.NaN
  return Number.isFinite(t) && t > b.getTime() ? new Date(t) : b
}
