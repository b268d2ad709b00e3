import { MedusaContainer } from "@medusajs/framework/types"
import type { OperationName } from "../../src/types"
import { runOrderflowOperationWorkflow } from "../../src/workflows/run-operation"

export const INBOUND_USER = "orderflow"
export const INBOUND_PASSWORD = "push-secret"

export function basicAuth(user: string, password: string) {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`
}

/** Headers OrderFlow sends when it pushes to the store. */
export function inboundHeaders(contentType = "application/json", auth = basicAuth(INBOUND_USER, INBOUND_PASSWORD)) {
  return {
    headers: { authorization: auth, "content-type": contentType },
    validateStatus: () => true,
    // Send string bodies byte for byte (axios would JSON-encode them).
    transformRequest: [(data: unknown) => (typeof data === "string" ? data : JSON.stringify(data))],
  }
}

/**
 * Configures the inbound credentials (and anything else) through the admin
 * API. OrderFlow's clock is UTC unless the patch names one, like the
 * simulator's default, so times agree whatever the season of the run.
 */
export async function configureOrderflow(api: any, admin: any, patch: Record<string, unknown> = {}) {
  const res = await api.post(
    "/admin/orderflow/settings",
    {
      inbound: { username: INBOUND_USER, password: INBOUND_PASSWORD },
      ...patch,
      api: { timeZone: "UTC", ...((patch.api as Record<string, unknown> | undefined) ?? {}) },
    },
    admin
  )
  return res.data
}

export function orderflowService(container: MedusaContainer): any {
  return container.resolve("orderflow")
}

export function inventoryMessage(messageSeqId: number, lines: Array<{ sku: string; qty: number; seq: number; source?: string; lastOrderExported?: string }>) {
  return {
    productQtys: lines.map((l) => ({ sku: l.sku, qty: l.qty, ...(l.source ? { source: l.source } : {}) })),
    productSeqs: lines.map((l) => ({
      sku: l.sku,
      seq: l.seq,
      ...(l.lastOrderExported ? { lastOrderExported: l.lastOrderExported } : {}),
      ...(l.source ? { source: l.source } : {}),
    })),
    messageSeqId,
  }
}

/** Runs one operation now through its workflow (what "Run now" does), optionally as of `now`. */
export async function runOperation(container: MedusaContainer, operation: OperationName, now?: Date) {
  const { result } = await runOrderflowOperationWorkflow(container).run({ input: { operation, trigger: "manual", now: now?.toISOString() } })
  return result
}
