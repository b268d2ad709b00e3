import { createHash, randomBytes } from "node:crypto"

// Tokens and session ids the SOAP faces hand out (ORDERFLOW-SOAP.md §1.4,
// §2.2): opaque to OrderFlow, stored only as their SHA-256.

/** Magento 2's admin token lifetime (Admin Token Lifetime, 4 hours by default). */
export const M2_TOKEN_TTL_MS = 4 * 60 * 60 * 1000
/** Magento 1's API session timeout (api/config/session_timeout, 3600 s, idle). */
export const M1_SESSION_IDLE_MS = 60 * 60 * 1000

/** 32 lowercase alphanumerics, like a Magento ≤ 2.4.3 admin token. */
export function newM2Token(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
  const bytes = randomBytes(32)
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join("")
}

/** 32 hex characters, like Magento 1's md5 session id. */
export function newM1SessionId(): string {
  return randomBytes(16).toString("hex")
}

export const tokenHash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex")

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")
  return match ? match[1] : null
}
