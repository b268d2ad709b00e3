import path from "node:path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { ORDERFLOW_MODULE } from "../../../types"
import OrderflowModuleService, { ReceiveInboundMessageInput } from "../service"

jest.setTimeout(60_000)

// The module must take ORDERFLOW__* only from its `env` option: this one is
// set where it would be seen if the module read the process environment.
process.env.ORDERFLOW__API__CHANNEL = "from-process-env"
afterAll(() => {
  delete process.env.ORDERFLOW__API__CHANNEL
})

const T0 = new Date("2026-03-01T10:00:00.000Z")
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000)

let seq = 0
function message(messageSeqId: number | null, overrides: Partial<ReceiveInboundMessageInput> = {}): ReceiveInboundMessageInput {
  seq += 1
  return {
    type: "inventory",
    message_seq_id: messageSeqId,
    dedupe_key: `inventory:${messageSeqId ?? `none-${seq}`}`,
    content_type: "application/json",
    body: `{"messageSeqId":${messageSeqId}}`,
    payload: { messageSeqId },
    line_count: 1,
    received_at: at(seq),
    ...overrides,
  }
}

const sku = (reference: string) => ({ entity_type: "product" as const, entity_id: `iitem_${reference}`, reference })

moduleIntegrationTestRunner<OrderflowModuleService>({
  moduleName: ORDERFLOW_MODULE,
  resolve: path.join(__dirname, ".."),
  // The real migrations, so ON CONFLICT runs against the partial unique indexes as deployed.
  pathToMigrations: path.join(__dirname, "..", "migrations"),
  moduleOptions: { env: { ORDERFLOW__API__ORGANISATION: "acme-from-option" } },
  testSuite: ({ service, MikroOrmWrapper }) => {
    describe("inbound queue", () => {
      it("stores a re-delivery as duplicate of the first; one pending row per message", async () => {
        const first = await service.receiveInboundMessage(message(71))
        const again = await service.receiveInboundMessage(message(71))

        expect(first).toEqual({ id: expect.stringMatching(/^ofreq_/), status: "pending", duplicate_of_id: null })
        expect(again).toEqual({ id: expect.stringMatching(/^ofreq_/), status: "duplicate", duplicate_of_id: first.id })
        const rows = await service.listOrderflowRequests({ dedupe_key: "inventory:71" }, { order: { received_at: "ASC" } })
        expect(rows.map((r) => [r.id, r.status, r.duplicate_of_id])).toEqual([
          [first.id, "pending", null],
          [again.id, "duplicate", first.id],
        ])
        expect(rows[1].processed_at).toEqual(rows[1].received_at)
      })

      it("of five concurrent deliveries of one message exactly one is pending, the others point at it", async () => {
        const results = await Promise.all([1, 2, 3, 4, 5].map(() => service.receiveInboundMessage(message(72))))

        const pending = results.filter((r) => r.status === "pending")
        expect(pending).toHaveLength(1)
        expect(results.filter((r) => r.status === "duplicate").map((r) => r.duplicate_of_id)).toEqual(Array(4).fill(pending[0].id))
        expect(await service.listOrderflowRequests({ dedupe_key: "inventory:72", status: "pending" })).toEqual([
          expect.objectContaining({ id: pending[0].id }),
        ])
      })

      it("of five concurrent re-pushes of a dead-lettered message exactly one re-queues it; the others are duplicates of it", async () => {
        const original = await service.receiveInboundMessage(message(73))
        await service.updateOrderflowRequests({ id: original.id, status: "failed", attempts: 5, error: "boom", processed_at: at(100) })

        const results = await Promise.all([1, 2, 3, 4, 5].map(() => service.receiveInboundMessage(message(73))))

        expect(results.filter((r) => r.requeued)).toEqual([{ id: original.id, status: "pending", duplicate_of_id: null, requeued: true }])
        expect(results.filter((r) => r.status === "duplicate").map((r) => r.duplicate_of_id)).toEqual(Array(4).fill(original.id))
        const [row] = await service.listOrderflowRequests({ id: original.id })
        expect(row).toMatchObject({ status: "pending", attempts: 0, next_attempt_at: null, processed_at: null })
        expect(row.error).toMatch(/^re-queued by a re-push from OrderFlow at .*\(it had failed: boom\)$/)
      })

      it("resolves failed requests all or none, and log cleaning deletes a failed request only once resolved", async () => {
        const a = await service.receiveInboundMessage(message(74, { received_at: at(-400 * 86400) }))
        const b = await service.receiveInboundMessage(message(75, { received_at: at(-400 * 86400) }))
        await service.updateOrderflowRequests({ id: a.id, status: "failed" })
        const window = { historyBefore: at(-30 * 86400), bodyBefore: at(-7 * 86400) }

        expect(await service.resolveRequests({ ids: [a.id, b.id], by: "user_1", now: at(0) })).toEqual({ resolved: [], refused: [{ id: b.id, status: "pending" }] })
        expect(await service.cleanLogs(window)).toMatchObject({ requestsDeleted: 0, requestBodiesCleared: 0 })
        expect((await service.listOrderflowRequests({ id: a.id }))[0]).toMatchObject({ status: "failed", body: '{"messageSeqId":74}' })

        expect(await service.resolveRequests({ ids: [a.id], by: "user_1", now: at(0) })).toEqual({ resolved: [a.id], refused: [] })
        expect((await service.listOrderflowRequests({ id: a.id }))[0]).toMatchObject({ status: "resolved", resolved_by: "user_1", resolved_at: at(0) })
        expect(await service.cleanLogs(window)).toMatchObject({ requestsDeleted: 1 })
        expect((await service.listOrderflowRequests({})).map((r) => r.id)).toEqual([b.id])
      })

      it("claims due pending requests in messageSeqId order (no id last), leased to the claimer; limit takes the lowest", async () => {
        const s3 = await service.receiveInboundMessage(message(3))
        const none = await service.receiveInboundMessage(message(null))
        const s1 = await service.receiveInboundMessage(message(1))
        const s2 = await service.receiveInboundMessage(message(2))
        const later = await service.receiveInboundMessage(message(0))
        await service.updateOrderflowRequests({ id: later.id, next_attempt_at: at(3600) })
        await service.receiveInboundMessage(message(4, { type: "shipment", dedupe_key: "shipment:4" }))

        const firstTwo = await service.claimRequests({ type: "inventory", limit: 2, now: at(100), leaseMs: 60_000, claimedBy: "worker-a" })
        const rest = await service.claimRequests({ type: "inventory", limit: 10, now: at(100), leaseMs: 60_000, claimedBy: "worker-b" })

        expect(firstTwo.map((r) => r.id)).toEqual([s1.id, s2.id])
        expect(firstTwo[0]).toMatchObject({ type: "inventory", message_seq_id: 1, dedupe_key: "inventory:1", payload: { messageSeqId: 1 }, attempts: 0 })
        expect(rest.map((r) => r.id)).toEqual([s3.id, none.id])
        const claimed = await service.retrieveOrderflowRequest(s1.id)
        expect(claimed).toMatchObject({ status: "processing", claimed_by: "worker-a", claimed_until: at(160) })
        expect((await service.retrieveOrderflowRequest(later.id)).status).toBe("pending")
      })

      it("skips a request another transaction holds locked instead of waiting for it (SKIP LOCKED)", async () => {
        const s1 = await service.receiveInboundMessage(message(11))
        const s2 = await service.receiveInboundMessage(message(12))
        const knex = MikroOrmWrapper.forkManager().getKnex()
        const trx = await knex.transaction()
        try {
          await trx("orderflow_request").select("id").where({ id: s1.id }).forUpdate()

          // Without SKIP LOCKED the claim would wait for the lock: fail fast instead of hanging.
          let timer: NodeJS.Timeout | undefined
          const waited = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error("the claim waited for the locked row")), 5_000)
          })
          const claimed = await Promise.race([
            service.claimRequests({ type: "inventory", limit: 10, now: at(100), leaseMs: 60_000, claimedBy: "worker-b" }),
            waited,
          ]).finally(() => clearTimeout(timer))

          expect(claimed.map((r) => r.id)).toEqual([s2.id])
        } finally {
          await trx.rollback()
        }
        expect((await service.retrieveOrderflowRequest(s1.id)).status).toBe("pending")
      })

      it("releases only claims whose lease has passed, back to pending and claimable again, counting the dead claim as an attempt", async () => {
        const crashed = await service.receiveInboundMessage(message(21))
        await service.claimRequests({ type: "inventory", limit: 1, now: at(100), leaseMs: 1_000, claimedBy: "dead-worker" })
        const alive = await service.receiveInboundMessage(message(22))
        await service.claimRequests({ type: "inventory", limit: 1, now: at(105), leaseMs: 60_000, claimedBy: "live-worker" })

        const released = await service.releaseExpiredClaims({ type: "inventory", now: at(110), maxAttempts: 5 })

        expect(released).toEqual({ released: 1, dead: [] })
        expect(await service.retrieveOrderflowRequest(crashed.id)).toMatchObject({ status: "pending", attempts: 1, claimed_by: null, claimed_until: null })
        expect(await service.retrieveOrderflowRequest(alive.id)).toMatchObject({ status: "processing", claimed_by: "live-worker" })
        const again = await service.claimRequests({ type: "inventory", limit: 5, now: at(111), leaseMs: 60_000, claimedBy: "worker-c" })
        expect(again.map((r) => r.id)).toEqual([crashed.id])
      })

      it("a request whose claims keep dying is failed for good at the retry policy's maximum, never claimed again", async () => {
        const poison = await service.receiveInboundMessage(message(23))
        for (let i = 0; i < 2; i++) {
          const t = 100 + i * 10
          expect(await service.claimRequests({ type: "inventory", limit: 1, now: at(t), leaseMs: 1_000, claimedBy: `victim-${i}` })).toHaveLength(1)
          const { released, dead } = await service.releaseExpiredClaims({ type: "inventory", now: at(t + 5), maxAttempts: 2 })
          if (i === 0) expect({ released, dead }).toEqual({ released: 1, dead: [] })
          else {
            expect(released).toBe(0)
            expect(dead).toEqual([{ id: poison.id, message_seq_id: 23, attempts: 2, error: expect.stringContaining("stopped 2 times") }])
          }
        }
        expect(await service.retrieveOrderflowRequest(poison.id)).toMatchObject({ status: "failed", attempts: 2, processed_at: at(115), claimed_by: null })
        expect(await service.claimRequests({ type: "inventory", limit: 5, now: at(200), leaseMs: 1_000, claimedBy: "next" })).toEqual([])
      })

      it("a live claimant renews its lease; a claimant that lost its claim renews nothing and cannot settle it", async () => {
        const req = await service.receiveInboundMessage(message(24))
        await service.claimRequests({ type: "inventory", limit: 1, now: at(100), leaseMs: 1_000, claimedBy: "slow" })
        expect(await service.renewRequestClaims({ ids: [req.id], claimedBy: "slow", until: at(200), now: at(100) })).toBe(1)
        expect((await service.releaseExpiredClaims({ type: "inventory", now: at(150), maxAttempts: 5 })).released).toBe(0)
        expect(await service.retrieveOrderflowRequest(req.id)).toMatchObject({ status: "processing", claimed_by: "slow", claimed_until: at(200) })

        // The lease passes without renewal and another worker claims it.
        await service.releaseExpiredClaims({ type: "inventory", now: at(201), maxAttempts: 5 })
        await service.claimRequests({ type: "inventory", limit: 1, now: at(202), leaseMs: 60_000, claimedBy: "new-owner" })
        expect(await service.renewRequestClaims({ ids: [req.id], claimedBy: "slow", until: at(400), now: at(203) })).toBe(0)
        expect(await service.settleFailedRequest({ id: req.id, claimedBy: "slow", error: "late", attempts: 9, nextAttemptAt: null, final: true, now: at(204) })).toBe(false)
        await expect(
          service.recordImports({
            imports: [{ request_id: req.id, type: "inventory", message_seq_id: 24, status: "success", duration_ms: 1, lines: [{ sku: "LOST", outcome: "applied", location_id: "sloc_1", seq_id: 24 }] }],
            sequence_writes: [{ sku: "LOST", location_id: "sloc_1", seq_id: 24 }],
            now: at(205),
            claimed_by: "slow",
          })
        ).rejects.toThrow(/no longer claimed by slow/)
        // Nothing of the late record stays: no report, no sequence id, the new owner's claim untouched.
        expect(await service.listOrderflowImports({ request_id: req.id })).toEqual([])
        expect(await service.getInventorySequences(["LOST"], ["sloc_1"])).toEqual([])
        expect(await service.retrieveOrderflowRequest(req.id)).toMatchObject({ status: "processing", claimed_by: "new-owner", attempts: 1 })
      })

      it("a failed request is retried later (pending, due at the retry time) or, when final, failed for good", async () => {
        const retry = await service.receiveInboundMessage(message(31))
        const final = await service.receiveInboundMessage(message(32))
        await service.claimRequests({ type: "inventory", limit: 2, now: at(100), leaseMs: 60_000, claimedBy: "w" })

        await service.settleFailedRequest({ id: retry.id, claimedBy: "w", error: "boom", attempts: 1, nextAttemptAt: at(160), final: false, now: at(101) })
        await service.settleFailedRequest({ id: final.id, claimedBy: "w", error: "x".repeat(5000), attempts: 5, nextAttemptAt: null, final: true, now: at(101) })

        expect(await service.retrieveOrderflowRequest(retry.id)).toMatchObject({
          status: "pending", attempts: 1, error: "boom", next_attempt_at: at(160), processed_at: null, claimed_by: null,
        })
        const failed = await service.retrieveOrderflowRequest(final.id)
        expect(failed).toMatchObject({ status: "failed", attempts: 5, next_attempt_at: null, processed_at: at(101), claimed_by: null })
        expect(failed.error).toHaveLength(4000)
        expect(await service.claimRequests({ type: "inventory", limit: 5, now: at(159), leaseMs: 1, claimedBy: "w" })).toEqual([])
        expect((await service.claimRequests({ type: "inventory", limit: 5, now: at(160), leaseMs: 1, claimedBy: "w" })).map((r) => r.id)).toEqual([retry.id])
      })
    })

    describe("despatch context", () => {
      it("reads a despatch's export row, its order's open kit rows, this request's kit progress and despatch, and the other applied requests of its parcel and number", async () => {
        const despatch = (seqId: number, parcel: string) =>
          message(seqId, { type: "shipment", dedupe_key: `shipment:${seqId}:${parcel}`, parcel_key: parcel })
        const first = await service.receiveInboundMessage(despatch(500, "parcel-A"))
        const second = await service.receiveInboundMessage(despatch(501, "parcel-A"))
        const pending = await service.receiveInboundMessage(despatch(502, "parcel-A"))
        const other = await service.receiveInboundMessage(despatch(503, "parcel-B"))
        const current = await service.receiveInboundMessage({ ...despatch(500, "parcel-A"), dedupe_key: "shipment:500:changed" })
        await service.updateOrderflowRequests({ selector: { id: [first.id, second.id, other.id] }, data: { status: "processed" } })
        await service.createOrderflowExportItems([{ entity_type: "order", entity_id: "order_1", reference: "R1", status: "exported", exported_at: T0 }])
        // tracking_numbers is a JSON array; the generated type says object.
        await service.createOrderflowKitComponents(<any[]>[
          { order_id: "order_1", line_item_id: "li_1", sku: "A", quantity: 2, request_id: first.id, tracking_numbers: ["T1"], fulfillment_id: null },
          { order_id: "order_1", line_item_id: "li_1", sku: "B", quantity: 1, request_id: first.id, tracking_numbers: ["T0"], fulfillment_id: "ful_1" },
          { order_id: "order_2", line_item_id: "li_2", sku: "A", quantity: 1, request_id: other.id, tracking_numbers: [], fulfillment_id: null },
          { order_id: "order_3", line_item_id: "li_3", sku: "C", quantity: 1, request_id: current.id, tracking_numbers: [], fulfillment_id: "ful_3" },
        ])
        await service.createOrderflowDespatches([{ request_id: current.id, order_id: "order_1", order_reference: "R1" }])

        const context = await service.getDespatchContext({ request_id: current.id, reference: "R1", parcel_key: "parcel-A", message_seq_id: 500 })
        expect(context).toEqual({
          export_item: expect.objectContaining({ entity_id: "order_1", order_id: null, status: "exported" }),
          open_kit: [{ line_item_id: "li_1", sku: "A", quantity: 2, tracking_numbers: ["T1"] }],
          kit_before: true,
          twins: [{ id: first.id, dedupe_key: "shipment:500:parcel-A" }, { id: second.id, dedupe_key: "shipment:501:parcel-A" }],
          same_seq_applied: first.id,
          despatch_recorded: true,
        })
        expect(pending.status).toBe("pending")

        const none = await service.getDespatchContext({ request_id: pending.id, reference: "R9", parcel_key: "parcel-C", message_seq_id: null })
        expect(none).toEqual({ export_item: null, open_kit: [], kit_before: false, twins: [], same_seq_applied: null, despatch_recorded: false })
      })
    })

    describe("history and sequences", () => {
      it("recordImports writes the report, moves sequence ids only forward and settles the requests", async () => {
        const first = await service.receiveInboundMessage(message(41))
        const rejected = await service.receiveInboundMessage(message(42))
        await service.claimRequests({ type: "inventory", limit: 2, now: at(100), leaseMs: 60_000, claimedBy: "w" })

        const recorded = await service.recordImports({
          imports: [
            {
              request_id: first.id, type: "inventory", message_seq_id: 41, status: "partial", duration_ms: 12,
              lines: [
                { sku: "A", outcome: "applied", location_id: "sloc_1", seq_id: 10 },
                { sku: "B", outcome: "stale", location_id: "sloc_1", seq_id: 3 },
              ],
            },
            { request_id: rejected.id, type: "inventory", message_seq_id: 42, status: "failed", duration_ms: 1, error: "bad lines", lines: [], request_status: "failed" },
          ],
          sequence_writes: [
            { sku: "A", location_id: "sloc_1", seq_id: 10 },
            { sku: "B", location_id: "sloc_1", seq_id: 5, request_id: "ofreq_earlier" },
          ],
          now: at(101),
        })
        await service.recordImports({
          imports: [],
          sequence_writes: [
            { sku: "A", location_id: "sloc_1", seq_id: 7, request_id: "ofreq_replay" },
            { sku: "B", location_id: "sloc_1", seq_id: 6, request_id: "ofreq_newer" },
          ],
          now: at(102),
        })

        expect(recorded.map((r) => r.request_id)).toEqual([first.id, rejected.id])
        const [report] = await service.listOrderflowImports({ request_id: first.id })
        expect(report).toMatchObject({ id: recorded[0].import_id, status: "partial", line_count: 2, applied_count: 1, stale_count: 1 })
        expect(await service.retrieveOrderflowRequest(first.id)).toMatchObject({
          status: "processed", import_id: recorded[0].import_id, processed_at: at(101), error: null, claimed_by: null, claimed_until: null,
        })
        expect(await service.retrieveOrderflowRequest(rejected.id)).toMatchObject({ status: "failed", error: "bad lines" })
        const sequences = await service.getInventorySequences(["A", "B", "C"], ["sloc_1"])
        expect(sequences.map((s) => [s.sku, s.seq_id]).sort()).toEqual([["A", 10], ["B", 6]])
        const [a] = await service.listOrderflowInventorySequences({ sku: "A" })
        expect(a.request_id).toBe(rejected.id)
      })

      it("cleanLogs deletes old history and bodies but never a request still waiting", async () => {
        const old = await service.receiveInboundMessage(message(51, { received_at: at(-100) }))
        const waiting = await service.receiveInboundMessage(message(52, { received_at: at(-100) }))
        await service.recordImports({
          imports: [{ request_id: old.id, type: "inventory", message_seq_id: 51, status: "success", duration_ms: 1, lines: [] }],
          sequence_writes: [],
          now: at(-50),
        })

        const cleaned = await service.cleanLogs({ historyBefore: at(0), bodyBefore: at(0) })

        expect(cleaned).toMatchObject({ importsDeleted: 1, requestsDeleted: 1 })
        expect(await service.listOrderflowRequests({ id: [old.id, waiting.id] })).toEqual([
          expect.objectContaining({ id: waiting.id, status: "pending", body: '{"messageSeqId":52}' }),
        ])
      })
    })

    describe("export queue", () => {
      it("claims due pending and failed items oldest change first; a failed item not yet due and a skipped one stay", async () => {
        await service.markExportPending([sku("B")], { now: at(2) })
        await service.markExportPending([sku("A")], { now: at(1) })
        await service.markExportPending([sku("C"), sku("D")], { now: at(3) })
        await service.markExportPending([{ ...sku("GIFT"), skip_reason: "gift card" }], { now: at(0) })
        const [c] = await service.listOrderflowExportItems({ reference: "C" })
        const [d] = await service.listOrderflowExportItems({ reference: "D" })
        await service.updateOrderflowExportItems([
          { id: c.id, status: "failed", attempts: 2, next_attempt_at: at(50) },
          { id: d.id, status: "failed", attempts: 2, next_attempt_at: at(500) },
        ])

        const { items, released } = await service.claimExportItems({ entity_type: "product", limit: 10, now: at(100), leaseMs: 60_000 })

        expect(released).toBe(0)
        expect(items.map((i) => [i.reference, i.status])).toEqual([["A", "queued"], ["B", "queued"], ["C", "queued"]])
        expect(items[0].queued_at).toEqual(at(100))
        expect((await service.retrieveOrderflowExportItem(d.id)).status).toBe("failed")
        expect((await service.listOrderflowExportItems({ reference: "GIFT" }))[0]).toMatchObject({ status: "skipped", skip_reason: "gift card" })
      })

      it("settles a call: success and duplicate exported at the send time, failure failed with attempts and retry, missing pending", async () => {
        await service.markExportPending(["OK", "DUP", "BAD", "LOST", "DEAD"].map(sku), { now: at(1) })
        const { items } = await service.claimExportItems({ entity_type: "product", limit: 10, now: at(100), leaseMs: 60_000 })
        const id = (reference: string) => items.find((i) => i.reference === reference)!.id

        const settled = await service.settleExport({
          record: { operation: "product_import", trigger: "schedule", status: "partial", http_status: 200, duration_ms: 41.6, request_body: "<imports/>", response_body: "<importResult/>" },
          outcomes: [
            { id: id("OK"), reference: "OK", outcome: "success", attempts: 0 },
            { id: id("DUP"), reference: "DUP", outcome: "duplicate", attempts: 0 },
            { id: id("BAD"), reference: "BAD", outcome: "failure", message: "unknown channel", attempts: 1, next_attempt_at: at(160) },
            { id: id("DEAD"), reference: "DEAD", outcome: "failure", message: "refused", attempts: 5, next_attempt_at: null },
            { id: id("LOST"), reference: "LOST", outcome: "missing", line_outcome: "failure", message: "not in reply", attempts: 0 },
          ],
          now: at(102),
          sent_at: at(100),
        })

        expect(settled).toEqual({ export_id: expect.stringMatching(/^ofexp_/), final_failures: [id("DEAD")] })
        const byRef = Object.fromEntries(
          (await service.listOrderflowExportItems({ id: items.map((i) => i.id) })).map((i) => [i.reference, i])
        )
        expect(byRef.OK).toMatchObject({ status: "exported", exported_at: at(100), attempts: 0, last_error: null, queued_at: null, last_export_id: settled.export_id })
        expect(byRef.DUP).toMatchObject({ status: "exported", exported_at: at(100) })
        expect(byRef.BAD).toMatchObject({ status: "failed", attempts: 1, next_attempt_at: at(160), last_error: "unknown channel", exported_at: null })
        expect(byRef.DEAD).toMatchObject({ status: "failed", attempts: 5, next_attempt_at: null, last_error: "refused" })
        expect(byRef.LOST).toMatchObject({ status: "pending", exported_at: null, last_error: "not in reply", queued_at: null })
        const record = await service.retrieveOrderflowExport(settled.export_id, { relations: ["lines"] })
        expect(record).toMatchObject({ item_count: 5, success_count: 1, duplicate_count: 1, failure_count: 2, duration_ms: 42, status: "partial" })
        expect(record.lines.map((l) => [l.reference, l.outcome]).sort()).toEqual([
          ["BAD", "failure"], ["DEAD", "failure"], ["DUP", "duplicate"], ["LOST", "failure"], ["OK", "success"],
        ])
      })

      it("an item changed while in flight stays queued, then goes back to pending when its call succeeds", async () => {
        await service.markExportPending([sku("E")], { now: at(1) })
        const { items } = await service.claimExportItems({ entity_type: "product", limit: 10, now: at(100), leaseMs: 60_000 })

        await service.markExportPending([{ ...sku("E"), reference: "E" }], { now: at(101) })
        expect((await service.retrieveOrderflowExportItem(items[0].id)).status).toBe("queued")
        await service.settleExport({
          record: { operation: "product_import", trigger: "schedule", status: "success", duration_ms: 1 },
          outcomes: [{ id: items[0].id, reference: "E", outcome: "success", attempts: 0 }],
          now: at(102),
        })

        expect(await service.retrieveOrderflowExportItem(items[0].id)).toMatchObject({ status: "pending", changed_at: at(101), exported_at: at(102) })
      })

      it("an item queued longer than the lease is released (the dead claim counting as an attempt) and claimed again", async () => {
        await service.markExportPending([sku("F")], { now: at(1) })
        await service.claimExportItems({ entity_type: "product", limit: 10, now: at(100), leaseMs: 60_000, claimedBy: "dead-run" })

        const early = await service.claimExportItems({ entity_type: "product", limit: 10, now: at(159), leaseMs: 60_000, claimedBy: "run-2" })
        const late = await service.claimExportItems({ entity_type: "product", limit: 10, now: at(161), leaseMs: 60_000, claimedBy: "run-3" })

        expect(early).toEqual({ items: [], released: 0, dead: [] })
        expect(late.released).toBe(1)
        expect(late.items.map((i: any) => [i.reference, i.queued_at, i.attempts, i.claimed_by])).toEqual([["F", at(161), 1, "run-3"]])
      })

      it("an item whose runs keep dying is failed for good at the retry maximum and not claimed again", async () => {
        await service.markExportPending([sku("POISON")], { now: at(1) })
        await service.claimExportItems({ entity_type: "product", limit: 10, now: at(100), leaseMs: 1_000, claimedBy: "run-1", maxAttempts: 2 })
        const second = await service.claimExportItems({ entity_type: "product", limit: 10, now: at(110), leaseMs: 1_000, claimedBy: "run-2", maxAttempts: 2 })
        expect(second).toMatchObject({ released: 1, dead: [] })
        expect(second.items).toHaveLength(1)

        const third = await service.claimExportItems({ entity_type: "product", limit: 10, now: at(120), leaseMs: 1_000, claimedBy: "run-3", maxAttempts: 2 })

        expect(third.items).toEqual([])
        expect(third.dead).toEqual([{ id: second.items[0].id, reference: "POISON", entity_id: second.items[0].entity_id, attempts: 2, last_error: expect.stringContaining("stopped 2 times") }])
        expect(await service.retrieveOrderflowExportItem(second.items[0].id)).toMatchObject({ status: "failed", attempts: 2, next_attempt_at: null, claimed_by: null })
      })

      it("a duplicate answer dates the export from the first unanswered send, so stock import counts the order as seen since then", async () => {
        await service.markExportPending([{ entity_type: "order", entity_id: "order_X", reference: "1001" }], { now: at(1) })
        const record = { operation: "order_import", trigger: "schedule", status: "failed", duration_ms: 1 } as const
        const first = await service.claimExportItems({ entity_type: "order", limit: 10, now: at(100), leaseMs: 60_000, claimedBy: "r1" })
        const id = first.items[0].id
        // Timed out after OrderFlow stored it.
        await service.settleExport({ record, outcomes: [{ id, reference: "1001", outcome: "missing", attempts: 1, next_attempt_at: at(110), maybe_received: true }], now: at(105), sent_at: at(100), claimed_by: "r1" })
        // Retry: a 503, nothing stored this time; the first send stays the date.
        await service.claimExportItems({ entity_type: "order", limit: 10, now: at(110), leaseMs: 60_000, claimedBy: "r2" })
        await service.settleExport({ record, outcomes: [{ id, reference: "1001", outcome: "missing", attempts: 2, next_attempt_at: at(120), maybe_received: true }], now: at(111), sent_at: at(110), claimed_by: "r2" })
        expect(await service.retrieveOrderflowExportItem(id)).toMatchObject({ status: "pending", unconfirmed_sent_at: at(100), exported_at: null })

        await service.claimExportItems({ entity_type: "order", limit: 10, now: at(120), leaseMs: 60_000, claimedBy: "r3" })
        await service.settleExport({ record: { ...record, status: "success" }, outcomes: [{ id, reference: "1001", outcome: "duplicate", attempts: 0 }], now: at(121), sent_at: at(120), claimed_by: "r3" })

        expect(await service.retrieveOrderflowExportItem(id)).toMatchObject({ status: "exported", exported_at: at(100), unconfirmed_sent_at: null })
      })

      it("a run killed during its call leaves the send time, which the claim's expiry keeps as unconfirmed and a duplicate answer dates the export from", async () => {
        await service.markExportPending([{ entity_type: "order", entity_id: "order_K", reference: "2002" }], { now: at(1) })
        const first = await service.claimExportItems({ entity_type: "order", limit: 10, now: at(100), leaseMs: 1_000, claimedBy: "killed" })
        const id = first.items[0].id
        expect(await service.markExportItemsSending({ ids: [id], claimedBy: "someone-else", at: at(101) })).toBe(0)
        expect(await service.markExportItemsSending({ ids: [id], claimedBy: "killed", at: at(101) })).toBe(1)
        expect(await service.retrieveOrderflowExportItem(id)).toMatchObject({ status: "queued", send_started_at: at(101), unconfirmed_sent_at: null })

        // The worker dies during the call; the next run finds the lease passed.
        const second = await service.claimExportItems({ entity_type: "order", limit: 10, now: at(200), leaseMs: 60_000, claimedBy: "r2" })
        expect(second.released).toBe(1)
        expect(await service.retrieveOrderflowExportItem(id)).toMatchObject({ status: "queued", claimed_by: "r2", send_started_at: null, unconfirmed_sent_at: at(101) })

        await service.markExportItemsSending({ ids: [id], claimedBy: "r2", at: at(201) })
        const record = { operation: "order_import", trigger: "schedule", status: "success", duration_ms: 1 } as const
        await service.settleExport({ record, outcomes: [{ id, reference: "2002", outcome: "duplicate", attempts: 0 }], now: at(202), sent_at: at(201), claimed_by: "r2" })

        expect(await service.retrieveOrderflowExportItem(id)).toMatchObject({ status: "exported", exported_at: at(101), unconfirmed_sent_at: null, send_started_at: null })
      })

      it("a run settles only the items it still holds; renewing keeps them, a lost claim is left to the run that took it", async () => {
        await service.markExportPending([sku("KEEP"), sku("LOSE")], { now: at(1) })
        const { items } = await service.claimExportItems({ entity_type: "product", limit: 10, now: at(100), leaseMs: 1_000, claimedBy: "slow-run" })
        const keep = items.find((i) => i.reference === "KEEP")!
        const lose = items.find((i) => i.reference === "LOSE")!
        expect(await service.renewExportClaims({ ids: [keep.id], claimedBy: "slow-run", until: at(500), now: at(100) })).toBe(1)
        const other = await service.claimExportItems({ entity_type: "product", limit: 10, now: at(200), leaseMs: 60_000, claimedBy: "other-run" })
        expect(other.items.map((i) => i.reference)).toEqual(["LOSE"])

        await service.settleExport({
          record: { operation: "product_import", trigger: "schedule", status: "success", duration_ms: 1 },
          outcomes: [keep, lose].map((i) => ({ id: i.id, reference: i.reference, outcome: "success" as const, attempts: 0 })),
          now: at(201),
          claimed_by: "slow-run",
        })

        expect(await service.retrieveOrderflowExportItem(keep.id)).toMatchObject({ status: "exported", claimed_by: null })
        expect(await service.retrieveOrderflowExportItem(lose.id)).toMatchObject({ status: "queued", claimed_by: "other-run" })
      })

      it("reset puts exported and failed items back to pending with attempts cleared; queued and skipped are left alone", async () => {
        await service.markExportPending(["G", "H", "Q"].map(sku), { now: at(1) })
        await service.markExportPending([{ ...sku("S"), skip_reason: "virtual" }], { now: at(1) })
        const all = await service.listOrderflowExportItems({ entity_type: "product" })
        const byRef = Object.fromEntries(all.map((i) => [i.reference, i.id]))
        await service.updateOrderflowExportItems([
          { id: byRef.G, status: "exported" },
          { id: byRef.H, status: "failed", attempts: 5, last_error: "refused", next_attempt_at: null },
          { id: byRef.Q, status: "queued" },
        ])

        const count = await service.resetExportItems({ entity_type: "product", now: at(200) })

        expect(count).toBe(2)
        const after = Object.fromEntries(
          (await service.listOrderflowExportItems({ entity_type: "product" })).map((i) => [i.reference, i])
        )
        expect(after.G).toMatchObject({ status: "pending", changed_at: at(200) })
        expect(after.H).toMatchObject({ status: "pending", attempts: 0, last_error: null, changed_at: at(200) })
        expect(after.Q.status).toBe("queued")
        expect(after.S.status).toBe("skipped")
      })
    })

    describe("settings", () => {
      it("takes ORDERFLOW__* from the env option (locked) and never from process.env", async () => {
        const current = await service.getCurrentSettings()

        expect(current.settings.api.organisation).toBe("acme-from-option")
        expect(current.locked).toContain("api.organisation")
        expect(current.settings.api.channel).toBe("")
        expect(current.locked).not.toContain("api.channel")
      })

      it("saves, exports and restores the stored groups, hashing the inbound password", async () => {
        await service.updateSettings({ inbound: { username: "of", password: "s3cret" }, productExport: { batchSize: 150 } })
        const saved = await service.exportStoredSettings()
        await service.updateSettings({ productExport: { batchSize: 10 }, email: { adminEmail: "ops@example.com" } })

        await service.restoreStoredSettings(saved)

        expect(Object.keys(saved).sort()).toEqual(["inbound", "productExport"])
        expect(saved.inbound).toMatchObject({ username: "of", passwordHash: expect.stringMatching(/^scrypt\$/) })
        expect(JSON.stringify(saved)).not.toContain("s3cret")
        const current = await service.getCurrentSettings()
        expect(current.settings.productExport.batchSize).toBe(150)
        expect(current.settings.email.adminEmail).toBe("")
        expect(current.inboundPasswordHash).toBe((saved.inbound as { passwordHash: string }).passwordHash)
        expect(await service.listOrderflowSettings({})).toHaveLength(2)
      })
    })
  },
})
