import { model } from "@medusajs/framework/utils"
import { EXPORT_ENTITY_TYPES, EXPORT_ITEM_STATUSES, ORDER_CHANGE_KINDS, ORDER_EDIT_STATUSES } from "../../../types/statuses"

/**
 * Export state of one thing OrderFlow must know about: a stock-keeping unit
 * (entity_type `product`, entity_id = the inventory item, reference = SKU) or
 * an order (entity_type `order`, entity_id = order id, reference = the
 * externalReference sent), or a claim or exchange shipping new items (entity_type
 * `order`, entity_id = the claim or exchange, reference = `<order ref>-C1`/`-X1`,
 * order_id and change_kind set: OrderFlow gets it as an order of its own). DESIGN.md section 5:
 * pending -> queued -> exported | failed; cancelled for sent cancellations.
 */
const OrderflowExportItem = model
  .define("orderflow_export_item", {
    id: model.id({ prefix: "ofexi" }).primaryKey(),
    entity_type: model.enum([...EXPORT_ENTITY_TYPES]),
    entity_id: model.text(),
    reference: model.text(),
    variant_id: model.text().nullable(),
    product_id: model.text().nullable(),
    status: model.enum([...EXPORT_ITEM_STATUSES]).default("pending"),
    // Why an item is not sent (virtual variant, gift card, only digital items...).
    skip_reason: model.text().nullable(),
    // false once the product was deleted in Medusa: exported as activated=false.
    activated: model.boolean().default(true),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime().nullable(),
    queued_at: model.dateTime().nullable(),
    // The run holding the item while queued, and until when (renewed while it works).
    claimed_by: model.text().nullable(),
    claimed_until: model.dateTime().nullable(),
    changed_at: model.dateTime().nullable(),
    exported_at: model.dateTime().nullable(),
    // First send whose call failed as a whole since the last confirmation: OrderFlow may have the item since then.
    unconfirmed_sent_at: model.dateTime().nullable(),
    // When the call now carrying the item started (set just before it, cleared when it settles): a run
    // that dies during the call leaves it, and its claim's expiry turns it into unconfirmed_sent_at.
    send_started_at: model.dateTime().nullable(),
    last_error: model.text().nullable(),
    last_export_id: model.text().nullable(),
    // Order cancellation towards OrderFlow: null | pending | sent | refused | not_found | withdrawn.
    cancel_status: model.text().nullable(),
    cancel_attempts: model.number().default(0),
    cancel_next_attempt_at: model.dateTime().nullable(),
    cancel_error: model.text().nullable(),
    cancelled_at: model.dateTime().nullable(),
    // The last change to the exported order (edit, new address) towards OrderFlow: synced | refused | blocked.
    edit_status: model.enum([...ORDER_EDIT_STATUSES]).nullable(),
    edit_message: model.text().nullable(),
    edit_at: model.dateTime().nullable(),
    // The Medusa order version OrderFlow's copy reflects once a change is synced: an edit
    // confirmed without passing the admin route (newer version) is caught by its event.
    synced_order_version: model.number().nullable(),
    // Fingerprint of the delivery/invoice address and email OrderFlow last got through a change
    // (address edits do not move Medusa's order version): a later order.updated with other details is re-sent.
    synced_contact_hash: model.text().nullable(),
    // A claim or exchange sent as its own order: the Medusa order it belongs to, and which kind it is.
    order_id: model.text().nullable(),
    change_kind: model.enum([...ORDER_CHANGE_KINDS]).nullable(),
  })
  .indexes([
    { on: ["entity_type", "entity_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["entity_type", "status", "next_attempt_at"], where: "deleted_at IS NULL" },
    // The claim's order over the rows it may take: with it a claim reads its batch off the
    // index instead of sorting every due row, so its cost stays flat as the queue grows (at
    // 100,000 queued SKUs the sort made a claim 3x slower than at 20,000; issue 17).
    { on: ["entity_type", "changed_at", "id"], where: "deleted_at IS NULL AND status IN ('pending', 'failed')" },
    { on: ["entity_type", "reference"], where: "deleted_at IS NULL" },
    { on: ["entity_type", "cancel_status"], where: "deleted_at IS NULL AND cancel_status IS NOT NULL" },
    { on: ["order_id"], where: "deleted_at IS NULL AND order_id IS NOT NULL" },
  ])

export default OrderflowExportItem
