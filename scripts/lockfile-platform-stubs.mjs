#!/usr/bin/env node
// The npm registry mirror this project is built against serves only the
// linux-x64 builds of native packages (@swc/core, rollup, msgpackr-extract).
// `npm install` then leaves the other platforms' optional packages out of
// package-lock.json, and `npm ci` refuses the lockfile as "out of sync".
// This adds the missing optional entries, with the os/cpu/libc their names
// declare, so that `npm ci` accepts the lockfile and skips them on this
// platform (and fetches the right one elsewhere). Run after `npm install`.
import { readFileSync, writeFileSync } from "node:fs"

const file = new URL("../package-lock.json", import.meta.url)
const lock = JSON.parse(readFileSync(file, "utf8"))
const OS = ["darwin", "linux", "win32", "android", "freebsd", "openbsd", "openharmony"]
const CPU = { arm64: "arm64", x64: "x64", arm: "arm", ia32: "ia32", ppc64: "ppc64", s390x: "s390x", riscv64: "riscv64", loong64: "loong64" }

function platformOf(name) {
  const parts = name.split("/").pop().split("-")
  const osIndex = parts.findIndex((p) => OS.includes(p))
  if (osIndex < 0) return null
  const cpu = CPU[parts[osIndex + 1]]
  const abi = parts[osIndex + 2]
  if (!cpu) return null
  const libc = abi === "gnu" || abi === "gnueabihf" ? "glibc" : abi === "musl" || abi === "musleabihf" ? "musl" : null
  return { os: parts[osIndex], cpu, libc }
}

let added = 0
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ""}node_modules/${dep}`
    const top = `node_modules/${dep}`
    if (lock.packages[nested] || lock.packages[top]) continue
    const platform = platformOf(dep)
    if (!platform) continue
    lock.packages[top] = {
      version,
      cpu: [platform.cpu],
      ...(pkg.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      optional: true,
      os: [platform.os],
    }
    added++
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))))
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n")
process.stdout.write(`added ${added} optional platform entries to package-lock.json\n`)
