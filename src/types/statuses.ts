/**
 * Every state, kind and outcome the plugin records, defined once. Models
 * (`model.enum(...)`), validators (`z.enum(...)`), the admin pages and the
 * tests import these lists; nothing else spells them out.
 *
 * Framework-free on purpose: `src/lib` and the admin bundle import it too.
 */

/** What an export queue row stands for (seed 000 "Magento Workflow"). */
export const EXPORT_ENTITY_TYPES = ["product", "order"] as const
export type ExportEntityType = (typeof EXPORT_ENTITY_TYPES)[number]

/** A claim or exchange whose new items travel to OrderFlow as an order of their own (`<ref>-C1`, `<ref>-X1`). */
export const ORDER_CHANGE_KINDS = ["claim", "exchange"] as const
export type OrderChangeKind = (typeof ORDER_CHANGE_KINDS)[number]

/**
 * Export queue row: pending (changed or eligible, waiting) → queued (in a
 * batch, in flight) → exported, or failed (retries exhausted); cancelled for
 * orders whose cancellation was handled; skipped for what is never sent
 * (virtual, gift card, no SKU).
 */
export const EXPORT_ITEM_STATUSES = ["pending", "queued", "exported", "failed", "cancelled", "skipped"] as const
export type ExportItemStatus = (typeof EXPORT_ITEM_STATUSES)[number]

/** An order's cancellation towards OrderFlow (seed 002 cancel.xml). */
/**
 * pending (to send) → sent | not_found (OrderFlow never had it) | withdrawn
 * (never sent); refused: Medusa cancelled but OrderFlow declined (the
 * after-the-fact path, alerted); vetoed: an admin cancel OrderFlow declined
 * before Medusa cancelled anything (the order stays open in both).
 */
export const CANCEL_STATUSES = ["pending", "sent", "refused", "not_found", "withdrawn", "vetoed"] as const
export type CancelStatus = (typeof CANCEL_STATUSES)[number]

/** How one item of an `<imports>` call ended, read from the importResult. */
export const EXPORT_LINE_OUTCOMES = ["success", "duplicate", "failure", "missing"] as const
export type ExportLineOutcome = (typeof EXPORT_LINE_OUTCOMES)[number]

/** One outbound call or one processed inbound message as a whole. */
export const CALL_STATUSES = ["success", "partial", "failed"] as const
export type CallStatus = (typeof CALL_STATUSES)[number]

/** What an outbound call (one export log row) was for: batch exports and the per-order calls. */
export const EXPORT_CALL_OPERATIONS = [
  "product_export",
  "order_export",
  "order_cancel",
  "order_hold",
  "order_release",
  "order_line_cancel",
  "order_reinsert",
  "return_import",
] as const
export type ExportCallOperation = (typeof EXPORT_CALL_OPERATIONS)[number]

/** Inbound message kinds (seed 000: inventory and shipment import). */
export const REQUEST_TYPES = ["inventory", "shipment"] as const
export type RequestType = (typeof REQUEST_TYPES)[number]

/**
 * Inbound message: stored pending → processing (claimed) → processed |
 * processed_with_errors (applied where it could be, at least one line
 * `failed`) | failed (a dead letter: never applied, kept until an admin
 * resolves it) → resolved (closed by an admin; log cleaning may then delete
 * it); re-deliveries are duplicate.
 */
export const REQUEST_STATUSES = ["pending", "processing", "processed", "failed", "duplicate", "processed_with_errors", "resolved"] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]

/**
 * The inbound messages "process now" may run again. processed_with_errors
 * is one: running it again only applies what failed (the stale check skips
 * lines already applied, a despatch finds its fulfilment), so an admin who
 * fixed the cause re-runs it; nothing re-runs it automatically. Processed,
 * duplicate and resolved ones are never re-applied.
 */
export const PROCESSABLE_REQUEST_STATUSES = ["pending", "failed", "processed_with_errors"] as const satisfies readonly RequestStatus[]

/** Settled requests log cleaning may delete after historyDays; failed ones (dead letters) wait for an admin to resolve them. */
export const CLEANABLE_REQUEST_STATUSES = ["processed", "processed_with_errors", "duplicate", "resolved"] as const satisfies readonly RequestStatus[]

/** Line outcomes that make a processed message processed_with_errors (unknown_sku is not one: see README "Inventory import"). */
export const FAILED_LINE_OUTCOMES = ["failed"] as const

/** One SKU line of a stock message, or one item of a despatch. */
export const IMPORT_LINE_OUTCOMES = ["applied", "stale", "unknown_sku", "failed", "shipped", "duplicate"] as const
export type ImportLineOutcome = (typeof IMPORT_LINE_OUTCOMES)[number]

/** The scheduled operations (seed 000), each one workflow. */
export const OPERATIONS = ["product_export", "order_export", "inventory_import", "shipment_import", "log_cleaning", "returns", "shipment_poll", "stock_drift"] as const
export type OperationName = (typeof OPERATIONS)[number]

/**
 * A difference between OrderFlow's pulled figure and Medusa's level (the
 * drift report): open while it is seen → accepted (OrderFlow's figure sent
 * through the inventory import) | ignored (by an admin) | resolved (a later
 * report found the two equal again).
 */
export const STOCK_DRIFT_STATUSES = ["open", "accepted", "ignored", "resolved"] as const
export type StockDriftStatus = (typeof STOCK_DRIFT_STATUSES)[number]

/** What an admin sequence reset cleared: one SKU (at one or every location), one location, or every stored id. */
export const SEQUENCE_RESET_SCOPES = ["sku", "location", "sku_location", "all"] as const
export type SequenceResetScope = (typeof SEQUENCE_RESET_SCOPES)[number]

/** How the last run of an operation ended. */
export const OPERATION_RUN_STATUSES = ["success", "failed"] as const
export type OperationRunStatus = (typeof OPERATION_RUN_STATUSES)[number]

/** What started a run: the scheduler's cron, a person (admin "run now", manual export), or a Medusa event (order cancelled). */
export const OPERATION_TRIGGERS = ["schedule", "manual", "event"] as const
export type OperationTrigger = (typeof OPERATION_TRIGGERS)[number]

/** Inventory import's "Adjust Inventory" setting (seed 000). */
export const ADJUST_INVENTORY = ["none", "unsent_orders", "unsent_orders_and_active_carts"] as const
export type AdjustInventory = (typeof ADJUST_INVENTORY)[number]

/** Outcome of a hold/release/cancel call for one order, as the admin shows it. */
export const ORDER_ACTION_OUTCOMES = ["done", "refused", "failed"] as const
export type OrderActionOutcome = (typeof ORDER_ACTION_OUTCOMES)[number]

/**
 * What an incident is about: the circuit to an OrderFlow endpoint is open
 * (unreachable), a permanent failure blocks an endpoint (credentials, URL),
 * items fail for good with the same cause, lines of stored messages fail
 * with the same cause (line_failures), or stored messages fail for good with
 * the same cause (dead_letters).
 */
export const INCIDENT_KINDS = ["circuit_open", "permanent", "item_failures", "line_failures", "dead_letters", "alarm"] as const
export type IncidentKind = (typeof INCIDENT_KINDS)[number]

/** An incident is open until its cause goes away (or an admin closes it), then closed; the next occurrence opens a new one. */
export const INCIDENT_STATUSES = ["open", "closed"] as const
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number]

/**
 * How the last change to an exported order (an order edit, new delivery or
 * contact details) reached OrderFlow: synced (line cancellation or reinsert
 * accepted), refused (OrderFlow declined; at the admin route the change was
 * refused too), blocked (Medusa changed the order but OrderFlow could not be
 * told: an administrator must act; alerted once).
 */
export const ORDER_EDIT_STATUSES = ["synced", "refused", "blocked"] as const
export type OrderEditStatus = (typeof ORDER_EDIT_STATUSES)[number]

/**
 * A Medusa return towards OrderFlow (seed 002 "Returns Import"): recorded
 * pending → sent (OrderFlow accepted it, or already had it) → received
 * (OrderFlow applied it and Medusa received the items); failed when
 * OrderFlow refused it (importFailures) after the retry budget, or when a
 * receipt could not be applied; skipped (with the reason) for orders
 * OrderFlow never had.
 */
export const RETURN_STATUSES = ["pending", "sent", "received", "failed", "skipped"] as const
export type ReturnStatus = (typeof RETURN_STATUSES)[number]

/** An applied return read from OrderFlow (seed 002 "Applied Returns Per Time Period"), processed once by its id. */
export const APPLIED_RETURN_STATUSES = ["received", "unmatched", "failed"] as const
export type AppliedReturnStatus = (typeof APPLIED_RETURN_STATUSES)[number]

/** What OrderFlow's return condition means for stock. */
export const RESTOCK_ACTIONS = ["restock", "damaged"] as const
export type RestockActionName = (typeof RESTOCK_ACTIONS)[number]
