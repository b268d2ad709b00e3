// Simulator options: one typed record, one place for the defaults. The CLI
// flags (cli.ts) map one-to-one onto these fields.

import type { FaultPatch } from "./faults"
import { DEFAULT_TAX_CODES } from "./import-fields"
import { PUSH_FORMAT_ALIASES, PUSH_FORMATS, type PushFormat } from "./messages"
import type { OrganisationConfig, SimulatorUser } from "./types"
import { checkTimeZone } from "./time"

export interface SimulatorOptions {
  /** Port to listen on (0 = any free port). Default 9100. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** The OrderFlow instance context path; the API lives under it. Default /orderflow. */
  context?: string
  /** The user accepted with HTTP Basic / the user+password headers. Default orderflow / orderflow. */
  user?: string
  password?: string
  /** Several users, optionally restricted to channels/organisations; replaces user/password. */
  users?: SimulatorUser[]
  /** The organisation it knows. Default demo. */
  organisation?: string
  /** The channel(s) of that organisation. Default medusa. */
  channel?: string | string[]
  /** Several organisations with their channels; replaces organisation/channel. */
  organisations?: OrganisationConfig[]
  /** Site references; the first is the default site (orders are fulfilled from it). Default ["DEFAULT"]. */
  sites?: string[]
  /** Where pushes go: POST {storeUrl}/orderflow/inventory and /orderflow/shipment. */
  storeUrl?: string
  /** HTTP Basic credentials for the pushes (no Authorization header when storeUser is unset). */
  storeUser?: string
  storePassword?: string
  /** json (default), xml or soap. */
  pushFormat?: PushFormat
  /** inventory.notification.chunk.size: SKUs per inventory message. Default 100. */
  chunkSize?: number
  /** Retries after the first attempt before a message is failed. Default 5. */
  pushRetries?: number
  /** Back-off base: retry n waits pushRetryDelayMs * 2^(n-1). Default 1000. */
  pushRetryDelayMs?: number
  /** Per-attempt timeout for a push. Default 10000. */
  pushTimeoutMs?: number
  /** Pushes in flight at once. Default 1 (in creation order, apart from retries and shuffling). */
  pushConcurrency?: number
  /** Incremental inventory push this many ms after a stock change; 0 = off (default). */
  autoPushMs?: number
  /** Send negative available figures as 0. Default false. */
  negativeAsZero?: boolean
  /**
   * The zone of the "yyyy-MM-dd HH:mm:ss" times it writes (lastOrderExported,
   * dateShipped, despatches and returns feeds) and reads (from/to). A real
   * OrderFlow uses its server's (Europe/London for a UK one). Default UTC.
   */
  timeZone?: string
  /** Seed of every random choice; a random one is picked (and reported) when unset. */
  seed?: number | string
  /** JSON file to load at start and save on change. Default: in memory only. */
  stateFile?: string
  /** HTTP status sent with <error> documents. Default 200 (as OrderFlow does). */
  errorStatus?: number
  /** Default of cancel.xml's cancelChangesExternalReference parameter. Default false. */
  cancelChangesExternalReference?: boolean
  /** <sessionId> of SOAP inventory messages. */
  soapSessionId?: string
  /**
   * Strict imports: a product or order import property seed 002 does not
   * document, a malformed value or an unknown code fails the item with an
   * importFailures line naming the property. Default true.
   */
  strict?: boolean
  /** The tax codes OrderFlow knows (strict mode). Default T1, T2 (seed 002's examples). */
  taxCodes?: string[]
  /** Faults active from the start. */
  faults?: FaultPatch
  /** Received documents kept for the control API (oldest dropped first). Default 5000. */
  maxDocuments?: number
  /** Largest request body accepted. Default 20 MB. */
  maxBodyBytes?: number
  /** Clock (tests). Default () => new Date(). */
  now?: () => Date
  /** Progress and event lines; false for silence (the default for startSimulator). */
  log?: ((line: string) => void) | false
}

export interface ResolvedOptions {
  port: number
  host: string
  context: string
  users: SimulatorUser[]
  organisations: OrganisationConfig[]
  sites: string[]
  storeUrl?: string
  storeUser?: string
  storePassword?: string
  pushFormat: PushFormat
  chunkSize: number
  pushRetries: number
  pushRetryDelayMs: number
  pushTimeoutMs: number
  pushConcurrency: number
  autoPushMs: number
  negativeAsZero: boolean
  timeZone: string
  seed: number | string
  stateFile?: string
  errorStatus: number
  cancelChangesExternalReference: boolean
  soapSessionId: string
  strict: boolean
  taxCodes: string[]
  faults?: FaultPatch
  maxDocuments: number
  maxBodyBytes: number
  now: () => Date
  log: (line: string) => void
}

export const DEFAULTS = {
  port: 9100,
  host: "127.0.0.1",
  context: "/orderflow",
  user: "orderflow",
  password: "orderflow",
  organisation: "demo",
  channel: "medusa",
  sites: ["DEFAULT"],
  pushFormat: "json" as PushFormat,
  chunkSize: 100,
  pushRetries: 5,
  pushRetryDelayMs: 1000,
  pushTimeoutMs: 10000,
  pushConcurrency: 1,
  autoPushMs: 0,
  errorStatus: 200,
  soapSessionId: "orderflow-simulator-session",
  strict: true,
  maxDocuments: 5000,
  maxBodyBytes: 20 * 1024 * 1024,
}

function timeZoneOption(value: string): string {
  try {
    return checkTimeZone(value)
  } catch {
    throw new Error(`timeZone must be an IANA time zone such as Europe/London, got ${value}`)
  }
}

function positiveInt(name: string, value: number, min = 0): number {
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got ${value}`)
  return value
}

/** Fills in defaults and checks the values once. */
export function resolveOptions(o: SimulatorOptions, seed: number | string): ResolvedOptions {
  const context = o.context ?? DEFAULTS.context
  const normalisedContext = context === "/" || context === "" ? "" : `/${context.replace(/^\/+|\/+$/g, "")}`
  const channels = o.channel === undefined ? [DEFAULTS.channel] : Array.isArray(o.channel) ? o.channel : o.channel.split(",")
  const organisations = o.organisations ?? [
    { reference: o.organisation ?? DEFAULTS.organisation, channels: channels.map((c) => c.trim()).filter(Boolean) },
  ]
  const sites = (o.sites ?? DEFAULTS.sites).map((s) => s.trim()).filter(Boolean)
  if (sites.length === 0) throw new Error("At least one site is required")
  const pushFormat = PUSH_FORMAT_ALIASES[o.pushFormat as string] ?? o.pushFormat ?? DEFAULTS.pushFormat
  if (!PUSH_FORMATS.includes(pushFormat)) throw new Error(`pushFormat must be one of ${PUSH_FORMATS.join(", ")}`)
  const log = o.log === false || o.log === undefined ? () => {} : o.log
  return {
    port: positiveInt("port", o.port ?? DEFAULTS.port),
    host: o.host ?? DEFAULTS.host,
    context: normalisedContext,
    users: o.users ?? [{ user: o.user ?? DEFAULTS.user, password: o.password ?? DEFAULTS.password }],
    organisations,
    sites,
    storeUrl: o.storeUrl,
    storeUser: o.storeUser,
    storePassword: o.storePassword,
    pushFormat,
    chunkSize: positiveInt("chunkSize", o.chunkSize ?? DEFAULTS.chunkSize, 1),
    pushRetries: positiveInt("pushRetries", o.pushRetries ?? DEFAULTS.pushRetries),
    pushRetryDelayMs: positiveInt("pushRetryDelayMs", o.pushRetryDelayMs ?? DEFAULTS.pushRetryDelayMs),
    pushTimeoutMs: positiveInt("pushTimeoutMs", o.pushTimeoutMs ?? DEFAULTS.pushTimeoutMs, 1),
    pushConcurrency: positiveInt("pushConcurrency", o.pushConcurrency ?? DEFAULTS.pushConcurrency, 1),
    autoPushMs: positiveInt("autoPushMs", o.autoPushMs ?? DEFAULTS.autoPushMs),
    negativeAsZero: o.negativeAsZero ?? false,
    timeZone: timeZoneOption(o.timeZone ?? "UTC"),
    seed,
    stateFile: o.stateFile,
    errorStatus: positiveInt("errorStatus", o.errorStatus ?? DEFAULTS.errorStatus, 100),
    cancelChangesExternalReference: o.cancelChangesExternalReference ?? false,
    soapSessionId: o.soapSessionId ?? DEFAULTS.soapSessionId,
    strict: o.strict ?? DEFAULTS.strict,
    taxCodes: (o.taxCodes ?? DEFAULT_TAX_CODES).map((c) => c.trim()).filter(Boolean),
    faults: o.faults,
    maxDocuments: positiveInt("maxDocuments", o.maxDocuments ?? DEFAULTS.maxDocuments, 1),
    maxBodyBytes: positiveInt("maxBodyBytes", o.maxBodyBytes ?? DEFAULTS.maxBodyBytes, 1),
    now: o.now ?? (() => new Date()),
    log,
  }
}
