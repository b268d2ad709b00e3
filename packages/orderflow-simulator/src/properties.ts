// The text body of an <import> element: one "key=value" property per line
// (seed 002, "Product Import" / "Order Import"). Each line is trimmed; empty
// lines and lines starting with "#" are skipped; the line is split at its FIRST
// "=", so "=" may appear inside a value; "[BR]" in a value stands for a line
// break. A repeated key keeps its last value (the product example repeats
// "type=default").

export interface ParsedProperties {
  /** key -> value, in first-seen order. */
  values: Map<string, string>
  /** Lines that are not key=value (reported as an import failure). */
  invalidLines: string[]
}

export function parseProperties(text: string): ParsedProperties {
  const values = new Map<string, string>()
  const invalidLines: string[] = []
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trim()
    if (!line || line.startsWith("#")) continue
    const eq = line.indexOf("=")
    if (eq <= 0) {
      invalidLines.push(line)
      continue
    }
    const key = line.slice(0, eq).trim()
    const value = line.slice(eq + 1).replace(/\[BR\]/g, "\n")
    values.set(key, value)
  }
  return { values, invalidLines }
}

/**
 * Groups indexed properties such as "orderLine.2.quantity" by prefix:
 * indexed(values, "orderLine") -> Map { 2 => Map { "quantity" => "20", ... } }.
 * Indices are sorted numerically.
 */
export function indexed(values: Map<string, string>, prefix: string): Map<number, Map<string, string>> {
  const groups = new Map<number, Map<string, string>>()
  const re = new RegExp(`^${prefix}\\.(\\d+)\\.(.+)$`)
  for (const [key, value] of values) {
    const m = re.exec(key)
    if (!m) continue
    const index = Number(m[1])
    let group = groups.get(index)
    if (!group) groups.set(index, (group = new Map()))
    group.set(m[2], value)
  }
  return new Map([...groups.entries()].sort((a, b) => a[0] - b[0]))
}

/** Properties under a dotted prefix without an index: prefixed(values, "shipment") -> { state, earliestShipDate, ... }. */
export function prefixed(values: Map<string, string>, prefix: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of values) {
    if (key.startsWith(`${prefix}.`)) {
      const rest = key.slice(prefix.length + 1)
      if (!/^\d+\./.test(rest)) out.set(rest, value)
    }
  }
  return out
}
