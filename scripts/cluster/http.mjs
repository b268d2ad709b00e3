// A small JSON client for the store's admin and store APIs and the
// simulator's control API.

export class HttpError extends Error {
  constructor(method, url, status, body) {
    super(`${method} ${url} -> ${status}: ${typeof body === "string" ? body.slice(0, 500) : JSON.stringify(body).slice(0, 500)}`)
    this.status = status
    this.body = body
  }
}

export async function request(method, url, { json, headers = {}, timeoutMs = 30_000 } = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: json !== undefined ? JSON.stringify(json) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await res.text()
  let body = text
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    // not JSON: keep the text
  }
  if (!res.ok) throw new HttpError(method, url, res.status, body)
  return body
}

/** get/post/del relative to `base`, with fixed headers. */
export function client(base, headers = {}) {
  const call = (method) => (path, opts = {}) => request(method, `${base}${path}`, { ...opts, headers: { ...headers, ...opts.headers } })
  return { base, get: call("GET"), post: call("POST"), del: call("DELETE") }
}

export async function adminClient(base, email, password) {
  const { token } = await request("POST", `${base}/auth/user/emailpass`, { json: { email, password } })
  return client(base, { authorization: `Bearer ${token}` })
}
