// Typed values of the messages OrderFlow pushes to the store (DESIGN §3).
// Produced only by the parsers in this folder; everything downstream trusts them.

/** How a message arrived, and therefore how it is acknowledged. */
export type InboundFormat = "json" | "xml" | "soap"

export type InboundLimits = {
  /** Largest accepted body in bytes (UTF-8). Default 5 MiB. */
  maxBytes?: number
  /** Most entries accepted in any one list of a message (productQtys, skuQty, …). Default 10,000. */
  maxLines?: number
  /**
   * OrderFlow's time zone (IANA, setting `api.timeZone`): zone-less times in
   * a message are its wall-clock time. Default UTC.
   */
  timeZone?: string
}

export const DEFAULT_INBOUND_LIMITS: Readonly<Required<Pick<InboundLimits, "maxBytes" | "maxLines">>> = Object.freeze({
  maxBytes: 5 * 1024 * 1024,
  maxLines: 10_000,
})

export type InventoryLine = {
  /** Position of the quantity entry in the message, from 0 (productQtys[index] / skusQty[index]). */
  index: number
  /** Exactly as sent: "00123" stays "00123". */
  sku: string
  /** Available quantity; may be negative (OrderFlow sends negative availability). */
  qty: number
  /** OrderFlow's product inventory record id; a line is stale unless it is above the last applied one. */
  seq: number
  /** OrderFlow site the figure is for; null for the default/global figure. */
  source: string | null
  /** ISO 8601 UTC timestamp of the last order OrderFlow took into account, if sent (a zone-less value read in OrderFlow's zone). */
  lastOrderExported: string | null
}

export type InventoryUpdate = {
  messageSeqId: number
  /** In message order; duplicate SKUs are kept as separate lines (processing keeps the highest seq). */
  lines: InventoryLine[]
  format: InboundFormat
  /**
   * Only on a message the store built from OrderFlow's pulled figure (the
   * drift report's accept): a line whose id equals the applied one is
   * applied again. Never set by intake, so a pushed message cannot carry it.
   */
  reapply?: boolean
}

export type DespatchLine = {
  /** Position in skuQty, from 0. */
  index: number
  sku: string
  /** Units despatched, at least 1. */
  qty: number
}

export type DespatchNotification = {
  messageSeqId: number | null
  orderIncrementId: string
  lines: DespatchLine[]
  /** `trackingNumber` then each `tracks[].trackingNumber`: trimmed, empties dropped, de-duplicated, in order. */
  trackingNumbers: string[]
  courierName: string | null
  serviceName: string | null
  /** Verbatim (≤ 4000 characters); escape it when displaying. */
  comment: string | null
  /** Notify the customer (default false when absent). */
  email: boolean
  /** Include the comment in the customer notification (default false when absent). */
  includeComment: boolean
  /** ISO 8601 UTC. */
  dateShipped: string | null
  source: string | null
  format: InboundFormat
}
