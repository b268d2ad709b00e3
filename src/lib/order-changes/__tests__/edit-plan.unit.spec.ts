import { compareVersions, interpretReinsertReply, planOrderEdit, supportsReinsert } from "../edit-plan"

const tee = { lineItemId: "ordli_tee", sku: "TEE-M", quantity: 2 }
const mug = { lineItemId: "ordli_mug", sku: "MUG", quantity: 1 }
const cap = { lineItemId: "ordli_cap", sku: "CAP", quantity: 1 }

describe("planOrderEdit", () => {
  it("cancels the one removed line by product and line item when the other lines stay as they were", () => {
    expect(planOrderEdit({ before: [tee, mug], after: [tee], orderflowVersion: "4.3.3" })).toEqual({
      kind: "cancel_lines",
      lines: [{ productReference: "MUG", thirdPartyReference: "ordli_mug" }],
      reason: "1 line(s) removed",
    })
  })

  it("uses line cancellation below 4.3.3 too, since it needs no reinsert", () => {
    expect(planOrderEdit({ before: [tee, mug], after: [mug], orderflowVersion: "4.2.4" }).kind).toBe("cancel_lines")
  })

  it("reinserts for a reduced quantity, an added line or changed contact details from 4.3.3", () => {
    expect(planOrderEdit({ before: [tee, mug], after: [{ ...tee, quantity: 1 }, mug], orderflowVersion: "4.3.3" })).toEqual({
      kind: "reinsert",
      reason: "1 quantity change(s)",
    })
    expect(planOrderEdit({ before: [tee], after: [tee, cap], orderflowVersion: "4.4" }).kind).toBe("reinsert")
    expect(planOrderEdit({ before: [tee], after: [tee], contactChanged: true, orderflowVersion: "4.3.10" }).kind).toBe("reinsert")
  })

  it("blocks what only a reinsert could express when OrderFlow is older than 4.3.3, naming the version", () => {
    const plan = planOrderEdit({ before: [tee, mug], after: [{ ...tee, quantity: 1 }, mug], orderflowVersion: "4.3.2" })
    expect(plan.kind).toBe("blocked")
    expect(plan.reason).toContain("4.3.3")
    expect(plan.reason).toContain("4.3.2")
  })

  it("reinserts when the removed product is on two OrderFlow lines (line cancellation cannot tell them apart)", () => {
    const other = { lineItemId: "ordli_tee2", sku: "TEE-M", quantity: 1 }
    const plan = planOrderEdit({ before: [tee, other, mug], after: [tee, mug], orderflowVersion: "4.3.3" })
    expect(plan.kind).toBe("reinsert")
    expect(plan.reason).toContain("TEE-M")
  })

  it("blocks an edit that removes every line: that is a cancellation", () => {
    expect(planOrderEdit({ before: [tee, mug], after: [], orderflowVersion: "5.0" }).kind).toBe("blocked")
  })

  it("prefers one reinsert to several line cancellations from 4.3.3, and cancels line by line below", () => {
    expect(planOrderEdit({ before: [tee, mug, cap], after: [tee], orderflowVersion: "4.3.3" }).kind).toBe("reinsert")
    const old = planOrderEdit({ before: [tee, mug, cap], after: [tee], orderflowVersion: "4.3.1" })
    expect(old).toMatchObject({ kind: "cancel_lines", lines: [{ productReference: "MUG" }, { productReference: "CAP" }] })
  })

  it("needs nothing when what the warehouse ships is unchanged", () => {
    expect(planOrderEdit({ before: [tee, mug], after: [mug, tee], orderflowVersion: "4.3.3" }).kind).toBe("none")
  })
})

describe("supportsReinsert", () => {
  it("compares release numbers part by part", () => {
    expect(compareVersions("4.3.10", "4.3.3")).toBe(1)
    expect(compareVersions("4.3", "4.3.0")).toBe(0)
    expect(supportsReinsert("4.3.3")).toBe(true)
    expect(supportsReinsert("4.3.2.9")).toBe(false)
    expect(supportsReinsert("")).toBe(false)
  })
})

describe("interpretReinsertReply", () => {
  const result = (section: string, ref: string, message = "") =>
    `<importResult><${section}><import type="order" operation="reinsert" externalReference="${ref}">${message}</import></${section}></importResult>`

  it("reads the order in importSuccesses as done", () => {
    expect(interpretReinsertReply({ status: 200, body: result("importSuccesses", "1001") }, "1001")).toEqual({ kind: "done" })
  })

  it("reads an importFailures line for the order as OrderFlow refusing, with its failureMessage", () => {
    const body = result("importFailures", "1001", "<failureMessage>Shipment 1001_1 is packed</failureMessage>")
    expect(interpretReinsertReply({ status: 200, body }, "1001")).toEqual({ kind: "refused", message: "Shipment 1001_1 is packed" })
  })

  it("reads an <error> document as a refusal and an HTML 502 as nothing known", () => {
    const error = `<error><message><![CDATA[Unsupported operation 'reinsert']]></message><exception>rtd.exceptions.InvalidDataException</exception></error>`
    expect(interpretReinsertReply({ status: 200, body: error }, "1001")).toEqual({
      kind: "refused",
      message: "Unsupported operation 'reinsert' (InvalidDataException)",
    })
    expect(interpretReinsertReply({ status: 502, body: "<html><title>Bad gateway</title></html>" }, "1001").kind).toBe("retry")
  })
})
