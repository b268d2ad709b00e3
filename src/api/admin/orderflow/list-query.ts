import { z } from "@medusajs/framework/zod"
import { MedusaError } from "@medusajs/framework/utils"

/** limit/offset as Medusa's own admin lists take them, plus the route's filters. */
export function listQuery<T extends z.ZodRawShape>(filters: T) {
  return z.strictObject({
    limit: z.coerce.number().int().min(1).max(500).default(20),
    offset: z.coerce.number().int().min(0).default(0),
    ...filters,
  })
}

export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const parsed = schema.safeParse(query)
  if (!parsed.success) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; ")
    )
  }
  return parsed.data
}

/** Drops filters that were not given: an undefined filter would match every row. */
export function definedFilters(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ""))
}
