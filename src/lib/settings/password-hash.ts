import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"

/**
 * The inbound password (what OrderFlow sends us) is stored only as an scrypt
 * hash: "scrypt$N$r$p$<salt b64>$<hash b64>". Verification is constant-time.
 */
const N = 16384
const R = 8
const P = 1
const KEYLEN = 32

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number, keylen: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)))
  )
}

export async function hashPassword(password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await scryptAsync(password, salt, N, R, P, KEYLEN)
  return ["scrypt", N, R, P, salt.toString("base64"), key.toString("base64")].join("$")
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$")
  if (parts.length !== 6 || parts[0] !== "scrypt") return false
  const [, n, r, p, saltB64, hashB64] = parts
  const expected = Buffer.from(hashB64, "base64")
  const key = await scryptAsync(password, Buffer.from(saltB64, "base64"), Number(n), Number(r), Number(p), expected.length)
  return key.length === expected.length && timingSafeEqual(key, expected)
}
