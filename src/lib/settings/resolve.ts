import { z } from "zod"
import {
  defaultSettings,
  OrderflowSettings,
  SECRET_FIELDS,
  SettingsGroup,
  SettingsPatch,
  settingsPatchSchema,
  settingsSchema,
  SETTINGS_GROUPS,
} from "./schema"
import { isLegacySetting, LEGACY_SETTINGS, upgradeLegacySettings } from "./legacy"

/**
 * Settings come in layers, later ones winning: defaults < stored (edited in the
 * admin) < plugin options < environment. A field set by options or env is
 * "locked": the admin shows it read-only and a POST that changes it is refused.
 */
export type SettingsLayers = {
  stored: SettingsPatch
  options?: SettingsPatch
  env?: SettingsPatch
}

export type ResolvedSettings = {
  settings: OrderflowSettings
  /** Paths like "api.endpoint" fixed by plugin options or environment. */
  locked: string[]
}

export function mergeLayers(...layers: Array<SettingsPatch | undefined>): SettingsPatch {
  const merged: Record<string, Record<string, unknown>> = {}
  for (const layer of layers) {
    if (!layer) continue
    for (const [group, values] of Object.entries(layer)) {
      if (!values) continue
      merged[group] = { ...(merged[group] ?? {}) }
      for (const [field, value] of Object.entries(values)) {
        if (value !== undefined) merged[group][field] = value
      }
    }
  }
  return merged as SettingsPatch
}

export function lockedPaths(...layers: Array<SettingsPatch | undefined>): string[] {
  const paths = new Set<string>()
  for (const layer of layers) {
    for (const [group, values] of Object.entries(layer ?? {})) {
      for (const [field, value] of Object.entries(values ?? {})) {
        if (value !== undefined) paths.add(`${group}.${field}`)
      }
    }
  }
  return [...paths].sort()
}

export function resolveSettings(layers: SettingsLayers): ResolvedSettings {
  const stored = upgradeLegacySettings(layers.stored)
  const options = upgradeLegacySettings(layers.options)
  const env = upgradeLegacySettings(layers.env)
  const base = defaultSettings() as unknown as SettingsPatch
  const merged = mergeLayers(base, stored, options, env)
  const parsed = settingsSchema.safeParse(merged)
  if (!parsed.success) {
    throw new Error(`OrderFlow settings are invalid: ${formatIssues(parsed.error)}`)
  }
  return { settings: parsed.data, locked: lockedPaths(options, env) }
}

/** Problems across fields (enabled operations need credentials...), as "path: message". */
export function crossFieldProblems(s: OrderflowSettings): string[] {
  const problems: string[] = []
  const need = (op: string, fields: Array<[string, string]>) => {
    const missing = fields.filter(([, v]) => !v).map(([name]) => name)
    if (missing.length) problems.push(`${op}.enabled: requires ${missing.join(", ")}`)
  }
  if (s.productExport.enabled) {
    need("productExport", [
      ["api.endpoint", s.api.endpoint],
      ["api.username", s.api.username],
      ["api.password", s.api.password],
      ["api.organisation", s.api.organisation],
    ])
  }
  if (s.orderExport.enabled) {
    need("orderExport", [
      ["api.endpoint", s.api.endpoint],
      ["api.username", s.api.username],
      ["api.password", s.api.password],
      ["api.channel", s.api.channel],
    ])
  }
  if (s.shipmentPoll.enabled) {
    // despatches.xml is a /remoteorder call with the channel header.
    need("shipmentPoll", [
      ["api.endpoint", s.api.endpoint],
      ["api.username", s.api.username],
      ["api.password", s.api.password],
      ["api.channel", s.api.channel],
    ])
  }
  if (s.stockDrift.enabled) {
    // inventory.xml takes the channel and/or organisation (seed 002 "Inventory Pull").
    need("stockDrift", [
      ["api.endpoint", s.api.endpoint],
      ["api.username", s.api.username],
      ["api.password", s.api.password],
      ["api.channel or api.organisation", s.api.channel || s.api.organisation],
    ])
  }
  if (s.returns.enabled) {
    // Returns go to /remotewarehouse with the organisation header (seed 002 "Returns Import").
    need("returns", [
      ["api.endpoint", s.api.endpoint],
      ["api.username", s.api.username],
      ["api.password", s.api.password],
      ["api.organisation", s.api.organisation],
    ])
  }
  if (s.retry.maxDelaySeconds < s.retry.baseDelaySeconds) {
    problems.push("retry.maxDelaySeconds: must not be less than retry.baseDelaySeconds")
  }
  return problems
}

export type PatchOutcome =
  | { ok: true; stored: SettingsPatch; changedGroups: SettingsGroup[] }
  | { ok: false; errors: string[] }

/**
 * Applies an admin POST to the stored layer. Empty secrets mean "unchanged"
 * (the form never shows them); locked fields cannot be changed.
 */
export function applyPatch(
  layers: SettingsLayers,
  rawPatch: unknown
): PatchOutcome {
  const upgradedPatch = rawPatch && typeof rawPatch === "object" ? upgradeLegacySettings(rawPatch as SettingsPatch) : rawPatch
  const parsed = settingsPatchSchema.safeParse(upgradedPatch)
  if (!parsed.success) return { ok: false, errors: issueList(parsed.error) }
  const patch = parsed.data as SettingsPatch
  const locked = new Set(lockedPaths(upgradeLegacySettings(layers.options), upgradeLegacySettings(layers.env)))
  const errors: string[] = []
  const stored = upgradeLegacySettings(layers.stored)
  const nextStored = mergeLayers(stored) as Record<string, Record<string, unknown>>
  const changed = new Set<SettingsGroup>()
  // Groups whose stored row used an old name are written back in the new shape.
  for (const group of SETTINGS_GROUPS) {
    const before = (layers.stored as Record<string, unknown>)[group]
    const after = (stored as Record<string, unknown>)[group]
    if (JSON.stringify(before ?? null) !== JSON.stringify(after ?? null)) changed.add(group)
  }
  for (const group of SETTINGS_GROUPS) {
    const values = patch[group] as Record<string, unknown> | undefined
    if (!values) continue
    for (const [field, value] of Object.entries(values)) {
      if (value === undefined) continue
      const isSecret = SECRET_FIELDS.some(([g, f]) => g === group && f === field)
      if (isSecret && value === "") continue
      if (locked.has(`${group}.${field}`)) {
        errors.push(`${group}.${field}: set by the plugin options or environment; change it there`)
        continue
      }
      nextStored[group] = { ...(nextStored[group] ?? {}), [field]: value }
      changed.add(group)
    }
  }
  if (errors.length) return { ok: false, errors }
  const candidate = { ...layers, stored: nextStored as SettingsPatch }
  let resolved: ResolvedSettings
  try {
    resolved = resolveSettings(candidate)
  } catch (e) {
    return { ok: false, errors: [(e as Error).message] }
  }
  const problems = crossFieldProblems(resolved.settings)
  if (problems.length) return { ok: false, errors: problems }
  return { ok: true, stored: nextStored as SettingsPatch, changedGroups: [...changed] }
}

export function issueList(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.join(".")
    if (issue.code === "unrecognized_keys") {
      const keys = (issue as unknown as { keys: string[] }).keys
      return `${path ? path + ": " : ""}unknown setting ${keys.map((k) => `"${k}"`).join(", ")}`
    }
    return issue.message.startsWith(`${path}: `) ? issue.message : `${path}: ${issue.message}`
  })
}

export function formatIssues(error: z.ZodError): string {
  return issueList(error).join("; ")
}

/** Secrets replaced by `<field>Set` booleans: what the admin API returns. */
export function redactSettings(
  settings: OrderflowSettings,
  extra: { inboundPasswordSet: boolean; previousInboundPasswordSet?: boolean }
): Record<string, Record<string, unknown>> {
  const out = JSON.parse(JSON.stringify(settings)) as Record<string, Record<string, unknown>>
  // Inbound secrets are only held as hashes, so whether they are set comes from the caller.
  const hashed: Record<string, boolean> = {
    "inbound.password": extra.inboundPasswordSet,
    "inbound.previousPassword": !!extra.previousInboundPasswordSet,
  }
  for (const [group, field] of SECRET_FIELDS) {
    const value = out[group][field]
    delete out[group][field]
    const path = `${group}.${field}`
    out[group][`${field}Set`] = path in hashed ? hashed[path] : typeof value === "string" && value !== ""
  }
  return out
}

/**
 * Environment layer: ORDERFLOW__<GROUP>__<FIELD>, e.g.
 * ORDERFLOW__API__ENDPOINT or ORDERFLOW__PRODUCT_EXPORT__BATCH_SIZE=200.
 * A value is taken as text when the field accepts text, else as JSON.
 */
export function settingsFromEnv(env: Record<string, string | undefined>): SettingsPatch {
  const out: Record<string, Record<string, unknown>> = {}
  for (const [name, raw] of Object.entries(env)) {
    const match = /^ORDERFLOW__([A-Z0-9_]+)__([A-Z0-9_]+)$/.exec(name)
    if (!match || raw === undefined) continue
    const group = camel(match[1]) as SettingsGroup
    const field = camel(match[2])
    const groupSchema = settingsSchema.shape[group]
    if (!groupSchema) throw new Error(`${name}: unknown settings group "${group}"`)
    const fieldSchema = (groupSchema.shape as Record<string, z.ZodType>)[field]
    if (!fieldSchema && isLegacySetting(group, field)) {
      // An old name: read as JSON when it is JSON (true/false), else as text; upgraded below.
      let value: unknown = raw
      try {
        value = JSON.parse(raw)
      } catch {
        /* text */
      }
      out[group] = { ...(out[group] ?? {}), [field]: value }
      continue
    }
    if (!fieldSchema) throw new Error(`${name}: unknown setting "${group}.${field}"`)
    let value: unknown = raw
    if (!fieldSchema.safeParse(raw).success) {
      try {
        value = JSON.parse(raw)
      } catch {
        throw new Error(`${name}: "${raw}" is not a valid value for ${group}.${field}`)
      }
    }
    const check = fieldSchema.safeParse(value)
    if (!check.success) throw new Error(`${name}: ${formatIssues(check.error)}`)
    out[group] = { ...(out[group] ?? {}), [field]: value }
  }
  const upgraded = upgradeLegacySettings(out as SettingsPatch) as Record<string, Record<string, unknown>>
  for (const l of LEGACY_SETTINGS) {
    const [group, field] = l.to.split(".")
    const value = upgraded[group]?.[field]
    if (value === undefined) continue
    const check = (settingsSchema.shape[group as SettingsGroup].shape as Record<string, z.ZodType>)[field].safeParse(value)
    if (!check.success) throw new Error(`ORDERFLOW__ (${l.from} → ${l.to}): ${formatIssues(check.error)}`)
  }
  return upgraded as SettingsPatch
}

function camel(upperSnake: string): string {
  return upperSnake.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** Validates plugin options' `settings` (same shape as a POST). */
export function settingsFromOptions(options: unknown): SettingsPatch {
  if (options === undefined || options === null) return {}
  const parsed = settingsPatchSchema.safeParse(typeof options === "object" ? upgradeLegacySettings(options as SettingsPatch) : options)
  if (!parsed.success) {
    throw new Error(`medusa-plugin-orderflow options.settings are invalid: ${formatIssues(parsed.error)}`)
  }
  return parsed.data as SettingsPatch
}
