import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { acknowledgementText, despatchDedupeKey, despatchParcelKey, inventoryDedupeKey } from "../../../lib/inbound"
import type { DespatchNotification, InventoryUpdate } from "../../../lib/inbound/types"
import { RawBodyRequest } from "../read-raw-body"
import { Parsed, storeOrderflowMessage } from "../receive"
import { ORDERFLOW_MODULE } from "../../../modules/orderflow"
import OrderflowModuleService, { CurrentSettings } from "../../../modules/orderflow/service"
import { bearerToken, tokenHash } from "../../../lib/soap/sessions"
import { basicCredentials, checkInboundCredentials } from "../authenticate-orderflow"

/** The URL the caller used, without its query: the base Magento puts in the WSDL and the namespaces. */
export function faceBaseUrl(req: MedusaRequest): string {
  return `${req.protocol}://${req.get("host")}${req.originalUrl.split("?")[0]}`
}

export const clientOf = (req: MedusaRequest) => req.ip ?? req.socket.remoteAddress ?? ""

/**
 * A live session of this face for the token, or null. M1 sessions expire when
 * idle, so each use moves their expiry on by `extendMs` (and notes the use).
 */
export async function liveSession(req: MedusaRequest, face: "m1" | "m2", token: string, extendMs: number | null = null) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const now = new Date()
  const [session] = await orderflow.listOrderflowApiSessions({ face, token_hash: tokenHash(token), ended_at: null }, { take: 1 })
  if (!session || new Date(session.expires_at) <= now) return null
  // Only idle-expiring (M1) sessions are written on use; an M2 token's lifetime is fixed, so a push costs no write.
  if (extendMs !== null) await orderflow.updateOrderflowApiSessions({ id: session.id, last_used_at: now, expires_at: new Date(now.getTime() + extendMs) })
  return session
}

/** Stores a new session (only its hash) and forgets those expired for a day. */
export async function issueSession(req: MedusaRequest, face: "m1" | "m2", token: string, username: string, ttlMs: number) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const now = Date.now()
  await orderflow.createOrderflowApiSessions({ face, token_hash: tokenHash(token), username, expires_at: new Date(now + ttlMs) })
  const stale = await orderflow.listOrderflowApiSessions({ expires_at: { $lt: new Date(now - 24 * 3600_000) } }, { select: ["id"], take: 1000 })
  if (stale.length) await orderflow.deleteOrderflowApiSessions(stale.map((s) => s.id))
}

/**
 * A Magento 2 push is let in with a live admin token (`Authorization:
 * Bearer`, from the token operation) or with the inbound username/password
 * as HTTP Basic (README "SOAP connectors"); with neither it is refused.
 */
export async function m2PushAuthorized(req: MedusaRequest, current: CurrentSettings): Promise<boolean> {
  const header = req.headers.authorization
  const token = bearerToken(header)
  if (token) return !!(await liveSession(req, "m2", token))
  const basic = basicCredentials(header)
  if (!basic) return false
  return (await checkInboundCredentials(req, current, clientOf(req), basic.username, basic.password)).ok
}

/**
 * A SOAP push stored exactly like the REST routes' (request table, dedupe,
 * processing), with how it came; sets the request id headers and returns
 * the acknowledgement text `Success - Message N Received`.
 */
export async function storeSoapPush(
  req: RawBodyRequest,
  res: MedusaResponse,
  kind: "soap-m2" | "soap-m1",
  call: { kind: "inventory"; update: InventoryUpdate } | { kind: "shipment"; notification: DespatchNotification }
): Promise<string> {
  const parsed: Parsed =
    call.kind === "inventory"
      ? { messageSeqId: call.update.messageSeqId, dedupeKey: inventoryDedupeKey(call.update), lineCount: call.update.lines.length, format: "soap", kind, payload: call.update }
      : {
          messageSeqId: call.notification.messageSeqId,
          dedupeKey: despatchDedupeKey(call.notification),
          parcelKey: despatchParcelKey(call.notification),
          lineCount: call.notification.lines.length,
          format: "soap",
          kind,
          payload: call.notification,
        }
  const result = await storeOrderflowMessage(req, call.kind, parsed, req.orderflowRawBody ?? "")
  res.setHeader("X-OrderFlow-Request-Id", result.id)
  if (result.status === "duplicate") res.setHeader("X-OrderFlow-Duplicate-Of", result.duplicate_of_id ?? "")
  return acknowledgementText(parsed.messageSeqId)
}
