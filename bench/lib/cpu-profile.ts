// A CPU profile of one stretch of a benchmark (BENCH_CPU_PROFILE=1), taken
// in-process through the inspector so that it covers the measured work only,
// not the seeding; written as a .cpuprofile (Chrome DevTools opens it) and
// summarised by where the time went: the plugin's files, each package under
// node_modules, Node's internals, garbage collection.
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"
import os from "node:os"
import path from "node:path"

type ProfileNode = { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** Starts profiling when BENCH_CPU_PROFILE is set; `stop` writes the profile and returns its summary lines ([] when off). */
export async function startCpuProfile(name: string): Promise<{ stop: () => Promise<string[]> }> {
  if (!process.env.BENCH_CPU_PROFILE) return { stop: async () => [] }
  const session = new Session()
  session.connect()
  await session.post("Profiler.enable")
  await session.post("Profiler.setSamplingInterval", { interval: 500 })
  await session.post("Profiler.start")
  return {
    stop: async () => {
      const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile }
      session.disconnect()
      const file = path.join(os.tmpdir(), `${name}-${Date.now()}.cpuprofile`)
      writeFileSync(file, JSON.stringify(profile))
      return [`CPU profile written to ${file}`, ...summariseProfile(profile)]
    },
  }
}

/** Where a sample's own time is charged: a package, a file of the plugin, or one of V8's pseudo-frames. */
export function profileCategory({ functionName, url }: { functionName: string; url: string }): string {
  if (!url) {
    if (functionName === "(garbage collector)") return "garbage collection"
    if (functionName === "(idle)") return "idle (waiting on I/O)"
    if (functionName === "(program)") return "V8 and native code"
    return `native: ${functionName || "(anonymous)"}`
  }
  const nm = url.lastIndexOf("node_modules/")
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/")
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  if (url.startsWith("node:")) return "node internals"
  const src = url.indexOf("/src/")
  if (src >= 0) return `plugin ${url.slice(src + 1)}`
  return url
}

export function summariseProfile(profile: Profile, top = 14): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0
    const node = byId.get(id)
    if (!node) return
    const cat = profileCategory(node.callFrame)
    self.set(cat, (self.get(cat) ?? 0) + us)
    total += us
  })
  const busy = total - (self.get("idle (waiting on I/O)") ?? 0)
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
  return [
    `CPU profile: ${(total / 1000).toFixed(0)} ms sampled, ${(busy / 1000).toFixed(0)} ms busy; own time by where it ran (share of busy time):`,
    ...rows.map(([cat, us]) => `  ${(us / 1000).toFixed(0).padStart(7)} ms ${cat === "idle (waiting on I/O)" ? "     " : `${((100 * us) / busy).toFixed(1).padStart(4)}%`} ${cat}`),
  ]
}
