// Child processes of the cluster test: each in its own process group (so a
// SIGKILL takes the whole instance, and cleanup leaves nothing behind), its
// output appended to a log file per instance.
import { spawn } from "node:child_process"
import { closeSync, openSync, readFileSync, writeSync } from "node:fs"
import net from "node:net"
import path from "node:path"

export class Processes {
  constructor({ cwd, logDir }) {
    this.cwd = cwd
    this.logDir = logDir
    /** name -> { child, pid, log, exited, exit } of the current incarnation */
    this.live = new Map()
    this.all = new Set()
    this.starts = new Map()
  }

  logPath(name) {
    return path.join(this.logDir, `${name}.log`)
  }

  /** Starts `cmd` in a new process group, output appended to <logDir>/<name>.log. */
  start(name, cmd, args, env) {
    const log = this.logPath(name)
    const n = (this.starts.get(name) ?? 0) + 1
    this.starts.set(name, n)
    const fd = openSync(log, "a")
    writeSync(fd, `\n===== ${new Date().toISOString()} start #${n}: ${path.basename(cmd)} ${args.join(" ")}\n`)
    const child = spawn(cmd, args, { cwd: this.cwd, env, stdio: ["ignore", fd, fd], detached: true })
    closeSync(fd)
    const proc = { name, child, pid: child.pid, log, exited: false, exit: null }
    proc.done = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        proc.exited = true
        proc.exit = code ?? signal
        this.all.delete(proc)
        if (this.live.get(name) === proc) this.live.delete(name)
        resolve(proc.exit)
      })
      child.on("error", (e) => {
        proc.exited = true
        proc.exit = e.message
        this.all.delete(proc)
        resolve(proc.exit)
      })
    })
    this.live.set(name, proc)
    this.all.add(proc)
    return proc
  }

  /** Runs a command to completion; rejects with the tail of its log when it fails. */
  async run(name, cmd, args, env) {
    const proc = this.start(name, cmd, args, env)
    const exit = await proc.done
    if (exit !== 0) throw new Error(`${name} (${path.basename(cmd)} ${args.join(" ")}) exited with ${exit}\n${tail(proc.log, 30)}`)
    return readFileSync(proc.log, "utf8")
  }

  /** Sends `signal` to the whole process group of `proc`. */
  signal(proc, signal) {
    try {
      process.kill(-proc.pid, signal)
      return true
    } catch {
      return false
    }
  }

  /** SIGTERM every group, SIGKILL what is left after `graceMs`. */
  async stopAll(graceMs = 6000) {
    const procs = [...this.all]
    for (const p of procs) this.signal(p, "SIGTERM")
    const deadline = Date.now() + graceMs
    while (procs.some((p) => !p.exited) && Date.now() < deadline) await sleep(100)
    for (const p of procs) if (!p.exited) this.signal(p, "SIGKILL")
    // A group can outlive its leader: make sure nothing of ours is left.
    for (const p of procs) this.signal(p, "SIGKILL")
  }
}

export function tail(file, lines) {
  try {
    const text = readFileSync(file, "utf8").split("\n")
    return text.slice(-lines).join("\n")
  } catch {
    return "(no log)"
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** A port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Polls `url` until it answers below 500, or the process dies, or the time is up. */
export async function waitForHttp(url, { timeoutMs, proc, what }) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (proc?.exited) throw new Error(`${what} exited (${proc.exit}) before answering at ${url}\n${tail(proc.log, 40)}`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
      if (res.status < 500) return
    } catch {
      // not up yet
    }
    await sleep(300)
  }
  throw new Error(`${what} did not answer at ${url} within ${Math.round(timeoutMs / 1000)} s${proc ? `\n${tail(proc.log, 40)}` : ""}`)
}
