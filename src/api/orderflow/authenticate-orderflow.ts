import { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { Modules } from "@medusajs/framework/utils"
import { createHash, timingSafeEqual } from "node:crypto"
import { verifyPassword } from "../../lib/settings/password-hash"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import { replyInboundError } from "./reply"

/**
 * OrderFlow authenticates with HTTP Basic (realm RTD, seed 003): either the
 * inbound username/password from the settings (stored as an scrypt hash), or
 * a Medusa secret API key as the username with an empty password. Anything
 * else is a 401 and nothing is read or stored.
 *
 * scrypt is deliberately slow, so a verified Authorization header is
 * remembered for a minute (keyed by its SHA-256 and the current hash, so a
 * password change invalidates it at once). Failures are never cached.
 */
const VERIFIED_TTL_MS = 60_000
const verified = new Map<string, number>()

function remember(key: string) {
  if (verified.size > 1000) verified.clear()
  verified.set(key, Date.now() + VERIFIED_TTL_MS)
}

function isRemembered(key: string) {
  const until = verified.get(key)
  return until !== undefined && until > Date.now()
}

function sameText(a: string, b: string) {
  const ha = createHash("sha256").update(a).digest()
  const hb = createHash("sha256").update(b).digest()
  return timingSafeEqual(ha, hb)
}

export async function authenticateOrderflow(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const deny = (reason: string) => {
    res.setHeader("WWW-Authenticate", 'Basic realm="RTD"')
    replyInboundError(req, res, 401, reason)
  }
  const header = req.headers.authorization
  if (!header || !/^Basic\s+/i.test(header)) return deny("Authentication required (HTTP Basic)")
  const decoded = Buffer.from(header.replace(/^Basic\s+/i, ""), "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  if (colon < 0) return deny("Malformed Basic credentials")
  const username = decoded.slice(0, colon)
  const password = decoded.slice(colon + 1)

  if (username.startsWith("sk_") && password === "") {
    const cacheKey = `key:${createHash("sha256").update(username).digest("hex")}`
    if (isRemembered(cacheKey)) return next()
    const apiKeys = req.scope.resolve(Modules.API_KEY)
    const key = await apiKeys.authenticate(username).catch(() => false)
    if (!key) return deny("Invalid API key")
    remember(cacheKey)
    return next()
  }

  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const { settings, inboundPasswordHash } = await orderflow.getCurrentSettings({ maxAgeMs: 3000 })
  if (!settings.inbound.username || !inboundPasswordHash) {
    return deny("Inbound credentials are not configured in Settings → OrderFlow")
  }
  const cacheKey = `basic:${createHash("sha256").update(header).update("\u0000").update(inboundPasswordHash).digest("hex")}`
  if (isRemembered(cacheKey)) return next()
  const userOk = sameText(username, settings.inbound.username)
  const passwordOk = await verifyPassword(password, inboundPasswordHash)
  if (!userOk || !passwordOk) return deny("Invalid username or password")
  remember(cacheKey)
  next()
}
