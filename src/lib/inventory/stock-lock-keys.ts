/**
 * Lock keys for stock levels, shared by inventory import (absolute writes of
 * `stocked_quantity`) and shipment import (fulfilments lower `stocked` and
 * `reserved`). The race they prevent: an import reads `reserved`, a
 * fulfilment then consumes a reservation, and the import writes a `stocked`
 * computed from the old `reserved`, so the store shows units the warehouse
 * has already shipped. Both sides name a level by what they both know
 * before writing: the inventory item's SKU and the stock location.
 *
 * Levels are striped over STOCK_LOCK_STRIPES keys, so a group of thousands
 * of lines takes at most that many locks; two levels sharing a stripe only
 * wait for each other a little. Keys come back unique and sorted (the
 * stripe number is zero-padded), and are always taken in that order, so two
 * holders can never wait on each other in a cycle.
 */

export const STOCK_LOCK_STRIPES = 256

export type StockLevelRef = { sku: string; location_id: string }

/** FNV-1a, 32 bit: stable across processes and Node versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

export function stockLockKey(level: StockLevelRef, stripes = STOCK_LOCK_STRIPES): string {
  const stripe = fnv1a(`${level.sku}\u0000${level.location_id}`) % stripes
  return `orderflow:stock:${String(stripe).padStart(String(stripes - 1).length, "0")}`
}

/** The sorted, unique keys covering `levels`. */
export function stockLockKeys(levels: StockLevelRef[], stripes = STOCK_LOCK_STRIPES): string[] {
  return [...new Set(levels.map((l) => stockLockKey(l, stripes)))].sort()
}
