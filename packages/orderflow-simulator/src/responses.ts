// The documents OrderFlow answers with, laid out like the examples of seed 002
// (indentation, empty container elements, attributes split over lines, the
// presence or absence of an XML declaration). A client must cope with exactly
// this; being tidier here would hide parsing bugs.

import type { ImportOutcome } from "./imports"
import { cdata, escapeXml as esc } from "./xml"
import { formatDateTime, formatQueryTime } from "./time"
import type { Order, Shipment } from "./types"

const attr = (name: string, value: string | number | undefined) => (value === undefined ? "" : ` ${name}="${esc(value)}"`)

/**
 * <importResult> (seed 002): importSuccesses and importFailures are always
 * present, even empty; importDuplicates only when there are duplicates (the
 * documented success example has none).
 */
export function renderImportResult(outcomes: ImportOutcome[]): string {
  const head = (o: ImportOutcome) =>
    `<import${attr("type", o.type)}${attr("operation", o.operation)}${attr("externalReference", o.externalReference)}`
  const out = ["<importResult>", "  <importSuccesses>"]
  for (const o of outcomes.filter((x) => x.kind === "success")) {
    out.push(`    ${head(o)}${attr("entity", o.entity)}${attr("item", o.item)}${attr("queryTime", formatQueryTime(o.queryTime))} />`)
  }
  out.push("  </importSuccesses>", "  <importFailures>")
  const problem = (o: ImportOutcome, tag: "failure" | "duplicate") => {
    out.push(`    ${head(o)}${attr("queryTime", formatQueryTime(o.queryTime))}>`)
    out.push(`      <${tag}Message>${esc(o.message ?? "")}</${tag}Message>`)
    out.push(`      <${tag}Detail>${esc(`${o.message ?? ""} (${o.exception ?? ""})`)}\n        ...</${tag}Detail>`)
    out.push("    </import>")
  }
  for (const o of outcomes.filter((x) => x.kind === "failure")) problem(o, "failure")
  out.push("  </importFailures>")
  const duplicates = outcomes.filter((x) => x.kind === "duplicate")
  if (duplicates.length > 0) {
    out.push("  <importDuplicates>")
    for (const o of duplicates) problem(o, "duplicate")
    out.push("  </importDuplicates>")
  }
  out.push("</importResult>")
  return out.join("\n") + "\n"
}

/**
 * <error> (seed 002, "Order Cancellation"): the message sits in a CDATA
 * section with its quotes written as &apos; - inside CDATA that is literal
 * text, not an entity, exactly as the documented example shows.
 */
export function renderError(exception: string, message: string): string {
  const detail = `${exception}: ${message}\n\tat rtd.remote.RemoteOperationController.handle(RemoteOperationController.java:142)\n\t...`
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<error>",
    "<message>",
    cdata(message.replace(/'/g, "&apos;")),
    "</message>",
    `<exception>${esc(exception)}</exception>`,
    "<detail>",
    cdata(detail),
    "</detail>",
    "</error>",
    "",
  ].join("\n")
}

/** <order> (seed 002, "Order Detail Pull"); also the success reply of cancel, hold and release. */
export function renderOrder(order: Order): string {
  const out = [`<order externalReference="${esc(order.externalReference)}" state="${esc(order.state)}">`, " <shipments>"]
  for (const s of order.shipments) {
    out.push(`  <shipment sequence="${s.sequence}" state="${esc(s.state)}" earliestShipDate="${esc(s.earliestShipDate)}">`)
    out.push("   <orderLines>")
    for (const l of s.lines) {
      out.push(`    <orderLine product="${esc(l.product)}" quantity="${l.quantity}"`)
      out.push(`      state="${esc(l.state)}">`)
      out.push("    </orderLine>")
    }
    out.push("   </orderLines>", "  </shipment>")
  }
  out.push(" </shipments>", "</order>")
  return out.join("\n") + "\n"
}

export interface InventoryRow {
  inventoryId: number
  externalReference: string
  site: string
  total: number
  allocated: number
  available: number
  frozen: number
  inspection: number
  damaged: number
  quarantined: number
  onOrder: number
  lastStockChangeId: number
  lastLineRequirementChangeId: number
}

/** <inventory> (seed 002, "Inventory Pull", with the 4.0.3 fields). */
export function renderInventory(rows: InventoryRow[]): string {
  const out = ["<inventory>"]
  for (const r of rows) {
    out.push(
      `<product inventoryId="${r.inventoryId}" externalReference="${esc(r.externalReference)}" site="${esc(r.site)}" ` +
        `total="${r.total}" allocated="${r.allocated}" available="${r.available}" frozen="${r.frozen}" ` +
        `inspection="${r.inspection}" damaged="${r.damaged}" quarantined="${r.quarantined}" onOrder="${r.onOrder}" ` +
        `lastStockChangeId="${r.lastStockChangeId}" lastLineRequirementChangeId="${r.lastLineRequirementChangeId}"/>`
    )
  }
  out.push("</inventory>")
  return out.join("\n") + "\n"
}

/** <shipments> of "Pending Shipments" (seed 002). */
export function renderPending(shipments: Shipment[], timeZone = "UTC"): string {
  const out = ['<?xml version="1.0" encoding="utf-8" ?>', "<shipments>"]
  for (const s of shipments) {
    out.push(
      "  <shipment>",
      `    <created>${formatDateTime(new Date(s.createdAt), timeZone)}</created>`,
      `    <reference>${esc(s.reference)}</reference>`,
      `    <orderReference>${esc(s.orderReference)}</orderReference>`,
      `    <state>${esc(s.state)}</state>`,
      `    <earliestShipDate>${esc(s.earliestShipDate)}</earliestShipDate>`,
      "  </shipment>"
    )
  }
  out.push("</shipments>")
  return out.join("\n") + "\n"
}

/**
 * <shipments> of "Despatched Shipments Per Time Period" (seed 002). Packages
 * are listed when a shipment has more than one; their lines only with
 * includePackageLines; order lines only with includeOrderLines.
 */
export function renderDespatches(
  rows: { shipment: Shipment; order: Order }[],
  options: { includeOrderLines: boolean; includePackageLines: boolean; timeZone?: string }
): string {
  const out = ['<?xml version="1.0" encoding="utf-8" ?>', "<shipments>"]
  for (const { shipment: s, order } of rows) {
    out.push(
      "    <shipment>",
      `        <reference>${esc(s.reference)}</reference>`,
      `        <orderReference>${esc(s.orderReference)}</orderReference>`,
      `        <originatingOrderReference>${esc(order.fields.originatingOrderReference ?? "")}</originatingOrderReference>`,
      `        <state>${esc(s.state)}</state>`,
      `        <carrier>${esc(s.carrier ?? "")}</carrier>`,
      `        <service>${esc(s.service ?? "")}</service>`,
      `        <despatchReference>${esc(s.despatchReference ?? "")}</despatchReference>`,
      `        <completed>${s.completedAt ? formatDateTime(new Date(s.completedAt), options.timeZone) : ""}</completed>`
    )
    if (s.packages.length > 1) {
      out.push("        <packages>")
      for (const p of s.packages) {
        out.push(`            <package despatchReference="${esc(p.despatchReference)}">`)
        if (options.includePackageLines) {
          out.push("                <packageLines>")
          for (const l of p.lines) {
            out.push(
              "                    <packageLine ",
              `                        product="${esc(l.product)}"`,
              `                        quantity="${l.quantity}"`,
              '                        state="created">',
              "                    </packageLine>"
            )
          }
          out.push("                </packageLines>")
        }
        out.push("            </package>")
      }
      out.push("        </packages>")
    }
    if (options.includeOrderLines) {
      out.push("        <orderLines>")
      for (const l of s.lines) {
        out.push(
          "            <orderLine>",
          `                <productReference>${esc(l.product)}</productReference>`,
          `                <quantity>${l.quantity}</quantity>`,
          `                <thirdPartyReference>${esc(l.thirdPartyReference)}</thirdPartyReference>`,
          "            </orderLine>"
        )
      }
      out.push("        </orderLines>")
    }
    out.push("    </shipment>")
  }
  out.push("</shipments>")
  return out.join("\n") + "\n"
}

/** Seed 002 "Shipments State Change": created, reference, order, state, earliest ship date; lines (with state) when asked. */
export function renderStateChanges(rows: { shipment: Shipment; order: Order }[], options: { includeLines: boolean }): string {
  const out = ['<?xml version="1.0" encoding="utf-8" ?>', "<shipments>"]
  for (const { shipment: s, order } of rows) {
    out.push(
      "  <shipment>",
      `    <created>${formatDateTime(new Date(s.createdAt))}</created>`,
      `    <reference>${esc(s.reference)}</reference>`,
      `    <orderReference>${esc(s.orderReference)}</orderReference>`,
      `    <originatingOrderReference>${esc(order.fields.originatingOrderReference ?? "")}</originatingOrderReference>`,
      `    <state>${esc(s.state)}</state>`,
      `    <earliestShipDate>${esc(s.earliestShipDate)}</earliestShipDate>`
    )
    if (options.includeLines) {
      out.push("    <orderLines>")
      for (const l of s.lines) {
        out.push(
          "       <orderLine>",
          `           <productReference>${esc(l.product)}</productReference>`,
          `           <quantity>${l.quantity}</quantity>`,
          `           <state>${esc(l.state)}</state>`,
          `           <thirdPartyReference>${esc(l.thirdPartyReference)}</thirdPartyReference>`,
          "       </orderLine>"
        )
      }
      out.push("    </orderLines>")
    }
    out.push("  </shipment>")
  }
  out.push("</shipments>")
  return out.join("\n") + "\n"
}

const REASONS: Record<number, string> = {
  401: "Unauthorized",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
}

/** The servlet container's own error page (what a Java server sends outside the XML API). */
export function renderHtmlError(status: number, description: string): string {
  const title = `HTTP Status ${status} – ${REASONS[status] ?? "Error"}`
  return (
    `<!doctype html><html lang="en"><head><title>${title}</title><style type="text/css">body {font-family:Tahoma,Arial,sans-serif;}</style></head>` +
    `<body><h1>${title}</h1><hr class="line" /><p><b>Type</b> Status Report</p><p><b>Description</b> ${esc(description)}</p>` +
    `<hr class="line" /><h3>Apache Tomcat</h3></body></html>`
  )
}

/** An HTML page answered with status 200 (a login or maintenance page in front of the API). */
export function renderHtmlPage(): string {
  return (
    '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>OrderFlow - Log in</title></head>\n<body>\n' +
    '<div class="login"><h2>OrderFlow</h2><p>Your session has expired. Please log in again.</p>\n' +
    '<form method="post" action="j_security_check"><input name="j_username"/><input name="j_password" type="password"/>' +
    '<button type="submit">Log in</button></form></div>\n</body>\n</html>\n'
  )
}
