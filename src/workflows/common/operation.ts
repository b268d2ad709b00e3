import type { OperationTrigger } from "../../types"

/** What every operation workflow takes. */
export type OperationInput = {
  trigger: OperationTrigger
  /** ISO instant the run stands for (the scheduler's tick, or a test's clock); now when absent. */
  now?: string
}

/**
 * Workflow options of every OrderFlow operation: its executions are kept
 * (with their input and step results) for a day, so they can be read in the
 * admin at Settings → Workflows; Medusa's workflow engine deletes them after.
 */
export const OPERATION_RETENTION_SECONDS = 24 * 60 * 60
export const operationWorkflow = (name: string) => ({ name, store: true, retentionTime: OPERATION_RETENTION_SECONDS })

/**
 * Workflow options of an operation's run started by an event (a push, a
 * payment, a product edit): the same steps, not stored. Under steady traffic
 * such runs start several times a second; keeping each for a day would fill
 * the workflow executions table with near-identical rows. The run's figures
 * still reach the operation's last-run record and the import/export history.
 */
export const eventOperationWorkflow = (name: string) => ({ name: `${name}-on-event` })
