// What must hold once the cluster has settled, read from the three places
// that know: the simulator (what OrderFlow received and sent), Medusa's admin
// API (orders, fulfilments, stock levels) and the plugin's own tables
// (read-only SQL on orderflow_*).

/** Every page of an admin list. */
async function listAll(admin, path, key, fields) {
  const out = []
  for (let offset = 0; ; ) {
    const sep = path.includes("?") ? "&" : "?"
    const page = await admin.get(`${path}${sep}fields=${fields}&limit=200&offset=${offset}`)
    out.push(...page[key])
    offset += page[key].length
    if (!page[key].length || offset >= page.count) return out
  }
}

/** One consistent reading of everything the checks compare (`light`: without the simulator's message and document logs). */
export async function snapshot({ admin, sim, db, light = false }) {
  const [simProducts, simOrders, simDeliveries, simDocuments, simState] = await Promise.all([
    sim.get("/_sim/products?limit=100000").then((r) => r.products),
    sim.get("/_sim/orders").then((r) => r.orders),
    light ? [] : sim.get("/_sim/deliveries?limit=100000").then((r) => r.deliveries),
    light ? [] : sim.get("/_sim/documents?limit=100000").then((r) => r.documents),
    sim.get("/_sim/state"),
  ])
  const [products, orders, inventoryItems, reservations] = await Promise.all([
    listAll(admin, "/admin/products", "products", "id,title,handle,*variants"),
    listAll(
      admin,
      "/admin/orders",
      "orders",
      "id,display_id,status,created_at,*items,*items.detail,*fulfillments,*fulfillments.items,*fulfillments.labels,*payment_collections"
    ),
    listAll(admin, "/admin/inventory-items", "inventory_items", "id,sku,*location_levels"),
    listAll(admin, "/admin/reservations", "reservations", "id,line_item_id,inventory_item_id,location_id,quantity"),
  ])
  const q = async (sql) => (await db.query(sql)).rows
  const [requests, imports, importLines, exportItems, despatches, sequences] = await Promise.all([
    q(`SELECT id, type, message_seq_id, dedupe_key, status, attempts, claimed_until, claimed_by, import_id, duplicate_of_id, error
         FROM orderflow_request WHERE deleted_at IS NULL`),
    q(`SELECT id, request_id, type, status, line_count FROM orderflow_import WHERE deleted_at IS NULL`),
    q(`SELECT import_id, sku, outcome, seq_id FROM orderflow_import_line WHERE deleted_at IS NULL`),
    q(`SELECT id, entity_type, entity_id, reference, status, attempts, queued_at, claimed_by, claimed_until, next_attempt_at, last_error, skip_reason
         FROM orderflow_export_item WHERE deleted_at IS NULL`),
    q(`SELECT id, request_id, order_id, order_reference, fulfillment_id, tracking_numbers FROM orderflow_despatch WHERE deleted_at IS NULL`),
    q(`SELECT sku, location_id, seq_id FROM orderflow_inventory_sequence WHERE deleted_at IS NULL`),
  ])
  return { simProducts, simOrders, simDeliveries, simDocuments, simState, products, orders, inventoryItems, reservations, requests, imports, importLines, exportItems, despatches, sequences }
}

/** Paid = Medusa holds a captured payment for the whole order (what the plugin exports). */
export function isPaid(order) {
  const pcs = order.payment_collections ?? []
  return pcs.length > 0 && pcs.every((pc) => pc.status === "completed" || Number(pc.captured_amount ?? 0) >= Number(pc.amount ?? Infinity))
}

/** sku -> quantity, summed. */
function bySku(entries) {
  const m = new Map()
  for (const [sku, qty] of entries) m.set(sku, (m.get(sku) ?? 0) + Number(qty))
  return m
}
const sameMap = (a, b) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v)
const showMap = (m) => JSON.stringify(Object.fromEntries([...m].sort()))

/**
 * What each stock level must be, per SKU: OrderFlow's available figure minus
 * the units of orders OrderFlow has not been sent (adjustInventory
 * "unsent_orders": orders in status pending, within the cutoff, that the
 * simulator does not hold), never below 0 (negativeAsZero on).
 */
export function expectedLevels(s, locationId) {
  const simRefs = new Set(s.simOrders.map((o) => o.originalReference ?? o.externalReference))
  const orderOfLine = new Map()
  for (const o of s.orders) for (const i of o.items ?? []) orderOfLine.set(i.id, o)
  const unsent = new Map() // inventory item -> units
  for (const r of s.reservations) {
    if (r.location_id !== locationId) continue
    const o = orderOfLine.get(r.line_item_id)
    if (!o || o.status !== "pending" || simRefs.has(String(o.display_id))) continue
    unsent.set(r.inventory_item_id, (unsent.get(r.inventory_item_id) ?? 0) + Number(r.quantity))
  }
  const simBySku = new Map(s.simProducts.map((p) => [p.externalReference, p]))
  const out = []
  for (const item of s.inventoryItems) {
    const simProduct = simBySku.get(item.sku)
    if (!simProduct) continue
    const level = (item.location_levels ?? []).find((l) => l.location_id === locationId)
    const simAvailable = simProduct.stock.DEFAULT?.available ?? 0
    const unsentUnits = unsent.get(item.id) ?? 0
    out.push({
      sku: item.sku,
      inventoryItemId: item.id,
      simAvailable,
      unsent: unsentUnits,
      expected: Math.max(0, simAvailable - unsentUnits),
      actual: level ? Number(level.available_quantity) : null,
      stocked: level ? Number(level.stocked_quantity) : null,
      reserved: level ? Number(level.reserved_quantity) : null,
    })
  }
  return out
}

/** The checks, each { name, ok, details }. */
export function runChecks(s, ctx) {
  const results = []
  const check = (name, failures, extra = []) => results.push({ name, ok: failures.length === 0, details: [...failures.slice(0, 12), ...(failures.length > 12 ? [`... and ${failures.length - 12} more`] : []), ...(failures.length ? extra : [])] })

  const simBySku = new Map(s.simProducts.map((p) => [p.externalReference, p]))
  const requestsOf = (type, seq) => s.requests.filter((r) => r.type === type && Number(r.message_seq_id) === seq)
  const importsByRequest = new Map()
  for (const i of s.imports) importsByRequest.set(i.request_id, [...(importsByRequest.get(i.request_id) ?? []), i])
  const linesByImport = new Map()
  for (const l of s.importLines) linesByImport.set(l.import_id, [...(linesByImport.get(l.import_id) ?? []), l])

  // ---- the run itself exercised what it claims -----------------------------------------------
  {
    const f = []
    if (ctx.kills < ctx.minKills) f.push(`only ${ctx.kills} worker kills (want at least ${ctx.minKills})`)
    const faults = {}
    for (const d of s.simDocuments) if (d.fault) faults[d.fault] = (faults[d.fault] ?? 0) + 1
    if (!faults.error) f.push("the simulator answered no request with a 5xx")
    if (!faults.timeout) f.push("the simulator let no request time out")
    if (!s.simDeliveries.some((m) => m.duplicate)) f.push("no push was delivered twice")
    const c = ctx.counts
    if (c.captures < 5) f.push(`only ${c.captures} paid orders`)
    if (c.despatches + c.drained < 3) f.push(`only ${c.despatches + c.drained} despatches`)
    if (c.stockChanges < 10) f.push(`only ${c.stockChanges} stock changes`)
    if (c.productUpdates + c.variantUpdates + c.productsCreated < 5) f.push("fewer than 5 product changes")
    check(
      `chaos: ${ctx.kills} worker SIGKILLs; faults ${JSON.stringify(faults)}; ${c.captures} paid + ${c.unpaid} unpaid orders, ${c.productUpdates + c.variantUpdates} product edits + ${c.productsCreated} new products, ${c.stockChanges} stock changes, ${c.despatches} despatches under load (${c.partial} partial, ${c.multiParcel} in 2 parcels) + ${c.drained} after`,
      f
    )
  }

  check("convergence: everything settled before the deadline", ctx.converged ? [] : [`still outstanding after ${ctx.convergeSeconds} s: ${ctx.outstanding}`])

  // ---- product export ----------------------------------------------------------------------------
  {
    const f = []
    const medusaSkus = new Map()
    for (const p of s.products) {
      for (const v of p.variants ?? []) {
        if (!v.manage_inventory || !v.sku) continue
        medusaSkus.set(v.sku, `${p.title} - ${v.title}`)
      }
    }
    for (const [sku, description] of medusaSkus) {
      const sp = simBySku.get(sku)
      if (!sp) f.push(`${sku}: not in the simulator`)
      else if (sp.description !== description) f.push(`${sku}: simulator has "${sp.description}", Medusa "${description}"`)
      else if (!sp.activated) f.push(`${sku}: deactivated in the simulator`)
    }
    for (const sku of simBySku.keys()) if (!medusaSkus.has(sku)) f.push(`${sku}: in the simulator but not a stocked SKU in Medusa`)
    check(`products: each of Medusa's ${medusaSkus.size} SKUs is in the simulator once, with its current description`, f)

    const items = s.exportItems.filter((e) => e.entity_type === "product")
    const notDone = items.filter((e) => e.status !== "exported").map((e) => `${e.reference}: ${e.status} (attempts ${e.attempts}${e.last_error ? `, ${e.last_error.slice(0, 120)}` : ""})`)
    const missing = [...medusaSkus.keys()].filter((sku) => !items.some((e) => e.reference === sku)).map((sku) => `${sku}: no export record`)
    check(`products: every SKU's export record is exported (${items.length} records)`, [...notDone, ...missing])
  }

  // ---- order export ------------------------------------------------------------------------------
  const simOrderByRef = new Map()
  const simRefCounts = new Map()
  for (const o of s.simOrders) {
    const ref = o.originalReference ?? o.externalReference
    simOrderByRef.set(ref, o)
    simRefCounts.set(ref, (simRefCounts.get(ref) ?? 0) + 1)
  }
  const paid = s.orders.filter(isPaid)
  const unpaid = s.orders.filter((o) => !isPaid(o))
  {
    const f = []
    for (const o of paid) {
      const ref = String(o.display_id)
      const so = simOrderByRef.get(ref)
      if (!so) {
        f.push(`order #${ref} (${o.id}): paid but not in the simulator`)
        continue
      }
      if (simRefCounts.get(ref) > 1) f.push(`order #${ref}: ${simRefCounts.get(ref)} times in the simulator`)
      if (so.cancelled) f.push(`order #${ref}: cancelled in the simulator`)
      const simLines = bySku(so.shipments.filter((sh) => sh.state !== "cancelled").flatMap((sh) => sh.lines.map((l) => [l.product, l.quantity])))
      const medusaLines = bySku((o.items ?? []).map((i) => [i.variant_sku, i.quantity]))
      if (!sameMap(simLines, medusaLines)) f.push(`order #${ref}: simulator lines ${showMap(simLines)} != Medusa ${showMap(medusaLines)}`)
    }
    const accepted = s.simDocuments.filter((d) => d.path.includes("remoteorder/imports/importitems"))
    // Counted from OrderFlow's own answers: each reference must have been a success exactly once.
    const successes = new Map()
    for (const d of accepted) {
      const block = /<importSuccesses>([\s\S]*?)<\/importSuccesses>/.exec(d.responseBody ?? "")?.[1] ?? ""
      for (const m of block.matchAll(/externalReference="([^"]+)"/g)) successes.set(m[1], (successes.get(m[1]) ?? 0) + 1)
    }
    for (const [ref, n] of successes) if (n > 1) f.push(`order #${ref}: imported ${n} times (importSuccesses)`)
    check(`orders: each of the ${paid.length} paid orders is in the simulator exactly once, with its lines`, f)

    const g = []
    for (const o of unpaid) if (simOrderByRef.has(String(o.display_id))) g.push(`order #${o.display_id} (${o.id}): not paid, yet in the simulator`)
    const medusaRefs = new Set(s.orders.map((o) => String(o.display_id)))
    for (const ref of simOrderByRef.keys()) if (!medusaRefs.has(ref)) g.push(`simulator order ${ref}: no such order in Medusa`)
    check(`orders: none of the ${unpaid.length} unpaid orders, and nothing else, reached the simulator`, g)

    const items = new Map(s.exportItems.filter((e) => e.entity_type === "order").map((e) => [e.entity_id, e]))
    const h = []
    for (const o of paid) {
      const e = items.get(o.id)
      if (!e) h.push(`order #${o.display_id}: no export record`)
      else if (e.status !== "exported") h.push(`order #${o.display_id}: export record ${e.status} (attempts ${e.attempts}${e.last_error ? `, ${e.last_error.slice(0, 120)}` : ""})`)
    }
    check(`orders: every paid order's export record is exported`, h)
  }

  // ---- inventory import --------------------------------------------------------------------------
  const inventoryMessages = s.simDeliveries.filter((m) => m.type === "inventory")
  {
    const f = []
    for (const m of inventoryMessages) {
      const seq = m.messageSeqId
      if (m.status !== "delivered") {
        f.push(`message ${seq}: ${m.status} in the simulator (${m.lastError ?? m.lastStatus ?? ""})`)
        continue
      }
      const rows = requestsOf("inventory", seq)
      const originals = rows.filter((r) => r.status !== "duplicate")
      if (originals.length !== 1) {
        f.push(`message ${seq}: ${originals.length} stored (non-duplicate) requests`)
        continue
      }
      const r = originals[0]
      for (const d of rows.filter((x) => x.status === "duplicate")) if (d.duplicate_of_id !== r.id) f.push(`message ${seq}: duplicate ${d.id} points at ${d.duplicate_of_id}, not ${r.id}`)
      if (r.status !== "processed") f.push(`message ${seq} (${r.id}): ${r.status}${r.error ? ` - ${r.error.slice(0, 150)}` : ""}`)
      const reports = importsByRequest.get(r.id) ?? []
      if (reports.length !== 1) {
        f.push(`message ${seq} (${r.id}): ${reports.length} import reports`)
        continue
      }
      const lines = linesByImport.get(reports[0].id) ?? []
      const sent = (m.payload?.productQtys ?? []).map((l) => l.sku)
      const got = lines.map((l) => l.sku)
      if (sent.length !== got.length || sent.some((sku) => !got.includes(sku))) f.push(`message ${seq}: ${sent.length} SKUs sent, ${got.length} lines recorded`)
      const bad = lines.filter((l) => l.outcome !== "applied" && l.outcome !== "stale")
      if (bad.length) f.push(`message ${seq}: lines ${bad.map((l) => `${l.sku}=${l.outcome}`).join(", ")}`)
    }
    const known = new Set(inventoryMessages.map((m) => m.messageSeqId))
    for (const r of s.requests) if (r.type === "inventory" && !known.has(Number(r.message_seq_id))) f.push(`request ${r.id}: message ${r.message_seq_id} was never sent by the simulator`)
    check(`stock: each of the ${inventoryMessages.length} stock messages was stored once and applied once (one import report, every SKU applied or stale)`, f)
  }
  {
    const f = []
    const seqBySku = new Map(s.sequences.filter((q) => q.location_id === ctx.locationId).map((q) => [q.sku, Number(q.seq_id)]))
    for (const p of s.simProducts) {
      const current = p.stock.DEFAULT?.inventoryId
      const applied = seqBySku.get(p.externalReference)
      if (applied !== current) f.push(`${p.externalReference}: last applied sequence ${applied ?? "none"}, simulator's record ${current}`)
    }
    check(`stock: each SKU's last applied sequence id is the simulator's current inventory record`, f)
  }
  {
    const rows = expectedLevels(s, ctx.locationId)
    const f = rows
      .filter((r) => r.actual !== r.expected)
      .map((r) => `${r.sku}: available ${r.actual ?? "no level"} (stocked ${r.stocked}, reserved ${r.reserved}), expected ${r.expected} = simulator ${r.simAvailable} - unsent ${r.unsent}`)
    const withUnsent = rows.filter((r) => r.unsent > 0).length
    check(`stock: each of ${rows.length} levels equals the simulator's available figure minus unsent orders (adjustInventory unsent_orders; ${withUnsent} SKUs with unsent units)`, f)
  }

  // ---- shipment import ---------------------------------------------------------------------------
  const shipmentMessages = s.simDeliveries.filter((m) => m.type === "shipment")
  const ordersByRef = new Map(s.orders.map((o) => [String(o.display_id), o]))
  {
    const f = []
    const fulfilmentUse = new Map()
    for (const m of shipmentMessages) {
      const seq = m.messageSeqId
      const p = m.payload
      if (m.status !== "delivered") {
        f.push(`despatch ${seq} (order ${p?.orderIncrementId}): ${m.status} in the simulator`)
        continue
      }
      const originals = requestsOf("shipment", seq).filter((r) => r.status !== "duplicate")
      if (originals.length !== 1) {
        f.push(`despatch ${seq}: ${originals.length} stored (non-duplicate) requests`)
        continue
      }
      const r = originals[0]
      if (r.status !== "processed") f.push(`despatch ${seq} (${r.id}, order ${p.orderIncrementId}): ${r.status}${r.error ? ` - ${r.error.slice(0, 200)}` : ""}`)
      const rows = s.despatches.filter((d) => d.request_id === r.id)
      if (rows.length !== 1) {
        f.push(`despatch ${seq} (order ${p.orderIncrementId}): ${rows.length} despatch records`)
        continue
      }
      const d = rows[0]
      const order = ordersByRef.get(String(p.orderIncrementId))
      const ful = order?.fulfillments?.find((x) => x.id === d.fulfillment_id)
      if (!ful) {
        f.push(`despatch ${seq} (order ${p.orderIncrementId}): fulfilment ${d.fulfillment_id} not on the order`)
        continue
      }
      fulfilmentUse.set(ful.id, (fulfilmentUse.get(ful.id) ?? 0) + 1)
      const sent = bySku((p.skuQty ?? []).map((l) => [l.sku, l.qty]))
      const made = bySku((ful.items ?? []).map((i) => [i.sku, i.quantity]))
      if (!sameMap(sent, made)) f.push(`despatch ${seq} (order ${p.orderIncrementId}): fulfilment ${ful.id} has ${showMap(made)}, despatch ${showMap(sent)}`)
      const tracks = (p.tracks ?? []).map((t) => t.trackingNumber).sort()
      const labels = (ful.labels ?? []).map((l) => l.tracking_number).sort()
      if (JSON.stringify(tracks) !== JSON.stringify(labels)) f.push(`despatch ${seq}: labels ${labels.join(",")} != tracking ${tracks.join(",")}`)
      if (!ful.shipped_at) f.push(`despatch ${seq}: fulfilment ${ful.id} not shipped`)
      if (ful.canceled_at) f.push(`despatch ${seq}: fulfilment ${ful.id} cancelled`)
    }
    for (const [id, n] of fulfilmentUse) if (n > 1) f.push(`fulfilment ${id} stands for ${n} despatches`)
    check(`despatch: each of the ${shipmentMessages.length} despatches became exactly one shipped fulfilment with its items and tracking numbers`, f)

    const g = []
    const perOrder = new Map()
    for (const m of shipmentMessages) perOrder.set(String(m.payload?.orderIncrementId), (perOrder.get(String(m.payload?.orderIncrementId)) ?? 0) + 1)
    for (const o of s.orders) {
      const live = (o.fulfillments ?? []).filter((x) => !x.canceled_at)
      const want = perOrder.get(String(o.display_id)) ?? 0
      if (live.length !== want) g.push(`order #${o.display_id}: ${live.length} fulfilments for ${want} despatches`)
      for (const x of live) if (!x.shipped_at) g.push(`order #${o.display_id}: fulfilment ${x.id} never shipped (metadata ${JSON.stringify(x.metadata ?? {})})`)
    }
    check("despatch: each order has as many fulfilments as despatches, all shipped", g)

    const h = []
    for (const so of s.simOrders) {
      if (so.state !== "despatched") continue
      const o = ordersByRef.get(so.originalReference ?? so.externalReference)
      if (!o) continue
      const short = (o.items ?? []).filter((i) => Number(i.detail?.shipped_quantity ?? 0) !== Number(i.quantity))
      if (short.length) h.push(`order #${o.display_id}: ${short.map((i) => `${i.variant_sku} shipped ${i.detail?.shipped_quantity}/${i.quantity}`).join(", ")}`)
      else if (o.status !== "completed") h.push(`order #${o.display_id}: all shipped but status ${o.status}`)
    }
    check("despatch: orders the warehouse despatched in full are shipped and completed in Medusa", h)
  }

  // ---- queues ------------------------------------------------------------------------------------
  {
    const f = []
    for (const r of s.requests) {
      if (r.status === "processing" || r.claimed_by || r.claimed_until) {
        f.push(`request ${r.id} (${r.type} ${r.message_seq_id}): ${r.status}, claimed by ${r.claimed_by ?? "-"} until ${r.claimed_until ? new Date(r.claimed_until).toISOString() : "-"} (attempts ${r.attempts})`)
      }
    }
    for (const e of s.exportItems) {
      if (e.status === "queued" || e.queued_at || e.claimed_by || e.claimed_until) {
        f.push(`export item ${e.id} (${e.entity_type} ${e.reference}): ${e.status}, queued at ${e.queued_at ? new Date(e.queued_at).toISOString() : "-"}, claimed by ${e.claimed_by ?? "-"} until ${e.claimed_until ? new Date(e.claimed_until).toISOString() : "-"} (attempts ${e.attempts})`)
      }
    }
    check("queues: no request or export item left claimed (processing / queued)", f)

    const g = []
    for (const r of s.requests) if (r.status === "failed" || r.status === "pending") g.push(`request ${r.id} (${r.type} ${r.message_seq_id}): ${r.status}${r.error ? ` - ${r.error.slice(0, 200)}` : ""}`)
    for (const e of s.exportItems) if (e.status === "failed" || e.status === "pending") g.push(`export item ${e.entity_type} ${e.reference}: ${e.status}${e.last_error ? ` - ${e.last_error.slice(0, 150)}` : ""}`)
    check("queues: nothing pending or failed", g)

    const failedPushes = s.simDeliveries.filter((m) => m.status !== "delivered").map((m) => `message ${m.messageSeqId} (${m.type}): ${m.status}, ${m.lastStatus ?? ""} ${m.lastError ?? ""}`)
    check(`deliveries: the store acknowledged every one of the simulator's ${s.simDeliveries.length} pushes`, failedPushes)
  }
  return results
}
