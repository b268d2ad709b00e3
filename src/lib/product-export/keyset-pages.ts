/**
 * Reads a catalog page by page in key order (keyset pagination): each page
 * starts after the last key of the one before, so rows inserted or deleted
 * while a sweep runs neither shift a page (as OFFSET does: a row deleted
 * behind the reader makes it skip one) nor make a row repeat, and only one
 * page is held at a time, however large the catalog.
 *
 * `fetchPage(after, limit)` must return up to `limit` rows whose key is
 * greater than `after` (all rows when null), in ascending key order.
 */
export async function* keysetPages<T>(
  fetchPage: (after: string | null, limit: number) => Promise<T[]>,
  keyOf: (row: T) => string,
  pageSize: number
): AsyncGenerator<T[]> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`page size must be a positive integer (got ${pageSize})`)
  let after: string | null = null
  for (;;) {
    const page = await fetchPage(after, pageSize)
    if (!page.length) return
    yield page
    // A short page is the last one: no query for an empty page after it.
    if (page.length < pageSize) return
    const last = keyOf(page[page.length - 1])
    // A fetch that ignores `after` would return the same page for ever.
    if (last === after) throw new Error(`keyset page did not advance past ${after}`)
    after = last
  }
}
