import { MedusaContainer } from "@medusajs/framework/types"
import { runDueOperationsWorkflow } from "../workflows/run-operation"

/**
 * Job schedules are fixed at boot, the merchant's crons are not: this job
 * ticks every minute and runs whichever OrderFlow operations fell due
 * (DESIGN.md section 6). ORDERFLOW_SCHEDULER_DISABLED=true turns it off
 * (tests drive operations explicitly).
 */
export default async function orderflowScheduler(container: MedusaContainer) {
  if (process.env.ORDERFLOW_SCHEDULER_DISABLED === "true") return
  await runDueOperationsWorkflow(container).run({ input: { now: new Date().toISOString() } })
}

export const config = {
  name: "orderflow-scheduler",
  schedule: "* * * * *",
}
