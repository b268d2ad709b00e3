import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"

export type SendAlertInput = {
  /** Short, e.g. "OrderFlow inventory message 71 failed". */
  title: string
  /** What happened and what to do. */
  description: string
  /** Makes the alert idempotent: the same key is sent once. */
  key: string
  resource_type?: string
  resource_id?: string
}

/**
 * Failure alerts (seed 003: "a mechanism should be in place which allows the
 * third party system to alert the system administrator"): always to the
 * admin's notification feed, and by email to the configured admin address
 * when the store has an email notification provider. A store without one
 * still gets the feed entry; the missing email is logged, not fatal.
 */
export async function deliverAlert(container: MedusaContainer, input: SendAlertInput): Promise<string[]> {
    const notifications = container.resolve(Modules.NOTIFICATION)
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const { settings } = await orderflow.getCurrentSettings()
    const sent: string[] = []
    const common = {
      trigger_type: "orderflow.alert",
      resource_type: input.resource_type,
      resource_id: input.resource_id,
    }
    try {
      await notifications.createNotifications({
        to: "",
        channel: "feed",
        template: "admin-ui",
        data: { title: input.title, description: input.description },
        idempotency_key: `orderflow-alert-feed:${input.key}`,
        ...common,
      })
      sent.push("feed")
    } catch (e) {
      logger.warn(`OrderFlow alert not added to the admin feed (${(e as Error).message}): ${input.title}`)
    }
    if (settings.email.adminEmail) {
      try {
        await notifications.createNotifications({
          to: settings.email.adminEmail,
          channel: "email",
          template: "orderflow-alert",
          data: {
            subject: input.title,
            title: input.title,
            description: input.description,
            admin_name: settings.email.adminName,
          },
          idempotency_key: `orderflow-alert-email:${input.key}`,
          ...common,
        })
        sent.push("email")
      } catch (e) {
        logger.warn(`OrderFlow alert not emailed to ${settings.email.adminEmail}: ${(e as Error).message}`)
      }
    }
    logger.warn(`OrderFlow alert: ${input.title} — ${input.description}`)
    return sent
}

export const sendAlertStep = createStep("orderflow-send-alert", async (input: SendAlertInput, { container }) => {
  return new StepResponse({ sent: await deliverAlert(container, input) })
})

/**
 * Several alerts at once (an operation's items that failed for good). An
 * alert that cannot be delivered is logged by deliverAlert and never fails
 * the operation: its records are already settled.
 */
export const sendAlertsStep = createStep("orderflow-send-alerts", async (alerts: SendAlertInput[], { container }) => {
  let sent = 0
  for (const alert of alerts ?? []) {
    if ((await deliverAlert(container, alert)).length) sent++
  }
  return new StepResponse({ alerts: alerts?.length ?? 0, sent })
})
