import { AlarmFacts, evaluateAlarms } from "../alarms"

const now = new Date("2026-12-01T12:00:00Z")
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000)
const settings = { stockSilenceHours: 24, orderAcceptanceMinutes: 60, despatchBacklogMinutes: 30, deadLetters: true, stockDriftThreshold: 50 }
const quiet: AlarmFacts = {
  inventoryImportEnabled: true,
  watchingSince: ago(10 * 24 * 60),
  lastStockMessageAt: ago(5),
  oldestUnacceptedOrder: null,
  oldestWaitingDespatch: null,
  deadLetters: { requests: 0, exports: 0 },
  openStockDrift: 0,
}
const names = (facts: Partial<AlarmFacts>, s = settings) => evaluateAlarms({ ...quiet, ...facts }, s, now).map((a) => a.name)

describe("evaluateAlarms", () => {
  it("fires nothing while stock arrives, orders are accepted, despatches applied and no dead letter waits", () => {
    expect(names({})).toEqual([])
  })

  it("fires stock_silence once the last stock message is as old as the setting, only while inventory import is enabled", () => {
    expect(names({ lastStockMessageAt: ago(24 * 60 - 1) })).toEqual([])
    expect(names({ lastStockMessageAt: ago(24 * 60) })).toEqual(["stock_silence"])
    expect(names({ lastStockMessageAt: ago(24 * 60), inventoryImportEnabled: false })).toEqual([])
    // Never a message: counted from when the store started watching.
    expect(names({ lastStockMessageAt: null, watchingSince: ago(60) })).toEqual([])
    expect(names({ lastStockMessageAt: null, watchingSince: ago(25 * 60) })).toEqual(["stock_silence"])
  })

  it("fires order_acceptance and despatch_backlog past their minutes, naming the order and the message", () => {
    const fired = evaluateAlarms(
      { ...quiet, oldestUnacceptedOrder: { reference: "1042", since: ago(61) }, oldestWaitingDespatch: { messageSeqId: 77, since: ago(31) } },
      settings,
      now
    )
    expect(fired.map((a) => a.name)).toEqual(["order_acceptance", "despatch_backlog"])
    expect(fired[0].description).toContain("Order 1042")
    expect(fired[1].description).toContain("Despatch message 77")
    expect(names({ oldestUnacceptedOrder: { reference: "1042", since: ago(59) }, oldestWaitingDespatch: { messageSeqId: 77, since: ago(29) } })).toEqual([])
  })

  it("fires dead_letters while one is present; a setting of 0 or false turns each alarm off", () => {
    expect(names({ deadLetters: { requests: 1, exports: 2 } })).toEqual(["dead_letters"])
    const off = { stockSilenceHours: 0, orderAcceptanceMinutes: 0, despatchBacklogMinutes: 0, deadLetters: false, stockDriftThreshold: 0 }
    expect(
      names({ lastStockMessageAt: ago(100_000), oldestUnacceptedOrder: { reference: "1", since: ago(100_000) }, oldestWaitingDespatch: { messageSeqId: 1, since: ago(100_000) }, deadLetters: { requests: 3, exports: 3 } }, off)
    ).toEqual([])
  })

  it("fires stock_drift from the threshold of open differences up, never when the threshold is 0", () => {
    expect(names({ openStockDrift: 49 })).toEqual([])
    const fired = evaluateAlarms({ ...quiet, openStockDrift: 50 }, settings, now)
    expect(fired.map((a) => a.name)).toEqual(["stock_drift"])
    expect(fired[0].title).toBe("50 stock levels differ from OrderFlow")
    expect(names({ openStockDrift: 5000 }, { ...settings, stockDriftThreshold: 0 })).toEqual([])
  })
})
