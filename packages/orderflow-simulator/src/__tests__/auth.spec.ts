// Authentication and channel/organisation rules (seed 003, "HTTP Authentication",
// "Channel and Organisation Authentication").

import { startSimulator, type Simulator } from "../index"
import { basic, call, importProducts, parseXml, productsXml } from "./helpers"

describe("authentication", () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      seed: 5,
      organisations: [
        { reference: "demo", channels: ["medusa", "amazon"] },
        { reference: "other", channels: ["elsewhere"] },
      ],
      users: [
        { user: "orderflow", password: "orderflow" },
        { user: "shop", password: "s3cret:with:colons", channels: ["medusa"], organisations: ["demo"] },
      ],
    })
  })
  afterAll(() => sim.close())

  it("answers 401 with realm RTD without credentials or with wrong ones, and applies nothing", async () => {
    for (const headers of [{}, { authorization: basic("orderflow", "wrong") }, { authorization: "Bearer abc" }] as Record<string, string>[]) {
      const res = await call(sim, "POST", "/remotewarehouse/imports/importitems.xml", {
        auth: false,
        headers: { ...headers, organisation: "demo" },
        body: productsXml(["NOAUTH"]),
      })
      expect(res.status).toBe(401)
      expect(res.headers["www-authenticate"]).toBe('Basic realm="RTD"')
    }
    expect(sim.state.products.has("NOAUTH")).toBe(false)
  })

  it("accepts the user and password headers, the password base64-encoded", async () => {
    const ok = await call(sim, "POST", "/remotewarehouse/imports/importitems.xml", {
      auth: false,
      headers: { user: "orderflow", password: Buffer.from("orderflow").toString("base64"), organisation: "demo" },
      body: productsXml(["HDR1"]),
    })
    expect(ok.status).toBe(200)
    expect(parseXml(ok.body).importResult.importSuccesses.import[0]["@externalReference"]).toBe("HDR1")

    const plain = await call(sim, "POST", "/remotewarehouse/imports/importitems.xml", {
      auth: false,
      headers: { user: "orderflow", password: "orderflow", organisation: "demo" },
      body: productsXml(["HDR2"]),
    })
    expect(plain.status).toBe(401)
  })

  it("splits Basic credentials at the first colon", async () => {
    const res = await call(sim, "GET", "/remoteorder/shipment/pending.xml?channel=medusa", { auth: false, headers: { authorization: basic("shop", "s3cret:with:colons") } })
    expect(res.status).toBe(200)
    expect(parseXml(res.body).shipments).toBe("")
  })

  it("refuses a channel or organisation the user may not use with UnauthorizedDataAccessException", async () => {
    const shop = { authorization: basic("shop", "s3cret:with:colons") }
    const channel = await call(sim, "GET", "/remoteorder/shipment/pending.xml?channel=amazon", { auth: false, headers: shop })
    expect(channel.status).toBe(200)
    expect(parseXml(channel.body).error.exception).toBe("rtd.exceptions.UnauthorizedDataAccessException")
    expect(parseXml(channel.body).error.message).toBe("User &apos;shop&apos; is not authorised to access channel &apos;amazon&apos;.")

    const org = await call(sim, "POST", "/remotewarehouse/imports/importitems.xml", {
      auth: false,
      headers: { ...shop, organisation: "other" },
      body: productsXml(["ORG1"]),
    })
    expect(parseXml(org.body).error.exception).toBe("rtd.exceptions.UnauthorizedDataAccessException")
    expect(sim.state.products.has("ORG1")).toBe(false)

    // An item naming a channel the user may not use fails on its own.
    const item = `<imports><import type="product" operation="insert" externalReference="ORG2">
      description=x
      channel=amazon
    </import></imports>`
    const r = parseXml((await call(sim, "POST", "/remotewarehouse/imports/importitems.xml", { auth: false, headers: { ...shop, organisation: "demo" }, body: item })).body)
    expect(r.importResult.importFailures.import[0].failureMessage).toBe("User 'shop' is not authorised to access channel 'amazon'.")
  })

  it("takes channel and organisation from the parameters over the headers", async () => {
    const res = await call(sim, "GET", "/remoteorder/shipment/pending.xml?channel=medusa", { headers: { channel: "nonexistent" } })
    expect(parseXml(res.body).shipments).toBe("")
    const headerOnly = await call(sim, "GET", "/remoteorder/shipment/pending.xml", { headers: { channel: "nonexistent" } })
    expect(parseXml(headerOnly.body).error.exception).toBe("rtd.exceptions.UnauthorizedDataAccessException")

    const imp = await call(sim, "POST", "/remotewarehouse/imports/importitems.xml?organisation=demo", {
      headers: { organisation: "nowhere" },
      body: productsXml(["PARAM1"]),
    })
    expect(parseXml(imp.body).importResult.importSuccesses.import[0]["@externalReference"]).toBe("PARAM1")
  })

  it("records every request without the credentials", async () => {
    await call(sim, "GET", "/remoteorder/shipment/pending.xml?channel=medusa", {
      headers: { user: "orderflow", password: Buffer.from("orderflow").toString("base64") },
    })
    const [doc] = sim.control.documents({ path: "pending.xml", limit: 1 })
    expect(doc.method).toBe("GET")
    expect(doc.route).toBe("/remoteorder/shipment/pending.xml")
    expect(doc.query).toEqual({ channel: "medusa" })
    expect(doc.headers.authorization).toBe("[redacted]")
    expect(doc.headers.password).toBe("[redacted]")
    expect(doc.headers.user).toBe("orderflow")
    expect(doc.status).toBe(200)
    expect(doc.responseBody).toContain("<shipments>")
    const imports = sim.control.documents({ path: "importitems" })
    expect(imports.some((d) => d.body.includes("HDR1") && d.status === 200)).toBe(true)
    expect(imports.filter((d) => d.status === 401)).toHaveLength(4)
  })

  it("answers 404 outside the API", async () => {
    const res = await call(sim, "GET", "/remoteorder/nothing.xml")
    expect(res.status).toBe(404)
    const products = await importProducts(sim, productsXml(["X"]), "demo")
    expect(products.status).toBe(200)
  })
})
