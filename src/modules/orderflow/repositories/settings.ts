import { Context } from "@medusajs/framework/types"
import { generateEntityId, MedusaError } from "@medusajs/framework/utils"
import { applyPatch, OrderflowSettings, resolveSettings, SettingsPatch } from "../../../lib/settings"
import { hashPassword } from "../../../lib/settings/password-hash"
import { knexOf } from "./context"

/**
 * The settings (table orderflow_setting, one row per group: the admin's
 * edits) resolved with the layers fixed at boot, plus a short-lived cache for
 * hot paths.
 */

export type CurrentSettings = {
  settings: OrderflowSettings
  locked: string[]
  /** scrypt hash of the inbound password, from the admin or hashed from options/env. */
  inboundPasswordHash: string | null
}

/** The layers that win over the admin's edits, validated once at boot. */
export type FixedSettingsLayers = { options: SettingsPatch; env: SettingsPatch }

const TABLE = "orderflow_setting"

export class SettingsRepository {
  protected cache_: { value: CurrentSettings; fetchedAt: number } | null = null
  protected presetPasswordHash_: Promise<string> | null = null

  constructor(protected readonly layers_: FixedSettingsLayers) {}

  /** Effective settings (defaults < admin < options < env); `maxAgeMs` accepts a recent cached copy. */
  async current({ maxAgeMs = 0 }: { maxAgeMs?: number }, sharedContext: Context): Promise<CurrentSettings> {
    const cached = this.cache_
    if (maxAgeMs > 0 && cached && cached.fetchedAt + maxAgeMs > Date.now()) return cached.value
    const { stored, inboundPasswordHash } = await this.readStored_(sharedContext)
    const resolved = resolveSettings({ stored, ...this.layers_ })
    const presetPassword = resolved.locked.includes("inbound.password") ? resolved.settings.inbound.password : ""
    let hash = inboundPasswordHash
    if (presetPassword) {
      // scrypt is deliberately slow; a preset password never changes while the process runs.
      this.presetPasswordHash_ ??= hashPassword(presetPassword)
      hash = await this.presetPasswordHash_
    }
    // The plain inbound password never leaves this repository.
    resolved.settings.inbound.password = ""
    const value: CurrentSettings = { ...resolved, inboundPasswordHash: hash }
    this.cache_ = { value, fetchedAt: Date.now() }
    return value
  }

  /**
   * Applies an admin edit. Throws INVALID_DATA naming every problem. The
   * caller runs it in a transaction, so the read and the writes see one
   * state and nothing is saved unless every group is.
   */
  async update(patch: unknown, sharedContext: Context): Promise<void> {
    const { stored, inboundPasswordHash } = await this.readStored_(sharedContext)
    const outcome = applyPatch({ stored, ...this.layers_ }, patch)
    if (!outcome.ok) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, outcome.errors.join("; "))
    }
    const next = outcome.stored as Record<string, Record<string, unknown>>
    for (const group of outcome.changedGroups) {
      const value = { ...next[group] }
      if (group === "inbound") {
        const plain = typeof value.password === "string" ? value.password : ""
        delete value.password
        value.passwordHash = plain ? await hashPassword(plain) : inboundPasswordHash
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
    return knexOf(sharedContext)(TABLE).select("key", "value").whereNull("deleted_at")
  }

  protected async readStored_(sharedContext: Context) {
    const stored: Record<string, Record<string, unknown>> = {}
    let inboundPasswordHash: string | null = null
    for (const row of await this.rows_(sharedContext)) {
      const value = { ...row.value }
      if (row.key === "inbound") {
        inboundPasswordHash = typeof value.passwordHash === "string" ? value.passwordHash : null
        delete value.passwordHash
      }
      stored[row.key] = value
    }
    return { stored: stored as SettingsPatch, inboundPasswordHash }
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
