import { keysetPages } from "../keyset-pages"

/** A table in memory, read as the product module reads it: key > after, ascending, limit. */
function table(keys: string[]) {
  const rows = new Set(keys)
  const fetches: Array<{ after: string | null; limit: number }> = []
  return {
    rows,
    fetches,
    fetchPage: async (after: string | null, limit: number) => {
      fetches.push({ after, limit })
      return [...rows]
        .sort()
        .filter((k) => after === null || k > after)
        .slice(0, limit)
        .map((id) => ({ id }))
    },
  }
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `variant_${String(i + 1).padStart(4, "0")}`)

async function collect(t: ReturnType<typeof table>, pageSize: number, during?: (page: number) => void) {
  const pages: string[][] = []
  for await (const page of keysetPages(t.fetchPage, (r) => r.id, pageSize)) {
    pages.push(page.map((r) => r.id))
    during?.(pages.length)
  }
  return pages
}

describe("keysetPages", () => {
  it("reads a catalog larger than one page in key order, every row once, in pages of at most the page size", async () => {
    const t = table(ids(23).reverse())
    const pages = await collect(t, 5)
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3])
    expect(pages.flat()).toEqual(ids(23))
    // Each page starts after the last key of the one before; the short page ends the read.
    expect(t.fetches).toEqual([
      { after: null, limit: 5 },
      { after: "variant_0005", limit: 5 },
      { after: "variant_0010", limit: 5 },
      { after: "variant_0015", limit: 5 },
      { after: "variant_0020", limit: 5 },
    ])
  })

  it("ends a catalog of an exact number of pages with one empty fetch, yielding no empty page", async () => {
    const t = table(ids(10))
    const pages = await collect(t, 5)
    expect(pages).toEqual([ids(10).slice(0, 5), ids(10).slice(5)])
    expect(t.fetches.map((f) => f.after)).toEqual([null, "variant_0005", "variant_0010"])
  })

  it("yields nothing for an empty catalog", async () => {
    const t = table([])
    expect(await collect(t, 5)).toEqual([])
    expect(t.fetches).toHaveLength(1)
  })

  it("skips no row when rows already read are deleted during the read (where offset paging would skip one)", async () => {
    const t = table(ids(12))
    const pages = await collect(t, 4, (n) => {
      if (n === 1) {
        t.rows.delete("variant_0001")
        t.rows.delete("variant_0002")
      }
    })
    expect(pages.flat()).toEqual(ids(12))
  })

  it("reads rows inserted ahead of the cursor and not those inserted behind it, each once", async () => {
    const t = table(ids(8))
    const pages = await collect(t, 3, (n) => {
      if (n === 1) {
        t.rows.add("variant_0000a") // behind the cursor: the next sweep's
        t.rows.add("variant_0007a") // ahead of it: read in this one
      }
    })
    expect(pages.flat()).toEqual([...ids(7), "variant_0007a", "variant_0008"])
  })

  it("throws when a page does not advance, rather than reading the same page for ever", async () => {
    const stuck = async () => [{ id: "variant_0001" }, { id: "variant_0002" }]
    const read = async () => {
      for await (const page of keysetPages(stuck, (r) => r.id, 2)) void page
    }
    await expect(read()).rejects.toThrow("keyset page did not advance past variant_0002")
  })

  it("refuses a page size that is not a positive integer", async () => {
    const t = table(ids(3))
    await expect(collect(t, 0)).rejects.toThrow(RangeError)
    await expect(collect(t, 2.5)).rejects.toThrow(RangeError)
  })
})
