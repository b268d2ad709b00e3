import { Badge, Button, Container, Heading, Input, Label, Select, Switch, Text, Textarea, toast } from "@medusajs/ui"
import { ReactNode, useEffect, useMemo, useState } from "react"
import { SettingsGroups, StockLocation } from "../hooks/api/settings"

export type FieldKind = "text" | "password" | "number" | "switch" | "cron" | "select" | "list" | "map" | "location" | "url" | "email"

export type FieldSpec = {
  name: string
  label: string
  hint?: string
  kind: FieldKind
  options?: Array<{ value: string; label: string }>
}

export type GroupSpec = {
  group: string
  title: string
  description: string
  fields: FieldSpec[]
}

type Draft = Record<string, string | boolean>

/** Turns the API value into what an input holds (lists and maps become text). */
function toDraft(spec: GroupSpec, values: Record<string, unknown>): Draft {
  const draft: Draft = {}
  for (const f of spec.fields) {
    const v = values[f.name]
    if (f.kind === "switch") draft[f.name] = Boolean(v)
    else if (f.kind === "password") draft[f.name] = ""
    else if (f.kind === "list") draft[f.name] = Array.isArray(v) ? v.join(", ") : ""
    else if (f.kind === "map")
      draft[f.name] = Object.entries((v as Record<string, string>) ?? {})
        .map(([k, val]) => `${k}=${val}`)
        .join("\n")
    else draft[f.name] = v === null || v === undefined ? "" : String(v)
  }
  return draft
}

/** The fields that changed, typed as the API expects them. */
function changes(spec: GroupSpec, draft: Draft, initial: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of spec.fields) {
    const value = draft[f.name]
    if (value === initial[f.name]) continue
    switch (f.kind) {
      case "switch":
        out[f.name] = value
        break
      case "number":
        out[f.name] = value === "" ? value : Number(value)
        break
      case "list":
        out[f.name] = String(value)
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
        break
      case "map":
        out[f.name] = Object.fromEntries(
          String(value)
            .split("\n")
            .map((line) => line.trim())
            .filter(Boolean)
            .map((line) => {
              const at = line.indexOf("=")
              return at < 0 ? [line, ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()]
            })
        )
        break
      case "location":
        out[f.name] = value === "" ? null : value
        break
      default:
        out[f.name] = value
    }
  }
  return out
}

export function SettingsGroupForm({
  spec,
  values,
  locked,
  locations,
  saving,
  onSave,
  extra,
}: {
  spec: GroupSpec
  values: Record<string, unknown>
  locked: string[]
  locations: StockLocation[]
  saving: boolean
  onSave: (group: string, patch: Record<string, unknown>) => Promise<void>
  extra?: (draft: Draft) => ReactNode
}) {
  const initial = useMemo(() => toDraft(spec, values), [spec, values])
  const [draft, setDraft] = useState<Draft>(initial)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => setDraft(initial), [initial])
  const dirty = Object.keys(changes(spec, draft, initial)).length > 0

  const save = async () => {
    setError(null)
    try {
      await onSave(spec.group, changes(spec, draft, initial))
      toast.success(`${spec.title} saved`)
    } catch (e) {
      const message = (e as Error).message
      setError(message)
      toast.error(`${spec.title} not saved`, { description: message })
    }
  }

  return (
    <Container className="divide-y p-0" data-testid={`orderflow-settings-${spec.group}`}>
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h2">{spec.title}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {spec.description}
          </Text>
        </div>
        <Button size="small" variant="secondary" disabled={!dirty} isLoading={saving} onClick={save}>
          Save
        </Button>
      </div>
      <div className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-2">
        {spec.fields.map((f) => {
          const path = `${spec.group}.${f.name}`
          const isLocked = locked.includes(path)
          const id = `of-${spec.group}-${f.name}`
          const set = (v: string | boolean) => setDraft((d) => ({ ...d, [f.name]: v }))
          return (
            <div key={f.name} className={f.kind === "map" ? "flex flex-col gap-y-1 md:col-span-2" : "flex flex-col gap-y-1"}>
              <div className="flex items-center gap-x-2">
                <Label htmlFor={id} size="small" weight="plus">
                  {f.label}
                </Label>
                {isLocked && (
                  <Badge size="2xsmall" color="orange">
                    set in plugin options
                  </Badge>
                )}
                {f.kind === "password" && values[`${f.name}Set`] === true && (
                  <Badge size="2xsmall" color="green">
                    set
                  </Badge>
                )}
              </div>
              {renderInput(f, id, draft[f.name], set, isLocked, locations, values)}
              {f.hint && (
                <Text size="xsmall" className="text-ui-fg-muted">
                  {f.hint}
                </Text>
              )}
            </div>
          )
        })}
      </div>
      {extra && <div className="px-6 py-4">{extra(draft)}</div>}
      {error && (
        <div className="px-6 py-3">
          <Text size="small" className="text-ui-fg-error" data-testid="orderflow-settings-error">
            {error}
          </Text>
        </div>
      )}
    </Container>
  )
}

function renderInput(
  f: FieldSpec,
  id: string,
  value: string | boolean,
  set: (v: string | boolean) => void,
  disabled: boolean,
  locations: StockLocation[],
  values: Record<string, unknown>
) {
  switch (f.kind) {
    case "switch":
      return <Switch id={id} checked={Boolean(value)} disabled={disabled} onCheckedChange={(c) => set(c)} />
    case "select":
    case "location": {
      const options =
        f.kind === "location"
          ? [{ value: "", label: "— none —" }, ...locations.map((l) => ({ value: l.id, label: `${l.name} (${l.id})` }))]
          : f.options ?? []
      return (
        <Select value={String(value) || (f.kind === "location" ? "__none" : "")} disabled={disabled} onValueChange={(v) => set(v === "__none" ? "" : v)}>
          <Select.Trigger id={id}>
            <Select.Value />
          </Select.Trigger>
          <Select.Content>
            {options.map((o) => (
              <Select.Item key={o.value || "__none"} value={o.value || "__none"}>
                {o.label}
              </Select.Item>
            ))}
          </Select.Content>
        </Select>
      )
    }
    case "map":
      return (
        <Textarea
          id={id}
          value={String(value)}
          disabled={disabled}
          rows={3}
          placeholder="SITE=stock location id, one per line"
          onChange={(e) => set(e.target.value)}
        />
      )
    case "password":
      return (
        <Input
          id={id}
          type="password"
          autoComplete="new-password"
          value={String(value)}
          disabled={disabled}
          placeholder={values[`${f.name}Set`] ? "•••••••• (unchanged)" : "not set"}
          onChange={(e) => set(e.target.value)}
        />
      )
    case "number":
      return <Input id={id} type="number" value={String(value)} disabled={disabled} onChange={(e) => set(e.target.value)} />
    default:
      return (
        <Input
          id={id}
          value={String(value)}
          disabled={disabled}
          className={f.kind === "cron" ? "font-mono" : undefined}
          onChange={(e) => set(e.target.value)}
        />
      )
  }
}

export type { Draft, SettingsGroups }
