import { Text } from "@medusajs/ui"
import type { ActivityBucket } from "../hooks/api/activity"

type Series = { label: string; ok: keyof ActivityBucket; failed: keyof ActivityBucket; okLabel: string; failedLabel: string }

const SERIES: Series[] = [
  { label: "Calls to OrderFlow (exports)", ok: "exports_success", failed: "exports_failed", okLabel: "succeeded", failedLabel: "failed" },
  { label: "Messages from OrderFlow", ok: "messages_processed", failed: "messages_failed", okLabel: "processed", failedLabel: "failed" },
]

const hourLabel = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })

/**
 * Stacked bars per hour, one row per direction: green what went through,
 * red what failed. Plain CSS bars (no chart library); each bar's title gives
 * the figures.
 */
export function ActivityChart({ buckets }: { buckets: ActivityBucket[] }) {
  return (
    <div className="flex flex-col gap-y-6 px-6 py-4" data-testid="orderflow-activity-chart">
      {SERIES.map((s) => {
        const totals = buckets.map((b) => Number(b[s.ok]) + Number(b[s.failed]))
        const max = Math.max(1, ...totals)
        const sumOk = buckets.reduce((n, b) => n + Number(b[s.ok]), 0)
        const sumFailed = buckets.reduce((n, b) => n + Number(b[s.failed]), 0)
        return (
          <div key={s.label} className="flex flex-col gap-y-2">
            <div className="flex items-center justify-between">
              <Text size="small" weight="plus">
                {s.label}
              </Text>
              <div className="flex items-center gap-x-4">
                <Legend className="bg-ui-tag-green-icon" text={`${sumOk} ${s.okLabel}`} />
                <Legend className="bg-ui-tag-red-icon" text={`${sumFailed} ${s.failedLabel}`} />
              </div>
            </div>
            <div className="flex h-24 items-end gap-x-[3px] border-b border-ui-border-base">
              {buckets.map((b, i) => {
                const ok = Number(b[s.ok])
                const failed = Number(b[s.failed])
                return (
                  <div
                    key={b.hour}
                    className="flex h-full flex-1 flex-col justify-end"
                    title={`${hourLabel(b.hour)}: ${ok} ${s.okLabel}, ${failed} ${s.failedLabel}`}
                  >
                    {failed > 0 && <div className="bg-ui-tag-red-icon rounded-t-sm" style={{ height: `${(failed / max) * 100}%` }} />}
                    {ok > 0 && <div className={`bg-ui-tag-green-icon ${failed ? "" : "rounded-t-sm"}`} style={{ height: `${(ok / max) * 100}%` }} />}
                    {totals[i] === 0 && <div className="bg-ui-border-base h-px" />}
                  </div>
                )
              })}
            </div>
            <div className="flex gap-x-[3px]">
              {buckets.map((b, i) => (
                <div key={b.hour} className="flex-1 text-center">
                  {i % 3 === 0 ? (
                    <Text size="xsmall" className="text-ui-fg-muted whitespace-nowrap">
                      {hourLabel(b.hour)}
                    </Text>
                  ) : null}
                </div>
              ))}
            </div>
          </div>
        )
      })}
    </div>
  )
}

function Legend({ className, text }: { className: string; text: string }) {
  return (
    <div className="flex items-center gap-x-1.5">
      <span className={`inline-block h-2 w-2 rounded-sm ${className}`} />
      <Text size="xsmall" className="text-ui-fg-subtle">
        {text}
      </Text>
    </div>
  )
}
