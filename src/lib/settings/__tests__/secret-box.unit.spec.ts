import { randomBytes } from "node:crypto"
import { decryptSecret, encryptSecret, isEncrypted, parseSecretKey, secretKeyPolicy } from "../secret-box"

describe("API password encryption (secret box)", () => {
  const key = randomBytes(32)

  it("round-trips a password through a versioned AES-256-GCM string that does not contain it", () => {
    const stored = encryptSecret("api-päss:word", key)
    expect(stored).toMatch(/^enc:v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/)
    expect(stored).not.toContain("api-päss")
    expect(decryptSecret(stored, key)).toBe("api-päss:word")
    expect(encryptSecret("same", key)).not.toBe(encryptSecret("same", key))
  })

  it("reads a plain-text value saved before encryption as it is", () => {
    expect(isEncrypted("legacy-password")).toBe(false)
    expect(decryptSecret("legacy-password", key)).toBe("legacy-password")
    expect(decryptSecret("legacy-password", null)).toBe("legacy-password")
  })

  it("refuses to decrypt with another key, a tampered ciphertext or no key, naming ORDERFLOW_SECRET_KEY", () => {
    const stored = encryptSecret("secret", key)
    expect(() => decryptSecret(stored, randomBytes(32))).toThrow(/ORDERFLOW_SECRET_KEY/)
    const tampered = stored.slice(0, -4) + (stored.endsWith("AAAA") ? "BBBB" : "AAAA")
    expect(() => decryptSecret(tampered, key)).toThrow(/cannot be decrypted/)
    expect(() => decryptSecret(stored, null)).toThrow(/ORDERFLOW_SECRET_KEY is not set/)
  })

  it("takes the key as 64 hex digits or base64 of 32 bytes and refuses other lengths", () => {
    expect(parseSecretKey(key.toString("hex"))).toEqual(key)
    expect(parseSecretKey(key.toString("base64"))).toEqual(key)
    expect(() => parseSecretKey("short")).toThrow(/32 random bytes/)
  })

  it("encrypts with a key, stores plain text with a warning outside production, refuses in production or when NODE_ENV is unknown", () => {
    expect(secretKeyPolicy({ ORDERFLOW_SECRET_KEY: key.toString("base64") }).mode).toBe("encrypt")
    expect(secretKeyPolicy({ NODE_ENV: "development" })).toMatchObject({ mode: "plain", warning: expect.stringMatching(/plain text/) })
    expect(secretKeyPolicy({ NODE_ENV: "production" })).toMatchObject({ mode: "refuse", error: expect.stringMatching(/^api\.password: .*ORDERFLOW_SECRET_KEY/) })
    expect(secretKeyPolicy({}).mode).toBe("refuse")
    expect(() => secretKeyPolicy({ ORDERFLOW_SECRET_KEY: "abc" })).toThrow(/32 random bytes/)
  })
})
