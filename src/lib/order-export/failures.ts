// Reading OrderFlow's per-order failure messages. An order line naming a
// product OrderFlow does not know fails the order with
//   Unable to find any entity associated with identifier: ref:product:SKU
// (seed 002, importResult failure example, with `product` for `channel`).
// Such an order can be repaired by embedding the product definitions in the
// order import with the merge operation (seed 002, "Merging orders with
// product definitions").

const UNKNOWN_PRODUCT = /ref:product:([^\s'",;)]+)/g

/** The SKUs an OrderFlow failure message says are unknown; empty when it is another failure. */
export function unknownProductReferences(message: string | null | undefined): string[] {
  if (!message) return []
  const refs = [...message.matchAll(UNKNOWN_PRODUCT)].map((m) => m[1].replace(/[.]+$/, ""))
  return [...new Set(refs)]
}

export function isUnknownProductFailure(message: string | null | undefined): boolean {
  return unknownProductReferences(message).length > 0
}

/** The externalReference of an order: the optional prefix, then Medusa's display id. */
export function orderReference(prefix: string | null | undefined, displayId: number | string): string {
  return `${prefix ?? ""}${displayId}`
}
