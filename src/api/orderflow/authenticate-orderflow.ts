import { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { IApiKeyModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { addressAllowed, AddressRange, parseRange } from "../../lib/inbound/address-list"
import { InboundLoginGuard } from "../../lib/inbound/login-guard"
import { verifyPassword } from "../../lib/settings/password-hash"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService, { CurrentSettings } from "../../modules/orderflow/service"
import { replyInboundError } from "./reply"

/**
 * OrderFlow authenticates with HTTP Basic (realm RTD, seed 003): either the
 * inbound username/password from the settings (stored as scrypt hashes; a
 * second, previous password is accepted during a rotation until it is
 * cleared or expires), or a Medusa secret API key as the username with an
 * empty password. Before that, the client address must be in
 * `inbound.allowedAddresses` when the list is not empty (403).
 *
 * The client address is Express's `req.ip`: Medusa sets "trust proxy" to 1,
 * so behind one reverse proxy it is the address that proxy saw (README,
 * "Client addresses").
 *
 * The settings are read on every request (one small query; resolved again
 * only when a row changed), so a changed password or allow-list applies to
 * the next request on every instance. What the guard remembers is described
 * in lib/inbound/login-guard.ts. One guard per process: its memory is bounded.
 */
export const inboundLoginGuard = new InboundLoginGuard({ verify: verifyPassword })

/**
 * A throttled client's refusal is held this long before it is sent (a
 * tarpit): a client that waits for each answer — what password-guessing
 * tools do — then costs the store a few requests a second instead of
 * hundreds, so OrderFlow's own requests from the same address are answered
 * at once. At most TARPIT_MAX refusals are held; beyond that they go at once.
 * The connection is closed after the refusal.
 */
export const TARPIT_MS = 1000
const TARPIT_MAX = 512
let heldRefusals = 0

const parsedRanges = new WeakMap<string[], AddressRange[]>()

function rangesOf(list: string[]): AddressRange[] {
  let ranges = parsedRanges.get(list)
  if (!ranges) {
    // Validated on save; a range that no longer parses allows nothing rather than everything.
    ranges = list.map((text) => parseRange(text)).filter((r): r is AddressRange => r !== null)
    if (ranges.length === 0 && list.length > 0) ranges = [{ version: 4, network: -1n, bits: 32, text: "none" }]
    parsedRanges.set(list, ranges)
  }
  return ranges
}

function activeHashes(current: CurrentSettings, now: Date): string[] {
  const hashes = current.inboundPasswordHash ? [current.inboundPasswordHash] : []
  const previous = current.previousInboundPasswordHash
  const expiresAt = current.settings.inbound.previousPasswordExpiresAt
  if (previous && (!expiresAt || new Date(expiresAt) > now)) hashes.push(previous)
  return hashes
}

/** The SOAP faces (src/api/orderflow/soap, …/api/v2_soap) authenticate in their own protocol: login, token, session. */
export const isSoapFacePath = (path: string) => path.startsWith("/orderflow/soap/") || path.startsWith("/orderflow/api/v2_soap") || path.startsWith("/orderflow/index.php/api/v2_soap")

export type CredentialOutcome = { ok: true } | { ok: false; status: number; reason: string; retryAfterSeconds?: number }

/** The address allow-list (`inbound.allowedAddresses`): null when the client may call, else the 403 reason. */
export function addressRefusal(client: string, current: CurrentSettings): string | null {
  const allowed = current.settings.inbound.allowedAddresses
  if (allowed.length && !addressAllowed(client, rangesOf(allowed))) {
    return `Address ${client || "(unknown)"} may not call the OrderFlow routes (Settings → OrderFlow: inbound.allowedAddresses)`
  }
  return null
}

/**
 * The inbound username/password (or a secret API key with an empty
 * password), through the login guard: what HTTP Basic carries here, and what
 * the SOAP faces' token call and login carry.
 */
export async function checkInboundCredentials(
  req: MedusaRequest,
  current: CurrentSettings,
  client: string,
  username: string,
  password: string
): Promise<CredentialOutcome> {
  const early = inboundLoginGuard.refuseEarly(client, username, password)
  if (early && !early.ok) return early
  if (username.startsWith("sk_") && password === "") {
    const apiKeys: IApiKeyModuleService = req.scope.resolve(Modules.API_KEY)
    const outcome = await inboundLoginGuard.checkApiKey(client, username, {
      authenticate: async (token) => {
        const key = await apiKeys.authenticate(token).catch(() => false as const)
        return key ? key.id : null
      },
      keyStillValid: async (id) => {
        const [key] = await apiKeys.listApiKeys({ id }, { select: ["id", "type", "revoked_at"] })
        return !!key && key.type === "secret" && (!key.revoked_at || new Date(key.revoked_at) > new Date())
      },
    })
    return outcome.ok ? { ok: true } : outcome
  }
  const hashes = activeHashes(current, new Date())
  if (!current.settings.inbound.username || hashes.length === 0) {
    return { ok: false, status: 401, reason: "Inbound credentials are not configured in Settings → OrderFlow" }
  }
  const outcome = await inboundLoginGuard.checkPassword(client, username, password, { username: current.settings.inbound.username, hashes })
  return outcome.ok ? { ok: true } : outcome
}

export async function authenticateOrderflow(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  if (isSoapFacePath(req.path)) return next()
  const deny = (reason: string) => {
    res.setHeader("WWW-Authenticate", 'Basic realm="RTD"')
    replyInboundError(req, res, 401, reason)
  }
  const refuse = (outcome: { status: number; reason: string; retryAfterSeconds?: number }) => {
    if (outcome.status === 429) {
      res.setHeader("Retry-After", String(outcome.retryAfterSeconds ?? 60))
      res.setHeader("Connection", "close")
      if (heldRefusals >= TARPIT_MAX) return replyInboundError(req, res, 429, outcome.reason)
      heldRefusals++
      setTimeout(() => {
        heldRefusals--
        if (!res.headersSent && !res.writableEnded) replyInboundError(req, res, 429, outcome.reason)
      }, TARPIT_MS).unref?.()
      return
    }
    deny(outcome.reason)
  }
  const client = req.ip ?? req.socket.remoteAddress ?? ""
  const credentials = basicCredentials(req.headers.authorization)
  // A throttled flood is answered before the settings are read (no query, no scrypt).
  const early = credentials && inboundLoginGuard.refuseEarly(client, credentials.username, credentials.password)
  if (early && !early.ok) return refuse(early)

  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const current = await orderflow.getCurrentSettings()
  const refusedAddress = addressRefusal(client, current)
  if (refusedAddress) return replyInboundError(req, res, 403, refusedAddress)

  const header = req.headers.authorization
  if (!header || !/^Basic\s+/i.test(header)) return deny("Authentication required (HTTP Basic)")
  if (!credentials) return deny("Malformed Basic credentials")
  const outcome = await checkInboundCredentials(req, current, client, credentials.username, credentials.password)
  if (outcome.ok) return next()
  refuse(outcome)
}

export function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  if (!header || !/^Basic\s+/i.test(header)) return null
  const decoded = Buffer.from(header.replace(/^Basic\s+/i, ""), "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  if (colon < 0) return null
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}
