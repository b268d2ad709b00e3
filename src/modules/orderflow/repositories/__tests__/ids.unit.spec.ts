import { entityIds } from "../ids"

describe("bulk entity ids", () => {
  it("are Medusa-shaped: prefix, underscore, a 26-character Crockford base32 ULID whose time part is the given instant", () => {
    const [id] = entityIds("ofiml", 1, 1_764_576_000_000)
    expect(id).toMatch(/^ofiml_[0-9A-HJKMNP-TV-Z]{26}$/)
    // 1764576000000 ms in Crockford base32, most significant first.
    let ms = 0
    for (const c of id.slice(6, 16)) ms = ms * 32 + "0123456789ABCDEFGHJKMNPQRSTVWXYZ".indexOf(c)
    expect(ms).toBe(1_764_576_000_000)
  })

  it("are unique within a batch and across batches of the same millisecond", () => {
    const ids = [...entityIds("ofseq", 5000, 1), ...entityIds("ofseq", 5000, 1)]
    expect(new Set(ids).size).toBe(10_000)
  })

  it("use the whole alphabet in the random part (no constant characters)", () => {
    const ids = entityIds("x", 2000)
    for (let pos = 12; pos < 28; pos++) expect(new Set(ids.map((id) => id[pos])).size).toBeGreaterThan(20)
  })

  it("gives nothing for a count of 0", () => {
    expect(entityIds("x", 0)).toEqual([])
  })
})
