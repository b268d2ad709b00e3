// The properties seed 002 documents for product and order imports, with the
// form of their values: ONE table, read by strict mode (strictImportProblem)
// and by the listing of the control API (GET /_sim/import-fields), so the two
// cannot disagree. Sources: the Product Import example (product fields; the
// prose adds `shared` and `organisation` comes from the "min product"
// example), the Order Import example (order, shipment.*, orderLine.N.*,
// orderAttribute.N.*), "Referring to Products" (product.M.*,
// orderLine.N.product=entity:product.M) and, for orderLine.N.thirdPartyReference,
// the order line of the Order Detail / Pending Shipments answers and the
// Order Line Cancellation parameter ("any third-party reference associated
// with the order line"). Anything else is undocumented: a strict OrderFlow
// answers it with an importFailures line naming the property.

import { parseOrderFlowDate } from "./time"

/** Code lists a value is checked against (seed 002 values; see CODE_LISTS). */
export type CodeList = "currency" | "country" | "taxCode" | "productType" | "weightUnits" | "orderState" | "shipmentState" | "orderLineState"

export type ValueCheck =
  | { kind: "text" }
  | { kind: "number" }
  /** A whole number >= 0 (quantities, counts). */
  | { kind: "integer" }
  | { kind: "boolean" }
  /** yyyy-MM-dd HH:mm:ss, as the documented `placed=2014-08-31 07:16:02`. */
  | { kind: "datetime" }
  /** yyyy-MM-dd, as the documented `shipment.earliestShipDate=1999-12-31`. */
  | { kind: "date" }
  | { kind: "code"; list: CodeList }
  /** A reference to another entity of the same import, e.g. entity:order. */
  | { kind: "entity"; pattern: string }

/** Where a property lives: a product import (also product.M.* in an order), or a part of an order import. */
export type FieldScope = "product" | "order" | "shipment" | "orderLine" | "orderAttribute"

export interface DocumentedField {
  scope: FieldScope
  /** The property name after the scope's prefix (product.M., shipment., orderLine.N., orderAttribute.N.). */
  name: string
  check: ValueCheck
}

const text = { kind: "text" } as const
const number = { kind: "number" } as const
const integer = { kind: "integer" } as const
const boolean = { kind: "boolean" } as const
const code = (list: CodeList): ValueCheck => ({ kind: "code", list })
const entity = (pattern: string): ValueCheck => ({ kind: "entity", pattern })

const numbered = (base: string, count: number) => Array.from({ length: count }, (_, i) => `${base}${i + 1}`)
const userDefined = numbered("userDefined", 5)

/** The contact block of an order address, with the prefix the order (delivery/invoice) or the shipment uses. */
function addressFields(prefix: "delivery" | "invoice" | ""): Array<[string, ValueCheck]> {
  const name = (field: string) => (prefix ? `${prefix}${field}` : field.charAt(0).toLowerCase() + field.slice(1))
  return [
    ...numbered("AddressLine", 6).map((f): [string, ValueCheck] => [name(f), text]),
    [name("CountryCode"), code("country")],
    ...["PostCode", "ContactName", "EmailAddress", "DayPhoneNumber", "EveningPhoneNumber", "MobilePhoneNumber", "FaxNumber", "CompanyName"].map(
      (f): [string, ValueCheck] => [name(f), text]
    ),
  ]
}

const TABLE: Record<FieldScope, Array<[string, ValueCheck]>> = {
  product: [
    ["externalReference", text],
    ["description", text],
    ["weight", number],
    ["weightUnits", code("weightUnits")],
    ["imageReference", text],
    ["type", code("productType")],
    ["quantityOnOrder", integer],
    ["priceNet", number],
    ["priceGross", number],
    ["tax", number],
    ["taxCode", code("taxCode")],
    ["currency", code("currency")],
    ["currencyUnits", text],
    ["costNet", number],
    ["costGross", number],
    ["costTax", number],
    ["costTaxCode", code("taxCode")],
    ["costCurrency", code("currency")],
    ["costCurrencyUnits", text],
    ...userDefined.map((f): [string, ValueCheck] => [f, text]),
    ["channel", text],
    ["organisation", text],
    ["activated", boolean],
    ["shared", boolean],
  ],
  order: [
    ["state", code("orderState")],
    ["validated", boolean],
    ["paymentTransactionInfo", text],
    ["customerComment", text],
    ["totalPriceNet", number],
    ["totalPriceGross", number],
    ["totalTax", number],
    ["totalTaxCode", code("taxCode")],
    ["shippingPriceNet", number],
    ["shippingPriceGross", number],
    ["shippingTax", number],
    ["shippingTaxCode", code("taxCode")],
    ["currency", code("currency")],
    ["currencyUnits", text],
    ["placed", { kind: "datetime" }],
    ["authorised", { kind: "datetime" }],
    ["source", text],
    ["channel", text],
    ["campaign", text],
    ...addressFields("delivery"),
    ...addressFields("invoice"),
    ...userDefined.map((f): [string, ValueCheck] => [f, text]),
  ],
  shipment: [
    ["externalReference", text],
    ["state", code("shipmentState")],
    ["earliestShipDate", { kind: "date" }],
    ["deliveryInstruction", text],
    ["despatchComment", text],
    ["despatchReference", text],
    ["weight", number],
    ["weightUnits", code("weightUnits")],
    ["itemCount", integer],
    ...addressFields(""),
    ...userDefined.map((f): [string, ValueCheck] => [f, text]),
    ["deliverySuggestionCode", text],
    ["deliverySuggestionName", text],
    ["orderItem", entity("entity:order")],
  ],
  orderLine: [
    ["product.externalReference", text],
    ["product", entity("entity:product.M")],
    ["quantity", integer],
    ["state", code("orderLineState")],
    ["totalPriceNet", number],
    ["totalPriceGross", number],
    ["totalTax", number],
    ["totalTaxCode", code("taxCode")],
    ["unitPriceNet", number],
    ["unitPriceGross", number],
    ["unitTax", number],
    ["unitTaxCode", code("taxCode")],
    ...userDefined.map((f): [string, ValueCheck] => [f, text]),
    ["thirdPartyReference", text],
    ["shipment", entity("entity:shipment")],
  ],
  orderAttribute: [
    ["name", text],
    ["title", text],
    ["value", text],
    ["orderItem", entity("entity:order")],
  ],
}

/** Every documented property, by scope, in the order the seed lists them. */
export const DOCUMENTED_IMPORT_FIELDS: ReadonlyArray<DocumentedField> = (Object.keys(TABLE) as FieldScope[]).flatMap((scope) =>
  TABLE[scope].map(([name, check]) => ({ scope, name, check }))
)

const BY_SCOPE = new Map<FieldScope, Map<string, ValueCheck>>(
  (Object.keys(TABLE) as FieldScope[]).map((scope) => [scope, new Map(TABLE[scope])])
)

// ISO 3166-1 alpha-2, plus "UK": seed 002's order example writes the United
// Kingdom as deliveryCountryCode=UK (ISO's exceptional reservation for it).
const ISO_COUNTRIES =
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW".split(
    " "
  )

/** The simulator's reference data for codes; taxCode comes from the options (OrderFlow's tax codes are its own set-up). */
export const CODE_LISTS: Record<Exclude<CodeList, "taxCode">, ReadonlyArray<string>> = {
  // ISO 4217, from the platform's ICU data (the compiler's lib predates Intl.supportedValuesOf).
  currency: (Intl as unknown as { supportedValuesOf(key: "currency"): string[] }).supportedValuesOf("currency"),
  country: [...ISO_COUNTRIES, "UK"],
  // "Note that products need to be given a type attribute ... temporary".
  productType: ["default", "temporary"],
  // The documented value is grams; kilograms is the simulator's one addition.
  weightUnits: ["grams", "kilograms"],
  // The state tables of "Order Detail Pull", without deleted (not importable).
  orderState: ["created", "despatched"],
  shipmentState: ["created", "ready", "allocated", "on_hold", "picked", "packed", "despatched"],
  orderLineState: ["created", "allocated", "picked", "out-of-stock", "packed"],
}

/** Tax codes the strict simulator knows when none are configured: those of seed 002's examples. */
export const DEFAULT_TAX_CODES = ["T1", "T2"]

export interface StrictCodes {
  taxCodes: ReadonlyArray<string>
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)$/
const INTEGER = /^[-+]?\d+$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** The failure message for a value that does not pass its check; number and boolean read as the lenient checks' do. */
function invalidMessage(key: string, value: string, check: ValueCheck, codes: StrictCodes): string {
  const subject = `'${value}' for property '${key}'`
  switch (check.kind) {
    case "text":
      return `Invalid value ${subject}`
    case "number":
      return `Invalid number ${subject}`
    case "integer":
      return `Invalid number ${subject} (expected a whole number)`
    case "boolean":
      return `Invalid boolean ${subject} (expected true or false)`
    case "datetime":
      return `Invalid date ${subject} (expected yyyy-MM-dd HH:mm:ss)`
    case "date":
      return `Invalid date ${subject} (expected yyyy-MM-dd)`
    case "entity":
      return `Invalid reference ${subject} (expected ${check.pattern})`
    case "code": {
      const known =
        check.list === "taxCode"
          ? `one of the tax codes OrderFlow knows: ${codes.taxCodes.join(", ")}`
          : check.list === "currency"
            ? "an ISO 4217 currency code"
            : check.list === "country"
              ? "an ISO 3166-1 alpha-2 country code"
              : `one of ${CODE_LISTS[check.list].join(", ")}`
      return `Unknown code ${subject} (expected ${known})`
    }
  }
}

function valid(value: string, check: ValueCheck, codes: StrictCodes): boolean {
  switch (check.kind) {
    case "text":
      return true
    case "number":
      return NUMBER.test(value)
    case "integer":
      return INTEGER.test(value)
    case "boolean":
      return value === "true" || value === "false"
    case "datetime":
      return DATE_TIME.test(value) && parseOrderFlowDate(value) !== undefined
    case "date":
      return DATE.test(value) && parseOrderFlowDate(value) !== undefined
    case "entity":
      return check.pattern === "entity:product.M" ? /^entity:product\.\d+$/.test(value) : value === check.pattern
    case "code":
      return (check.list === "taxCode" ? codes.taxCodes : CODE_LISTS[check.list]).includes(value)
  }
}

/** The scope and the documented name of an order import key, or the key itself as an order property. */
function orderScope(key: string): { scope: FieldScope; name: string } {
  const m = /^(product|orderLine|orderAttribute)\.(\d+)\.(.+)$/.exec(key)
  if (m) return { scope: m[1] as FieldScope, name: m[3] }
  if (key.startsWith("shipment.")) return { scope: "shipment", name: key.slice("shipment.".length) }
  return { scope: "order", name: key }
}

/**
 * The first problem a strict OrderFlow has with a product or order import
 * item, naming the property, or undefined when every property is documented
 * and well formed. Empty values pass (the documented examples send many).
 */
export function strictImportProblem(type: "product" | "order", values: ReadonlyMap<string, string>, codes: StrictCodes): string | undefined {
  for (const [key, raw] of values) {
    const { scope, name } = type === "product" ? { scope: "product" as const, name: key } : orderScope(key)
    const check = BY_SCOPE.get(scope)!.get(name)
    if (!check) return `Unknown property '${key}': not a documented ${type} import field (strict mode)`
    const value = raw.trim()
    if (value === "" || valid(value, check, codes)) continue
    return invalidMessage(key, value, check, codes)
  }
  return undefined
}
