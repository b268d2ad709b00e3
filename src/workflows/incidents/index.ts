import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { evaluateAlarms } from "../../lib/alarms/alarms"
import type { IncidentKind } from "../../types"
import { currentSettings, orderflowService } from "../common/settings"
import { deliverAlert, type SendAlertInput } from "../send-alert/send-alert-step"

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

/** Alerts built by an operation, raised as incidents of one kind (their `key` is the incident key: the cause). */
export function asIncidents(alerts: SendAlertInput[], operation: string, kind: IncidentKind): IncidentRequest[] {
  return alerts.map((a) => ({ key: a.key, operation, kind, title: a.title, description: a.description, resource_type: a.resource_type, resource_id: a.resource_id }))
}

export type CheckAlarmsInput = { now?: string }
export type CheckAlarmsResult = { firing: string[]; opened: number; cleared: number }

/**
 * Alarms for silence and lag (settings group `alarms`): evaluates them and
 * keeps one incident per alarm — opened (and alerted once) while it fires,
 * closed when it no longer does, so a later recurrence alerts again.
 */
export const checkAlarmsStep = createStep("orderflow-check-alarms", async ({ now }: CheckAlarmsInput, { container }) => {
  const orderflow = orderflowService(container)
  const settings = await currentSettings(container)
  const at = now ? new Date(now) : new Date()
  const facts = { ...(await orderflow.alarmFacts()), inventoryImportEnabled: settings.inventoryImport.enabled }
  const firing = evaluateAlarms(facts, settings.alarms, at)
  const requests: IncidentRequest[] = firing.map((a) => ({ key: `alarm:${a.name}`, operation: "alarms", kind: "alarm", title: a.title, description: a.description }))
  const open = await orderflow.listOpenIncidentsByPrefix("alarm:")
  const stillFiring = new Set(requests.map((r) => r.key))
  const cleared = open.filter((i) => !stillFiring.has(i.key)).map((i) => i.key)
  if (cleared.length) await orderflow.closeIncidents(cleared, { now: at, by: "alarm cleared" })
  return new StepResponse({ requests, firing: firing.map((a) => a.name), cleared: cleared.length })
})

export const checkAlarmsWorkflow = createWorkflow("orderflow-check-alarms", (input: CheckAlarmsInput) => {
  const checked = checkAlarmsStep(input)
  const raised = raiseIncidentsStep(transform({ checked }, ({ checked }) => checked.requests))
  return new WorkflowResponse(
    transform({ checked, raised }, ({ checked, raised }): CheckAlarmsResult => ({ firing: checked.firing, opened: raised.opened, cleared: checked.cleared }))
  )
})
