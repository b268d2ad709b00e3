/**
 * A flag as OrderFlow's Magento modules read it (PHP truthiness): "0",
 * "false" (any case) are false, any other text true; absent stays null.
 */
export function phpFlag(value: string | null): boolean | null {
  return value === null ? null : !(value === "0" || value.toLowerCase() === "false")
}
