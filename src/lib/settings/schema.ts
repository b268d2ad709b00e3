import { z } from "zod"
import { cronError } from "../scheduler/cron"
import { addressRangeError } from "../inbound/address-list"
import { ADJUST_INVENTORY, OPERATIONS, RESTOCK_ACTIONS } from "../../types/statuses"
import { DEFAULT_ORDERFLOW_TIME_ZONE, isTimeZone } from "../time/orderflow-clock"

/**
 * The plugin's settings: one typed record, one source of defaults
 * (DESIGN.md section 6). Each field carries the integration guide's name for
 * it where there is one (seed 000 "Magento Configuration").
 */

// Messages name their field: Medusa's body validation reports custom issues
// without their path, and "bad cron" alone does not tell which of five.
const cron = (path: string) =>
  z.string().trim().superRefine((value, ctx) => {
    const error = cronError(value)
    if (error) ctx.addIssue({ code: "custom", message: `${path}: ${error}` })
  })

const batchSize = (max: number) =>
  z.number().int("must be a whole number").min(1, "must be at least 1").max(max, `must be at most ${max}`)

const httpUrl = (path: string) => z
  .string()
  .trim()
  .refine((value) => {
    if (value === "") return true
    try {
      const url = new URL(value)
      return (url.protocol === "http:" || url.protocol === "https:") && !!url.hostname
    } catch {
      return false
    }
  }, `${path}: must be an http(s) URL such as https://orderflow.example.com/instance`)
  .transform((value) => value.replace(/\/+$/, ""))

const shortText = z.string().trim().max(255)
const secret = z.string().max(1024)

export { ADJUST_INVENTORY, OPERATIONS }
export type { AdjustInventory, OperationName } from "../../types/statuses"

export const settingsSchema = z.strictObject({
  api: z.strictObject({
    /** Endpoint: base OrderFlow API URL incl. the instance context path. */
    endpoint: httpUrl("api.endpoint").default(""),
    /** Username: the OrderFlow user receiving API requests. */
    username: shortText.default(""),
    /** Password of that user (write-only). */
    password: secret.default(""),
    /** Organisation: the OrderFlow organisation products belong to. */
    organisation: shortText.default(""),
    /** Channel: the OrderFlow sales channel orders are imported into. */
    channel: shortText.default(""),
    /** Link target for "view in OrderFlow" (the web UI); defaults to the endpoint. */
    webUrl: httpUrl("api.webUrl").default(""),
    timeoutSeconds: z.number().int().min(1).max(300).default(30),
    /**
     * OrderFlow's time zone (IANA name). OrderFlow's times carry no zone: the
     * ones it sends (lastOrderExported, dateShipped, despatches' completed)
     * are read in it and the ones we send (order placed/authorised, poll
     * windows) are written in it. A value that names its offset wins.
     */
    timeZone: z.string().trim().min(1, "api.timeZone: an IANA time zone such as Europe/London").max(64).refine(isTimeZone, {
      message: "api.timeZone: not an IANA time zone such as Europe/London",
    }).default(DEFAULT_ORDERFLOW_TIME_ZONE),
  }),
  inbound: z.strictObject({
    /** The user OrderFlow authenticates as when it calls the store (HTTP Basic). */
    username: shortText.default(""),
    /** Its password (write-only; stored as an scrypt hash). */
    password: secret.default(""),
    /**
     * A second accepted password while OrderFlow is being switched over
     * (write-only, hashed like `password`); `null` clears it.
     */
    previousPassword: secret.nullable().default(""),
    /** When `previousPassword` stops being accepted; null: until it is cleared. */
    previousPasswordExpiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
    /** Client addresses allowed to call the inbound routes (CIDR, IPv4/IPv6); empty: any address. */
    allowedAddresses: z
      .array(
        z.string().trim().superRefine((value, ctx) => {
          const error = addressRangeError(value)
          if (error) ctx.addIssue({ code: "custom", message: `inbound.allowedAddresses: ${error}` })
        })
      )
      .max(100, "inbound.allowedAddresses: at most 100 ranges")
      .default([]),
    maxBodyBytes: z.number().int().min(1024).max(50 * 1024 * 1024).default(5 * 1024 * 1024),
    maxLines: z.number().int().min(1).max(100_000).default(10_000),
  }),
  email: z.strictObject({
    /** Admin Name: the administrator responsible for the installation. */
    adminName: shortText.default(""),
    /** Admin Email: the address for email alerts. */
    adminEmail: z.union([z.literal(""), z.email("email.adminEmail: must be an email address")]).default(""),
  }),
  productExport: z.strictObject({
    enabled: z.boolean().default(false),
    cron: cron("productExport.cron").default("*/5 * * * *"),
    batchSize: batchSize(1000).default(200),
    /** Include Image Field: send imageReference (thumbnail, else placeholder, else the line fails). */
    includeImage: z.boolean().default(false),
    placeholderImage: httpUrl("productExport.placeholderImage").default(""),
    /** Also send barcode and dimensions (length, width, height, dimensionUnits): fields seed 002 does not document. */
    extendedFields: z.boolean().default(false),
  }),
  orderExport: z.strictObject({
    enabled: z.boolean().default(false),
    cron: cron("orderExport.cron").default("*/5 * * * *"),
    batchSize: batchSize(500).default(100),
    /** Prefix for the externalReference (the order's display id follows). */
    referencePrefix: z.string().max(32).regex(/^[A-Za-z0-9_-]*$/, "orderExport.referencePrefix: may contain letters, digits, _ and - only").default(""),
    /** Repair "unknown product" failures by sending product.N definitions with merge. */
    sendMissingProducts: z.boolean().default(true),
    /** Order metadata keys sent as orderAttribute.N. */
    orderAttributes: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
    /** Orders placed before this time are only exported on request (backfill). Set when first enabled. */
    exportFrom: z.iso.datetime({ offset: true }).nullable().default(null),
    /**
     * The OrderFlow release in use: from 4.3.3 an order changed after export
     * is re-sent with operation "reinsert" (seed 002); below, only a removed
     * line can be cancelled and other edits are blocked.
     */
    orderflowVersion: z.string().trim().regex(/^\d+(\.\d+){0,3}$/, "orderExport.orderflowVersion: a release number such as 4.3.3").default("4.3.3"),
    /**
     * An admin cancel when OrderFlow cannot be reached: "refuse" the cancel
     * (nothing refunded; try again later), or "queue" it (Medusa cancels now,
     * the cancellation is sent when OrderFlow answers, and a refusal alerts).
     */
    cancelWhenUnreachable: z.enum(["refuse", "queue"]).default("refuse"),
  }),
  inventoryImport: z.strictObject({
    enabled: z.boolean().default(false),
    cron: cron("inventoryImport.cron").default("* * * * *"),
    /** Batch Size: messages processed per run. */
    batchSize: batchSize(500).default(50),
    /**
     * Negative figures are applied as 0: the guide's "Allow Negative
     * Quantities" = Yes (its recommended value). Off: applied as they are.
     * Was `allowNegativeQuantities`, which meant the opposite (lib/settings/legacy).
     */
    negativeAsZero: z.boolean().default(true),
    adjustInventory: z.enum(ADJUST_INVENTORY).default("none"),
    unsentOrderStatuses: z.array(z.string().trim().min(1)).default(["pending"]),
    unsentOrderCutoffDays: z.number().int().min(0).max(365).default(7),
    activeCartCutoffDays: z.number().int().min(0).max(365).default(1),
    /** Stock location for lines without `source`; the only location when there is one. */
    defaultLocationId: z.string().trim().min(1).nullable().default(null),
    /** OrderFlow site reference -> Medusa stock location id. */
    locations: z.record(z.string().trim().min(1), z.string().trim().min(1)).default({}),
  }),
  shipmentImport: z.strictObject({
    enabled: z.boolean().default(false),
    cron: cron("shipmentImport.cron").default("* * * * *"),
    batchSize: batchSize(500).default(50),
    /** Let Medusa notify the customer when the despatch message asks for it. */
    notifyCustomer: z.boolean().default(true),
    /** Courier name -> tracking URL template with {trackingNumber}. */
    trackingUrlTemplates: z.record(z.string().trim().min(1), z.string().trim().min(1)).default({}),
    /** Mark the order completed when the last despatch ships it (the guide: "marked as complete"). */
    completeOrders: z.boolean().default(true),
  }),
  /**
   * Poll backstop for despatch pushes OrderFlow gave up on (seed 002
   * "Despatched Shipments Per Time Period"): despatched shipments the store
   * has not heard of are stored as despatch messages, as if pushed.
   */
  shipmentPoll: z.strictObject({
    enabled: z.boolean().default(false),
    cron: cron("shipmentPoll.cron").default("*/30 * * * *"),
    /** First pull (nothing pulled yet): how many hours back it looks. */
    lookBackHours: z.number().int().min(1).max(720).default(24),
    /** Each pull starts this many minutes before the previous one ended (despatches recorded late are not missed). */
    overlapMinutes: z.number().int().min(0).max(10_080).default(60),
    /**
     * The feed does not say whether OrderFlow would have asked for the
     * customer email: on, a polled despatch asks for it like a push with
     * `email` true (shipmentImport.notifyCustomer still decides); off, the
     * customer is not notified of despatches found by the poll.
     */
    notifyCustomer: z.boolean().default(false),
  }),
  /**
   * Drift report (issue 15; seed 002 "Inventory Pull"): on this schedule,
   * OrderFlow's inventory is pulled per mapped site and compared with
   * Medusa's levels after the inventory import's own adjustment.
   */
  stockDrift: z.strictObject({
    enabled: z.boolean().default(false),
    cron: cron("stockDrift.cron").default("0 4 * * *"),
    /** SKUs asked for per inventory.xml call (externalReferences): the seed describes no paging. */
    chunkSize: z.number().int().min(1).max(2000).default(500),
  }),
  /** Returns (seed 002 "Returns Import" and "Applied Returns Per Time Period"). */
  returns: z.strictObject({
    /** Send returns requested in Medusa to OrderFlow and pull the returns OrderFlow applied. */
    enabled: z.boolean().default(false),
    cron: cron("returns.cron").default("*/15 * * * *"),
    /** Each pull starts this many minutes before the previous one ended (late-recorded returns are not missed). */
    overlapMinutes: z.number().int().min(0).max(10_080).default(60),
    /** return.type: OrderFlow's return type (configurable there: goods_not_delivered, goods_damaged, unknown...). */
    type: shortText.min(1, "returns.type: must not be empty").default("unknown"),
    /** return.site: only needed with several warehouses; empty leaves it to OrderFlow's default site. */
    site: shortText.default(""),
    /** Medusa return reason value -> OrderFlow reason (unmapped: "H - Other", unless the value already is one of OrderFlow's). */
    reasons: z.record(z.string().trim().min(1), z.string().trim().min(1).max(255)).default({
      not_wanted: "A - Not wanted",
      not_as_described: "B - Not as described",
      wrong_size: "C - Wrong size",
      wrong_product: "D - Wrong product sent",
      faulty: "E - Quality/Manufacturing fault",
      damaged: "F - Damaged in transit",
      late: "G - Late arrival",
    }),
    /** returnLine.N.condition sent unless the reason is mapped in `conditions`. */
    defaultCondition: shortText.min(1, "returns.defaultCondition: must not be empty").default("As new"),
    /** Medusa return reason value -> OrderFlow condition sent for its lines. */
    conditions: z.record(z.string().trim().min(1), z.string().trim().min(1).max(255)).default({}),
    /** OrderFlow returnCondition of an applied line -> restock (back into stock) or damaged (received, not restocked); unknown ones: damaged. */
    restock: z.record(z.string().trim().min(1), z.enum(RESTOCK_ACTIONS)).default({
      "As new": "restock",
      "Packaging damaged": "restock",
      "Product damaged (refurbishable)": "damaged",
      "Product damaged (irreparable)": "damaged",
    }),
  }),
  retry: z.strictObject({
    /** Attempts before an item stays failed and an alert is raised. */
    maxAttempts: z.number().int().min(1).max(50).default(5),
    baseDelaySeconds: z.number().int().min(1).max(86_400).default(60),
    maxDelaySeconds: z.number().int().min(1).max(604_800).default(3600),
    /** Whole calls failing in a row (network, timeout, 5xx, <error>) before the circuit to that endpoint opens. */
    circuitThreshold: z.number().int().min(1).max(100).default(3),
    /** While the circuit is open: at most one probe call per this many seconds. */
    circuitProbeSeconds: z.number().int().min(5).max(3600).default(60),
  }),
  alarms: z.strictObject({
    /** Raise an alarm when no stock message arrived for this many hours while inventory import is enabled (0: off). */
    stockSilenceHours: z.number().int().min(0).max(720).default(24),
    /** ... when a paid order has not been accepted by OrderFlow this many minutes after it was queued (0: off). */
    orderAcceptanceMinutes: z.number().int().min(0).max(10_080).default(60),
    /** ... when a stored despatch has waited this many minutes to be applied (0: off). */
    despatchBacklogMinutes: z.number().int().min(0).max(10_080).default(30),
    /** ... while a dead letter is present (a message or an item failed for good). */
    deadLetters: z.boolean().default(true),
    /** ... while the drift report has at least this many open differences (0: off). */
    stockDriftThreshold: z.number().int().min(0).max(1_000_000).default(50),
  }),
  logCleaning: z.strictObject({
    enabled: z.boolean().default(true),
    cron: cron("logCleaning.cron").default("0 3 * * *"),
    /** Web Log Duration: days history records (exports, requests, imports) are kept. */
    historyDays: z.number().int().min(1).max(3650).default(30),
    /** XML Log Duration: days request/response bodies are kept. */
    bodyDays: z.number().int().min(0).max(3650).default(7),
  }),
})

export type OrderflowSettings = z.infer<typeof settingsSchema>
export type SettingsGroup = keyof OrderflowSettings
export const SETTINGS_GROUPS = Object.keys(settingsSchema.shape) as SettingsGroup[]

/** Secret fields: accepted on write, never returned (the API shows `<field>Set: true`). */
export const SECRET_FIELDS: ReadonlyArray<readonly [SettingsGroup, string]> = [
  ["api", "password"],
  ["inbound", "password"],
  ["inbound", "previousPassword"],
]

/** A POST body: any subset of groups and fields, unknown names refused. */
export const settingsPatchSchema = z.strictObject(
  Object.fromEntries(
    SETTINGS_GROUPS.map((group) => {
      const shape = settingsSchema.shape[group].shape as Record<string, z.ZodType>
      const partial = Object.fromEntries(
        Object.entries(shape).map(([field, schema]) => [field, unwrapDefault(schema).optional()])
      )
      return [group, z.strictObject(partial).optional()]
    })
  ) as unknown as { [G in SettingsGroup]: z.ZodOptional<z.ZodType<Partial<OrderflowSettings[G]>>> }
)
export type SettingsPatch = { [G in SettingsGroup]?: Partial<OrderflowSettings[G]> }

function unwrapDefault(schema: z.ZodType): z.ZodType {
  // A patch must not fill in defaults for fields it does not mention.
  const def = (schema as unknown as { def?: { type?: string; innerType?: z.ZodType } }).def
  return def?.type === "default" && def.innerType ? def.innerType : schema
}

export function defaultSettings(): OrderflowSettings {
  return settingsSchema.parse(Object.fromEntries(SETTINGS_GROUPS.map((g) => [g, {}])))
}
