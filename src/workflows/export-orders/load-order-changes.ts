import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { outboundItems, SourceOrderChange } from "../../lib/order-export"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService from "../../modules/orderflow/service"
import type { OrderChangeKind } from "../../types"

// Claims and exchanges through Medusa's Query (entities order_claim and
// order_exchange), with their outbound items: a fixed number of queries per
// set of ids, like load-order-facts.ts. Their outbound items exist once the
// claim or exchange is confirmed (Medusa creates OrderClaimItem and
// OrderExchangeItem rows then); before that they ship nothing.

const CHUNK = 500

const ENTITIES: ReadonlyArray<{ kind: OrderChangeKind; entity: string; fields: string[] }> = [
  {
    kind: "claim",
    entity: "order_claim",
    fields: ["id", "order_id", "created_at", "canceled_at", "additional_items.item_id", "additional_items.quantity", "additional_items.is_additional_item"],
  },
  { kind: "exchange", entity: "order_exchange", fields: ["id", "order_id", "created_at", "canceled_at", "additional_items.item_id", "additional_items.quantity"] },
]

type RawChange = {
  id: string
  order_id: string
  created_at: string | Date
  canceled_at?: string | Date | null
  additional_items?: Array<{ item_id?: string | null; quantity?: unknown; is_additional_item?: boolean | null } | null> | null
}

function toChange(kind: OrderChangeKind, raw: RawChange): SourceOrderChange {
  return { id: raw.id, kind, order_id: raw.order_id, created_at: raw.created_at, canceled_at: raw.canceled_at ?? null, items: outboundItems(kind, raw.additional_items) }
}

/** Claims and exchanges by their ids, or all of some orders' (`by: "order_id"`), oldest first. */
export async function loadOrderChanges(container: MedusaContainer, ids: string[], by: "id" | "order_id" = "id"): Promise<SourceOrderChange[]> {
  const unique = [...new Set(ids)]
  if (!unique.length) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  // Claims and exchanges at once: two independent reads.
  const perKind = await Promise.all(
    ENTITIES.map(async ({ kind, entity, fields }) => {
      const changes: SourceOrderChange[] = []
      for (let i = 0; i < unique.length; i += CHUNK) {
        const { data } = await query.graph({ entity, fields, filters: { [by]: unique.slice(i, i + CHUNK) } })
        changes.push(...(data as RawChange[]).map((raw) => toChange(kind, raw)))
      }
      return changes
    })
  )
  const out = perKind.flat()
  return out.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || a.id.localeCompare(b.id))
}

/** Ids of claims and exchanges created since `since` (any state: the queue decides). */
export async function orderChangeIdsSince(container: MedusaContainer, since: Date): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const out: string[] = []
  for (const { entity } of ENTITIES) {
    const { data } = await query.graph({ entity, fields: ["id"], filters: { created_at: { $gte: since.toISOString() }, canceled_at: null } as Record<string, unknown> })
    out.push(...(data as Array<{ id: string }>).map((c) => c.id))
  }
  return out
}

export type ChangeExportRow = {
  id: string
  entity_id: string
  order_id: string | null
  change_kind: OrderChangeKind | null
  reference: string
  status: string
  exported_at: Date | null
  unconfirmed_sent_at: Date | null
  send_started_at: Date | null
  created_at: Date
}

const ROW_FIELDS = ["id", "entity_id", "order_id", "change_kind", "reference", "status", "exported_at", "unconfirmed_sent_at", "send_started_at", "created_at"]

/** The export rows of claims and exchanges, by their own ids or by their orders' ids. */
export async function loadChangeExportRows(container: MedusaContainer, ids: string[], by: "entity_id" | "order_id" = "entity_id"): Promise<ChangeExportRow[]> {
  const unique = [...new Set(ids)]
  if (!unique.length) return []
  const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
  const out: ChangeExportRow[] = []
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await orderflow.listOrderflowExportItems(
      { entity_type: "order", [by]: unique.slice(i, i + 1000), order_id: { $ne: null } },
      { select: ROW_FIELDS, take: null }
    )
    out.push(...(rows as unknown as ChangeExportRow[]))
  }
  return out
}
