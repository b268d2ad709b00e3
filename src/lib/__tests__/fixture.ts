import { readFileSync } from "node:fs"
import path from "node:path"

/** A literal example copied from the OrderFlow documents (see fixtures/README.md). */
export function readFixture(name: string): string {
  return readFileSync(path.join(__dirname, "fixtures", name), "utf8")
}
