// Applying <import> items (seed 002, "Product Import", "Product Update",
// "Order Import", "Referring to Products", "Merging orders with product
// definitions"). Each item is validated completely before anything is
// written, so an item is applied whole or not at all, and reported as one
// success, failure or duplicate.

import { EXCEPTIONS, OrderFlowError, missingEntity } from "./errors"
import { strictImportProblem, type StrictCodes } from "./import-fields"
import { indexed, parseProperties, prefixed } from "./properties"
import type { Prng } from "./prng"
import { parseOrderFlowDate } from "./time"
import { formatDateTime } from "./time"
import type { Product, ReturnLine, SimulatorUser } from "./types"
import type { NewOrderLine, Warehouse } from "./warehouse"
import type { RawImport } from "./xml"

export interface ImportContext {
  /** Which URL was called: remotewarehouse (header organisation) or remoteorder (header channel). */
  endpoint: "remotewarehouse" | "remoteorder"
  channel?: string
  organisation?: string
  user: SimulatorUser
  receivedAt: Date
  now: () => Date
  prng: Prng
  /** Strict mode: undocumented properties, malformed values and unknown codes fail the item (see import-fields.ts). */
  strict?: StrictCodes
}

export interface ImportOutcome {
  kind: "success" | "failure" | "duplicate"
  type?: string
  operation?: string
  externalReference?: string
  /** Successes: the Java entity class and instance, e.g. rtd.domain.database.Product@172c384b. */
  entity?: string
  item?: string
  queryTime: Date
  message?: string
  exception?: string
}

const ENTITY = { product: "rtd.domain.database.Product", order: "rtd.domain.database.OrderItem", return: "rtd.domain.database.ReturnItem" } as const

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/
const BOOLEAN = /^(true|false)$/i

const PRODUCT_NUMBERS = ["weight", "quantityOnOrder", "priceNet", "priceGross", "tax", "costNet", "costGross", "costTax"]
const PRODUCT_BOOLEANS = ["activated", "shared"]
const ORDER_NUMBERS = ["totalPriceNet", "totalPriceGross", "totalTax", "shippingPriceNet", "shippingPriceGross", "shippingTax"]
const ORDER_BOOLEANS = ["validated"]
const ORDER_DATES = ["placed", "authorised"]
const SHIPMENT_NUMBERS = ["weight", "itemCount"]
const LINE_NUMBERS = ["totalPriceNet", "totalPriceGross", "totalTax", "unitPriceNet", "unitPriceGross", "unitTax"]

class ItemFailure extends Error {
  constructor(
    readonly exception: string,
    message: string,
    readonly kind: "failure" | "duplicate" = "failure"
  ) {
    super(message)
  }
}

function invalid(message: string): ItemFailure {
  return new ItemFailure(EXCEPTIONS.importData, message)
}

function fromOrderFlowError(e: OrderFlowError): ItemFailure {
  return new ItemFailure(e.exception, e.message)
}

function duplicate(entity: string, reference: string): ItemFailure {
  return new ItemFailure(
    EXCEPTIONS.validationError,
    `An instance of ${entity} with reference '${reference}' is already present in the database.`,
    "duplicate"
  )
}

/** Empty values are allowed everywhere (the documented examples send many); set values must parse. */
function checkValues(values: Map<string, string>, prefix: string, numbers: string[], booleans: string[], dates: string[] = []): void {
  for (const key of numbers) {
    const v = values.get(key)
    if (v && !NUMERIC.test(v.trim())) throw invalid(`Invalid number '${v}' for property '${prefix}${key}'`)
  }
  for (const key of booleans) {
    const v = values.get(key)
    if (v && !BOOLEAN.test(v.trim())) throw invalid(`Invalid boolean '${v}' for property '${prefix}${key}' (expected true or false)`)
  }
  for (const key of dates) {
    const v = values.get(key)
    if (v && !parseOrderFlowDate(v.trim())) {
      throw invalid(`Invalid date '${v}' for property '${prefix}${key}' (expected yyyy-MM-dd HH:mm:ss or yyyy-MM-dd)`)
    }
  }
}

const toRecord = (m: Map<string, string>): Record<string, string> => Object.fromEntries(m)
const asBoolean = (v: string | undefined) => (v === undefined || v === "" ? undefined : v.trim().toLowerCase() === "true")

function allowedChannel(user: SimulatorUser, channel: string): boolean {
  return !user.channels || user.channels.includes(channel)
}

function allowedOrganisation(user: SimulatorUser, organisation: string): boolean {
  return !user.organisations || user.organisations.includes(organisation)
}

function unauthorized(user: SimulatorUser, kind: string, reference: string): ItemFailure {
  return new ItemFailure(EXCEPTIONS.unauthorized, `User '${user.user}' is not authorised to access ${kind} '${reference}'.`)
}

/** Reads the reference from the attribute and/or the externalReference property; they must agree. */
function referenceOf(item: RawImport, values: Map<string, string>, required: boolean): string | undefined {
  const attr = item.attributes.externalReference
  const prop = values.get("externalReference")
  if (attr !== undefined && prop !== undefined && attr !== prop) {
    throw invalid(`externalReference attribute '${attr}' does not match externalReference property '${prop}'`)
  }
  const ref = attr || prop
  if (!ref && required) throw invalid("No externalReference supplied")
  return ref
}

/** A product definition (a product import, or product.M.* inside an order import), validated. */
interface ProductDefinition {
  reference: string
  values: Map<string, string>
  existing?: Product
}

function validateProductValues(values: Map<string, string>, prefix: string, creating: boolean): void {
  if (creating && !values.get("description")?.trim()) {
    throw invalid(`Property '${prefix}description' is required for a new product`)
  }
  checkValues(values, prefix, PRODUCT_NUMBERS, PRODUCT_BOOLEANS)
}

function applyProductDefinition(warehouse: Warehouse, def: ProductDefinition, organisation: string): void {
  const fields = toRecord(def.values)
  if (def.existing) {
    warehouse.updateProduct(def.existing, fields, {
      description: def.values.get("description") || undefined,
      type: def.values.get("type") || undefined,
      activated: asBoolean(def.values.get("activated")),
    })
  } else {
    warehouse.createProduct({
      externalReference: def.reference,
      organisation,
      description: def.values.get("description")!,
      type: def.values.get("type") || undefined,
      activated: asBoolean(def.values.get("activated")),
      fields,
    })
  }
}

function javaIdentity(entity: string, prng: Prng): string {
  return `${entity}@${prng.int(0x100000, 0x7fffffff).toString(16)}`
}

/** Resolves the organisation a product import item belongs to, checking every reference it names. */
function productOrganisation(warehouse: Warehouse, values: Map<string, string>, ctx: ImportContext): string {
  let organisation: string | undefined
  const own = values.get("organisation")
  if (own) {
    if (!warehouse.knowsOrganisation(own)) throw fromOrderFlowError(missingEntity("organisation", own))
    organisation = own
  } else if (ctx.endpoint === "remotewarehouse") {
    if (!warehouse.knowsOrganisation(ctx.organisation)) throw fromOrderFlowError(missingEntity("organisation", ctx.organisation))
    organisation = ctx.organisation!
  } else {
    organisation = ctx.organisation ?? warehouse.organisationOfChannel(ctx.channel)
    if (!organisation || !warehouse.knowsOrganisation(organisation)) {
      throw fromOrderFlowError(ctx.organisation ? missingEntity("organisation", ctx.organisation) : missingEntity("channel", ctx.channel))
    }
  }
  if (!allowedOrganisation(ctx.user, organisation)) throw unauthorized(ctx.user, "organisation", organisation)
  const channel = values.get("channel")
  if (channel) {
    // The channel must be one of this organisation's.
    if (warehouse.organisationOfChannel(channel) !== organisation) throw fromOrderFlowError(missingEntity("channel", channel))
    if (!allowedChannel(ctx.user, channel)) throw unauthorized(ctx.user, "channel", channel)
  }
  return organisation
}

function importProduct(warehouse: Warehouse, item: RawImport, values: Map<string, string>, ctx: ImportContext, operation: string): string {
  if (!["insert", "update", "merge"].includes(operation)) {
    throw invalid(`Unsupported operation '${operation}' for product imports (insert, update or merge)`)
  }
  const reference = referenceOf(item, values, true)!
  const organisation = productOrganisation(warehouse, values, ctx)
  const existing = warehouse.product(reference)
  if (operation === "insert" && existing) throw duplicate("product", reference)
  if (operation === "update" && !existing) throw fromOrderFlowError(missingEntity("product", reference))
  if (existing && existing.organisation !== organisation) throw fromOrderFlowError(missingEntity("product", reference))
  validateProductValues(values, "", !existing)
  applyProductDefinition(warehouse, { reference, values, existing }, organisation)
  return javaIdentity(ENTITY.product, ctx.prng)
}

function importOrder(warehouse: Warehouse, item: RawImport, values: Map<string, string>, ctx: ImportContext, operation: string): string {
  if (operation === "update") {
    throw invalid("Orders cannot be updated through the API; use insert (or reinsert to replace an order).")
  }
  if (!["insert", "merge", "reinsert"].includes(operation)) {
    throw invalid(`Unsupported operation '${operation}' for order imports (insert, merge or reinsert)`)
  }
  const reference = item.attributes.externalReference
  if (!reference) throw invalid("No externalReference attribute supplied for the order")
  const ownRef = values.get("externalReference")
  if (ownRef !== undefined && ownRef !== reference) {
    throw invalid(`externalReference attribute '${reference}' does not match externalReference property '${ownRef}'`)
  }

  const channel = values.get("channel") || ctx.channel
  const organisation = warehouse.organisationOfChannel(channel)
  if (!channel || !organisation) throw fromOrderFlowError(missingEntity("channel", channel))
  if (!allowedChannel(ctx.user, channel)) throw unauthorized(ctx.user, "channel", channel)
  if (!allowedOrganisation(ctx.user, organisation)) throw unauthorized(ctx.user, "organisation", organisation)

  const existingOrder = warehouse.order(reference)
  // "Orders and their associated order lines and shipments cannot be updated
  // using the merge operation": an existing reference is a duplicate.
  if (existingOrder && operation !== "reinsert") throw duplicate("order", reference)

  // Product definitions carried by the order (product.M.*): created with insert,
  // created-or-updated with merge (seed 002, "Merging orders with product definitions").
  const definitions = new Map<number, ProductDefinition>()
  for (const [m, defValues] of indexed(values, "product")) {
    const defRef = defValues.get("externalReference")
    if (!defRef) throw invalid(`Property 'product.${m}.externalReference' is required`)
    const existing = warehouse.product(defRef)
    if (existing && operation === "insert") {
      // With insert the product is inserted too, so a known product makes the
      // whole order a duplicate; the merge operation exists for this case.
      throw duplicate("product", defRef)
    }
    if (existing && existing.organisation !== organisation) throw fromOrderFlowError(missingEntity("product", defRef))
    validateProductValues(defValues, `product.${m}.`, !existing)
    definitions.set(m, { reference: defRef, values: defValues, existing })
  }
  const defined = new Map([...definitions.values()].map((d) => [d.reference, d]))

  const lines: NewOrderLine[] = []
  for (const [n, lineValues] of indexed(values, "orderLine")) {
    let sku = lineValues.get("product.externalReference")
    const entityRef = lineValues.get("product")
    if (!sku && entityRef) {
      const m = /^entity:product\.(\d+)$/.exec(entityRef.trim())
      const def = m ? definitions.get(Number(m[1])) : undefined
      if (!def) throw fromOrderFlowError(new OrderFlowError(EXCEPTIONS.importMissingData, `Unable to find any entity associated with identifier: ${entityRef}`))
      sku = def.reference
    }
    if (!sku) throw invalid(`Order line ${n} has no product (orderLine.${n}.product.externalReference)`)
    const product = warehouse.product(sku)
    const def = defined.get(sku)
    if (!def && (!product || product.organisation !== organisation)) throw fromOrderFlowError(missingEntity("product", sku))
    const activated = def ? (asBoolean(def.values.get("activated")) ?? product?.activated ?? true) : product!.activated
    if (!activated) throw invalid(`Product '${sku}' is not activated`)

    const quantityText = lineValues.get("quantity")
    if (quantityText === undefined || !/^\d+$/.test(quantityText.trim()) || Number(quantityText) <= 0) {
      throw invalid(`Invalid quantity '${quantityText ?? ""}' for order line ${n} (orderLine.${n}.quantity must be a positive integer)`)
    }
    const shipmentRef = lineValues.get("shipment")
    if (shipmentRef && shipmentRef.trim() !== "entity:shipment") {
      throw invalid(`orderLine.${n}.shipment='${shipmentRef}': the simulator supports one shipment per order (entity:shipment)`)
    }
    checkValues(lineValues, `orderLine.${n}.`, LINE_NUMBERS, [])
    lines.push({
      line: n,
      product: sku,
      quantity: Number(quantityText),
      thirdPartyReference: lineValues.get("thirdPartyReference") ?? "",
      fields: toRecord(lineValues),
    })
  }
  if (lines.length === 0) throw invalid(`Order '${reference}' has no order lines; at least one orderLine.N is required`)

  const shipmentValues = prefixed(values, "shipment")
  checkValues(shipmentValues, "shipment.", SHIPMENT_NUMBERS, [])
  const earliest = shipmentValues.get("earliestShipDate")?.trim()
  if (earliest && !parseOrderFlowDate(earliest)) {
    throw invalid(`Invalid date '${earliest}' for property 'shipment.earliestShipDate' (expected yyyy-MM-dd)`)
  }

  const orderValues = new Map([...values].filter(([k]) => !/^(shipment|orderLine|orderAttribute|product)\./.test(k)))
  checkValues(orderValues, "", ORDER_NUMBERS, ORDER_BOOLEANS, ORDER_DATES)
  const attributes = [...indexed(values, "orderAttribute").values()].map((a) => ({
    name: a.get("name") ?? "",
    title: a.get("title") ?? "",
    value: a.get("value") ?? "",
  }))

  if (existingOrder) {
    // reinsert: "cancel (if necessary) an existing order and reinsert a new order
    // with the same reference ... if the order cannot be cancelled, then the
    // import will be rejected and the order will be left unchanged."
    try {
      warehouse.cancelOrder(existingOrder, true)
    } catch (e) {
      if (e instanceof OrderFlowError) throw fromOrderFlowError(e)
      throw e
    }
  }

  for (const def of definitions.values()) applyProductDefinition(warehouse, def, organisation)
  warehouse.insertOrder(
    {
      externalReference: reference,
      channel,
      organisation,
      fields: toRecord(orderValues),
      attributes,
      shipment: {
        reference: shipmentValues.get("externalReference")?.trim() || undefined,
        state: shipmentValues.get("state")?.trim(),
        earliestShipDate: earliest ? earliest.slice(0, 10) : undefined,
        fields: toRecord(shipmentValues),
      },
      lines,
    },
    ctx.receivedAt
  )
  return javaIdentity(ENTITY.order, ctx.prng)
}

/**
 * A return item (seed 002, "Returns Import"): return.* and returnLine.N.*,
 * insert only, on /remotewarehouse with the organisation header. Validated
 * whole before it is stored: the organisation and site must exist, the order
 * (when orderReference is given) must be the organisation's and hold every
 * returned product, each line needs a known product and a positive whole
 * quantity, and an authorisation already used is a duplicate.
 */
function importReturn(warehouse: Warehouse, values: Map<string, string>, ctx: ImportContext, operation: string): string {
  if (operation !== "insert") throw invalid(`Unsupported operation '${operation}' for return imports (insert)`)
  if (ctx.endpoint !== "remotewarehouse") throw invalid("Returns are imported through /remotewarehouse/imports/importitems.xml")
  const r = prefixed(values, "return")
  const organisation = r.get("organisation")?.trim() || ctx.organisation
  if (!organisation || !warehouse.knowsOrganisation(organisation)) throw fromOrderFlowError(missingEntity("organisation", organisation))
  if (!allowedOrganisation(ctx.user, organisation)) throw unauthorized(ctx.user, "organisation", organisation)
  if (ctx.organisation && organisation !== ctx.organisation) {
    throw invalid(`return.organisation '${organisation}' does not match the organisation header '${ctx.organisation}'`)
  }
  const orderReference = r.get("orderReference")?.trim() ?? ""
  const authorisation = r.get("authorisation")?.trim() ?? ""
  if (!orderReference && !authorisation) throw invalid("Property 'return.authorisation' is required when no 'return.orderReference' is given")
  const order = orderReference ? warehouse.order(orderReference) : undefined
  if (orderReference && (!order || order.organisation !== organisation)) throw fromOrderFlowError(missingEntity("order", orderReference))
  const site = r.get("site")?.trim() || warehouse.defaultSite
  if (!warehouse.sites.includes(site)) throw fromOrderFlowError(missingEntity("site", site))
  checkValues(r, "return.", [], ["authorised"], ["returnDate"])
  if (authorisation && [...warehouse.state.returns.values()].some((x) => x.authorisation === authorisation)) throw duplicate("return", authorisation)

  const lines: ReturnLine[] = []
  for (const [n, lineValues] of indexed(values, "returnLine")) {
    const product = lineValues.get("product")?.trim()
    if (!product) throw invalid(`Return line ${n} has no product (returnLine.${n}.product)`)
    const known = warehouse.product(product)
    if (!known || known.organisation !== organisation) throw fromOrderFlowError(missingEntity("product", product))
    const quantityText = lineValues.get("quantity")?.trim() ?? ""
    if (!/^\d+$/.test(quantityText) || Number(quantityText) <= 0) {
      throw invalid(`Invalid quantity '${quantityText}' for return line ${n} (returnLine.${n}.quantity must be a positive integer)`)
    }
    const returnItem = lineValues.get("returnItem")?.trim()
    if (returnItem !== undefined && returnItem !== "return") throw invalid(`returnLine.${n}.returnItem='${returnItem}': must be 'return'`)
    if (order && !order.shipments.some((s) => s.lines.some((l) => l.product === product))) {
      throw invalid(`Product '${product}' of return line ${n} is not on order '${order.externalReference}'`)
    }
    lines.push({
      line: n,
      product,
      quantity: Number(quantityText),
      reason: lineValues.get("reason")?.trim() ?? "",
      condition: lineValues.get("condition")?.trim() ?? "",
      state: "created",
      returnCondition: "",
      note: lineValues.get("note")?.trim() ?? "",
    })
  }
  if (lines.length === 0) throw invalid("The return has no return lines; at least one returnLine.N is required")

  const counters = warehouse.state.counters
  counters.returnId = (counters.returnId ?? 0) + 1
  warehouse.state.returns.set(counters.returnId, {
    id: counters.returnId,
    organisation,
    site,
    orderReference,
    originatingOrderReference: order?.originalReference ?? "",
    authorisation,
    authorised: asBoolean(r.get("authorised")) ?? false,
    type: r.get("type")?.trim() || "unknown",
    note: r.get("note") ?? "",
    returnDate: r.get("returnDate")?.trim() || formatDateTime(ctx.receivedAt),
    state: "created",
    createdAt: ctx.now().toISOString(),
    fields: toRecord(r),
    lines,
  })
  warehouse.onChange()
  return javaIdentity(ENTITY.return, ctx.prng)
}

/** Applies every item of an <imports> document in order and reports each. */
export function applyImports(warehouse: Warehouse, items: RawImport[], ctx: ImportContext): ImportOutcome[] {
  return warehouse.withDeferredAllocation(() => items.map((item) => {
    const type = item.attributes.type
    const operation = item.attributes.operation
    const base = { type, operation, externalReference: item.attributes.externalReference }
    try {
      const { values, invalidLines } = parseProperties(item.text)
      if (invalidLines.length > 0) throw invalid(`Unable to parse property line '${invalidLines[0]}' (expected key=value)`)
      if (!operation) throw invalid("No operation supplied (insert, update or merge)")
      if (ctx.strict && (type === "product" || type === "order")) {
        const problem = strictImportProblem(type, values, ctx.strict)
        if (problem) throw invalid(problem)
      }
      let identity: string
      if (type === "product") identity = importProduct(warehouse, item, values, ctx, operation)
      else if (type === "order") identity = importOrder(warehouse, item, values, ctx, operation)
      else if (type === "return") identity = importReturn(warehouse, values, ctx, operation)
      else throw invalid(`Import type '${type ?? ""}' is not supported by the OrderFlow simulator (product, order and return are)`)
      return {
        ...base,
        externalReference: base.externalReference ?? values.get("externalReference"),
        kind: "success",
        entity: identity.slice(0, identity.indexOf("@")),
        item: identity,
        queryTime: ctx.now(),
      }
    } catch (e) {
      if (e instanceof ItemFailure) {
        return { ...base, kind: e.kind, message: e.message, exception: e.exception, queryTime: ctx.now() }
      }
      throw e
    }
  }))
}
