import { addressAllowed, addressRangeError, parseRange } from "../address-list"

const ranges = (...texts: string[]) => texts.map((t) => parseRange(t)!)

describe("inbound address allow-list", () => {
  it("matches IPv4 addresses inside a CIDR range and refuses those outside", () => {
    const list = ranges("203.0.113.0/24")
    expect(addressAllowed("203.0.113.7", list)).toBe(true)
    expect(addressAllowed("203.0.114.7", list)).toBe(false)
  })

  it("matches an IPv4-mapped IPv6 client address (::ffff:a.b.c.d) against IPv4 ranges", () => {
    expect(addressAllowed("::ffff:10.1.2.3", ranges("10.0.0.0/8"))).toBe(true)
    expect(addressAllowed("::ffff:11.1.2.3", ranges("10.0.0.0/8"))).toBe(false)
  })

  it("matches IPv6 ranges, including compressed forms and a single address without prefix", () => {
    const list = ranges("2001:db8::/32", "fe80::1")
    expect(addressAllowed("2001:db8:ffff::42", list)).toBe(true)
    expect(addressAllowed("2001:db9::1", list)).toBe(false)
    expect(addressAllowed("fe80:0:0:0:0:0:0:1", list)).toBe(true)
    expect(addressAllowed("fe80::2", list)).toBe(false)
  })

  it("treats /0 as every address of its family only", () => {
    expect(addressAllowed("198.51.100.1", ranges("0.0.0.0/0"))).toBe(true)
    expect(addressAllowed("2001:db8::1", ranges("0.0.0.0/0"))).toBe(false)
  })

  it("allows everyone with an empty list and no one with an unknown address", () => {
    expect(addressAllowed("198.51.100.1", [])).toBe(true)
    expect(addressAllowed(undefined, ranges("10.0.0.0/8"))).toBe(false)
  })

  it("names malformed ranges: bad address, prefix too long, two slashes", () => {
    for (const bad of ["10.0.0.300/8", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/8/1", "example.com", "10.0.0.0/-1", ""]) {
      expect(addressRangeError(bad)).toMatch(/is not an IPv4 or IPv6 address or CIDR range/)
    }
    expect(addressRangeError("10.0.0.0/8")).toBeNull()
    expect(addressRangeError("::1")).toBeNull()
  })
})
