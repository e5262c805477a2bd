/**
 * The simulated bank: a pure engine over a store port, an injected random source and, for
 * each sandbox, its own simulated clock. No I/O besides the store, no system time: everything
 * a sandbox does follows from its seed and the calls made to it.
 *
 * This class is the facade the HTTP layer, msw handlers, internet bank, contracts and
 * scenarios use: it keeps the sandboxes, runs every mutating call under the sandbox's lock
 * and delegates the banking to one module per concern (decision 0006). A mutating call
 * resolves only after its documents are written, so an acknowledged request survives a crash.
 */
import { BANKS, type BankId, type BankProfile } from '../banks/index.ts';
import { balances, entriesOf, findAccount, type Balances } from './accounts.ts';
import { addDays } from './calendar.ts';
import { paymentsInCancellationDocument, requestCancellation, resolveCancellation, type CancellationChannel } from './cancellation.ts';
import { advanceClock, type ClockTarget } from './clock.ts';
import { isLocalDateTime, withinClockRange } from './clock-range.ts';
import { fail, ok, type EngineResult } from './errors.ts';
import { dueDeliveries, eventsAfter, recordDelivery, type DueDelivery } from './events.ts';
import { faultRules, httpFault, webhookFault } from './faults.ts';
import { receiveIncomingPayment, type IncomingPaymentInput } from './incoming.ts';
import { listReports, visibleReport } from './mailbox.ts';
import type { BankEvent, Entry, FaultAction, FaultRule, IncomingPayment, LocalDateTime, Payment, PaymentFile, PaymentStatus, ReportMeta, ReportType, SandboxCore, WebhookDelivery } from './model.ts';
import { deleteSandboxDocuments, flush, loadContents, loadSandboxes, reportBody, saveCore, unloadContents, uploadOf } from './persistence.ts';
import { drawSeed, newSandboxCore, webhookConfig, type CreateSandboxInput } from './sandboxes.ts';
import { installSnapshot, newIdentity, snapshotOf, type SandboxSnapshot } from './snapshot.ts';
import { fileAwaitingSignature, rejectFile, signFile, type Signer } from './signing.ts';
import { intradayReport } from './statements.ts';
import { dateOf, emptyState, type Dirty, type EngineDeps, type SandboxState } from './state.ts';
import { receiveUpload, submitFile, validateFile, type SubmitResult } from './submission.ts';

export type { Balances } from './accounts.ts';
export type { CreateSandboxInput } from './sandboxes.ts';
export type { SubmitResult } from './submission.ts';
export type { SandboxSnapshot } from './snapshot.ts';
export { sniffMessageId } from './submission.ts';

export interface EngineOptions extends EngineDeps {
  /** Today's date-time for sandboxes created without a start date (the real clock lives in main.ts). */
  defaultStart: () => LocalDateTime;
  /** Sandboxes kept in memory whole; idle ones beyond are evicted (default DEFAULT_MAX_LOADED_SANDBOXES or SANDBANK_MAX_LOADED_SANDBOXES). */
  maxLoadedSandboxes?: number;
}

/** How many sandboxes keep their files, payments and reports in memory before idle ones are evicted. */
export const DEFAULT_MAX_LOADED_SANDBOXES = 32;

function configuredMaxLoaded(): number {
  // SANDBANK_MAX_LOADED_SANDBOXES=1 runs a suite with an eviction after nearly every call.
  const value = Number(process.env['SANDBANK_MAX_LOADED_SANDBOXES']);
  return Number.isInteger(value) && value >= 1 ? value : DEFAULT_MAX_LOADED_SANDBOXES;
}

export class Engine {
  private readonly sandboxes = new Map<string, SandboxState>();
  private readonly byApiKey = new Map<string, string>();
  /** `<bank>/<userId>` → sandbox id ('' when two sandboxes hold the id): the internet bank's log-in finds its user without a scan. */
  private readonly byUser = new Map<string, string>();
  /** Sandboxes with their contents in memory, least recently used first. */
  private readonly recent = new Set<string>();
  /** Calls under way per sandbox: a sandbox in use is never evicted. */
  private readonly busy = new Map<string, number>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly maxLoaded: number;

  constructor(private readonly options: EngineOptions) {
    this.maxLoaded = options.maxLoadedSandboxes ?? configuredMaxLoaded();
  }

  profile(bank: BankId): BankProfile {
    return BANKS[bank];
  }

  /**
   * Start-up: every sandbox's core and events. Its files, payments, reports and bookings are
   * read on first use (files still RECEIVED are then validated again), so start-up and memory
   * do not grow with the payments stored.
   */
  async load(): Promise<void> {
    for (const state of await loadSandboxes(this.options.store)) this.register(state);
  }

  private register(state: SandboxState): void {
    this.sandboxes.set(state.core.id, state);
    this.byApiKey.set(state.core.apiKey, state.core.id);
    this.indexUsers(state.core);
    if (state.loaded) this.recent.add(state.core.id);
  }

  /** An id held by two sandboxes of a bank (data from before ids were unique) is marked '' and logs into neither. */
  private indexUsers(core: SandboxCore): void {
    for (const user of core.users) {
      const key = `${core.bank}/${user.id}`;
      const holder = this.byUser.get(key);
      this.byUser.set(key, holder === undefined || holder === core.id ? core.id : '');
    }
  }

  /** Internet-bank user ids in use on this server (a new sandbox's users get others). */
  private takenUserIds(): Set<string> {
    return new Set([...this.byUser.keys()].map((key) => key.slice(key.indexOf('/') + 1)));
  }

  private state(id: string): EngineResult<SandboxState> {
    const state = this.sandboxes.get(id);
    return state ? ok(state) : fail('SANDBOX_NOT_FOUND', `no sandbox ${id}`);
  }

  /** Runs `fn` with the sandbox's contents in memory (read from the store if evicted), then evicts idle sandboxes beyond the limit. */
  private async withLoaded<T>(sandboxId: string, fn: (state: SandboxState) => Promise<EngineResult<T>>): Promise<EngineResult<T>> {
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const state = found.value;
    this.busy.set(sandboxId, (this.busy.get(sandboxId) ?? 0) + 1);
    try {
      if (!state.loaded) {
        let loading = this.loading.get(sandboxId);
        if (!loading) {
          loading = loadContents(this.options.store, state).finally(() => this.loading.delete(sandboxId));
          this.loading.set(sandboxId, loading);
        }
        await loading;
      }
      this.recent.delete(sandboxId);
      this.recent.add(sandboxId);
      return await fn(state);
    } finally {
      const left = (this.busy.get(sandboxId) ?? 1) - 1;
      if (left === 0) this.busy.delete(sandboxId);
      else this.busy.set(sandboxId, left);
      this.evictIdle();
    }
  }

  /** Least recently used first; a sandbox in use, with queued work or unwritten report bodies stays. */
  private evictIdle(): void {
    for (const id of this.recent) {
      if (this.recent.size <= this.maxLoaded) return;
      const state = this.sandboxes.get(id);
      if (state && (this.busy.has(id) || state.queue.length > 0 || state.pendingBodies.size > 0)) continue;
      if (state) unloadContents(state);
      this.recent.delete(id);
    }
  }

  /** Runs `fn` alone for this sandbox (calls are queued, not interleaved). */
  private async locked<T>(state: SandboxState, fn: () => Promise<T>): Promise<T> {
    const run = state.lock.then(fn, fn);
    state.lock = run.catch(() => undefined);
    return run;
  }

  /** Settles queued work, then runs `fn` alone for this sandbox: the shape of every mutating call. */
  private async mutate<T>(sandboxId: string, fn: (state: SandboxState) => Promise<EngineResult<T>>): Promise<EngineResult<T>> {
    return this.withLoaded(sandboxId, async (state) => {
      await this.settleLoaded(state);
      return this.locked(state, () => fn(state));
    });
  }

  /** Settles queued work, then reads: the shape of every read. */
  private async read<T>(sandboxId: string, fn: (state: SandboxState) => EngineResult<T> | Promise<EngineResult<T>>): Promise<EngineResult<T>> {
    return this.withLoaded(sandboxId, async (state) => {
      await this.settleLoaded(state);
      return fn(state);
    });
  }

  /** Processes queued work (validation, cancellations) for a sandbox; reads call this first. */
  async settle(sandboxId: string): Promise<void> {
    await this.withLoaded(sandboxId, async (state) => ok(await this.settleLoaded(state)));
  }

  private async settleLoaded(state: SandboxState): Promise<void> {
    // Nothing queued: still wait for a write in flight, so a status read never reports what
    // is not yet on disk (acknowledged means durable across a kill -9).
    if (state.queue.length === 0) {
      await state.lock;
      return;
    }
    await this.locked(state, async () => {
      for (let job = state.queue.shift(); job !== undefined; job = state.queue.shift()) {
        const dirty: Dirty = new Set();
        if (job.kind === 'validate') validateFile(state, job, dirty);
        else resolveCancellation(state, job, dirty);
        await flush(this.options, state, dirty);
      }
    });
  }

  // ── sandboxes ────────────────────────────────────────────────────────────────────────────

  async createSandbox(input: CreateSandboxInput): Promise<EngineResult<SandboxCore>> {
    if (input.start !== undefined && !(isLocalDateTime(input.start) && withinClockRange(input.start))) return fail('INVALID_REQUEST', `${input.start} is not a real date and time the sandbox clock can show`);
    const seed = input.seed ?? drawSeed(this.options.random);
    if (input.apiKey !== undefined) {
      // A fixed key never takes another tenant's sandbox: only the named one is replaced.
      const holder = this.byApiKey.get(input.apiKey);
      if (holder !== undefined && holder !== input.replaces) return fail('API_KEY_IN_USE', 'that API key belongs to another sandbox');
      if (holder !== undefined) await this.deleteSandbox(holder);
    }
    const core = newSandboxCore(this.profile(input.bank), this.options.random, { ...input, seed }, this.options.defaultStart, this.takenUserIds());
    const state = emptyState(core, addDays(dateOf(core.now), -1));
    this.register(state);
    await saveCore(this.options.store, state);
    this.evictIdle();
    return ok(core);
  }

  sandboxForKey(apiKey: string): SandboxCore | undefined {
    const id = this.byApiKey.get(apiKey);
    return id === undefined ? undefined : this.sandboxes.get(id)?.core;
  }

  sandbox(id: string): SandboxCore | undefined {
    return this.sandboxes.get(id)?.core;
  }

  /** The sandbox of the bank with this internet-bank user; none when two sandboxes hold the id. */
  sandboxForUser(bank: BankId, userId: string): SandboxCore | undefined {
    const id = this.byUser.get(`${bank}/${userId}`);
    return id === undefined || id === '' ? undefined : this.sandboxes.get(id)?.core;
  }

  sandboxIds(): string[] {
    return [...this.sandboxes.keys()];
  }

  /** Sandboxes whose files, payments, reports and bookings are in memory now (least recently used first). */
  loadedSandboxIds(): string[] {
    return [...this.recent];
  }

  async deleteSandbox(id: string): Promise<EngineResult<void>> {
    const state = this.sandboxes.get(id);
    if (!state) return fail('SANDBOX_NOT_FOUND', `no sandbox ${id}`);
    return this.locked(state, async () => {
      this.sandboxes.delete(id);
      this.byApiKey.delete(state.core.apiKey);
      this.recent.delete(id);
      this.byUser.clear();
      for (const other of this.sandboxes.values()) this.indexUsers(other.core);
      await deleteSandboxDocuments(this.options.store, id);
      return ok(undefined);
    });
  }

  /** The whole sandbox as one value, without its secrets (queued work settled first). */
  async exportSandbox(id: string): Promise<EngineResult<SandboxSnapshot>> {
    return this.read(id, (state) => this.locked(state, async () => ok(await snapshotOf(state, (reportId) => reportBody(this.options.store, state, reportId), (fileId) => uploadOf(this.options.store, state, fileId)))));
  }

  /**
   * Recreates an exported sandbox under a new id, API key, internet-bank credentials and
   * webhook secret; its files, payments, reports and entries keep their ids.
   */
  async importSandbox(snapshot: SandboxSnapshot, options: { webhook?: boolean } = {}): Promise<EngineResult<SandboxCore>> {
    const identity = newIdentity(this.options.random, snapshot, this.takenUserIds());
    if (this.sandboxes.has(identity.id)) return fail('INVALID_REQUEST', 'sandbox id collision; try again');
    const state = await installSnapshot(this.options.store, options.webhook === false ? { ...snapshot, core: { ...snapshot.core, webhook: null } } : snapshot, identity);
    this.register(state);
    this.evictIdle();
    // Deliveries still pending carry on from this server.
    if ([...state.deliveries.values()].some((d) => d.state === 'pending')) this.options.onEvents?.(state.core.id);
    return ok(state.core);
  }

  /**
   * A number that changes whenever anything in the sandbox changes (every change emits an
   * event), so rendered views can be cached against it.
   */
  version(sandboxId: string): number {
    return this.sandboxes.get(sandboxId)?.core.counters.event ?? -1;
  }

  /** Every account's booked balance, payment and entry, for the invariant checker (as they are: queued work is not settled). */
  async snapshot(sandboxId: string): Promise<{ core: SandboxCore; payments: Payment[]; entries: Entry[]; files: PaymentFile[] } | undefined> {
    const read = await this.withLoaded(sandboxId, async (state) => ok({ core: state.core, payments: [...state.payments.values()], entries: [...state.days.values()].flatMap((d) => d.entries), files: [...state.files.values()] }));
    return read.ok ? read.value : undefined;
  }

  // ── payment files and signing ────────────────────────────────────────────────────────────

  /**
   * Stores an uploaded file and acknowledges it as RECEIVED. Validation runs after the
   * acknowledgement (see `settle`), as a bank's intake does.
   */
  async submitFile(sandboxId: string, body: Uint8Array | AsyncIterable<Uint8Array>, options: { idempotencyKey?: string } = {}): Promise<EngineResult<SubmitResult>> {
    return this.withLoaded(sandboxId, async (state) => {
      // The body is read (stored, hashed, parsed) as it arrives, outside the lock: one slow
      // upload does not hold up the sandbox; only recording it is serialised.
      const upload = await receiveUpload(this.options, state, body);
      if (!upload.ok) return upload;
      return this.locked(state, () => submitFile(this.options, state, upload.value, options));
    });
  }

  async getFile(sandboxId: string, fileId: string): Promise<EngineResult<PaymentFile>> {
    return this.read(sandboxId, (state) => {
      const file = state.files.get(fileId);
      return file ? ok(file) : fail('FILE_NOT_FOUND', `no payment file ${fileId} in this sandbox`);
    });
  }

  async listFiles(sandboxId: string): Promise<EngineResult<PaymentFile[]>> {
    return this.read(sandboxId, (state) => ok([...state.files.values()]));
  }

  async signFile(sandboxId: string, fileId: string, signer: Signer): Promise<EngineResult<PaymentFile>> {
    return this.mutate(sandboxId, async (state) => {
      const file = fileAwaitingSignature(state, fileId);
      return file.ok ? signFile(this.options, state, file.value, signer) : file;
    });
  }

  /** Internet-bank "reject file": the user refuses to sign; every waiting payment is cancelled. */
  async rejectFile(sandboxId: string, fileId: string, userName: string): Promise<EngineResult<PaymentFile>> {
    return this.mutate(sandboxId, async (state) => {
      const file = fileAwaitingSignature(state, fileId);
      return file.ok ? rejectFile(this.options, state, file.value, userName) : file;
    });
  }

  // ── payments and cancellation ────────────────────────────────────────────────────────────

  async listPayments(sandboxId: string, status?: PaymentStatus): Promise<EngineResult<Payment[]>> {
    return this.read(sandboxId, (state) => {
      const all = [...state.payments.values()];
      return ok(status === undefined ? all : all.filter((p) => p.status === status));
    });
  }

  async getPayment(sandboxId: string, paymentId: string): Promise<EngineResult<Payment>> {
    return this.read(sandboxId, (state) => {
      const payment = state.payments.get(paymentId);
      return payment ? ok(payment) : fail('PAYMENT_NOT_FOUND', `no payment ${paymentId} in this sandbox`);
    });
  }

  /**
   * Asks the bank to cancel payments. The request is recorded (REQUESTED) and resolved by the
   * bank's back office right after: cancelled before execution, refused (ARDT) after.
   */
  async requestCancellation(sandboxId: string, paymentIds: string[], via: CancellationChannel, assignmentId?: string): Promise<EngineResult<Payment[]>> {
    return this.mutate(sandboxId, (state) => requestCancellation(this.options, state, paymentIds, via, assignmentId));
  }

  /** A camt.055 document: every transaction it names is looked up by EndToEndId (and PmtInfId). */
  async submitCancellationDocument(sandboxId: string, bytes: Uint8Array): Promise<EngineResult<{ assignmentId: string; payments: Payment[] }>> {
    const named = await this.read(sandboxId, (state) => paymentsInCancellationDocument(state, bytes));
    if (!named.ok) return named;
    const result = await this.requestCancellation(sandboxId, named.value.paymentIds, 'camt.055', named.value.assignmentId);
    return result.ok ? ok({ assignmentId: named.value.assignmentId, payments: result.value }) : result;
  }

  // ── accounts, incoming payments, the clock ───────────────────────────────────────────────

  async balances(sandboxId: string, accountId: string): Promise<EngineResult<Balances>> {
    return this.read(sandboxId, (state) => balances(state, accountId));
  }

  /** Bookings of an account, newest last, optionally from a date. */
  async entries(sandboxId: string, accountId: string, fromDate?: string): Promise<EngineResult<Entry[]>> {
    return this.read(sandboxId, (state) => entriesOf(state, accountId, fromDate));
  }

  /** camt.052: the intraday report of today's bookings so far (not stored in the mailbox). */
  async intradayReport(sandboxId: string, accountId: string): Promise<EngineResult<string>> {
    return this.read(sandboxId, (state) => {
      const account = findAccount(state, accountId);
      return account.ok ? ok(intradayReport(state, account.value)) : account;
    });
  }

  async incomingPayment(sandboxId: string, input: IncomingPaymentInput): Promise<EngineResult<IncomingPayment>> {
    return this.mutate(sandboxId, (state) => receiveIncomingPayment(this.options, state, input));
  }

  /**
   * Moves a sandbox's clock forward, running every passed bank day's processing in order:
   * held reports released at the start of the day, execution at cut-off (with retries and
   * rejections), end-of-day statements and the BgMax file.
   */
  async advanceClock(sandboxId: string, target: ClockTarget): Promise<EngineResult<SandboxCore>> {
    return this.mutate(sandboxId, (state) => advanceClock(this.options, state, target));
  }

  // ── reports mailbox ──────────────────────────────────────────────────────────────────────

  async listReports(sandboxId: string, options: { after?: string; type?: ReportType; limit?: number } = {}): Promise<EngineResult<ReportMeta[]>> {
    return this.read(sandboxId, (state) => ok(listReports(state, options)));
  }

  async getReport(sandboxId: string, reportId: string): Promise<EngineResult<{ meta: ReportMeta; body: string }>> {
    return this.read(sandboxId, async (state) => {
      const meta = visibleReport(state, reportId);
      if (!meta) return fail('REPORT_NOT_FOUND', `no report ${reportId} in this sandbox's mailbox`);
      return ok({ meta, body: await reportBody(this.options.store, state, reportId) });
    });
  }

  // ── faults, webhooks, events ─────────────────────────────────────────────────────────────

  async setFaults(sandboxId: string, rules: { match: FaultRule['match']; action: FaultAction }[]): Promise<EngineResult<FaultRule[]>> {
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const state = found.value;
    return this.locked(state, async () => {
      state.core.faults = faultRules(rules);
      await saveCore(this.options.store, state);
      return ok(state.core.faults);
    });
  }

  /**
   * The first HTTP fault rule matching a request (http-error, latency), counting its use.
   * `times` limits how often an http-error fires, so a client's retry can then succeed.
   */
  httpFault(sandboxId: string, request: { endpoint: string; method: string }): FaultAction | undefined {
    const state = this.sandboxes.get(sandboxId);
    return state ? httpFault(state.core, request) : undefined;
  }

  /** The fail-webhook fault, if one applies (the dispatcher then records a failed attempt). */
  webhookFault(sandboxId: string): { status: number } | undefined {
    return webhookFault(this.sandboxes.get(sandboxId)?.core);
  }

  async setWebhook(sandboxId: string, webhook: { url: string; secret?: string } | undefined): Promise<EngineResult<SandboxCore>> {
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const state = found.value;
    return this.locked(state, async () => {
      state.core.webhook = webhookConfig(this.options.random, webhook);
      await saveCore(this.options.store, state);
      return ok(state.core);
    });
  }

  events(sandboxId: string, afterSequence = 0): BankEvent[] {
    return eventsAfter(this.sandboxes.get(sandboxId), afterSequence);
  }

  deliveries(sandboxId: string): WebhookDelivery[] {
    return [...(this.sandboxes.get(sandboxId)?.deliveries.values() ?? [])];
  }

  /** For the webhook dispatcher: deliveries due now, with their events. */
  dueDeliveries(sandboxId: string, nowMs: number): DueDelivery[] {
    return dueDeliveries(this.sandboxes.get(sandboxId), nowMs);
  }

  async recordDelivery(sandboxId: string, eventId: string, attempt: { at: string; status: number | 'error'; error?: string }, next: { state: WebhookDelivery['state']; nextAttemptAt?: number }): Promise<void> {
    await recordDelivery(this.options.store, this.sandboxes.get(sandboxId), eventId, attempt, next);
  }
}
