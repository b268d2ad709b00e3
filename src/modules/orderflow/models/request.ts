import { model } from "@medusajs/framework/utils"
import { REQUEST_STATUSES, REQUEST_TYPES } from "../../../types/statuses"

/**
 * One inbound message from OrderFlow (inventory update or despatch
 * notification), stored before it is acknowledged and processed later.
 * `dedupe_key` identifies the message ("inventory:71"); only one non-duplicate
 * row may hold a key, so a re-delivery, even a racing one, becomes a row with
 * status `duplicate` and is never applied twice.
 */
const OrderflowRequest = model
  .define("orderflow_request", {
    id: model.id({ prefix: "ofreq" }).primaryKey(),
    type: model.enum([...REQUEST_TYPES]),
    message_seq_id: model.number().nullable(),
    dedupe_key: model.text(),
    // Despatches: what identifies the parcel whichever way it came (push or poll; src/lib/inbound despatchParcelKey).
    parcel_key: model.text().nullable(),
    // How it came: rest-json, rest-xml, rest-soap, soap-m2, soap-m1, poll, drift (README "Check the first pushes").
    kind: model.text().nullable(),
    // The first request of its type and kind: kept verbatim (never cleaned), to check what OrderFlow really sends.
    first_of_kind: model.boolean().default(false),
    status: model.enum([...REQUEST_STATUSES]).default("pending"),
    content_type: model.text(),
    body: model.text().nullable(),
    body_bytes: model.number().default(0),
    // The message as validated at intake, so processing never re-parses.
    payload: model.json().nullable(),
    line_count: model.number().default(0),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime().nullable(),
    claimed_until: model.dateTime().nullable(),
    claimed_by: model.text().nullable(),
    received_at: model.dateTime(),
    processed_at: model.dateTime().nullable(),
    error: model.text().nullable(),
    duplicate_of_id: model.text().nullable(),
    import_id: model.text().nullable(),
    remote_address: model.text().nullable(),
    // Who closed a dead letter (POST /admin/orderflow/requests/:id/resolve) and when.
    resolved_at: model.dateTime().nullable(),
    resolved_by: model.text().nullable(),
  })
  .indexes([
    { on: ["dedupe_key"], unique: true, where: "deleted_at IS NULL AND status <> 'duplicate'" },
    { on: ["type", "status", "message_seq_id"], where: "deleted_at IS NULL" },
    { on: ["received_at"], where: "deleted_at IS NULL" },
    { on: ["parcel_key"], where: "deleted_at IS NULL AND parcel_key IS NOT NULL" },
    // The intake's "first of its type and kind?" check is one index probe, not a scan.
    { on: ["type", "kind"], where: "deleted_at IS NULL AND kind IS NOT NULL" },
  ])

export default OrderflowRequest
