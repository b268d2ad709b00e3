import { model } from "@medusajs/framework/utils"

/**
 * A credential the SOAP faces handed out (README "SOAP connectors"): a
 * Magento 2 admin token (`face` m2, fixed lifetime) or a Magento 1 session id
 * (`face` m1, idle expiry, extended on use). Only the SHA-256 of the token is
 * stored, so a database read gives nothing to replay.
 */
const OrderflowApiSession = model
  .define("orderflow_api_session", {
    id: model.id({ prefix: "ofses" }).primaryKey(),
    face: model.enum(["m2", "m1"]),
    token_hash: model.text(),
    username: model.text(),
    expires_at: model.dateTime(),
    last_used_at: model.dateTime().nullable(),
    ended_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["token_hash"], unique: true, where: "deleted_at IS NULL" },
    { on: ["expires_at"], where: "deleted_at IS NULL" },
  ])

export default OrderflowApiSession
