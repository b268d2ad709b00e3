import { isIP } from "node:net"

/**
 * The optional allow-list of client addresses for the inbound routes
 * (`inbound.allowedAddresses`): IPv4 and IPv6 CIDR ranges, or single
 * addresses. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, what Node
 * reports for IPv4 clients on a dual-stack socket) matches IPv4 ranges.
 */

export type AddressRange = { version: 4 | 6; network: bigint; bits: number; text: string }

/** Why `text` is not a CIDR range or address, or null when it is one. */
export function addressRangeError(text: string): string | null {
  return parseRange(text) ? null : `"${text}" is not an IPv4 or IPv6 address or CIDR range such as 203.0.113.0/24 or 2001:db8::/32`
}

export function parseRange(text: string): AddressRange | null {
  const [address, prefix, extra] = text.trim().split("/")
  if (extra !== undefined || !address) return null
  const parsed = parseAddress(address)
  if (!parsed) return null
  const width = parsed.version === 4 ? 32 : 128
  let bits = width
  if (prefix !== undefined) {
    if (!/^\d{1,3}$/.test(prefix)) return null
    bits = Number(prefix)
    if (bits > width) return null
  }
  const mask = prefixMask(bits, width)
  return { version: parsed.version, network: parsed.value & mask, bits, text: text.trim() }
}

/** An address as a number; IPv4-mapped IPv6 addresses become IPv4. */
export function parseAddress(text: string): { version: 4 | 6; value: bigint } | null {
  // Zone ids (fe80::1%eth0) name an interface, not part of the address.
  const address = text.replace(/%.*$/, "")
  const kind = isIP(address)
  if (kind === 4) return { version: 4, value: ipv4Value(address) }
  if (kind !== 6) return null
  const value = ipv6Value(address)
  if (value >> 32n === 0xffffn) return { version: 4, value: value & 0xffffffffn }
  return { version: 6, value }
}

export function addressAllowed(address: string | undefined, ranges: AddressRange[]): boolean {
  if (ranges.length === 0) return true
  const parsed = address ? parseAddress(address) : null
  if (!parsed) return false
  return ranges.some(
    (r) => r.version === parsed.version && (parsed.value & prefixMask(r.bits, r.version === 4 ? 32 : 128)) === r.network
  )
}

function prefixMask(bits: number, width: number): bigint {
  if (bits === 0) return 0n
  return ((1n << BigInt(bits)) - 1n) << BigInt(width - bits)
}

function ipv4Value(address: string): bigint {
  return address.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
}

function ipv6Value(address: string): bigint {
  let text = address
  // A trailing dotted quad (::ffff:1.2.3.4) stands for the last two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (quad) {
    const v4 = ipv4Value(quad[1])
    text = text.slice(0, -quad[1].length) + `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`
  }
  const [head, tail] = text.split("::")
  const headGroups = head ? head.split(":") : []
  const tailGroups = tail !== undefined && tail !== "" ? tail.split(":") : []
  const missing = 8 - headGroups.length - tailGroups.length
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(missing).fill("0"), ...tailGroups]
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)
}
