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
