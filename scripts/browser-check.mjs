#!/usr/bin/env node
// `npm run test:browser`: what a merchant sees, checked in a real browser.
// Starts the demo (`npm run dev`: store, simulator, seed) on free ports and a
// fresh database, logs into the admin with headless Chromium (playwright-core
// driving Debian's /usr/bin/chromium, or CHROMIUM_PATH) and checks:
//   a. Settings → OrderFlow saves a change (a reload shows it)
//   b. the overview shows an open incident once the simulator refuses product
//      imports (401) and Run now is pressed; Close removes it
//   c. a dead letter (a despatch for an order the store does not have) is
//      listed on the overview; Retry processes it again; Resolve removes it
//   d. an order's page shows its OrderFlow status (the order widget)
//   g. OrderFlow → Stock: drift report, accept, per-SKU sequence reset with confirmation
//   h. Settings → OrderFlow: what to enter in OrderFlow for each connector (SOAP faces, REST)
// Screenshots of each step go to BROWSER_CHECK_DIR (default: a new temp dir,
// printed; outside the repo, since `medusa develop` restarts on files written
// inside it). Prints `ok - ...` / `not ok - ...` per check and
// `N passed, N failed` last; exits 1 on any failure.
//
// Environment (optional):
//   CHROMIUM_PATH          the browser                      [/usr/bin/chromium]
//   DATABASE_URL           server to create the check's database on [postgres://postgres@127.0.0.1:5432 if it answers, else dev.mjs's embedded PostgreSQL]
//   BROWSER_CHECK_STORE / BROWSER_CHECK_SIM   use a running demo instead of starting one (e.g. http://localhost:9000, http://127.0.0.1:9100)
//   BROWSER_CHECK_DIR      screenshot (and log) directory
import { randomBytes } from "node:crypto"
import { existsSync, mkdtempSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import pg from "pg"
import { chromium } from "playwright-core"
import { adminClient, client, request } from "./cluster/http.mjs"
import { freePort, Processes, sleep, tail, waitForHttp } from "./cluster/procs.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
// dev.mjs's demo credentials (its defaults).
const ADMIN_EMAIL = "admin@orderflow.local"
const ADMIN_PASSWORD = "orderflow-demo"
const INBOUND = `Basic ${Buffer.from("orderflow:orderflow-push").toString("base64")}`
const outDir = process.env.BROWSER_CHECK_DIR ?? mkdtempSync(path.join(os.tmpdir(), "orderflow-browser-check-"))
const procs = new Processes({ cwd: root, logDir: outDir })
const startedAt = Date.now()
const results = { passed: 0, failed: 0 }

const elapsed = () => `${Math.round((Date.now() - startedAt) / 1000)}s`.padStart(5)
const log = (msg) => process.stdout.write(`[browser ${elapsed()}] ${msg}\n`)

function check(condition, what, detail) {
  if (condition) {
    results.passed++
    process.stdout.write(`ok - ${what}\n`)
  } else {
    results.failed++
    process.stdout.write(`not ok - ${what}\n${detail ? `  ${String(detail).split("\n").join("\n  ")}\n` : ""}`)
  }
  return condition
}

/** Polls until `fn` returns a truthy value; the last value or error is in the message. */
async function until(what, fn, { timeoutMs = 30_000, intervalMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    try {
      const v = await fn()
      if (v) return v
      last = v
    } catch (e) {
      last = e.message
    }
    await sleep(intervalMs)
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last !== undefined ? ` (last: ${JSON.stringify(last)?.slice(0, 300)})` : ""}`)
}

// ---------------------------------------------------------------- the demo

let dropDatabase = async () => {}

async function startDemo() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ORDERFLOW") && !/^npm_/.test(k)))
  const [port, simPort] = [await freePort(), await freePort()]
  const dataDir = path.join(outDir, "demo-data")
  let databaseUrl = process.env.DATABASE_URL
  const serverUrl = databaseUrl ? new URL(databaseUrl) : new URL("postgres://postgres@127.0.0.1:5432/postgres")
  const name = `orderflow_browser_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`
  const admin = new pg.Client({ connectionString: serverUrl.toString(), connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
    await admin.query(`CREATE DATABASE "${name}"`)
    await admin.end()
    serverUrl.pathname = `/${name}`
    databaseUrl = serverUrl.toString()
    dropDatabase = async () => {
      serverUrl.pathname = "/postgres"
      const c = new pg.Client({ connectionString: serverUrl.toString(), connectionTimeoutMillis: 3000 })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => c.end())
    }
    log(`database ${name} on ${serverUrl.host}`)
  } catch (e) {
    await admin.end().catch(() => {})
    if (process.env.DATABASE_URL) throw new Error(`could not create a database on DATABASE_URL's server: ${e.message}`)
    databaseUrl = undefined
    log("no PostgreSQL at 127.0.0.1:5432: the demo starts its embedded one")
  }
  const dev = procs.start("demo", process.execPath, [path.join(root, "scripts", "dev.mjs")], {
    ...env,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    PORT: String(port),
    ORDERFLOW_SIMULATOR_PORT: String(simPort),
    ORDERFLOW_DEV_DATA_DIR: dataDir,
  })
  const store = `http://localhost:${port}`
  log(`starting the demo (npm run dev) on ${store}, simulator on :${simPort}; log ${dev.log}`)
  await waitForHttp(`${store}/health`, { timeoutMs: 240_000, proc: dev, what: "the demo store" })
  return { store, sim: `http://127.0.0.1:${simPort}`, dev }
}

// ---------------------------------------------------------------- helpers

async function placeOrder(store, admin) {
  const { api_keys } = await admin.get("/admin/api-keys?type=publishable&fields=token,sales_channels.name&limit=20")
  const key = (api_keys.find((k) => (k.sales_channels ?? []).some((c) => c?.name === "Webshop")) ?? api_keys[0]).token
  const shop = client(store, { "x-publishable-api-key": key })
  const { regions } = await shop.get("/store/regions")
  const { products } = await shop.get("/store/products?handle=classic-tee&fields=*variants")
  const variant = products[0].variants.find((v) => v.sku === "TEE-M")
  const address = { first_name: "Browser", last_name: "Check", address_1: "1 High Street", city: "Woodbridge", postal_code: "IP12 1AX", country_code: "gb" }
  const { cart } = await shop.post("/store/carts", {
    json: { region_id: regions[0].id, email: "browser-check@example.com", shipping_address: address, billing_address: address, items: [{ variant_id: variant.id, quantity: 1 }] },
  })
  const { shipping_options } = await shop.get(`/store/shipping-options?cart_id=${cart.id}`)
  await shop.post(`/store/carts/${cart.id}/shipping-methods`, { json: { option_id: shipping_options[0].id } })
  const { payment_collection } = await shop.post("/store/payment-collections", { json: { cart_id: cart.id } })
  await shop.post(`/store/payment-collections/${payment_collection.id}/payment-sessions`, { json: { provider_id: "pp_system_default" } })
  const done = await shop.post(`/store/carts/${cart.id}/complete`, { json: {} })
  if (done.type !== "order") throw new Error(`the cart did not complete: ${JSON.stringify(done.error ?? done).slice(0, 300)}`)
  // Orders go to the warehouse once paid (captured), as the README's demo does in the admin.
  const { order } = await admin.get(`/admin/orders/${done.order.id}?fields=id,display_id,*payment_collections,*payment_collections.payments`)
  await admin.post(`/admin/payments/${order.payment_collections[0].payments[0].id}/capture`, { json: {} })
  return order
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`)
  }
  log(`screenshots and logs in ${outDir}`)
  const demo = process.env.BROWSER_CHECK_STORE
    ? { store: process.env.BROWSER_CHECK_STORE.replace(/\/$/, ""), sim: (process.env.BROWSER_CHECK_SIM ?? "http://127.0.0.1:9100").replace(/\/$/, "") }
    : await startDemo()
  await waitForHttp(`${demo.store}/health`, { timeoutMs: 240_000, proc: demo.dev, what: "the demo store" })
  const admin = await adminClient(demo.store, ADMIN_EMAIL, ADMIN_PASSWORD)
  const sim = client(demo.sim)
  log("demo is up")

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  })
  const pageErrors = []
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    page.setDefaultTimeout(30_000)
    page.setDefaultNavigationTimeout(180_000) // medusa develop compiles the admin on first load
    page.on("pageerror", (e) => pageErrors.push(e.message))
    const shot = async (name) => {
      const file = path.join(outDir, `${name}.png`)
      // The admin scrolls inside its own container: grow the viewport to the content for the picture.
      const height = await page.evaluate(() => Math.max(...[...document.querySelectorAll("main, main *")].map((e) => e.scrollHeight), 1000))
      await page.setViewportSize({ width: 1440, height: Math.min(height + 120, 6000) })
      await page.screenshot({ path: file })
      await page.setViewportSize({ width: 1440, height: 1000 })
      log(`screenshot ${file}`)
    }
    const open = async (route, waitFor) => {
      await page.goto(`${demo.store}/app${route}`)
      if (waitFor) await page.getByText(waitFor, { exact: false }).first().waitFor()
    }

    await page.goto(`${demo.store}/app/login`)
    await page.fill('input[name="email"]', ADMIN_EMAIL)
    await page.fill('input[name="password"]', ADMIN_PASSWORD)
    await page.click('button[type="submit"]')
    await page.waitForURL(/\/app\/?(orders)?$/, { timeout: 180_000 })
    log("logged into the admin")

    // a. Settings save ---------------------------------------------------------------------------
    await step("a. Settings → OrderFlow: a changed admin name (Alerts) is saved and still shown after a reload", async () => {
      const name = `Browser Check ${randomBytes(3).toString("hex")}`
      await open("/settings/orderflow", "Connection to OrderFlow")
      const group = page.getByTestId("orderflow-settings-email")
      await group.locator("#of-email-adminName").fill(name)
      await group.getByRole("button", { name: "Save" }).click()
      await page.getByText("Alerts saved").first().waitFor()
      await page.reload()
      await page.getByText("Connection to OrderFlow").first().waitFor()
      const shown = await until("the saved name in the reloaded form", async () => {
        const v = await page.locator("#of-email-adminName").inputValue()
        return v === name ? v : false
      }, { timeoutMs: 15_000 })
      await shot("a-settings-saved")
      const { settings } = await admin.get("/admin/orderflow/settings")
      return [shown === name && settings.email.adminName === name, `form shows ${shown}, API says ${settings.email.adminName}`]
    })

    // h. Connector setup ----------------------------------------------------------------------------
    await step("h. Settings → OrderFlow: the inbound group shows what to enter in OrderFlow for each connector (Magento 2 SOAP base URL, Magento 1 API URL, REST URLs), no password", async () => {
      await open("/settings/orderflow", "Connection to OrderFlow")
      const box = page.getByTestId("orderflow-connectors")
      await box.scrollIntoViewIfNeeded()
      const text = await box.innerText()
      await shot("h-connectors")
      const want = ["Magento 2 API SOAP base URL", "/orderflow/soap/default", "/orderflow/api/v2_soap/index/", "/orderflow/inventory", "/orderflow/shipment"]
      const missing = want.filter((w) => !text.includes(w))
      return [missing.length === 0 && !text.includes("orderflow-push"), missing.length ? `missing: ${missing.join(", ")}` : "a password is shown"]
    })

    // b. Incident --------------------------------------------------------------------------------
    await step("b. Overview: after OrderFlow refuses product imports (401) and Run now, product export shows Blocked and an open incident; Close removes it", async () => {
      await sim.post("/_sim/faults", { json: { next: [{ fault: "error", status: 401, path: "remotewarehouse/imports", count: 50 }] } })
      await admin.post("/admin/orderflow/products/reset", { json: { all: true } })
      await open("/orderflow", "Operations")
      // Check a's save lifted any earlier block (saved settings unblock the endpoints): this run's 401 must set it.
      const before = await page.getByTestId("orderflow-health-product_export").getAttribute("data-state")
      const runRow = page.locator("tr", { hasText: "Product export" }).filter({ has: page.getByRole("button", { name: "Run now" }) })
      await runRow.getByRole("button", { name: "Run now" }).click()
      // The scheduler may hold the run's lock for a moment: the incident comes from one run or the other.
      const incident = page.getByTestId("orderflow-incident").filter({ hasText: "product export is stopped" })
      // The card and the list come from one snapshot (GET /admin/orderflow/health): once the
      // incident shows, the card in the same render must say Blocked (checked below, not waited for).
      await until("the incident on the overview", async () => {
        if (await incident.count()) return true
        await page.reload()
        await page.getByText("Open incidents").first().waitFor()
        return (await incident.count()) > 0
      }, { timeoutMs: 90_000, intervalMs: 3000 })
      const state = await page.getByTestId("orderflow-health-product_export").getAttribute("data-state")
      const incidentText = await incident.first().innerText()
      await shot("b-incident-open")
      const okOpen = check(before !== "blocked" && state === "blocked" && /401/.test(incidentText), "b. the product export card goes from not blocked to Blocked and the incident names the 401", `state ${before} → ${state}; incident: ${incidentText}`)
      // The run is recorded after its incident: wait for the Operations row, which must not say success.
      const runCell = page.getByTestId("orderflow-run-product_export")
      const runText = await until("the refused run in the Operations table", async () => {
        if ((await runCell.count()) && (await runCell.getAttribute("data-tone")) === "error") return runCell.innerText()
        await page.reload()
        await page.getByText("Open incidents").first().waitFor()
        return false
      }, { timeoutMs: 30_000, intervalMs: 2000 }).catch(async () => `${await runCell.getAttribute("data-tone").catch(() => "none")}: ${await runCell.innerText().catch(() => "")}`)
      await runCell.scrollIntoViewIfNeeded()
      await shot("b-run-refused")
      check(/call failed|blocked/.test(runText) && /401/.test(runText), "b. Operations: the refused run says 'call failed' (or 'blocked') with the 401, not success", runText)
      await incident.first().getByRole("button", { name: "Close" }).click()
      await until("the incident to leave the list", async () => (await incident.count()) === 0, { timeoutMs: 15_000 })
      const { incidents } = await admin.get("/admin/orderflow/incidents")
      await shot("b-incident-closed")
      await sim.del("/_sim/faults")
      return [okOpen && !incidents.some((i) => i.operation === "product_export"), `open incidents after Close: ${JSON.stringify(incidents.map((i) => i.title))}`]
    })

    // c. Dead letter -----------------------------------------------------------------------------
    await step("c. Overview: a dead letter (despatch for an unknown order) is listed; Retry processes it again (a second import report), Resolve removes it", async () => {
      const seq = 900_000 + Math.floor(Math.random() * 90_000)
      const res = await request("POST", `${demo.store}/orderflow/shipment`, {
        json: { orderIncrementId: "99999999", skuQty: [{ sku: "TEE-M", qty: 1 }], messageSeqId: seq },
        headers: { authorization: INBOUND },
      })
      const reqId = await until("the despatch to become a dead letter", async () => {
        const { requests } = await admin.get(`/admin/orderflow/requests?status=failed&message_seq_id=${seq}`)
        return requests[0]?.id
      }, { timeoutMs: 60_000 })
      const reportsBefore = (await admin.get(`/admin/orderflow/imports?request_id=${reqId}`)).count
      await open("/orderflow", "Dead letters")
      const row = page.getByTestId("orderflow-dead-letter").filter({ hasText: String(seq) })
      await row.waitFor()
      await shot("c-dead-letter-listed")
      await row.getByRole("checkbox").check()
      await page.getByTestId("orderflow-dead-letters").getByRole("button", { name: "Retry" }).click()
      await page.getByText("Retry: ran for 1 of 1").first().waitFor()
      await shot("c-dead-letter-retried")
      const reportsAfter = await until("a new import report", async () => {
        const { count } = await admin.get(`/admin/orderflow/imports?request_id=${reqId}`)
        return count > reportsBefore ? count : false
      }, { timeoutMs: 20_000 })
      const retried = (await admin.get(`/admin/orderflow/requests/${reqId}`)).request
      check(reportsAfter === reportsBefore + 1 && retried.status === "failed", "c. Retry from the list processed the dead letter again (still failed: the order is still unknown)", `reports ${reportsBefore} → ${reportsAfter}; status ${retried.status}; ack ${String(res).slice(0, 80)}`)
      await row.waitFor()
      await row.getByRole("checkbox").check()
      await page.getByTestId("orderflow-dead-letters").getByRole("button", { name: "Resolve" }).click()
      await page.getByText("Resolved 1 dead letter").first().waitFor()
      await until("the row to leave the list", async () => (await row.count()) === 0, { timeoutMs: 15_000 })
      await shot("c-dead-letter-resolved")
      const after = (await admin.get(`/admin/orderflow/requests/${reqId}`)).request
      return [after.status === "resolved", `status after Resolve: ${after.status}`]
    })

    // d. Order widget ----------------------------------------------------------------------------
    await step("d. Order page: the OrderFlow widget shows the order's export status (Exported) and its reference", async () => {
      const order = await placeOrder(demo.store, admin)
      const { orders } = await admin.post("/admin/orderflow/orders/export", { json: { ids: [order.id] } })
      await open(`/orders/${order.id}`)
      const widget = page.getByTestId("orderflow-order-status")
      await widget.getByText("Exported", { exact: true }).first().waitFor({ timeout: 60_000 })
      const text = await widget.innerText()
      await shot("d-order-widget")
      const reference = orders?.[0]?.reference ?? String(order.display_id)
      return [new RegExp(`Reference\\s+${reference}\\b`).test(text), `reference ${reference}; export answer ${JSON.stringify(orders?.[0])}; widget: ${text.slice(0, 300)}`]
    })

    // e. Cancel refused by OrderFlow ------------------------------------------------------------
    await step("e. Order page: Cancel on an order OrderFlow has packed shows the error toast with OrderFlow's reason; the order stays open and the OrderFlow panel says why", async () => {
      const order = await placeOrder(demo.store, admin)
      const { orders } = await admin.post("/admin/orderflow/orders/export", { json: { ids: [order.id] } })
      const reference = orders?.[0]?.reference ?? String(order.display_id)
      await sim.post(`/_sim/shipments/${encodeURIComponent(reference)}/state`, { json: { state: "packed" } })
      await open(`/orders/${order.id}`)
      await page.getByTestId("orderflow-order-status").getByText("Exported", { exact: true }).first().waitFor({ timeout: 60_000 })
      // Medusa's order header: the smallest block holding both the "#N" heading and its action menu.
      const header = page
        .locator("div", { has: page.getByRole("heading", { name: `#${order.display_id}`, exact: true }) })
        .filter({ has: page.locator('button[aria-haspopup="menu"]') })
        .last()
      await header.locator('button[aria-haspopup="menu"]').first().click()
      await page.getByRole("menuitem", { name: "Cancel" }).click()
      await page.getByRole("button", { name: "Continue" }).click()
      const toast = page.getByText("Cancellation refused by OrderFlow", { exact: false }).first()
      await toast.waitFor({ timeout: 30_000 })
      const toastText = await toast.innerText()
      await shot("e-cancel-refused-toast")
      await page.reload()
      const widget = page.getByTestId("orderflow-order-status")
      await widget.getByText("Cancellation refused by OrderFlow", { exact: false }).first().waitFor({ timeout: 30_000 })
      const widgetText = await widget.innerText()
      await shot("e-cancel-refused-panel")
      const after = (await admin.get(`/admin/orders/${order.id}?fields=id,status`)).order
      return [
        after.status !== "canceled" && /packed/.test(toastText) && /packed/.test(widgetText),
        `order status ${after.status}; toast: ${toastText.slice(0, 200)}; panel: ${widgetText.slice(0, 300)}`,
      ]
    })

    // f. Returns page ---------------------------------------------------------------------------
    await step("f. OrderFlow → Returns: the page loads and shows the returns list (empty in the demo) without errors", async () => {
      const before = pageErrors.length
      await open("/orderflow/returns", "OrderFlow returns")
      await page.waitForLoadState("networkidle").catch(() => {})
      const text = await page.locator("main").innerText()
      await shot("f-returns-page")
      return [pageErrors.length === before && /OrderFlow returns/.test(text), `page errors ${pageErrors.length - before}; page: ${text.slice(0, 300)}`]
    })

    // g. Stock page (drift report, sequence reset) ----------------------------------------------
    await step("g. OrderFlow → Stock: a level changed in Medusa is listed by Compare with OrderFlow now; Accept sends OrderFlow's figure; a per-SKU sequence reset asks for confirmation and is listed in the history", async () => {
      const { inventory_items } = await admin.get("/admin/inventory-items?sku=TEE-S&fields=id,sku,*location_levels")
      const item = inventory_items[0]
      const level = item.location_levels[0]
      await admin.post(`/admin/inventory-items/${item.id}/location-levels/${level.location_id}`, { json: { stocked_quantity: Number(level.stocked_quantity) + 37 } })
      await open("/orderflow/stock", "Drift report")
      await page.getByRole("button", { name: "Compare with OrderFlow now" }).click()
      await page.getByText("Drift report done").first().waitFor({ timeout: 60_000 })
      const row = page.locator("tr", { hasText: "TEE-S" }).filter({ has: page.getByRole("button", { name: "Accept OrderFlow's" }) })
      await row.waitFor({ timeout: 30_000 })
      const rowText = await row.innerText()
      await shot("g-stock-drift-listed")
      await row.getByRole("button", { name: "Accept OrderFlow's" }).click()
      await page.getByText("TEE-S: OrderFlow's figure sent to the inventory import").first().waitFor()
      const { differences } = await admin.get("/admin/orderflow/stock-drift?status=accepted&sku=TEE-S")
      const accepted = check(differences.length >= 1 && !!differences[0].request_id, "g. Accept closed the TEE-S difference and stored a stock message", `row: ${rowText}; accepted: ${JSON.stringify(differences[0] ?? null)}`)
      await page.fill("#reset-sku", "TEE-M")
      await page.fill("#reset-reason", "browser check")
      await page.getByRole("button", { name: "Reset for this SKU / location" }).click()
      await page.getByText("Reset the stored sequence ids of SKU TEE-M?").first().waitFor()
      await shot("g-sequence-reset-confirm")
      await page.getByRole("button", { name: "Reset", exact: true }).click()
      await page.getByText("Sequence ids reset").first().waitFor()
      const history = page.locator("tr", { hasText: "browser check" })
      await history.first().waitFor()
      await shot("g-sequence-reset-done")
      const { resets } = await admin.get("/admin/orderflow/inventory/sequences/resets?limit=1")
      await open("/orderflow", "Stock differences with OrderFlow")
      await shot("g-overview-stock-count")
      return [accepted && resets[0]?.sku === "TEE-M" && resets[0]?.scope === "sku", `last reset: ${JSON.stringify(resets[0])}`]
    })

    await open("/orderflow", "Last 24 hours")
    await page.getByTestId("orderflow-activity-chart").waitFor()
    await shot("overview-final")
  } finally {
    await browser.close().catch(() => {})
  }
  // Medusa's dashboard shows a failed cancel as a toast and then lets the same
  // error escape its handler (mutateAsync rejects after onError): check e's
  // refusal is expected there and is not ours to fix.
  const unexpected = pageErrors.filter((m) => !m.startsWith("Cancellation refused by OrderFlow:"))
  check(unexpected.length === 0, "no uncaught errors in the admin pages (other than the refused cancel re-thrown by Medusa's dashboard)", unexpected.slice(0, 5).join("\n"))
}

/** One check: `fn` returns [passed, detail]; a throw is a failure with its message (and the page stays usable for the next). */
async function step(what, fn) {
  try {
    const [ok, detail] = await fn()
    check(ok, what, detail)
  } catch (e) {
    check(false, what, e.stack?.split("\n").slice(0, 3).join("\n") ?? e.message)
  }
}

let code = 0
try {
  await main()
} catch (e) {
  check(false, "the browser check ran to its end", e.message)
  const demoLog = procs.logPath("demo")
  if (existsSync(demoLog)) process.stdout.write(`----- tail of the demo's log -----\n${tail(demoLog, 40)}\n`)
} finally {
  await procs.stopAll(15_000)
  await dropDatabase().catch((e) => log(`could not drop the database: ${e.message}`))
  log(`done in ${Math.round((Date.now() - startedAt) / 1000)} s; screenshots in ${outDir}`)
  if (results.failed) code = 1
  process.stdout.write(`${results.passed} passed, ${results.failed} failed\n`)
  process.exit(code)
}
