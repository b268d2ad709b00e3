// Alarms for silence and lag (issue 12): conditions that are not a failure
// of any one call but mean the store and the warehouse are drifting apart.
// Pure: the facts are read by the module (IncidentsRepository.alarmFacts).

export type AlarmSettings = {
  stockSilenceHours: number
  orderAcceptanceMinutes: number
  despatchBacklogMinutes: number
  deadLetters: boolean
  /** Open drift-report differences at or above which the stock_drift alarm fires (0: off). */
  stockDriftThreshold: number
}

export type AlarmFacts = {
  inventoryImportEnabled: boolean
  /** When inventory import was enabled or the store first saw OrderFlow: silence is counted from the later of this and the last message. */
  watchingSince: Date | null
  lastStockMessageAt: Date | null
  /** The oldest paid order OrderFlow has not accepted yet (queued for export, not exported), by when it was queued. */
  oldestUnacceptedOrder: { reference: string; since: Date } | null
  /** The oldest despatch stored and not applied yet. */
  oldestWaitingDespatch: { messageSeqId: number | null; since: Date } | null
  deadLetters: { requests: number; exports: number }
  /** Open differences of the drift report (OrderFlow's figure vs Medusa's level). */
  openStockDrift: number
}

export type AlarmName = "stock_silence" | "order_acceptance" | "despatch_backlog" | "dead_letters" | "stock_drift"

export type FiringAlarm = { name: AlarmName; title: string; description: string }

const HOUR = 3_600_000
const MINUTE = 60_000
const iso = (d: Date) => d.toISOString()

/** Which alarms fire now; an alarm set to 0 (or false) never fires. */
export function evaluateAlarms(facts: AlarmFacts, settings: AlarmSettings, now: Date): FiringAlarm[] {
  const firing: FiringAlarm[] = []
  if (settings.stockSilenceHours > 0 && facts.inventoryImportEnabled) {
    const since = [facts.lastStockMessageAt, facts.watchingSince].filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0] ?? null
    if (since && now.getTime() - since.getTime() >= settings.stockSilenceHours * HOUR) {
      firing.push({
        name: "stock_silence",
        title: `No stock message from OrderFlow for ${settings.stockSilenceHours} h`,
        description:
          `The last stock message arrived ${facts.lastStockMessageAt ? `at ${iso(facts.lastStockMessageAt)}` : "never"} while inventory import is enabled: ` +
          `stock in the store may no longer match the warehouse. Check OrderFlow's inventory push (URL, credentials, its outbound queue) and Settings → OrderFlow → Inbound.`,
      })
    }
  }
  if (settings.orderAcceptanceMinutes > 0 && facts.oldestUnacceptedOrder) {
    const { reference, since } = facts.oldestUnacceptedOrder
    if (now.getTime() - since.getTime() >= settings.orderAcceptanceMinutes * MINUTE) {
      firing.push({
        name: "order_acceptance",
        title: `A paid order has waited over ${settings.orderAcceptanceMinutes} min for OrderFlow`,
        description: `Order ${reference}, queued at ${iso(since)}, is not accepted by OrderFlow yet. Look at OrderFlow → Orders for its last error and at the open incidents.`,
      })
    }
  }
  if (settings.despatchBacklogMinutes > 0 && facts.oldestWaitingDespatch) {
    const { messageSeqId, since } = facts.oldestWaitingDespatch
    if (now.getTime() - since.getTime() >= settings.despatchBacklogMinutes * MINUTE) {
      firing.push({
        name: "despatch_backlog",
        title: `Despatches have waited over ${settings.despatchBacklogMinutes} min to be applied`,
        description: `Despatch message ${messageSeqId ?? "?"}, received at ${iso(since)}, is not applied yet: shipment import is behind or stopped. Check that it is enabled and look at OrderFlow → Requests.`,
      })
    }
  }
  const dead = facts.deadLetters.requests + facts.deadLetters.exports
  if (settings.deadLetters && dead > 0) {
    firing.push({
      name: "dead_letters",
      title: `${dead} OrderFlow dead letter${dead === 1 ? " needs" : "s need"} attention`,
      description:
        `${facts.deadLetters.requests} message(s) from OrderFlow and ${facts.deadLetters.exports} export item(s) failed for good and are not retried automatically. ` +
        `Process or resolve the messages (OrderFlow → Requests, status failed); export or reset the items (OrderFlow → Orders / Products, status failed).`,
    })
  }
  if (settings.stockDriftThreshold > 0 && facts.openStockDrift >= settings.stockDriftThreshold) {
    firing.push({
      name: "stock_drift",
      title: `${facts.openStockDrift} stock levels differ from OrderFlow`,
      description:
        `The drift report found ${facts.openStockDrift} SKU/location levels in Medusa that differ from OrderFlow's figure (threshold ${settings.stockDriftThreshold}). ` +
        `Review them at OrderFlow → Stock: accept OrderFlow's figure or ignore each difference.`,
    })
  }
  return firing
}

export const ALARM_NAMES: readonly AlarmName[] = ["stock_silence", "order_acceptance", "despatch_backlog", "dead_letters", "stock_drift"]
