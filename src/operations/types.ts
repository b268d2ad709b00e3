import { MedusaContainer } from "@medusajs/framework/types"
import { OperationName, OrderflowSettings } from "../lib/settings"

export type OperationTrigger = "schedule" | "manual"

export type OperationContext = {
  container: MedusaContainer
  settings: OrderflowSettings
  now: Date
  trigger: OperationTrigger
}

/** What an operation did, shown in the admin and returned by the run API. */
export type OperationSummary = Record<string, unknown>

export type OperationRunner = (ctx: OperationContext) => Promise<OperationSummary>

export type { OperationName }
