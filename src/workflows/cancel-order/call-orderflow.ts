import { performance } from "node:perf_hooks"
import { interpretOrderActionReply, OrderActionOutcome } from "../../lib/order-export"
import { OrderflowSettings } from "../../lib/settings"
import type { OrderflowClient, OrderflowReply } from "../../modules/orderflow/client"
import { orderflowClientFrom } from "../common/orderflow-client"

export type OrderCall = {
  outcome: OrderActionOutcome
  http_status: number | null
  body: string | null
  duration_ms: number
  error: string | null
}

/**
 * One cancel/hold/release call with its outcome classified
 * (lib/order-export/order-replies.ts). Never throws: no answer (network,
 * timeout, missing configuration) is an outcome to retry like the others.
 */
export async function callOrderflow(settings: OrderflowSettings, send: (client: OrderflowClient) => Promise<OrderflowReply>): Promise<OrderCall> {
  const started = performance.now()
  try {
    const reply = await send(orderflowClientFrom(settings))
    return {
      outcome: interpretOrderActionReply(reply),
      http_status: reply.status,
      body: reply.body,
      duration_ms: performance.now() - started,
      error: null,
    }
  } catch (e) {
    const message = `request failed: ${(e as Error).message}`
    return { outcome: { kind: "retry", message }, http_status: null, body: null, duration_ms: performance.now() - started, error: message }
  }
}
