import { RetryPolicy } from "../lib/export/retry-schedule"
import { OrderflowSettings } from "../lib/settings"

/** The one retry policy, from the admin's settings. */
export function retryPolicyFrom(settings: OrderflowSettings): RetryPolicy {
  const base = settings.retry.baseDelaySeconds * 1000
  return {
    baseDelayMs: base,
    maxDelayMs: settings.retry.maxDelaySeconds * 1000,
    minDelayMs: Math.min(5000, base),
    maxAttempts: settings.retry.maxAttempts,
  }
}
