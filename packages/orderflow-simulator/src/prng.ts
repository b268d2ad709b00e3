// Seeded pseudo-random numbers. Every random choice the simulator makes
// (faults, duplicates, shuffles, generated SKUs, tracking numbers, Java-style
// object hashes) comes from one of these, so a failing run replays with the
// same --seed.
//
// Each concern draws from its own stream (derived from the seed and a stream
// name) so that, for example, inbound faults rolled while a push is in flight
// cannot shift the push side's duplicate/shuffle decisions.

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number
  /** True with probability p (p <= 0 never draws, so a zero rate consumes nothing). */
  chance(p: number | undefined): boolean
  /** In-place Fisher-Yates shuffle; returns the same array. */
  shuffle<T>(items: T[]): T[]
}

/** FNV-1a over the text, giving a 32-bit stream seed. */
function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** mulberry32: small, fast and good enough for test data and fault rolls. */
export function createPrng(seed: number | string, stream = "main"): Prng {
  let a = hash32(`${seed}:${stream}`)
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1))
    },
    chance(p) {
      if (!p || p <= 0) return false
      if (p >= 1) return true
      return next() < p
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        const tmp = items[i]
        items[i] = items[j]
        items[j] = tmp
      }
      return items
    },
  }
}

/** A seed for runs started without --seed; printed at start so the run can be replayed. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31)
}
