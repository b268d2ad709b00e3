import { MedusaContainer } from "@medusajs/framework/types"
import { checkAlarmsWorkflow } from "../workflows/incidents"

/**
 * Every minute: the alarms for silence and lag (settings group `alarms`) are
 * evaluated; one incident per firing alarm, closed when it clears.
 * ORDERFLOW_SCHEDULER_DISABLED=true turns it off with the scheduler.
 */
export default async function orderflowAlarms(container: MedusaContainer) {
  if (process.env.ORDERFLOW_SCHEDULER_DISABLED === "true") return
  await checkAlarmsWorkflow(container).run({ input: {} })
}

export const config = {
  name: "orderflow-alarms",
  schedule: "* * * * *",
}
