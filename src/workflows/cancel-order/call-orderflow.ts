import { performance } from "node:perf_hooks"
import { interpretOrderActionReply, OrderActionOutcome } from "../../lib/order-export"
import { OrderflowSettings } from "../../lib/settings"
import type { OrderflowClient, OrderflowReply } from "../../modules/orderflow/client"
import { orderflowClientFrom } from "../common/orderflow-client"

export type OrderCall<O = OrderActionOutcome> = {
  outcome: O | { kind: "retry"; message: string }
  http_status: number | null
  body: string | null
  duration_ms: number
  error: string | null
}

/**
 * One call to OrderFlow (cancel, hold, release, line cancel, reinsert…)
 * with its outcome classified by `interpret` (default: the order action
 * replies of lib/order-export/order-replies.ts). Never throws: no answer
 * (network, timeout, missing configuration) is an outcome to retry like
 * the others.
 */
export async function callOrderflow<O extends { kind: string } = OrderActionOutcome>(
  settings: OrderflowSettings,
  send: (client: OrderflowClient) => Promise<OrderflowReply>,
  interpret: (reply: OrderflowReply) => O = interpretOrderActionReply as unknown as (reply: OrderflowReply) => O
): Promise<OrderCall<O>> {
  const started = performance.now()
  try {
    const reply = await send(orderflowClientFrom(settings))
    return {
      outcome: interpret(reply),
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
