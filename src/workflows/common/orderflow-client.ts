import { OrderflowConfigError } from "../../lib/errors"
import { OrderflowSettings } from "../../lib/settings"
import { createOrderflowClient, OrderflowClient } from "../../modules/orderflow/client"

/** A client for the configured OrderFlow instance; a clear error when the connection is not set up. */
export function orderflowClientFrom(settings: OrderflowSettings, override: Partial<OrderflowSettings["api"]> = {}): OrderflowClient {
  const api = { ...settings.api, ...override }
  const missing = (["endpoint", "username", "password"] as const).filter((k) => !api[k])
  if (missing.length) {
    throw new OrderflowConfigError(`The OrderFlow connection is not configured: set ${missing.map((m) => `api.${m}`).join(", ")} in Settings → OrderFlow`)
  }
  return createOrderflowClient({
    endpoint: api.endpoint,
    username: api.username,
    password: api.password,
    organisation: api.organisation,
    channel: api.channel,
    timeoutMs: api.timeoutSeconds * 1000,
  })
}
