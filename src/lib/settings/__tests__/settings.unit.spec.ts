import {
  applyPatch,
  defaultSettings,
  redactSettings,
  resolveSettings,
  settingsFromEnv,
  settingsFromOptions,
} from ".."
import { hashPassword, verifyPassword } from "../password-hash"

describe("settings", () => {
  it("has the guide's defaults, every operation disabled", () => {
    const s = defaultSettings()
    expect(s.productExport).toEqual({
      enabled: false,
      cron: "*/5 * * * *",
      batchSize: 200,
      includeImage: false,
      placeholderImage: "",
      extendedFields: false,
    })
    expect(s.api.timeZone).toBe("Europe/London")
    expect(s.orderExport.enabled).toBe(false)
    expect(s.orderExport.batchSize).toBe(100)
    expect(s.inventoryImport).toMatchObject({
      enabled: false,
      cron: "* * * * *",
      batchSize: 50,
      negativeAsZero: true,
      adjustInventory: "none",
      unsentOrderStatuses: ["pending"],
      unsentOrderCutoffDays: 7,
      activeCartCutoffDays: 1,
      defaultLocationId: null,
      locations: {},
    })
    expect(s.shipmentImport).toMatchObject({ enabled: false, notifyCustomer: true, batchSize: 50 })
    expect(s.logCleaning).toMatchObject({ enabled: true, cron: "0 3 * * *", historyDays: 30, bodyDays: 7 })
  })

  it("upgrades the old names in stored rows, options, env and POSTs: allowNegativeQuantities inverted, orderExport.timezone moved", () => {
    const stored = resolveSettings({ stored: { inventoryImport: { allowNegativeQuantities: true }, orderExport: { timezone: "America/New_York" } } as any })
    expect(stored.settings.inventoryImport.negativeAsZero).toBe(false)
    expect(stored.settings.api.timeZone).toBe("America/New_York")
    expect("timezone" in stored.settings.orderExport).toBe(false)
    // The old default (empty: UTC for what we sent) takes the new default.
    expect(resolveSettings({ stored: { orderExport: { timezone: "" } } as any }).settings.api.timeZone).toBe("Europe/London")
    expect(resolveSettings({ stored: { inventoryImport: { allowNegativeQuantities: false } } as any }).settings.inventoryImport.negativeAsZero).toBe(true)
    // A new name beside an old one wins.
    expect(resolveSettings({ stored: { inventoryImport: { allowNegativeQuantities: true, negativeAsZero: true } } as any }).settings.inventoryImport.negativeAsZero).toBe(true)

    const env = settingsFromEnv({ ORDERFLOW__INVENTORY_IMPORT__ALLOW_NEGATIVE_QUANTITIES: "true", ORDERFLOW__ORDER_EXPORT__TIMEZONE: "Europe/Paris" })
    expect(env).toEqual({ inventoryImport: { negativeAsZero: false }, api: { timeZone: "Europe/Paris" } })
    const locked = resolveSettings({ stored: {}, env })
    expect(locked.locked).toEqual(["api.timeZone", "inventoryImport.negativeAsZero"])
    expect(settingsFromOptions({ inventoryImport: { allowNegativeQuantities: false } })).toEqual({ inventoryImport: { negativeAsZero: true } })

    // A POST with the old name is accepted; saving rewrites the old stored row in the new shape.
    const out = applyPatch({ stored: { orderExport: { timezone: "Europe/Dublin", batchSize: 10 } } as any }, { inventoryImport: { allowNegativeQuantities: true } })
    expect(out.ok).toBe(true)
    const ok = out as { stored: any; changedGroups: string[] }
    expect(ok.stored.inventoryImport).toEqual({ negativeAsZero: false })
    expect(ok.stored.orderExport).toEqual({ batchSize: 10 })
    expect(ok.stored.api).toEqual({ timeZone: "Europe/Dublin" })
    expect([...ok.changedGroups].sort()).toEqual(["api", "inventoryImport", "orderExport"])
  })

  it("refuses a time zone that is not an IANA name", () => {
    const out = applyPatch({ stored: {} }, { api: { timeZone: "Mars/Olympus" } })
    expect(out.ok).toBe(false)
    expect((out as { errors: string[] }).errors.join("\n")).toMatch(/api\.timeZone: not an IANA time zone such as Europe\/London/)
  })

  it("rejects bad cron expressions, non-positive batch sizes and malformed URLs with clear messages", () => {
    const out = applyPatch(
      { stored: {} },
      { productExport: { cron: "every minute", batchSize: 0 }, api: { endpoint: "ftp//nope" } }
    )
    expect(out.ok).toBe(false)
    const errors = (out as { errors: string[] }).errors.join("\n")
    expect(errors).toMatch(/productExport\.cron: "every minute" must have 5 fields/)
    expect(errors).toMatch(/productExport\.batchSize: must be at least 1/)
    expect(errors).toMatch(/api\.endpoint: must be an http\(s\) URL/)
  })

  it("rejects an invalid cron with five fields and unknown settings", () => {
    const out = applyPatch({ stored: {} }, { orderExport: { cron: "61 * * * *" }, api: { colour: "red" } })
    expect(out.ok).toBe(false)
    const errors = (out as { errors: string[] }).errors.join("\n")
    expect(errors).toMatch(/orderExport\.cron: "61 \* \* \* \*" is not a valid cron expression/)
    expect(errors).toMatch(/api: unknown setting "colour"/)
  })

  it("refuses to enable an export without credentials", () => {
    const out = applyPatch({ stored: {} }, { productExport: { enabled: true } })
    expect(out).toEqual({
      ok: false,
      errors: ["productExport.enabled: requires api.endpoint, api.username, api.password, api.organisation"],
    })
  })

  it("has the returns defaults: off, every 15 minutes, 60 minutes overlap, type unknown, As new, the seed's reasons and conditions", () => {
    const r = defaultSettings().returns
    expect(r).toMatchObject({ enabled: false, cron: "*/15 * * * *", overlapMinutes: 60, type: "unknown", site: "", defaultCondition: "As new", conditions: {} })
    expect(r.reasons.wrong_size).toBe("C - Wrong size")
    expect(r.restock).toEqual({
      "As new": "restock",
      "Packaging damaged": "restock",
      "Product damaged (refurbishable)": "damaged",
      "Product damaged (irreparable)": "damaged",
    })
  })

  it("refuses a restock mapping other than restock/damaged, and enabling returns without the organisation", () => {
    const bad = applyPatch({ stored: {} }, { returns: { restock: { "As new": "maybe" as "restock" } } })
    expect(bad.ok).toBe(false)
    expect((bad as { errors: string[] }).errors.join("\n")).toMatch(/returns\.restock/)
    const noOrg = applyPatch({ stored: {} }, { api: { endpoint: "https://of.example", username: "u", password: "p" }, returns: { enabled: true } })
    expect(noOrg).toEqual({ ok: false, errors: ["returns.enabled: requires api.organisation"] })
  })

  it("has the despatch poll defaults: off, every 30 minutes, 24 hours back, 60 minutes overlap, no customer email", () => {
    expect(defaultSettings().shipmentPoll).toEqual({ enabled: false, cron: "*/30 * * * *", lookBackHours: 24, overlapMinutes: 60, notifyCustomer: false })
  })

  it("refuses enabling the despatch poll without the channel, and a look-back of 0 hours", () => {
    const noChannel = applyPatch({ stored: {} }, { api: { endpoint: "https://of.example", username: "u", password: "p" }, shipmentPoll: { enabled: true } })
    expect(noChannel).toEqual({ ok: false, errors: ["shipmentPoll.enabled: requires api.channel"] })
    const zero = applyPatch({ stored: {} }, { shipmentPoll: { lookBackHours: 0 } })
    expect(zero.ok).toBe(false)
    expect((zero as { errors: string[] }).errors.join("\n")).toMatch(/shipmentPoll\.lookBackHours/)
  })

  it("has the drift report defaults (off, daily at 04:00, 500 SKUs per call, alarm at 50) and refuses enabling it without a channel or organisation, or a chunk of 0", () => {
    expect(defaultSettings().stockDrift).toEqual({ enabled: false, cron: "0 4 * * *", chunkSize: 500 })
    expect(defaultSettings().alarms.stockDriftThreshold).toBe(50)
    const noScope = applyPatch({ stored: {} }, { api: { endpoint: "https://of.example", username: "u", password: "p" }, stockDrift: { enabled: true } })
    expect(noScope).toEqual({ ok: false, errors: ["stockDrift.enabled: requires api.channel or api.organisation"] })
    const withOrg = applyPatch({ stored: {} }, { api: { endpoint: "https://of.example", username: "u", password: "p", organisation: "acme" }, stockDrift: { enabled: true } })
    expect(withOrg.ok).toBe(true)
    const zero = applyPatch({ stored: {} }, { stockDrift: { chunkSize: 0 } })
    expect((zero as { errors: string[] }).errors.join("\n")).toMatch(/stockDrift\.chunkSize/)
  })

  it("deep-merges a partial patch and keeps secrets unless a new one is given", () => {
    const first = applyPatch(
      { stored: {} },
      { api: { endpoint: "https://wms.example.com/acme/", username: "u", password: "s3cret", organisation: "acme" } }
    )
    expect(first.ok).toBe(true)
    const stored = (first as { stored: any }).stored
    expect(stored.api.endpoint).toBe("https://wms.example.com/acme")
    const second = applyPatch({ stored }, { api: { password: "" }, productExport: { enabled: true, batchSize: 50 } })
    expect(second.ok).toBe(true)
    const resolved = resolveSettings({ stored: (second as { stored: any }).stored })
    expect(resolved.settings.api.password).toBe("s3cret")
    expect(resolved.settings.productExport).toMatchObject({ enabled: true, batchSize: 50, cron: "*/5 * * * *" })
  })

  it("never returns secrets", () => {
    const s = resolveSettings({ stored: { api: { password: "hunter2" } } }).settings
    const out = redactSettings(s, { inboundPasswordSet: true })
    expect(JSON.stringify(out)).not.toContain("hunter2")
    expect(out.api.passwordSet).toBe(true)
    expect(out.inbound.passwordSet).toBe(true)
    expect("password" in out.api).toBe(false)
  })

  it("locks values pre-set by options and env, env winning", () => {
    const options = settingsFromOptions({ api: { channel: "web", organisation: "acme" } })
    const env = settingsFromEnv({
      ORDERFLOW__API__ORGANISATION: "acme-env",
      ORDERFLOW__PRODUCT_EXPORT__BATCH_SIZE: "300",
      ORDERFLOW__API__PASSWORD: "12345",
      UNRELATED: "x",
    })
    const resolved = resolveSettings({ stored: { api: { channel: "stored" } }, options, env })
    expect(resolved.settings.api.channel).toBe("web")
    expect(resolved.settings.api.organisation).toBe("acme-env")
    expect(resolved.settings.api.password).toBe("12345")
    expect(resolved.settings.productExport.batchSize).toBe(300)
    expect(resolved.locked).toEqual(["api.channel", "api.organisation", "api.password", "productExport.batchSize"])
    const out = applyPatch({ stored: {}, options, env }, { api: { channel: "other" } })
    expect(out).toEqual({
      ok: false,
      errors: ["api.channel: set by the plugin options or environment; change it there"],
    })
  })

  it("reports a bad environment value by its variable name", () => {
    expect(() => settingsFromEnv({ ORDERFLOW__PRODUCT_EXPORT__BATCH_SIZE: "many" })).toThrow(
      /ORDERFLOW__PRODUCT_EXPORT__BATCH_SIZE: "many" is not a valid value for productExport.batchSize/
    )
    expect(() => settingsFromEnv({ ORDERFLOW__NOPE__X: "1" })).toThrow(/unknown settings group/)
  })

  it("hashes the inbound password with scrypt and verifies it", async () => {
    const hash = await hashPassword("correct horse")
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/)
    expect(hash).not.toContain("correct horse")
    await expect(verifyPassword("correct horse", hash)).resolves.toBe(true)
    await expect(verifyPassword("correct hors", hash)).resolves.toBe(false)
    await expect(verifyPassword("x", "garbage")).resolves.toBe(false)
  })
})
