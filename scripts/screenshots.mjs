#!/usr/bin/env node
// Looks at what a merchant sees: logs into the admin of a running store
// (npm run dev) with headless Chromium and saves a screenshot of each
// OrderFlow page. Needs Debian's chromium (apt-get install chromium).
//   node scripts/screenshots.mjs [baseUrl]   -> $TMPDIR/orderflow-screenshots/*.png
//   (SCREENSHOT_DIR to write elsewhere; DESPATCH_QUERY=<tracking number> adds a searched despatch list)
// (outside the repo: `medusa develop` restarts on any file written inside it)
import { mkdirSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { chromium } from "playwright-core"

const base = (process.argv[2] ?? process.env.ADMIN_URL ?? "http://localhost:9000").replace(/\/$/, "")
const email = process.env.DEMO_ADMIN_EMAIL ?? "admin@orderflow.local"
const password = process.env.DEMO_ADMIN_PASSWORD ?? "orderflow-demo"
const out = process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), "orderflow-screenshots")
mkdirSync(out, { recursive: true })

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
})
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
page.setDefaultNavigationTimeout(180_000) // the dev admin compiles on first load
const errors = []
page.on("pageerror", (e) => errors.push(e.message))

await page.goto(`${base}/app/login`)
await page.fill('input[name="email"]', email)
await page.fill('input[name="password"]', password)
await page.click('button[type="submit"]')
await page.waitForURL(/\/app(\/orders)?$/, { timeout: 60_000 }).catch(() => {})

async function shot(name, path, waitFor) {
  await page.goto(`${base}/app${path}`)
  if (waitFor) await page.waitForSelector(waitFor, { timeout: 30_000 }).catch(() => {})
  await page.waitForTimeout(1500)
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true })
  process.stdout.write(`${out}/${name}.png  ${path}\n`)
}

await shot("settings-orderflow", "/settings/orderflow", "text=Connection to OrderFlow")
await shot("orderflow-overview", "/orderflow", "text=Queues")
await shot("orderflow-requests", "/orderflow/requests", "text=Messages received from OrderFlow")
// A filtered list: the filter lives in the URL (?status=...), as the filter menu sets it.
await shot("orderflow-requests-failed", "/orderflow/requests?status=failed", "text=Messages received from OrderFlow")
// Bulk action: select the first selectable row; the command bar ("Process now") appears.
const box = page.locator('tbody button[role="checkbox"]:not([disabled])').first()
if (await box.count()) {
  await box.click()
  await page.waitForTimeout(500)
  await page.screenshot({ path: `${out}/orderflow-requests-selected.png`, fullPage: true })
  process.stdout.write(`${out}/orderflow-requests-selected.png  (row selected)\n`)
}
// Row click opens the detail page.
await page.goto(`${base}/app/orderflow/requests`)
await page.waitForSelector("tbody tr", { timeout: 30_000 }).catch(() => {})
const row = page.locator("tbody tr td:nth-child(4)").first()
if (await row.count()) {
  await row.click()
  await page.waitForURL(/\/orderflow\/requests\/ofreq_/, { timeout: 10_000 }).catch(() => {})
  await page.waitForSelector("text=Message as received", { timeout: 30_000 }).catch(() => {})
  await page.waitForTimeout(1000)
  await page.screenshot({ path: `${out}/orderflow-request.png`, fullPage: true })
  process.stdout.write(`${out}/orderflow-request.png  ${page.url()} (after a row click)\n`)
}
await shot("orderflow-imports", "/orderflow/imports", "text=Processed messages")
await shot("orderflow-imports-shipments", "/orderflow/imports?type=shipment", "text=Processed messages")
await shot("orderflow-exports", "/orderflow/exports", "text=Calls to OrderFlow")
await shot("orderflow-despatches", "/orderflow/despatches", "text=Despatches applied to orders")
if (process.env.DESPATCH_QUERY) {
  await shot("orderflow-despatches-search", `/orderflow/despatches?q=${encodeURIComponent(process.env.DESPATCH_QUERY)}`, "text=Despatches applied to orders")
}
// Nothing matches: the filtered empty state.
await shot("orderflow-despatches-no-match", "/orderflow/despatches?q=no-such-tracking-number", "text=Despatches applied to orders")
await page.goto(`${base}/app/products`)
const product = await page.locator('a[href*="/products/prod_"]').first().getAttribute("href").catch(() => null)
if (product) await shot("product", product.replace(/^\/app/, ""))
await page.goto(`${base}/app/orders`)
const order = await page.locator('a[href*="/orders/order_"]').first().getAttribute("href").catch(() => null)
if (order) await shot("order", order.replace(/^\/app/, ""))

await browser.close()
if (errors.length) {
  process.stderr.write(`page errors:\n${errors.join("\n")}\n`)
  process.exit(1)
}
