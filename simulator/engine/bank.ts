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
import { claimDelivery, dueDeliveries, eventsAfter, recordDelivery, type DueDelivery } from './events.ts';
import { faultRules, httpFault, webhookFault } from './faults.ts';
import { VersionReads } from './freshness.ts';
import { receiveIncomingPayment, type IncomingPaymentInput } from './incoming.ts';
import { listReports, visibleReport } from './mailbox.ts';
import type { BankEvent, Entry, FaultAction, FaultRule, IncomingPayment, LocalDateTime, Payment, PaymentFile, PaymentStatus, ReportMeta, ReportType, SandboxCore, WebhookDelivery } from './model.ts';
import { DEFAULT_MAX_LOADED_SANDBOXES } from './limits.ts';
import { applyChangesSince, coreDocument, deleteSandboxDocuments, flush, loadContents, loadSandbox, loadSandboxAtVersion, loadSandboxes, reportBody, saveCore, storedCores, unloadContents, uploadOf } from './persistence.ts';
import { drawSeed, newSandboxCore, webhookConfig, type CreateSandboxInput } from './sandboxes.ts';
import { installSnapshot, newIdentity, snapshotOf, type SandboxSnapshot } from './snapshot.ts';
import { fileAwaitingSignature, rejectFile, signFile, type Signer } from './signing.ts';
import { intradayReport } from './statements.ts';
import { dateOf, emptyState, type Dirty, type EngineDeps, type SandboxState } from './state.ts';
import type { SandboxTransaction } from './store-port.ts';
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

export { DEFAULT_MAX_LOADED_SANDBOXES } from './limits.ts';

function configuredMaxLoaded(): number {
  // SANDBANK_MAX_LOADED_SANDBOXES=1 runs a suite with an eviction after nearly every call.
  const value = Number(process.env['SANDBANK_MAX_LOADED_SANDBOXES']);
  return Number.isInteger(value) && value >= 1 ? value : DEFAULT_MAX_LOADED_SANDBOXES;
}

/** The lock and version of the set of sandboxes itself (creating, importing, deleting one). */
const CATALOGUE = 'sandbank:catalogue';

/** A mutation found its sandbox deleted by another server. */
const GONE = Symbol('gone');

export class Engine {
  private readonly sandboxes = new Map<string, SandboxState>();
  /** The store's catalogue version the set of sandboxes in memory reflects. */
  private catalogueVersion = 0;
  /**
   * A read of the catalogue asked for and not yet started: requests arriving meanwhile share
   * it (one state per sandbox); one arriving while a read runs gets the next, which starts
   * after it and so sees every change committed before the request.
   */
  private queuedSync: Promise<void> | undefined;
  private runningSync: Promise<void> | undefined;
  private readonly byApiKey = new Map<string, string>();
  /** `<bank>/<userId>` → sandbox id ('' when two sandboxes hold the id): the internet bank's log-in finds its user without a scan. */
  private readonly byUser = new Map<string, string>();
  /** Sandboxes with their contents in memory, least recently used first. */
  private readonly recent = new Set<string>();
  /** Calls under way per sandbox: a sandbox in use is never evicted. */
  private readonly busy = new Map<string, number>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly maxLoaded: number;
  /** On a shared store: one version read per sandbox serves every check of a request (decision 0014). */
  private readonly versionReads: VersionReads;

  constructor(private readonly options: EngineOptions) {
    this.maxLoaded = options.maxLoadedSandboxes ?? configuredMaxLoaded();
    this.versionReads = new VersionReads((id) => options.store.version(id));
  }

  /**
   * Runs `fn` as one request (an HTTP request, a page): the version checks it makes share
   * one read of the store per sandbox, sent after the request arrived.
   */
  withinRequest<T>(fn: () => T): T {
    return this.shared ? this.versionReads.withinRequest(fn) : fn();
  }

  /** Other servers write the same store (decision 0012): check versions before answering. */
  get shared(): boolean {
    return this.options.store.shared;
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
    this.catalogueVersion = await this.options.store.version(CATALOGUE);
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

  private unregister(id: string): void {
    const state = this.sandboxes.get(id);
    if (!state) return;
    this.sandboxes.delete(id);
    this.versionReads.forget(id);
    if (this.byApiKey.get(state.core.apiKey) === id) this.byApiKey.delete(state.core.apiKey);
    this.recent.delete(id);
    this.byUser.clear();
    for (const other of this.sandboxes.values()) this.indexUsers(other.core);
  }

  /**
   * Another server changed the sandbox: its copy is read again, whole, inside the mutation's
   * transaction. Validations of uploads this server parsed as they arrived stay queued; the
   * stored state queues the rest (files still RECEIVED, cancellations still REQUESTED).
   */
  private async reload(state: SandboxState, tx: SandboxTransaction): Promise<boolean> {
    // A loaded copy at a known version takes only what was written since (decision 0012).
    if (state.loaded && state.version >= 0) {
      if (!(await applyChangesSince(this.options.store, tx, state))) {
        this.unregister(state.core.id);
        return false;
      }
      state.version = tx.version;
      return true;
    }
    const fresh = await loadSandbox(this.options.store, tx, state.core.id, { contents: true });
    if (!fresh) {
      this.unregister(state.core.id);
      return false;
    }
    const parsedHere = state.queue.filter((job) => job.kind === 'validate' && 'reading' in job.source);
    const here = new Set(parsedHere.map((job) => (job.kind === 'validate' ? job.fileId : '')));
    const queue = [...parsedHere, ...fresh.queue.filter((job) => job.kind !== 'validate' || !here.has(job.fileId))];
    Object.assign(state, { ...fresh, lock: state.lock, queue, version: tx.version });
    this.recent.delete(state.core.id);
    this.recent.add(state.core.id);
    return true;
  }

  /** The set of sandboxes as stored (another server created or deleted some). */
  private syncCatalogue(): Promise<void> {
    if (this.queuedSync) return this.queuedSync;
    const queued = (async () => {
      await this.runningSync?.catch(() => undefined);
      this.queuedSync = undefined;
      const running = this.readCatalogue();
      this.runningSync = running;
      try {
        await running;
      } finally {
        if (this.runningSync === running) this.runningSync = undefined;
      }
    })();
    this.queuedSync = queued;
    return queued;
  }

  private async readCatalogue(): Promise<void> {
    const store = this.options.store;
    // The version before the listing: a change committed after it is found by the next check.
    const version = await store.version(CATALOGUE);
    // Only a sandbox known before the listing can be missing from it because it was deleted:
    // one this server created while the listing was read is simply newer than the listing.
    const known = [...this.sandboxes.keys()];
    const cores = await storedCores(store);
    const stored = new Set(cores.map((c) => c.id));
    for (const id of known) if (!stored.has(id)) this.unregister(id);
    for (const { id, value } of cores) {
      if (this.sandboxes.has(id)) continue;
      const state = await loadSandboxAtVersion(store, id, value);
      if (!state || this.sandboxes.has(id)) continue;
      this.register(state);
      if ([...state.deliveries.values()].some((d) => d.state === 'pending')) this.options.onEvents?.(id);
    }
    this.catalogueVersion = Math.max(this.catalogueVersion, version);
  }

  /** Reads the set of sandboxes again when another server changed it (an API key or user not known here). */
  async refreshCatalogue(): Promise<void> {
    if (!this.shared) return;
    if ((await this.versionReads.current(CATALOGUE)) <= this.catalogueVersion) return;
    await this.syncCatalogue();
  }

  /**
   * Runs `fn` holding the catalogue's lock (across servers), on the set of sandboxes as
   * stored; a change is marked so other servers read the set again.
   */
  private async inCatalogue<T>(fn: (changed: () => void) => Promise<EngineResult<T>>): Promise<EngineResult<T>> {
    const { value, version } = await this.options.store.transaction(CATALOGUE, async (tx) => {
      if (this.shared && tx.version !== this.catalogueVersion) await this.syncCatalogue();
      let changed = false;
      const result = await fn(() => {
        changed = true;
      });
      if (changed && this.shared) await tx.putMany([{ collection: 'sandbank', id: 'catalogue', value: { version: tx.version + 1 } }]);
      return result;
    });
    this.catalogueVersion = Math.max(this.catalogueVersion, version);
    return value;
  }

  /**
   * The copy of a sandbox, read again first when another server changed it (the version
   * check of decision 0012); undefined when it is gone. HTTP handlers call this before the
   * synchronous accessors (`sandbox`, `events`, `deliveries`, faults).
   */
  async refresh(sandboxId: string): Promise<SandboxState | undefined> {
    const state = this.sandboxes.get(sandboxId);
    if (!state || !this.shared) return state;
    // Versions only grow: a copy at or past the version read is fresh (-1: stale whatever the store says).
    if (state.version >= 0 && (await this.versionReads.current(sandboxId)) <= state.version) return state;
    await this.locked(state, async () => ok(undefined));
    return this.sandboxes.get(sandboxId);
  }

  /** The sandbox holding an API key, as stored now (a sandbox created on another server is found too). */
  async sandboxForKeyFresh(apiKey: string): Promise<SandboxCore | undefined> {
    if (!this.shared) return this.sandboxForKey(apiKey);
    if (!this.byApiKey.has(apiKey)) await this.refreshCatalogue();
    const id = this.byApiKey.get(apiKey);
    return id === undefined ? undefined : (await this.refresh(id))?.core;
  }

  /** `sandboxForUser`, as stored now (the internet bank's log-in through any server). */
  async sandboxForUserFresh(bank: BankId, userId: string): Promise<SandboxCore | undefined> {
    if (!this.shared) return this.sandboxForUser(bank, userId);
    if (!this.byUser.has(`${bank}/${userId}`)) await this.refreshCatalogue();
    const id = this.byUser.get(`${bank}/${userId}`);
    return id === undefined || id === '' ? undefined : (await this.refresh(id))?.core;
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
    await this.refresh(sandboxId);
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const state = found.value;
    this.busy.set(sandboxId, (this.busy.get(sandboxId) ?? 0) + 1);
    try {
      if (!state.loaded) {
        let loading = this.loading.get(sandboxId);
        if (!loading) {
          // On a shared store, under the sandbox's lock: the contents then match the core and events in memory.
          const load = this.shared
            ? async () => void (await this.locked(state, async () => ok(state.loaded ? undefined : await loadContents(this.options.store, state, state.tx))))
            : () => loadContents(this.options.store, state);
          loading = load().finally(() => this.loading.delete(sandboxId));
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

  /**
   * Runs `fn` alone for this sandbox: queued behind this server's other calls, inside the
   * store's transaction holding the sandbox's lock across servers, on a copy read again when
   * another server moved the sandbox's version. What `fn` writes commits as one unit.
   */
  private async locked<T>(state: SandboxState, fn: () => Promise<EngineResult<T>>): Promise<EngineResult<T>> {
    const body = async (): Promise<EngineResult<T>> => {
      try {
        const { value, version } = await this.options.store.transaction(state.core.id, async (tx): Promise<EngineResult<T> | typeof GONE> => {
          if (tx.version !== state.version && !(await this.reload(state, tx))) return GONE;
          state.tx = tx;
          try {
            return await fn();
          } finally {
            delete state.tx;
          }
        });
        if (value === GONE) return fail('SANDBOX_NOT_FOUND', `no sandbox ${state.core.id}`);
        state.version = version;
        return value;
      } catch (error) {
        // What is in memory may be ahead of the store: the next call reads it again.
        state.version = -1;
        throw error;
      }
    };
    const run = state.lock.then(body, body);
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
        // A job another server already did changes nothing, and writes nothing.
        if (dirty.size > 0) await flush(this.options, state, dirty);
      }
      return ok(undefined);
    });
  }

  // ── sandboxes ────────────────────────────────────────────────────────────────────────────

  async createSandbox(input: CreateSandboxInput): Promise<EngineResult<SandboxCore>> {
    if (input.start !== undefined && !(isLocalDateTime(input.start) && withinClockRange(input.start))) return fail('INVALID_REQUEST', `${input.start} is not a real date and time the sandbox clock can show`);
    const seed = input.seed ?? drawSeed(this.options.random);
    return this.inCatalogue(async (changed) => {
      if (input.apiKey !== undefined) {
        // A fixed key never takes another tenant's sandbox: only the named one is replaced.
        const holder = this.byApiKey.get(input.apiKey);
        if (holder !== undefined && holder !== input.replaces) return fail('API_KEY_IN_USE', 'that API key belongs to another sandbox');
        if (holder !== undefined) await this.removeSandbox(holder, changed);
      }
      const core = newSandboxCore(this.profile(input.bank), this.options.random, { ...input, seed }, this.options.defaultStart, this.takenUserIds());
      await this.addSandbox(core);
      changed();
      return ok(core);
    });
  }

  /** A new sandbox, stored before it is served: another server finds it whole or not at all. */
  private async addSandbox(core: SandboxCore): Promise<void> {
    const state = emptyState(core, addDays(dateOf(core.now), -1));
    await this.options.store.putMany([coreDocument(state)]);
    state.version = await this.options.store.version(core.id);
    this.register(state);
    this.evictIdle();
  }

  /**
   * The ready-made sandbox of a bank that `sandbank start` shows, created when there is none:
   * servers starting together on one store make one between them (the catalogue's lock).
   */
  async defaultSandbox(bank: BankId): Promise<EngineResult<SandboxCore>> {
    return this.inCatalogue(async (changed) => {
      const held = [...this.sandboxes.values()].map((s) => s.core).filter((core) => core.bank === bank);
      // Stores from before the flag existed: the first sandbox of each bank is its default.
      const found = held.find((core) => core.isDefault) ?? held[0];
      if (found) return ok(found);
      const core = newSandboxCore(this.profile(bank), this.options.random, { bank, isDefault: true, seed: drawSeed(this.options.random) }, this.options.defaultStart, this.takenUserIds());
      await this.addSandbox(core);
      changed();
      return ok(core);
    });
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
    return this.inCatalogue((changed) => this.removeSandbox(id, changed));
  }

  /** Deletes a sandbox under its own lock (the caller holds the catalogue's). */
  private async removeSandbox(id: string, changed: () => void): Promise<EngineResult<void>> {
    const state = this.sandboxes.get(id);
    if (!state) return fail('SANDBOX_NOT_FOUND', `no sandbox ${id}`);
    return this.locked(state, async () => {
      this.unregister(id);
      await deleteSandboxDocuments(this.options.store, state);
      changed();
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
    return this.inCatalogue(async (changed) => {
      const identity = newIdentity(this.options.random, snapshot, this.takenUserIds());
      if (this.sandboxes.has(identity.id)) return fail('INVALID_REQUEST', 'sandbox id collision; try again');
      const state = await installSnapshot(this.options.store, options.webhook === false ? { ...snapshot, core: { ...snapshot.core, webhook: null } } : snapshot, identity);
      state.version = await this.options.store.version(state.core.id);
      this.register(state);
      this.evictIdle();
      changed();
      // Deliveries still pending carry on from this server.
      if ([...state.deliveries.values()].some((d) => d.state === 'pending')) this.options.onEvents?.(state.core.id);
      return ok(state.core);
    });
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

  /**
   * `httpFault`, with the use counted in the store when other servers share it: a fault
   * limited to `times` fires that often across all of them (a client's retry through another
   * server then succeeds, as through the same one).
   */
  async takeHttpFault(sandboxId: string, request: { endpoint: string; method: string }): Promise<FaultAction | undefined> {
    const state = this.sandboxes.get(sandboxId);
    if (!state) return undefined;
    if (!this.shared || !state.core.faults.some((f) => f.action.type === 'http-error' || f.action.type === 'latency')) return httpFault(state.core, request);
    const taken = await this.locked(state, async () => {
      const fault = httpFault(state.core, request);
      if (fault) await saveCore(this.options.store, state);
      return ok(fault);
    });
    return taken.ok ? taken.value : undefined;
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

  /**
   * The sandbox's events after a sequence number, in order. Read like its files (settled, on
   * first use from the store): between uses only events whose webhook delivery is still
   * pending stay in memory, so memory does not grow with history.
   */
  async events(sandboxId: string, afterSequence = 0): Promise<BankEvent[]> {
    const read = await this.read(sandboxId, (state) => ok(eventsAfter(state, afterSequence)));
    return read.ok ? read.value : [];
  }

  /** Every webhook delivery with its attempts (read like `events`). */
  async deliveries(sandboxId: string): Promise<WebhookDelivery[]> {
    // A claim is one server's bookkeeping, not part of what a delivery shows.
    const read = await this.read(sandboxId, (state) => ok([...state.deliveries.values()].map(({ claim: _claim, ...delivery }) => delivery)));
    return read.ok ? read.value : [];
  }

  /** For the webhook dispatcher: the next attempt of a due delivery, for this server alone to send (undefined: not due, or another server has it). */
  async claimDelivery(sandboxId: string, eventId: string, now: { ms: number; iso: string }, leaseMs: number): Promise<(DueDelivery & { fault?: { status: number } }) | undefined> {
    const state = this.sandboxes.get(sandboxId);
    if (!state) return undefined;
    const claimed = await this.locked(state, async () => {
      const due = await claimDelivery(this.options.store, state, eventId, now, leaseMs);
      if (!due) return ok(undefined);
      // A fail-webhook fault limited to `times` is counted in the core with the claim, so it fires that often across servers.
      const fault = webhookFault(state.core);
      if (fault) await saveCore(this.options.store, state);
      return ok(fault ? { ...due, fault } : due);
    });
    return claimed.ok ? claimed.value : undefined;
  }

  /** For the webhook dispatcher: deliveries due now, with their events. */
  dueDeliveries(sandboxId: string, nowMs: number): DueDelivery[] {
    return dueDeliveries(this.sandboxes.get(sandboxId), nowMs);
  }

  async recordDelivery(sandboxId: string, eventId: string, attempt: { at: string; status: number | 'error'; error?: string }, next: { state: WebhookDelivery['state']; nextAttemptAt?: number }): Promise<void> {
    const state = this.sandboxes.get(sandboxId);
    if (!state) return;
    await this.locked(state, async () => ok(await recordDelivery(this.options.store, state, eventId, attempt, next)));
  }
}
