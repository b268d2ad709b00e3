// The plugin's error taxonomy (STYLE habit 8). Every failure that crosses a
// module boundary is one of these: a stable `code` for logs, admin pages and
// tests, and a retry class the queue acts on — `transient` errors are retried
// with back-off (export/retry-schedule.ts), `permanent` ones are recorded and
// shown to an administrator. The original error is kept as `cause`.

export type RetryClass = "transient" | "permanent"

export type OrderflowErrorCode =
  | "ORDERFLOW_TIMEOUT"
  | "ORDERFLOW_NETWORK"
  | "ORDERFLOW_UNAUTHORIZED"
  | "ORDERFLOW_HTTP_ERROR"
  | "ORDERFLOW_BAD_RESPONSE"
  | "ORDERFLOW_RESPONSE_TOO_LARGE"
  | "ORDERFLOW_API_ERROR"
  | "ORDERFLOW_CONFIG"
  | "XML_FORBIDDEN_DTD"
  | "XML_NOT_WELL_FORMED"
  | "INBOUND_INVALID"
  | "INBOUND_TOO_LARGE"
  | "INBOUND_UNSUPPORTED_MEDIA_TYPE"

export type OrderflowErrorOptions = {
  cause?: unknown
  /** Overrides the subclass's default retry class. */
  retry?: RetryClass
}

const EXCERPT_LENGTH = 200

/** The first 200 characters of a body, for messages and logs. */
export function excerpt(body: string, length: number = EXCERPT_LENGTH): string {
  return body.length > length ? `${body.slice(0, length)}…` : body
}

/**
 * A cause without the numbers that vary from item to item (references,
 * quantities, ids), so that one cause is one incident.
 */
export function causeKey(message: string | null): string {
  return (message ?? "failed")
    .toLowerCase()
    .replace(/\bref:([a-z]+):\S+/g, "ref:$1:…")
    .replace(/"[^"]*"|'[^']*'/g, "…")
    .replace(/[0-9]+/g, "#")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200)
}

/**
 * What a person should read of an error body: an HTML page (a proxy's or
 * the server's error page) is reduced to its title, or to its text without
 * markup; anything else is the body's excerpt.
 */
export function readableBody(body: string): string {
  if (!/^\s*(<!doctype html|<html)/i.test(body)) return excerpt(body)
  const title = body.match(/<title[^>]*>([\s\S]*?)<\/title>/i)?.[1]
  const text = (title ?? body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " "))
    .replace(/&nbsp;/g, " ")
    .replace(/\s+/g, " ")
    .trim()
  return excerpt(text ? `${text} (HTML page)` : "(an HTML page)")
}

export class OrderflowError extends Error {
  readonly code: OrderflowErrorCode
  readonly retry: RetryClass
  // Set by hand: the compile target (ES2021) predates Error's `cause` option.
  readonly cause?: unknown

  constructor(
    code: OrderflowErrorCode,
    message: string,
    retry: RetryClass,
    options: OrderflowErrorOptions = {}
  ) {
    super(message)
    this.name = new.target.name
    this.code = code
    this.retry = options.retry ?? retry
    if (options.cause !== undefined) this.cause = options.cause
  }
}

/** The request never got an HTTP answer: DNS, refused or reset connection, timeout. */
export class OrderflowTransportError extends OrderflowError {
  constructor(
    code: "ORDERFLOW_TIMEOUT" | "ORDERFLOW_NETWORK",
    message: string,
    options: OrderflowErrorOptions = {}
  ) {
    super(code, message, "transient", options)
  }
}

/**
 * OrderFlow (or a proxy in front of it) answered with a non-2xx status.
 * 5xx, 429 and 408 are worth retrying; any other status will not change by
 * itself (wrong URL, wrong credentials), so it is permanent.
 */
export class OrderflowHttpError extends OrderflowError {
  readonly status: number
  readonly bodyExcerpt: string

  constructor(status: number, body: string, context: string, options: OrderflowErrorOptions = {}) {
    const unauthorized = status === 401 || status === 403
    const transient = status >= 500 || status === 429 || status === 408
    super(
      unauthorized ? "ORDERFLOW_UNAUTHORIZED" : "ORDERFLOW_HTTP_ERROR",
      `${context}: OrderFlow answered HTTP ${status}${
        unauthorized ? " (check the API username, password, organisation and channel)" : ""
      }: ${readableBody(body) || "(empty body)"}`,
      transient ? "transient" : "permanent",
      options
    )
    this.status = status
    this.bodyExcerpt = excerpt(body)
  }
}

/**
 * A 2xx answer whose body is not what the operation returns: HTML error pages
 * from proxies, truncated XML, an empty body. Transient: proxies produce these
 * while OrderFlow restarts.
 */
export class OrderflowResponseError extends OrderflowError {
  readonly bodyExcerpt: string

  constructor(
    message: string,
    body: string,
    options: OrderflowErrorOptions & { code?: "ORDERFLOW_BAD_RESPONSE" | "ORDERFLOW_RESPONSE_TOO_LARGE" } = {}
  ) {
    super(options.code ?? "ORDERFLOW_BAD_RESPONSE", message, "transient", options)
    this.bodyExcerpt = excerpt(body)
  }
}

/** The content of an OrderFlow `<error>` document (seed 002, Order Cancellation). */
export type OrderflowErrorDocument = {
  message: string
  exception: string | null
  detail: string | null
}

/**
 * OrderFlow answered with an `<error>` document. DESIGN §4: it fails the whole
 * batch, which is retried, so it is transient by default — except when the
 * HTTP status says the credentials are refused.
 */
export class OrderflowApiError extends OrderflowError {
  readonly error: OrderflowErrorDocument
  readonly status: number | null

  constructor(
    error: OrderflowErrorDocument,
    context: string,
    options: OrderflowErrorOptions & { status?: number } = {}
  ) {
    const status = options.status ?? null
    const refused = status === 401 || status === 403
    super(
      refused ? "ORDERFLOW_UNAUTHORIZED" : "ORDERFLOW_API_ERROR",
      `${context}: OrderFlow returned an error: ${error.message}${
        error.exception ? ` (${error.exception})` : ""
      }`,
      refused ? "permanent" : "transient",
      options
    )
    this.error = error
    this.status = status
  }

  get exception(): string | null {
    return this.error.exception
  }

  get detail(): string | null {
    return this.error.detail
  }
}

/** A setting needed for the call is missing or unusable (endpoint, credentials, scope). */
export class OrderflowConfigError extends OrderflowError {
  constructor(message: string, options: OrderflowErrorOptions = {}) {
    super("ORDERFLOW_CONFIG", message, "permanent", options)
  }
}

/**
 * A document was refused by the one XML entry point (xml/safe-xml.ts): it
 * declares a DTD or entities, or it is not well-formed. Callers map it to
 * their own kind (400 for inbound messages, OrderflowResponseError for replies).
 */
export class XmlParseError extends OrderflowError {
  readonly line: number | null
  readonly column: number | null

  constructor(
    code: "XML_FORBIDDEN_DTD" | "XML_NOT_WELL_FORMED",
    message: string,
    position: { line?: number; column?: number } = {},
    options: OrderflowErrorOptions = {}
  ) {
    super(code, message, "permanent", options)
    this.line = position.line ?? null
    this.column = position.column ?? null
  }
}

export type InboundStatus = 400 | 413 | 415

const INBOUND_CODES: Record<InboundStatus, OrderflowErrorCode> = {
  400: "INBOUND_INVALID",
  413: "INBOUND_TOO_LARGE",
  415: "INBOUND_UNSUPPORTED_MEDIA_TYPE",
}

/**
 * A message pushed by OrderFlow was refused; nothing of it is stored. The
 * message names the offending field so the OrderFlow operator can find it,
 * e.g. `productQtys[3].qty must be an integer, got "1.5"`.
 */
export class InboundValidationError extends OrderflowError {
  readonly status: InboundStatus
  /** The reply format, when the body got far enough for it to be known. */
  readonly format: "json" | "xml" | "soap" | null

  constructor(
    status: InboundStatus,
    message: string,
    options: OrderflowErrorOptions & { format?: "json" | "xml" | "soap" | null } = {}
  ) {
    super(INBOUND_CODES[status], message, "permanent", options)
    this.status = status
    this.format = options.format ?? null
  }
}

/** Unknown errors are treated as transient: a bug retried a few times is cheaper than a lost record. */
export function classifyError(err: unknown): RetryClass {
  return err instanceof OrderflowError ? err.retry : "transient"
}

/**
 * A readable message from anything thrown: Error instances, and the plain
 * `{ message }` objects some workflow failures surface as.
 */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  if (e && typeof e === "object" && typeof (e as { message?: unknown }).message === "string") return (e as { message: string }).message
  try {
    return JSON.stringify(e)
  } catch {
    return String(e)
  }
}
