import { randomBytes } from "node:crypto"

/**
 * Ids for rows the repositories insert in bulk (import lines, sequence
 * rows, export lines), in Medusa's format: `<prefix>_<ULID>` (10 characters
 * of time, 16 of randomness, Crockford base32). Medusa's generateEntityId
 * draws one random byte per character; at a thousand stock lines a second
 * that was a sixth of the store's CPU (bench/latency.ts). Here one draw of
 * 10 bytes per id serves its 16 random characters. Ids made in the same
 * millisecond are not ordered among themselves (neither are Medusa's).
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

function timePart(ms: number): string {
  let out = ""
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out
    ms = Math.floor(ms / 32)
  }
  return out
}

/** `count` new ids with `prefix`. */
export function entityIds(prefix: string, count: number, now = Date.now()): string[] {
  if (count <= 0) return []
  const time = timePart(now)
  const bytes = randomBytes(count * 10)
  const ids = new Array<string>(count)
  for (let n = 0; n < count; n++) {
    // 10 bytes = 80 bits = 16 base32 characters.
    let random = ""
    let acc = 0
    let bits = 0
    for (let b = n * 10; b < n * 10 + 10; b++) {
      acc = (acc << 8) | bytes[b]
      bits += 8
      while (bits >= 5) {
        bits -= 5
        random += ALPHABET[(acc >>> bits) & 31]
      }
      acc &= (1 << bits) - 1
    }
    ids[n] = `${prefix}_${time}${random}`
  }
  return ids
}
