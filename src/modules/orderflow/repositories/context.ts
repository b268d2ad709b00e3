import { Knex } from "@medusajs/framework/mikro-orm/knex"
import { Context } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"

/**
 * The query builder every repository statement runs on: the caller's
 * transaction when the service opened one (so the statements of one service
 * call commit or roll back together), the module's connection otherwise.
 * Repositories never open transactions themselves; the service decides.
 */
export function knexOf(sharedContext: Context): Knex {
  const manager = (sharedContext.transactionManager ?? sharedContext.manager) as
    | { getTransactionContext(): Knex.Transaction | undefined; getKnex(): Knex }
    | undefined
  if (!manager) {
    throw new MedusaError(
      MedusaError.Types.UNEXPECTED_STATE,
      "orderflow repositories need the service's shared context (@InjectManager / @InjectTransactionManager)"
    )
  }
  return manager.getTransactionContext() ?? manager.getKnex()
}
