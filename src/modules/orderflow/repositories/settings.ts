import { Context } from "@medusajs/framework/types"
import { generateEntityId, MedusaError } from "@medusajs/framework/utils"
import { applyPatch, OrderflowSettings, resolveSettings, SettingsPatch } from "../../../lib/settings"
import { hashPassword } from "../../../lib/settings/password-hash"
import { decryptSecret, encryptSecret, isEncrypted, SecretKeyError, SecretKeyPolicy } from "../../../lib/settings/secret-box"
import { knexOf } from "./context"

/**
 * The settings (table orderflow_setting, one row per group: the admin's
 * edits) resolved with the layers fixed at boot. The resolved value is kept
 * and reused while the stored rows read back identical, so a reader that
 * reads the rows (one small query) always sees the latest save, from any
 * instance, without resolving again; `maxAgeMs` lets other hot paths skip
 * even that query.
 *
 * Secrets at rest: the inbound passwords as scrypt hashes (`passwordHash`,
 * `previousPasswordHash`); the outbound API password encrypted
 * (lib/settings/secret-box) when ORDERFLOW_SECRET_KEY is set.
 */

export type CurrentSettings = {
  settings: OrderflowSettings
  locked: string[]
  /** scrypt hash of the inbound password, from the admin or hashed from options/env. */
  inboundPasswordHash: string | null
  /** scrypt hash of the second inbound password accepted during a rotation (see `inbound.previousPasswordExpiresAt`). */
  previousInboundPasswordHash: string | null
}

/** The layers that win over the admin's edits, validated once at boot. */
export type FixedSettingsLayers = { options: SettingsPatch; env: SettingsPatch }

export type SettingsSecrets = {
  /** How the API password is kept at rest (from ORDERFLOW_SECRET_KEY / NODE_ENV). */
  policy: SecretKeyPolicy
  warn: (message: string) => void
}

const TABLE = "orderflow_setting"

export class SettingsRepository {
  protected cache_: { value: CurrentSettings; fetchedAt: number; rowsKey: string } | null = null
  protected presetHashes_ = new Map<string, Promise<string>>()
  protected warned_ = new Set<string>()

  // No default values here: Medusa registers this folder's classes in its
  // container, which parses the constructor's parameter list.
  constructor(
    protected readonly layers_: FixedSettingsLayers,
    protected readonly secrets_: SettingsSecrets
  ) {
    if (secrets_.policy.mode === "plain" && secrets_.policy.warning) this.warnOnce_(secrets_.policy.warning)
  }

  /** Effective settings (defaults < admin < options < env); `maxAgeMs` accepts a recent cached copy without reading. */
  async current({ maxAgeMs = 0 }: { maxAgeMs?: number }, sharedContext: Context): Promise<CurrentSettings> {
    const cached = this.cache_
    if (maxAgeMs > 0 && cached && cached.fetchedAt + maxAgeMs > Date.now()) return cached.value
    const rows = await this.rows_(sharedContext)
    const rowsKey = JSON.stringify(rows)
    if (cached && cached.rowsKey === rowsKey) {
      cached.fetchedAt = Date.now()
      return cached.value
    }
    const { stored, inboundPasswordHash, previousInboundPasswordHash } = this.storedFrom_(rows)
    const resolved = resolveSettings({ stored, ...this.layers_ })
    const inbound = resolved.settings.inbound
    const isLocked = (field: string) => resolved.locked.includes(`inbound.${field}`)
    const value: CurrentSettings = {
      ...resolved,
      inboundPasswordHash: isLocked("password") ? await this.presetHash_(inbound.password) : inboundPasswordHash,
      previousInboundPasswordHash: isLocked("previousPassword")
        ? await this.presetHash_(inbound.previousPassword)
        : previousInboundPasswordHash,
    }
    // The plain inbound passwords never leave this repository.
    inbound.password = ""
    inbound.previousPassword = ""
    this.cache_ = { value, fetchedAt: Date.now(), rowsKey }
    return value
  }

  /**
   * Applies an admin edit. Throws INVALID_DATA naming every problem. The
   * caller runs it in a transaction, so the read and the writes see one
   * state and nothing is saved unless every group is.
   */
  async update(patch: unknown, sharedContext: Context): Promise<void> {
    const rows = await this.rows_(sharedContext)
    const { stored, inboundPasswordHash, previousInboundPasswordHash, plainApiPassword, undecryptableApiPassword } =
      this.storedFrom_(rows)
    const outcome = applyPatch({ stored, ...this.layers_ }, patch)
    if (!outcome.ok) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, outcome.errors.join("; "))
    }
    const { policy } = this.secrets_
    const newApiPassword = (patch as { api?: { password?: unknown } } | null)?.api?.password
    if (policy.mode === "refuse" && typeof newApiPassword === "string" && newApiPassword !== "") {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, policy.error)
    }
    const next = outcome.stored as Record<string, Record<string, unknown>>
    const groups = new Set(outcome.changedGroups)
    // A password saved before encryption existed is encrypted by the next save of any group.
    if (plainApiPassword && policy.mode === "encrypt") groups.add("api")
    for (const group of groups) {
      const value = { ...next[group] }
      if (group === "inbound") {
        const plain = typeof value.password === "string" ? value.password : ""
        delete value.password
        value.passwordHash = plain ? await hashPassword(plain) : inboundPasswordHash
        const previous = value.previousPassword
        delete value.previousPassword
        value.previousPasswordHash =
          previous === null ? null : typeof previous === "string" && previous ? await hashPassword(previous) : previousInboundPasswordHash
      }
      if (group === "api" && typeof value.password === "string" && value.password && policy.mode === "encrypt") {
        value.password = encryptSecret(value.password, policy.key)
      } else if (group === "api" && !value.password && undecryptableApiPassword) {
        // Not readable with the current key, but kept: the right key may come back.
        value.password = undecryptableApiPassword
      }
      await this.upsert_(group, value, sharedContext)
    }
  }

  /** The stored rows as they are (secrets hashed), for a workflow's compensation. */
  async exportStored(sharedContext: Context): Promise<Record<string, unknown>> {
    const rows = await this.rows_(sharedContext)
    return Object.fromEntries(rows.map((row) => [row.key, row.value]))
  }

  /** Puts back rows captured by exportStored; groups absent from them are deleted (back to defaults). */
  async restoreStored(rows: Record<string, unknown>, sharedContext: Context): Promise<void> {
    const keys = Object.keys(rows)
    const stale = knexOf(sharedContext)(TABLE).whereNull("deleted_at")
    if (keys.length) stale.whereNotIn("key", keys)
    await stale.del()
    for (const [key, value] of Object.entries(rows)) {
      await this.upsert_(key, value as Record<string, unknown>, sharedContext)
    }
  }

  /** Called once a write has committed, so no reader caches the state before it. */
  invalidate(): void {
    this.cache_ = null
  }

  protected async rows_(sharedContext: Context): Promise<Array<{ key: string; value: Record<string, unknown> }>> {
    return knexOf(sharedContext)(TABLE).select("key", "value").whereNull("deleted_at").orderBy("key")
  }

  /** The stored layer with secrets taken out (hashes) or decrypted (API password). */
  protected storedFrom_(rows: Array<{ key: string; value: Record<string, unknown> }>) {
    const stored: Record<string, Record<string, unknown>> = {}
    let inboundPasswordHash: string | null = null
    let previousInboundPasswordHash: string | null = null
    let plainApiPassword = false
    let undecryptableApiPassword: string | null = null
    for (const row of rows) {
      const value = { ...row.value }
      if (row.key === "inbound") {
        inboundPasswordHash = typeof value.passwordHash === "string" ? value.passwordHash : null
        previousInboundPasswordHash = typeof value.previousPasswordHash === "string" ? value.previousPasswordHash : null
        delete value.passwordHash
        delete value.previousPasswordHash
      }
      if (row.key === "api" && typeof value.password === "string" && value.password) {
        plainApiPassword = !isEncrypted(value.password)
        try {
          value.password = decryptSecret(value.password, this.secrets_.policy.key)
        } catch (e) {
          if (!(e instanceof SecretKeyError)) throw e
          // Settings stay readable (and the password can be entered again); exports report it missing.
          this.warnOnce_(`OrderFlow settings: ${e.message}`)
          undecryptableApiPassword = value.password as string
          value.password = ""
        }
      }
      stored[row.key] = value
    }
    return {
      stored: stored as SettingsPatch,
      inboundPasswordHash,
      previousInboundPasswordHash,
      plainApiPassword,
      undecryptableApiPassword,
    }
  }

  /** scrypt is deliberately slow; a preset password never changes while the process runs. */
  protected presetHash_(password: string | null): Promise<string | null> {
    if (!password) return Promise.resolve(null)
    let hash = this.presetHashes_.get(password)
    if (!hash) {
      hash = hashPassword(password)
      this.presetHashes_.set(password, hash)
    }
    return hash
  }

  protected warnOnce_(message: string) {
    if (this.warned_.has(message)) return
    this.warned_.add(message)
    this.secrets_.warn(message)
  }

  /** One statement on the unique (key) index: two first saves of a group cannot both insert. */
  protected async upsert_(key: string, value: Record<string, unknown>, sharedContext: Context): Promise<void> {
    const now = new Date()
    await knexOf(sharedContext).raw(
      `INSERT INTO ${TABLE} (id, key, value, created_at, updated_at) VALUES (?, ?, ?::jsonb, ?, ?)
       ON CONFLICT (key) WHERE deleted_at IS NULL DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      [generateEntityId(undefined, "ofset"), key, JSON.stringify(value), now, now]
    )
  }
}
