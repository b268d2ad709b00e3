import { CronExpressionParser } from "cron-parser"

/**
 * Cron expressions as the admin types them: five fields (minute hour day
 * month weekday), evaluated in UTC. The scheduler job ticks once a minute,
 * so second-level schedules would be a lie and are refused.
 */
export function cronError(expression: string): string | null {
  const fields = expression.trim().split(/\s+/)
  if (fields.length !== 5) {
    return `"${expression}" must have 5 fields (minute hour day-of-month month day-of-week)`
  }
  try {
    CronExpressionParser.parse(expression, { tz: "UTC", strict: false })
    return null
  } catch (e) {
    return `"${expression}" is not a valid cron expression: ${(e as Error).message}`
  }
}

/** The latest tick of `expression` at or before `now`. */
export function latestTick(expression: string, now: Date): Date {
  // cron-parser's prev() is strictly before currentDate; +1 ms makes a tick exactly at now count.
  const interval = CronExpressionParser.parse(expression, {
    tz: "UTC",
    currentDate: new Date(now.getTime() + 1),
  })
  return interval.prev().toDate()
}

/**
 * An operation is due when its cron has a tick after the one it last served
 * (`lastDueAt`) and not after now. A run missed while the store was down is
 * caught up once, not once per missed tick.
 */
export function dueTick(expression: string, lastDueAt: Date | null, now: Date): Date | null {
  const tick = latestTick(expression, now)
  if (lastDueAt && tick.getTime() <= lastDueAt.getTime()) return null
  return tick
}
