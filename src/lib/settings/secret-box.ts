import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"

/**
 * Encryption at rest of the outbound OrderFlow API password (settings group
 * `api`): AES-256-GCM under the store's ORDERFLOW_SECRET_KEY, stored as
 * "enc:v1:<iv b64>:<tag b64>:<ciphertext b64>". The version lets a later key
 * scheme read today's values. A value without the prefix is a plain-text
 * password saved before encryption existed; it is still read, and the next
 * save of the group writes it encrypted.
 */
const PREFIX = "enc:v1:"

export class SecretKeyError extends Error {
  constructor(message: string, readonly cause?: unknown) {
    super(message)
  }
}

/** The key from its text form: 32 bytes as 64 hex digits or as base64. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim()
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64")
  if (key.length !== 32) {
    throw new SecretKeyError(
      "ORDERFLOW_SECRET_KEY must be 32 random bytes, as 64 hex digits or base64 (e.g. the output of `openssl rand -base64 32`)"
    )
  }
  return key
}

export function isEncrypted(value: string): boolean {
  return value.startsWith(PREFIX)
}

export function encryptSecret(plain: string, key: Buffer, iv: Buffer = randomBytes(12)): string {
  const cipher = createCipheriv("aes-256-gcm", key, iv)
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()])
  return `${PREFIX}${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${body.toString("base64")}`
}

/** Decrypts a stored value; plain-text (legacy) values come back as they are. */
export function decryptSecret(stored: string, key: Buffer | null): string {
  if (!isEncrypted(stored)) return stored
  if (!key) {
    throw new SecretKeyError("the stored OrderFlow API password is encrypted but ORDERFLOW_SECRET_KEY is not set")
  }
  const [ivB64, tagB64, bodyB64] = stored.slice(PREFIX.length).split(":")
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(ivB64, "base64"))
    decipher.setAuthTag(Buffer.from(tagB64, "base64"))
    return Buffer.concat([decipher.update(Buffer.from(bodyB64, "base64")), decipher.final()]).toString("utf8")
  } catch (cause) {
    throw new SecretKeyError(
      "the stored OrderFlow API password cannot be decrypted with ORDERFLOW_SECRET_KEY (was the key changed? enter the password again)",
      cause
    )
  }
}

export type SecretKeyPolicy =
  /** Encrypt with this key. */
  | { mode: "encrypt"; key: Buffer }
  /** No key outside production: stored as plain text, with a warning. */
  | { mode: "plain"; key: null; warning: string }
  /** No key in production: a new password is refused. */
  | { mode: "refuse"; key: null; error: string }

/**
 * What to do with the API password, from the environment the store passed
 * the plugin (ORDERFLOW_SECRET_KEY, NODE_ENV). A merchant in production
 * expects secrets encrypted or an error, never a silent plain-text copy; a
 * developer's store keeps working without extra setup. An environment that
 * says nothing about NODE_ENV counts as production. A malformed key throws
 * (the store stops at boot with the message).
 */
export function secretKeyPolicy(env: Record<string, string | undefined>): SecretKeyPolicy {
  const text = env.ORDERFLOW_SECRET_KEY
  if (text && text.trim()) return { mode: "encrypt", key: parseSecretKey(text) }
  const production = (env.NODE_ENV ?? "production") === "production"
  if (production) {
    return {
      mode: "refuse",
      key: null,
      error:
        "api.password: cannot be stored encrypted because ORDERFLOW_SECRET_KEY is not set; set it to 32 random bytes (openssl rand -base64 32) and restart the store",
    }
  }
  return {
    mode: "plain",
    key: null,
    warning: `ORDERFLOW_SECRET_KEY is not set: the OrderFlow API password is stored in plain text (NODE_ENV=${env.NODE_ENV}); set the key before going to production`,
  }
}
