import { cleanLogsWorkflow } from "../workflows/clean-logs"
import { OperationRunner } from "./types"

const DAY_MS = 24 * 60 * 60 * 1000

export const runLogCleaning: OperationRunner = async ({ container, settings, now }) => {
  const { historyDays, bodyDays } = settings.logCleaning
  const { result } = await cleanLogsWorkflow(container).run({
    input: {
      historyBefore: new Date(now.getTime() - historyDays * DAY_MS).toISOString(),
      bodyBefore: new Date(now.getTime() - bodyDays * DAY_MS).toISOString(),
    },
  })
  return result
}
