import { Context } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext, MedusaError, MedusaService } from "@medusajs/framework/utils"
import { ExportEntityType, ExportItemStatus, FAILED_LINE_OUTCOMES, RequestType } from "../../types"
import { settingsFromEnv, settingsFromOptions, SettingsPatch } from "../../lib/settings"
import { secretKeyPolicy } from "../../lib/settings/secret-box"
import {
  OrderflowDespatch,
  OrderflowEndpointState,
  OrderflowExport,
  OrderflowExportItem,
  OrderflowExportLine,
  OrderflowImport,
  OrderflowImportLine,
  OrderflowIncident,
  OrderflowInventorySequence,
  OrderflowOperationRun,
  OrderflowRequest,
  OrderflowSetting,
} from "./models"
import { OrderflowAppliedReturn, OrderflowReturn, OrderflowReturnLine, OrderflowReturnPull } from "./models"
import { OrderflowKitComponent } from "./models"
import { OrderflowApiSession, OrderflowDespatchPull } from "./models"
import { OrderflowSequenceReset, OrderflowStockDrift } from "./models"
import { RecordStockDriftInput, StockDriftRepository, StockDriftRow } from "./repositories/stock-drift"
import {
  ClaimExportItemsInput,
  DeadExportItem,
  ExportItemOutcome,
  ExportItemRow,
  ExportQueueRepository,
  MarkExportPendingInput,
} from "./repositories/export-queue"
import { ActivityBucket, HealthRepository } from "./repositories/health"
import { EndpointOutcome, EndpointState, EndpointTransition, IncidentRow, IncidentsRepository, RaiseIncidentInput } from "./repositories/incidents"
import {
  DespatchRecord,
  KitComponentWrite,
  ExportCallRecord,
  HistoryRepository,
  LogCleaningWindow,
  RecordImportInput,
} from "./repositories/history"
import {
  ClaimedRequest,
  ClaimRequestsInput,
  DespatchContext,
  InboundQueueRepository,
  ReceiveInboundMessageInput,
  ReceivedInboundMessage,
  ReleasedClaims,
  ResolvedRequests,
  SettledRequest,
  SettleFailedRequestInput,
} from "./repositories/inbound-queue"
import { ClearedSequence, InventorySequence, SequencesRepository, SequenceWrite } from "./repositories/sequences"
import type { SequenceResetScope } from "../../types"
import { CurrentSettings, SettingsRepository, SettingsSecrets } from "./repositories/settings"

// Callers import these from the service; they live next to their SQL.
export type { DeadExportItem, ExportItemRow, MarkExportPendingInput } from "./repositories/export-queue"
export type { DespatchRecord, ImportLineRecord, RecordImportInput } from "./repositories/history"
export type { ClaimedRequest, DespatchContext, ReceiveInboundMessageInput, ReleasedClaims, ResolvedRequests } from "./repositories/inbound-queue"
export type { CurrentSettings } from "./repositories/settings"
export type { ActivityBucket } from "./repositories/health"

export type OrderflowModuleOptions = {
  /** Pre-set settings (same shape as the admin settings API); shown read-only in the admin. */
  settings?: SettingsPatch
  /**
   * Where `ORDERFLOW__<GROUP>__<FIELD>` variables are read from (pass
   * `process.env`). The module never reads the process environment itself, so
   * a store decides what reaches it and tests can pass their own.
   */
  env?: Record<string, string | undefined>
}

export type RecordImportsInput = {
  imports: RecordImportInput[]
  /** Despatches applied (shipment import), written in the same transaction. */
  despatches?: DespatchRecord[]
  /** Kit component progress of the despatches (issue 14), written in the same transaction. */
  kit_components?: KitComponentWrite[]
  sequence_writes: SequenceWrite[]
  now: Date
  /**
   * The claimant recording: requests no longer claimed by it (lease passed,
   * taken by another worker) make the whole record fail, so nothing is
   * recorded twice and the caller's writes are compensated.
   */
  claimed_by?: string | null
}

export type SettleExportInput = {
  record: ExportCallRecord
  outcomes: ExportItemOutcome[]
  now: Date
  /** When the document was sent; exported_at of the items OrderFlow accepted. */
  sent_at?: Date
  /** The run settling: items no longer claimed by it are left to the run that holds them. */
  claimed_by?: string | null
  /** Record the call only (a call that was split; its items are settled by the later calls). */
  history_only?: boolean
}

/**
 * How a recorded message ends: failed when rejected as a whole (a dead
 * letter), processed_with_errors when at least one line failed (the rest was
 * applied; see FAILED_LINE_OUTCOMES), else processed. The error names how
 * many lines failed and the first cause, for the list and the health page.
 */
function requestOutcome(input: RecordImportInput | undefined): { status: SettledRequest["status"]; error: string | null; duplicate_of_id?: string | null } {
  if (input?.request_status === "failed") return { status: "failed", error: input.error ?? "rejected" }
  if (input?.request_status === "duplicate") return { status: "duplicate", error: input.error ?? null, duplicate_of_id: input.duplicate_of_id ?? null }
  const failed = (input?.lines ?? []).filter((l) => FAILED_LINE_OUTCOMES.some((o) => o === l.outcome))
  if (!failed.length) return { status: "processed", error: null }
  const first = failed[0]
  return {
    status: "processed_with_errors",
    error: `${failed.length} of ${input!.lines.length} lines failed; first: ${first.sku}: ${first.message ?? first.outcome}`,
  }
}

/**
 * The orderflow module: generated CRUD for every model, and a façade over one
 * repository per concern (src/modules/orderflow/repositories). The service
 * owns the transaction boundaries: a method whose statements must commit
 * together runs its repositories under @InjectTransactionManager, the others
 * under the shared context's manager.
 */
/**
 * ORDERFLOW_SECRET_KEY comes from the same environment the store passes
 * (README "Encryption key").
 */
function settingsSecrets(container: Record<string, unknown>, options: OrderflowModuleOptions | undefined): SettingsSecrets {
  const logger = container.logger as { warn(message: string): void } | undefined
  return {
    policy: secretKeyPolicy(options?.env ?? {}),
    warn: (message: string) => (logger ? logger.warn(message) : console.warn(message)),
  }
}

class OrderflowModuleService extends MedusaService({
  OrderflowApiSession,
  OrderflowReturn,
  OrderflowReturnLine,
  OrderflowAppliedReturn,
  OrderflowReturnPull,
  OrderflowDespatchPull,
  OrderflowSetting,
  OrderflowOperationRun,
  OrderflowExportItem,
  OrderflowExport,
  OrderflowExportLine,
  OrderflowRequest,
  OrderflowImport,
  OrderflowImportLine,
  OrderflowInventorySequence,
  OrderflowDespatch,
  OrderflowEndpointState,
  OrderflowIncident,
  OrderflowKitComponent,
  OrderflowSequenceReset,
  OrderflowStockDrift,
}) {
  protected readonly settings_: SettingsRepository
  protected readonly inboundQueue_ = new InboundQueueRepository()
  protected readonly exportQueue_ = new ExportQueueRepository()
  protected readonly history_ = new HistoryRepository()
  protected readonly sequences_ = new SequencesRepository()
  protected readonly stockDrift_ = new StockDriftRepository()
  protected readonly health_ = new HealthRepository()
  protected readonly incidents_ = new IncidentsRepository()

  constructor(container: Record<string, unknown>, options: OrderflowModuleOptions = {}) {
    super(...arguments)
    // Invalid options or env stop the store at boot with a message naming them.
    this.settings_ = new SettingsRepository(
      {
        options: settingsFromOptions(options?.settings),
        env: settingsFromEnv(options?.env ?? {}),
      },
      settingsSecrets(container, options)
    )
  }

  /**
   * The effective settings (defaults < admin < options < env). Hot paths
   * (inbound authentication) pass `maxAgeMs` to accept a recent cached copy.
   */
  @InjectManager()
  async getCurrentSettings(
    { maxAgeMs = 0 }: { maxAgeMs?: number } = {},
    @MedusaContext() sharedContext: Context = {}
  ): Promise<CurrentSettings> {
    return this.settings_.current({ maxAgeMs }, sharedContext)
  }

  /**
   * Applies an admin edit (any subset of groups/fields). Throws INVALID_DATA
   * naming every problem; nothing is saved unless the whole result is valid.
   */
  @InjectManager()
  async updateSettings(patch: unknown, @MedusaContext() sharedContext: Context = {}): Promise<CurrentSettings> {
    await this.updateSettings_(patch, sharedContext)
    this.settings_.invalidate()
    // Saved settings may fix what blocked an endpoint (credentials, URL): the next run tries again.
    await this.incidents_.unblockEndpoints(new Date(), sharedContext)
    return this.settings_.current({}, sharedContext)
  }

  /** The stored rows as they are (secrets hashed), for a workflow's compensation. */
  @InjectManager()
  async exportStoredSettings(@MedusaContext() sharedContext: Context = {}): Promise<Record<string, unknown>> {
    return this.settings_.exportStored(sharedContext)
  }

  /** Puts back rows captured by exportStoredSettings (compensation of a failed edit). */
  @InjectManager()
  async restoreStoredSettings(rows: Record<string, unknown>, @MedusaContext() sharedContext: Context = {}) {
    await this.restoreStoredSettings_(rows, sharedContext)
    this.settings_.invalidate()
  }

  /**
   * Log cleaning (seed 000 "Log Cleaning"): history older than `historyBefore`
   * is deleted; request/response bodies older than `bodyBefore` are dropped.
   * Requests still waiting to be processed are never touched.
   */
  @InjectManager()
  async cleanLogs(window: LogCleaningWindow, @MedusaContext() sharedContext: Context = {}) {
    return this.cleanLogs_(window, sharedContext)
  }

  /**
   * Stores an inbound message before it is acknowledged (store first, ack
   * second). Of two deliveries of the same message exactly one becomes
   * `pending`; every other one is recorded as `duplicate`, pointing at it.
   */
  @InjectManager()
  async receiveInboundMessage(
    input: ReceiveInboundMessageInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<ReceivedInboundMessage> {
    return this.inboundQueue_.receive(input, sharedContext)
  }

  /**
   * A worker that died mid-run leaves its claims behind; once their lease
   * has passed they go back to pending, and the claim counts as an attempt:
   * at `maxAttempts` the request is failed for good instead (`dead`).
   */
  @InjectManager()
  async releaseExpiredClaims(
    input: { type: RequestType; now: Date; maxAttempts: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<ReleasedClaims> {
    return this.inboundQueue_.releaseExpiredClaims(input, sharedContext)
  }

  /** Extends the lease of the requests `claimedBy` still holds (a long run keeps its claim); returns how many it holds. */
  @InjectManager()
  async renewRequestClaims(
    input: { ids: string[]; claimedBy: string; until: Date; now: Date },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return this.inboundQueue_.renewClaims(input, sharedContext)
  }

  /**
   * Claims up to `limit` pending requests that are due, in messageSeqId order
   * (received order for messages without one), each with a lease; two
   * workers never claim the same request.
   */
  @InjectManager()
  async claimRequests(input: ClaimRequestsInput, @MedusaContext() sharedContext: Context = {}): Promise<ClaimedRequest[]> {
    return this.inboundQueue_.claim(input, sharedContext)
  }

  /** What preparing one despatch reads of our tables, in one round trip (see InboundQueueRepository.despatchContext). */
  @InjectManager()
  async getDespatchContext(
    input: { request_id: string; reference: string | null; parcel_key: string; message_seq_id: number | null },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<DespatchContext> {
    return this.inboundQueue_.despatchContext(input, sharedContext)
  }

  /** A request whose processing failed as a whole: retry later, or give up. False when it is no longer the caller's claim. */
  @InjectManager()
  async settleFailedRequest(input: SettleFailedRequestInput, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    return this.inboundQueue_.settleFailed(input, sharedContext)
  }

  /**
   * Closes dead letters: failed → resolved, with who and when. All or
   * nothing: when one id is unknown or not failed, nothing changes and the
   * refused ids come back with their status.
   */
  @InjectManager()
  async resolveRequests(
    input: { ids: string[]; by: string | null; now: Date },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<ResolvedRequests> {
    return this.resolveRequests_(input, sharedContext)
  }

  /** Compensation of resolveRequests: the given requests back to failed, unresolved. */
  @InjectManager()
  async unresolveRequests(ids: string[], @MedusaContext() sharedContext: Context = {}): Promise<number> {
    return this.inboundQueue_.unresolve(ids, sharedContext)
  }

  /** Last applied sequence id per (sku, location) for the given SKUs. */
  @InjectManager()
  async getInventorySequences(
    skus: string[],
    locationIds: string[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<InventorySequence[]> {
    return this.sequences_.list(skus, locationIds, sharedContext)
  }

  /**
   * Clears the stored sequence ids the filter names (every one without) and
   * records the reset in its history, in one transaction. Returns the rows
   * cleared so a failing workflow can put them back.
   */
  @InjectManager()
  async resetInventorySequences(
    input: { sku?: string; location_id?: string; by: string | null; reason: string | null },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ reset_id: string; scope: SequenceResetScope; cleared: ClearedSequence[] }> {
    return this.resetInventorySequences_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async resetInventorySequences_(
    input: { sku?: string; location_id?: string; by: string | null; reason: string | null },
    @MedusaContext() sharedContext: Context = {}
  ) {
    const cleared = await this.sequences_.reset({ sku: input.sku, location_id: input.location_id }, sharedContext)
    const scope: SequenceResetScope = input.sku !== undefined ? (input.location_id !== undefined ? "sku_location" : "sku") : input.location_id !== undefined ? "location" : "all"
    const [reset] = await this.createOrderflowSequenceResets(
      [
        {
          scope,
          sku: input.sku ?? null,
          location_id: input.location_id ?? null,
          cleared_count: cleared.length,
          highest_seq_id: cleared.length ? Math.max(...cleared.map((c) => c.seq_id)) : null,
          reset_by: input.by,
          reason: input.reason,
        },
      ],
      sharedContext
    )
    return { reset_id: reset.id, scope, cleared }
  }

  /** Compensation of a reset: the cleared ids back (never lowering one applied since) and its history row gone. */
  @InjectManager()
  async restoreInventorySequences(input: { reset_id: string; cleared: ClearedSequence[] }, @MedusaContext() sharedContext: Context = {}) {
    await this.sequences_.advance(
      input.cleared.map((c) => ({ sku: c.sku, location_id: c.location_id, seq_id: c.seq_id, request_id: c.request_id ?? undefined })),
      { now: new Date(), requestId: null },
      sharedContext
    )
    await this.deleteOrderflowSequenceResets([input.reset_id], sharedContext)
  }

  /** Stores a drift report's differences and resolves the compared ones that agree again. */
  @InjectManager()
  async recordStockDrift(input: RecordStockDriftInput, @MedusaContext() sharedContext: Context = {}) {
    return this.stockDrift_.record(input, sharedContext)
  }

  /** Closes open differences (accepted or ignored); only rows still open are returned. */
  @InjectManager()
  async closeStockDrift(
    input: { ids: string[] | null; status: "accepted" | "ignored"; by: string | null; now: Date },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<StockDriftRow[]> {
    return this.stockDrift_.close(input, sharedContext)
  }

  /** Compensation of an accept that could not store its message: the rows open again. */
  @InjectManager()
  async reopenStockDrift(ids: string[], @MedusaContext() sharedContext: Context = {}) {
    if (!ids.length) return
    await this.updateOrderflowStockDrifts({ selector: { id: ids }, data: { status: "open", closed_at: null, closed_by: null } }, sharedContext)
  }

  @InjectManager()
  async linkStockDriftRequest(ids: string[], requestId: string, @MedusaContext() sharedContext: Context = {}) {
    return this.stockDrift_.linkRequest(ids, requestId, sharedContext)
  }

  @InjectManager()
  async openStockDriftCount(@MedusaContext() sharedContext: Context = {}): Promise<number> {
    return this.stockDrift_.openCount(sharedContext)
  }

  /**
   * The outcome of one or more processed messages, in one transaction: each
   * import report with its lines, the new sequence ids, and the requests
   * marked processed. Sequence ids only move forward, so a replay can never
   * lower one.
   */
  @InjectManager()
  async recordImports(input: RecordImportsInput, @MedusaContext() sharedContext: Context = {}) {
    return this.recordImports_(input, sharedContext)
  }

  /**
   * Queues things for export (DESIGN.md section 5: a change puts an item back
   * to pending; an item in flight is sent again once settled). `insertOnly`
   * leaves existing rows alone.
   */
  @InjectManager()
  async markExportPending(
    items: MarkExportPendingInput[],
    options: { now: Date; insertOnly?: boolean },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return this.exportQueue_.markPending(items, options, sharedContext)
  }

  /**
   * Takes up to `limit` items to send: pending ones and failed ones whose
   * retry is due, oldest change first, marked queued with the time and the
   * claimant. Items whose claim's lease passed come back first, the dead
   * claim counting as an attempt (`dead`: failed for good at
   * `maxAttempts`). With `ids`, exactly those (manual export), due or not.
   */
  @InjectManager()
  async claimExportItems(
    input: ClaimExportItemsInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ items: ExportItemRow[]; released: number; dead: DeadExportItem[] }> {
    return this.exportQueue_.claim(input, sharedContext)
  }

  /** How many export items of this type are in this status. */
  @InjectManager()
  async countExportItems(input: { entity_type: ExportEntityType; status: ExportItemStatus }, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    return this.exportQueue_.count(input, sharedContext)
  }

  /** The endpoint recovered: pending items waiting out the outage's back-off are due at once. */
  @InjectManager()
  async makeDeferredExportsDue(entity_type: ExportEntityType, now: Date, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    return this.exportQueue_.makeDeferredDue(entity_type, now, sharedContext)
  }

  /** Notes when the call carrying these items started (see ExportQueueRepository.markSending); returns how many it marked. */
  @InjectManager()
  async markExportItemsSending(
    input: { ids: string[]; claimedBy: string | null; at: Date },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return this.exportQueue_.markSending(input, sharedContext)
  }

  /** Extends the lease of the export items `claimedBy` still holds (a long batch keeps its claim); returns how many it holds. */
  @InjectManager()
  async renewExportClaims(
    input: { ids: string[]; claimedBy: string; until: Date; now: Date },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return this.exportQueue_.renewClaims(input, sharedContext)
  }

  /**
   * Records one call to OrderFlow and settles every item it carried, in one
   * statement: success/duplicate -> exported (or pending again if changed
   * while in flight), failure -> failed with retry time (or for good), missing
   * -> pending.
   */
  @InjectManager()
  async settleExport(
    { record, outcomes, now, sent_at, claimed_by = null, history_only = false }: SettleExportInput,
    @MedusaContext() sharedContext: Context = {}
  ) {
    // One statement (ExportQueueRepository.settleAndRecord): atomic without a transaction of its own.
    const { exportId, exportRow, lineRows } = this.history_.exportRows({ record, outcomes, now })
    await this.exportQueue_.settleAndRecord(
      outcomes,
      { exportRow, lineRows },
      { exportId, now, sentAt: sent_at ?? now, claimedBy: claimed_by, historyOnly: history_only },
      sharedContext
    )
    if (history_only) return { export_id: exportId, final_failures: [] as string[] }
    const finalFailures = outcomes.filter((o) => o.outcome === "failure" && !o.next_attempt_at).map((o) => o.id)
    return { export_id: exportId, final_failures: finalFailures }
  }

  /** Queue depth and age per operation, last contact and last errors (GET /admin/orderflow/health). */
  @InjectManager()
  async health(now: Date, @MedusaContext() sharedContext: Context = {}) {
    // Incidents, then endpoints, in that order (openIncidentsAndEndpoints): read side by side,
    // a card could say Degraded beside an open "is stopped" incident.
    const [health, { incidents, endpoints }] = await Promise.all([
      this.health_.read(now, sharedContext),
      this.openIncidentsAndEndpoints(sharedContext),
    ])
    return { ...health, open_incidents: incidents, endpoints }
  }

  /** Calls to OrderFlow and messages from it per hour, the last `hours` hours (GET /admin/orderflow/activity). */
  @InjectManager()
  async activity(now: Date, hours: number, @MedusaContext() sharedContext: Context = {}): Promise<ActivityBucket[]> {
    return this.health_.activity(now, hours, sharedContext)
  }

  /** A page of despatches, newest first, filtered by order and by `q` (tracking number or order reference). */
  @InjectManager()
  async listAndCountDespatchesMatching(
    filters: { order_id?: string; q?: string },
    page: { limit: number; offset: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<[Awaited<ReturnType<OrderflowModuleService["listOrderflowDespatches"]>>, number]> {
    const { ids, count } = await this.history_.findDespatchIds(filters, page, sharedContext)
    if (!ids.length) return [[], count]
    const rows = await this.listOrderflowDespatches({ id: ids }, { take: null }, sharedContext)
    rows.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
    return [rows, count]
  }

  /** Admin "reset export status": back to pending, attempts cleared. */
  @InjectManager()
  async resetExportItems(
    input: { entity_type: ExportEntityType; ids?: string[]; now: Date },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return this.exportQueue_.reset(input, sharedContext)
  }

  /** The circuit/block state of one OrderFlow endpoint (an export operation); a fresh state when it never failed. */
  @InjectManager()
  async getEndpointState(endpoint: string, @MedusaContext() sharedContext: Context = {}): Promise<EndpointState> {
    return this.incidents_.endpointState(endpoint, sharedContext)
  }

  /**
   * The open incidents, then every endpoint's state, read in that order: an
   * export blocks its endpoint (or opens its circuit) before it raises the
   * incident, so whoever sees the incident also sees the block.
   */
  @InjectManager()
  async openIncidentsAndEndpoints(@MedusaContext() sharedContext: Context = {}): Promise<{ incidents: IncidentRow[]; endpoints: EndpointState[] }> {
    const incidents = await this.incidents_.listOpen(sharedContext)
    const endpoints = await this.incidents_.endpointStates(sharedContext)
    return { incidents, endpoints }
  }

  /**
   * Counts a call's outcome against its endpoint (circuit breaker, permanent
   * block); says what changed. With `closeOnSuccess`, a success also closes
   * the open incidents with those keys (returned in `closed`).
   */
  @InjectManager()
  async recordEndpointOutcome(
    endpoint: string,
    outcome: EndpointOutcome,
    options: { closeOnSuccess?: { keys: string[]; by: string } } = {},
    @MedusaContext() sharedContext: Context = {}
  ): Promise<EndpointTransition & { closed: IncidentRow[] }> {
    return this.incidents_.recordEndpointOutcome(endpoint, outcome, sharedContext, options)
  }

  /** Lifts the blocks of every endpoint: the next run calls OrderFlow again. */
  @InjectManager()
  async unblockEndpoints(now: Date, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    return this.incidents_.unblockEndpoints(now, sharedContext)
  }

  /** Opens an incident or counts another occurrence of the open one; `opened` says whether to alert. */
  @InjectManager()
  async raiseIncident(input: RaiseIncidentInput, @MedusaContext() sharedContext: Context = {}): Promise<{ incident: IncidentRow; opened: boolean }> {
    return this.incidents_.raise(input, sharedContext)
  }

  @InjectManager()
  async closeIncidents(keys: string[], by: { now: Date; by: string }, @MedusaContext() sharedContext: Context = {}): Promise<IncidentRow[]> {
    return this.incidents_.closeByKeys(keys, by, sharedContext)
  }

  @InjectManager()
  async closeIncident(id: string, by: { now: Date; by: string }, @MedusaContext() sharedContext: Context = {}): Promise<IncidentRow | null> {
    return this.incidents_.closeById(id, by, sharedContext)
  }

  /** The facts the alarms look at (lib/alarms), from the module's own tables. */
  @InjectManager()
  async alarmFacts(@MedusaContext() sharedContext: Context = {}) {
    return this.incidents_.alarmFacts(sharedContext)
  }

  @InjectManager()
  async listOpenIncidentsByPrefix(prefix: string, @MedusaContext() sharedContext: Context = {}): Promise<IncidentRow[]> {
    return this.incidents_.listOpenByPrefix(prefix, sharedContext)
  }

  /** ok / degraded / down and the names of what is wrong, nothing else (GET /orderflow/health). */
  @InjectManager()
  async publicHealth(@MedusaContext() sharedContext: Context = {}) {
    return this.incidents_.publicHealth(sharedContext)
  }

  @InjectManager()
  async listOpenIncidents(@MedusaContext() sharedContext: Context = {}): Promise<IncidentRow[]> {
    return this.incidents_.listOpen(sharedContext)
  }


  @InjectTransactionManager()
  protected async updateSettings_(patch: unknown, @MedusaContext() sharedContext: Context = {}) {
    await this.settings_.update(patch, sharedContext)
  }

  @InjectTransactionManager()
  protected async restoreStoredSettings_(rows: Record<string, unknown>, @MedusaContext() sharedContext: Context = {}) {
    await this.settings_.restoreStored(rows, sharedContext)
  }

  @InjectTransactionManager()
  protected async resolveRequests_(input: { ids: string[]; by: string | null; now: Date }, @MedusaContext() sharedContext: Context = {}) {
    return this.inboundQueue_.resolve(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async cleanLogs_(window: LogCleaningWindow, @MedusaContext() sharedContext: Context = {}) {
    return this.history_.cleanLogs(window, sharedContext)
  }

  @InjectTransactionManager()
  protected async recordImports_(
    { imports, despatches = [], kit_components = [], sequence_writes, now, claimed_by = null }: RecordImportsInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<Array<{ request_id: string; import_id: string }>> {
    const recorded = await this.history_.recordImports({ imports, despatches, now }, sharedContext)
    await this.history_.recordKitComponents(kit_components, now, sharedContext)
    const requestId = imports[imports.length - 1]?.request_id ?? null
    await this.sequences_.advance(sequence_writes, { now, requestId }, sharedContext)
    const byRequest = new Map(imports.map((i) => [i.request_id, i]))
    const settled = recorded.map(({ request_id, import_id }) => {
      const input = byRequest.get(request_id)
      const outcome = requestOutcome(input)
      return { request_id, import_id, status: outcome.status, error: outcome.error, duplicate_of_id: outcome.duplicate_of_id ?? null }
    })
    const lost = await this.inboundQueue_.settleProcessed(settled, now, claimed_by, sharedContext)
    if (lost.length) {
      // Rolls the whole record back: another worker owns these requests now and will apply them.
      throw new MedusaError(MedusaError.Types.CONFLICT, `OrderFlow requests ${lost.join(", ")} are no longer claimed by ${claimed_by} (lease passed); their processing here is undone`)
    }
    return recorded
  }
}

export default OrderflowModuleService
