// The simulated warehouse's records. Field names follow OrderFlow's
// (seed 002): externalReference, despatchReference, earliestShipDate, ...

/** Shipment states (seed 002, "Order Detail Pull"), plus cancelled. */
export const SHIPMENT_STATES = [
  "created",
  "ready",
  "allocated",
  "on_hold",
  "picked",
  "packed",
  "despatched",
  "cancelled",
] as const
export type ShipmentState = (typeof SHIPMENT_STATES)[number]

/** Order line states (seed 002), plus despatched and cancelled. */
export type OrderLineState =
  | "created"
  | "allocated"
  | "picked"
  | "out-of-stock"
  | "packed"
  | "despatched"
  | "cancelled"

/** Order states: created, despatched (seed 002); cancelled and on_hold are the simulator's additions. */
export type OrderState = "created" | "on_hold" | "despatched" | "cancelled"

/**
 * Ids of a product's inventory record. Every stock change creates a new
 * record with the next id from one global counter (seed 000, "Handling
 * Inventory Duplicates": the id is sent as the per-SKU sequence id).
 */
export interface InventoryRecordIds {
  inventoryId: number
  /** Id of the last record caused by a stock change (receipt, adjustment, despatch). */
  lastStockChangeId: number
  /** Id of the last record caused by an order line requirement change (import, cancel, despatch). */
  lastLineRequirementChangeId: number
  /** When the current record was created (ISO). */
  changedAt: string
}

/** Stock of one product at one site. available = total - damaged - quarantined - inspection - allocated. */
export interface StockRecord extends InventoryRecordIds {
  site: string
  total: number
  damaged: number
  quarantined: number
  inspection: number
  /** Reported by the inventory pull only; not subtracted from available. */
  frozen: number
  /**
   * Units required by open order lines at this site ("the stock quantity
   * associated with open (unfulfilled) orders", seed 000). It counts the whole
   * requirement, not only what could be physically reserved, which is why
   * available may be negative.
   */
  allocated: number
}

export interface Product {
  externalReference: string
  organisation: string
  description: string
  type: string
  activated: boolean
  /** Every imported property as received (last value wins). */
  fields: Record<string, string>
  createdAt: string
  updatedAt: string
  /** By site reference. */
  stock: Record<string, StockRecord>
  /** The cross-site ("global") record; only kept when more than one site is configured. */
  global?: InventoryRecordIds
}

export interface OrderLine {
  /** The N of orderLine.N. */
  line: number
  product: string
  quantity: number
  state: OrderLineState
  thirdPartyReference: string
  fields: Record<string, string>
}

export interface PackageLine {
  product: string
  quantity: number
}

export interface Package {
  despatchReference: string
  lines: PackageLine[]
}

export interface Shipment {
  reference: string
  orderReference: string
  /** 1 for the imported shipment; the remainder of a partial despatch gets the next one. */
  sequence: number
  state: ShipmentState
  /** The state to go back to on release (seed 002, "Release Order"). */
  preHoldState?: ShipmentState
  site: string
  earliestShipDate: string
  createdAt: string
  updatedAt: string
  lines: OrderLine[]
  packages: Package[]
  carrier?: string
  service?: string
  despatchReference?: string
  /** The despatch time (dateShipped), ISO. */
  completedAt?: string
  /** The shipment.* properties as imported. */
  fields: Record<string, string>
}

export interface OrderAttribute {
  name: string
  title: string
  value: string
}

export interface Order {
  externalReference: string
  /** The reference the order was imported under (differs after cancelChangesExternalReference). */
  originalReference: string
  channel: string
  organisation: string
  state: OrderState
  cancelled: boolean
  receivedAt: string
  /** Order-level properties as imported (everything not under shipment./orderLine./orderAttribute./product.). */
  fields: Record<string, string>
  attributes: OrderAttribute[]
  shipments: Shipment[]
}

export interface Counters {
  /** Last inventory record id handed out (global across products and sites). */
  inventoryRecordId: number
  /** Last messageSeqId used by a push message (one counter for inventory and shipment messages). */
  messageSeqId: number
  /** When the last successful order import was received (ISO); lastOrderExported in inventory pushes. */
  lastOrderImportAt?: string
  /** Inventory record id covered by the last incremental push. */
  incrementalWatermark: number
  /** Renames made by cancelChangesExternalReference, to keep new references unique. */
  cancelledRenames: number
  /** Last return id handed out (absent in state files written before returns existed). */
  returnId?: number
}

/** A return line (seed 002 "Returns Import": returnLine.N.*). */
export interface ReturnLine {
  line: number
  product: string
  quantity: number
  reason: string
  /** The condition given on import. */
  condition: string
  state: "created" | "applied"
  /** The condition recorded when the return was applied ("" when none was recorded). */
  returnCondition: string
  note: string
}

/** A return item imported through importitems.xml type="return"; applied from the control API. */
export interface ReturnItem {
  /** OrderFlow's id (one counter). */
  id: number
  organisation: string
  site: string
  /** return.orderReference as imported ("" when none). */
  orderReference: string
  /** The referenced order's original reference (originatingOrderReference), "" without an order. */
  originatingOrderReference: string
  authorisation: string
  authorised: boolean
  type: string
  note: string
  /** return.returnDate as imported (yyyy-MM-dd HH:mm:ss), else the import time. */
  returnDate: string
  state: "created" | "applied"
  createdAt: string
  completedAt?: string
  fields: Record<string, string>
  lines: ReturnLine[]
}

export interface WarehouseState {
  products: Map<string, Product>
  orders: Map<string, Order>
  /** By id. */
  returns: Map<number, ReturnItem>
  counters: Counters
}

export interface OrganisationConfig {
  reference: string
  channels: string[]
}

export interface SimulatorUser {
  user: string
  password: string
  /** When set, the only channels this user may use (others: UnauthorizedDataAccessException). */
  channels?: string[]
  /** When set, the only organisations this user may use. */
  organisations?: string[]
}
