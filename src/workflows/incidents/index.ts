import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { IncidentKind } from "../../types"
import { orderflowService } from "../common/settings"
import { deliverAlert } from "../send-alert/send-alert-step"

/** An incident an operation asks for: opened and alerted once, or counted while it is open. */
export type IncidentRequest = {
  /** operation + class + cause: one open incident per key. */
  key: string
  operation: string
  kind: IncidentKind
  title: string
  description: string
  resource_type?: string
  resource_id?: string
}

/**
 * Raises incidents (DESIGN.md section 8, one alert per incident): the first
 * occurrence of a key opens an incident and alerts the administrator (admin
 * feed, and email when configured) with the incident's id as idempotency
 * key; later occurrences while it is open only count. An incident that
 * closed and happens again is a new incident, alerted again. Never fails the
 * operation: its records are already settled.
 */
export const raiseIncidentsStep = createStep("orderflow-raise-incidents", async (requests: IncidentRequest[], { container }) => {
  const orderflow = orderflowService(container)
  let opened = 0
  let counted = 0
  for (const r of requests ?? []) {
    try {
      const { incident, opened: isNew } = await orderflow.raiseIncident({ key: r.key, operation: r.operation, kind: r.kind, title: r.title, description: r.description, now: new Date() })
      if (!isNew) {
        counted++
        continue
      }
      opened++
      await deliverAlert(container as any, {
        title: r.title,
        description: r.description,
        key: `incident:${incident.id}`,
        resource_type: r.resource_type,
        resource_id: r.resource_id,
      })
    } catch (e) {
      container.resolve(ContainerRegistrationKeys.LOGGER).warn(`OrderFlow incident ${r.key} not recorded: ${(e as Error).message}`)
    }
  }
  return new StepResponse({ opened, counted })
})
