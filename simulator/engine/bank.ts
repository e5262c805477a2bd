/**
 * The simulated bank: a pure engine over a store port, an injected random source and, for
 * each sandbox, its own simulated clock. No I/O besides the store, no system time: everything
 * a sandbox does follows from its seed and the calls made to it.
 *
 * Every mutating call runs under the sandbox's lock and resolves only after its documents are
 * written, so an acknowledged request survives a crash.
 */
import { createHash } from 'node:crypto';

import { parseCancellationRequest } from '../../formats/camt/cancellation.ts';
import type { Random } from '../../formats/random.ts';
import { BANKS, type BankId, type BankProfile, type SigningMode } from '../banks/index.ts';
import { addDays, dayNumber, isBankDay, nextBankDay, rollToBankDay } from './calendar.ts';
import { fail, ok, type EngineResult } from './errors.ts';
import { intake } from './intake.ts';
import type {
  BankEvent, Entry, EventType, FaultAction, FaultRule, FileStatus, IncomingPayment, LocalDateTime, Payment, PaymentFile, PaymentStatus,
  ReportMeta, ReportType, SandboxAccount, SandboxCore, StatusReason, WebhookDelivery,
} from './model.ts';
import { bgmaxFor, camt029For, camt054For, pain002For, statementFor, type StatusLine } from './reports.ts';
import { seedSandboxData, token } from './sandbox-factory.ts';
import type { StorePort } from './store-port.ts';

export interface EngineOptions {
  store: StorePort;
  /** Source of sandbox ids and API keys (seeded in tests, from crypto in `sandbank start`). */
  random: Random;
  /** Today's date-time for sandboxes created without a start date (the real clock lives in main.ts). */
  defaultStart: () => LocalDateTime;
  /** Called after a sandbox produced events, so an edge (webhook dispatcher) can act. */
  onEvents?: (sandboxId: string) => void;
}

export interface CreateSandboxInput {
  bank: BankId;
  seed?: number;
  /** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (Swedish local time). */
  start?: string;
  companyName?: string;
  openingBalancesOre?: number[];
  signingModes?: SigningMode[];
  webhook?: { url: string; secret?: string };
  /**
   * A fixed API key (provider states for contract verification use a known one). A sandbox
   * already holding this key is replaced.
   */
  apiKey?: string;
  /** A fixed primary account (clearing + account number) instead of a generated one. */
  primaryAccount?: { clearing: string; accountNumber: string };
}

interface DayBook {
  entries: Entry[];
  incoming: IncomingPayment[];
}

interface Pending {
  kind: 'validate';
  fileId: string;
  bytes: Uint8Array;
}

interface PendingCancellation {
  kind: 'cancel';
  paymentIds: string[];
  via: 'api' | 'camt.055' | 'internet-bank';
  assignmentId?: string;
}

interface EventBatch {
  events: BankEvent[];
  deliveries: Record<string, WebhookDelivery>;
}

interface SandboxState {
  core: SandboxCore;
  files: Map<string, PaymentFile>;
  byIdempotencyKey: Map<string, string>;
  byMessageId: Map<string, string>;
  bySha: Map<string, string>;
  payments: Map<string, Payment>;
  reports: ReportMeta[];
  days: Map<string, DayBook>;
  events: BankEvent[];
  eventsById: Map<string, BankEvent>;
  /** Events are stored in batches, one document per operation that produced them. */
  eventBatch: Map<string, string>;
  batches: Map<string, string[]>;
  deliveries: Map<string, WebhookDelivery>;
  queue: (Pending | PendingCancellation)[];
  lock: Promise<unknown>;
  /** Last date a camt.053 was produced for (statements cover every booking since). */
  lastStatementDate: string;
}

export interface Balances {
  accountId: string;
  currency: string;
  bookedOre: number;
  reservedOre: number;
  availableOre: number;
  asOf: LocalDateTime;
}

export interface SubmitResult {
  fileId: string;
  status: FileStatus;
  idempotencyHit: boolean;
}

const STATUS_ORDER: Record<PaymentStatus, number> = { RECEIVED: 0, AWAITING_SIGNATURE: 1, SCHEDULED: 2, REJECTED: 3, EXECUTED: 3, CANCELLED: 3 };

const sandboxCollection = 'sandboxes';
const col = (id: string, kind: 'files' | 'raw' | 'reports' | 'days' | 'events') => `sandboxes/${id}/${kind}`;

function pad(n: number, width = 6): string {
  return String(n).padStart(width, '0');
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const dateOf = (t: LocalDateTime) => t.slice(0, 10);

function normalizeStart(start: string): LocalDateTime {
  return /^\d{4}-\d{2}-\d{2}$/.test(start) ? `${start}T08:00:00` : start.length === 16 ? `${start}:00` : start;
}

const digitsOnly = (s: string) => s.replace(/\D/g, '');

export class Engine {
  private readonly sandboxes = new Map<string, SandboxState>();
  private readonly byApiKey = new Map<string, string>();

  constructor(private readonly options: EngineOptions) {}

  profile(bank: BankId): BankProfile {
    return BANKS[bank];
  }

  /** Loads every sandbox from the store (start-up); files still RECEIVED are validated again. */
  async load(): Promise<void> {
    for (const { value } of await this.options.store.list(sandboxCollection)) {
      const core = value as SandboxCore & { lastStatementDate?: string };
      const state = this.emptyState(core, core.lastStatementDate ?? addDays(dateOf(core.now), -1));
      for (const { value: fileDoc } of await this.options.store.list(col(core.id, 'files'))) this.indexFile(state, fileDoc as PaymentFile);
      for (const { value: report } of await this.options.store.list(col(core.id, 'reports'))) state.reports.push((report as { meta: ReportMeta }).meta);
      state.reports.sort((a, b) => a.sequence - b.sequence);
      for (const { id, value: day } of await this.options.store.list(col(core.id, 'days'))) state.days.set(id, day as DayBook);
      for (const { id: batchId, value } of await this.options.store.list(col(core.id, 'events'))) {
        const batch = value as EventBatch;
        state.batches.set(batchId, batch.events.map((e) => e.id));
        for (const event of batch.events) {
          state.events.push(event);
          state.eventsById.set(event.id, event);
          state.eventBatch.set(event.id, batchId);
          const delivery = batch.deliveries[event.id];
          if (delivery) state.deliveries.set(event.id, delivery);
        }
      }
      state.events.sort((a, b) => a.sequence - b.sequence);
      for (const file of state.files.values()) {
        if (file.status !== 'RECEIVED') continue;
        const raw = (await this.options.store.get(col(core.id, 'raw'), file.id)) as { base64: string } | undefined;
        if (raw) state.queue.push({ kind: 'validate', fileId: file.id, bytes: Buffer.from(raw.base64, 'base64') });
      }
      this.recover(state);
      this.sandboxes.set(core.id, state);
      this.byApiKey.set(core.apiKey, core.id);
    }
  }

  /**
   * After a crash the documents of one operation may be partly written (the core, with its
   * counters and balances, last). Bookings are the truth: balances are recomputed from them,
   * a payment that was booked is executed, and counters continue after the highest id seen.
   */
  private recover(state: SandboxState): void {
    const core = state.core;
    const entries = [...state.days.values()].flatMap((d) => d.entries);
    for (const account of core.accounts) {
      account.bookedOre = entries.filter((e) => e.accountId === account.id).reduce((s, e) => s + (e.creditDebit === 'CRDT' ? e.amountOre : -e.amountOre), account.openingBalanceOre);
    }
    for (const entry of entries) {
      const payment = entry.paymentId === undefined ? undefined : state.payments.get(entry.paymentId);
      if (payment && payment.status !== 'EXECUTED') {
        payment.status = 'EXECUTED';
        payment.entryId = entry.id;
        payment.executionDate = entry.bookingDate;
        payment.history.push({ at: core.now, status: 'EXECUTED', reason: 'recovered from the booking after a restart' });
      }
    }
    const maxOf = (ids: Iterable<string>) => Math.max(0, ...[...ids].map((id) => Number(id.replace(/^\D+_/, '').replace(/\D/g, '')) || 0));
    core.counters.file = Math.max(core.counters.file, maxOf(state.files.keys()));
    core.counters.payment = Math.max(core.counters.payment, maxOf(state.payments.keys()));
    core.counters.report = Math.max(core.counters.report, ...state.reports.map((r) => r.sequence));
    core.counters.entry = Math.max(core.counters.entry, maxOf(entries.map((e) => e.id)));
    core.counters.event = Math.max(core.counters.event, ...state.events.map((e) => e.sequence));
    core.counters.incoming = Math.max(core.counters.incoming, maxOf([...state.days.values()].flatMap((d) => d.incoming.map((i) => i.id))));
  }

  private emptyState(core: SandboxCore, lastStatementDate: string): SandboxState {
    return {
      core, files: new Map(), byIdempotencyKey: new Map(), byMessageId: new Map(), bySha: new Map(), payments: new Map(), reports: [], days: new Map(),
      events: [], eventsById: new Map(), eventBatch: new Map(), batches: new Map(), deliveries: new Map(), queue: [], lock: Promise.resolve(), lastStatementDate,
    };
  }

  private indexFile(state: SandboxState, file: PaymentFile): void {
    state.files.set(file.id, file);
    for (const key of file.idempotencyKeys) state.byIdempotencyKey.set(key, file.id);
    if (file.messageId && !state.byMessageId.has(file.messageId) && file.status !== 'REJECTED') state.byMessageId.set(file.messageId, file.id);
    if (!state.bySha.has(file.sha256)) state.bySha.set(file.sha256, file.id);
    for (const p of file.payments) state.payments.set(p.id, p);
  }

  /** Settles queued work, then runs `fn` alone for this sandbox: the shape of every mutating call. */
  private async mutate<T>(sandboxId: string, fn: (state: SandboxState) => Promise<EngineResult<T>>): Promise<EngineResult<T>> {
    await this.settle(sandboxId);
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const state = found.value;
    return this.locked(state, () => fn(state));
  }

  /** Runs `fn` alone for this sandbox (calls are queued, not interleaved). */
  private async locked<T>(state: SandboxState, fn: () => Promise<T>): Promise<T> {
    const run = state.lock.then(fn, fn);
    state.lock = run.catch(() => undefined);
    return run;
  }

  // ── sandboxes ────────────────────────────────────────────────────────────────────────────

  async createSandbox(input: CreateSandboxInput): Promise<EngineResult<SandboxCore>> {
    const random = this.options.random;
    const seed = input.seed ?? random.int(1, 2 ** 31 - 1);
    const profile = this.profile(input.bank);
    const data = seedSandboxData(profile, seed, {
      ...(input.companyName === undefined ? {} : { companyName: input.companyName }),
      ...(input.openingBalancesOre === undefined ? {} : { openingBalancesOre: input.openingBalancesOre }),
      ...(input.primaryAccount === undefined ? {} : { primaryAccount: input.primaryAccount }),
    });
    const now = normalizeStart(input.start ?? this.options.defaultStart());
    if (input.apiKey !== undefined) {
      const holder = this.byApiKey.get(input.apiKey);
      if (holder !== undefined) await this.deleteSandbox(holder);
    }
    const core: SandboxCore = {
      id: `sbx_${token(random, 12)}`,
      bank: input.bank,
      seed,
      apiKey: input.apiKey ?? `sk_test_${token(random, 32)}`,
      createdAt: now,
      now,
      company: data.company,
      accounts: data.accounts,
      users: data.users,
      signingModes: input.signingModes ?? [...profile.signingModes],
      counters: { file: 0, payment: 0, report: 0, entry: 0, event: 0, incoming: 0, cancellation: 0 },
      webhook: input.webhook ? { url: input.webhook.url, secret: input.webhook.secret ?? `whsec_${token(random, 24)}` } : undefined,
      faults: [],
      heldReports: [],
    };
    const state = this.emptyState(core, addDays(dateOf(now), -1));
    this.sandboxes.set(core.id, state);
    this.byApiKey.set(core.apiKey, core.id);
    await this.saveCore(state);
    return ok(core);
  }

  sandboxForKey(apiKey: string): SandboxCore | undefined {
    const id = this.byApiKey.get(apiKey);
    return id === undefined ? undefined : this.sandboxes.get(id)?.core;
  }

  sandbox(id: string): SandboxCore | undefined {
    return this.sandboxes.get(id)?.core;
  }

  sandboxIds(): string[] {
    return [...this.sandboxes.keys()];
  }

  async deleteSandbox(id: string): Promise<EngineResult<void>> {
    const state = this.sandboxes.get(id);
    if (!state) return fail('SANDBOX_NOT_FOUND', `no sandbox ${id}`);
    return this.locked(state, async () => {
      this.sandboxes.delete(id);
      this.byApiKey.delete(state.core.apiKey);
      await this.options.store.delete(sandboxCollection, id);
      await this.options.store.deleteCollection(`sandboxes/${id}`);
      return ok(undefined);
    });
  }

  private async saveCore(state: SandboxState): Promise<void> {
    await this.options.store.put(sandboxCollection, state.core.id, { ...state.core, lastStatementDate: state.lastStatementDate });
  }

  private async saveFile(state: SandboxState, file: PaymentFile): Promise<void> {
    await this.options.store.put(col(state.core.id, 'files'), file.id, file);
  }

  private state(id: string): EngineResult<SandboxState> {
    const state = this.sandboxes.get(id);
    return state ? ok(state) : fail('SANDBOX_NOT_FOUND', `no sandbox ${id}`);
  }

  // ── events and reports ───────────────────────────────────────────────────────────────────

  private emit(state: SandboxState, type: EventType, data: Record<string, unknown>, dirty: Set<string>): void {
    const core = state.core;
    core.counters.event++;
    const event: BankEvent = { id: `evt_${core.id.slice(4)}_${pad(core.counters.event, 8)}`, sequence: core.counters.event, type, createdAt: core.now, data };
    state.events.push(event);
    state.eventsById.set(event.id, event);
    if (core.webhook) state.deliveries.set(event.id, { eventId: event.id, url: core.webhook.url, attempts: [], state: 'pending' });
    dirty.add(`event:${event.id}`);
  }

  private matchReportFault(core: SandboxCore, type: ReportType): FaultRule | undefined {
    return core.faults.find((f) => (f.action.type === 'delay-report' || f.action.type === 'drop-report' || f.action.type === 'duplicate-report') && (f.match.reportType === undefined || f.match.reportType === type));
  }

  private addReport(state: SandboxState, type: ReportType, message: string, body: string, extra: { fileId?: string; accountId?: string }, dirty: Set<string>): ReportMeta {
    const core = state.core;
    const fault = this.matchReportFault(core, type);
    const copies = fault?.action.type === 'duplicate-report' ? 2 : 1;
    let first: ReportMeta | undefined;
    for (let copy = 0; copy < copies; copy++) {
      core.counters.report++;
      const meta: ReportMeta = {
        id: `rpt_${pad(core.counters.report)}`,
        sequence: core.counters.report,
        type,
        message,
        createdAt: core.now,
        contentType: type === 'bgmax' ? 'text/plain; charset=iso-8859-1' : 'application/xml',
        visible: fault === undefined || fault.action.type === 'duplicate-report',
        sizeBytes: Buffer.byteLength(body, type === 'bgmax' ? 'latin1' : 'utf8'),
        ...extra,
      };
      if (fault) fault.hits++;
      if (fault?.action.type === 'delay-report') {
        let release = dateOf(core.now);
        for (let i = 0; i < fault.action.bankDays; i++) release = nextBankDay(release);
        core.heldReports.push({ reportId: meta.id, releaseOn: release });
      }
      state.reports.push(meta);
      dirty.add(`report:${meta.id}`);
      this.pendingBodies.set(`${core.id}/${meta.id}`, body);
      if (meta.visible) this.emit(state, 'report.available', { reportId: meta.id, type, message, fileId: meta.fileId }, dirty);
      first ??= meta;
    }
    return first as ReportMeta;
  }

  /** Report bodies written in the current operation, until flushed to the store. */
  private readonly pendingBodies = new Map<string, string>();

  /**
   * Writes what an operation changed. Order matters for crash recovery (see `recover`):
   * bookings first, then reports, files and events, the sandbox core (counters) last.
   */
  private async flush(state: SandboxState, dirty: Set<string>): Promise<void> {
    const core = state.core;
    const store = this.options.store;
    const rank = (key: string) => ['day', 'report', 'file', 'event'].indexOf(key.slice(0, key.indexOf(':')));
    const newEvents: string[] = [];
    for (const key of [...dirty].sort((a, b) => rank(a) - rank(b))) {
      if (key.startsWith('event:')) {
        newEvents.push(key.slice(6));
        continue;
      }
      const [kind, id = ''] = key.split(/:(.*)/s);
      if (kind === 'file') {
        const file = state.files.get(id);
        if (file) await this.saveFile(state, file);
      } else if (kind === 'report') {
        const meta = state.reports.find((r) => r.id === id);
        const body = this.pendingBodies.get(`${core.id}/${id}`);
        if (meta && body !== undefined) await store.put(col(core.id, 'reports'), id, { meta, body });
        else if (meta) {
          const existing = (await store.get(col(core.id, 'reports'), id)) as { body: string } | undefined;
          await store.put(col(core.id, 'reports'), id, { meta, body: existing?.body ?? '' });
        }
        this.pendingBodies.delete(`${core.id}/${id}`);
      } else if (kind === 'day') {
        const day = state.days.get(id);
        if (day) await store.put(col(core.id, 'days'), id, day);
      }
    }
    if (newEvents.length > 0) {
      const batchId = `b_${pad(state.eventsById.get(newEvents[0] as string)?.sequence ?? 0, 9)}`;
      state.batches.set(batchId, newEvents);
      for (const id of newEvents) state.eventBatch.set(id, batchId);
      await this.saveBatch(state, batchId);
    }
    await this.saveCore(state);
    if (newEvents.length > 0) this.options.onEvents?.(core.id);
  }

  private async saveBatch(state: SandboxState, batchId: string): Promise<void> {
    const ids = state.batches.get(batchId) ?? [];
    const batch: EventBatch = { events: [], deliveries: {} };
    for (const id of ids) {
      const event = state.eventsById.get(id);
      if (event) batch.events.push(event);
      const delivery = state.deliveries.get(id);
      if (delivery) batch.deliveries[id] = delivery;
    }
    await this.options.store.put(col(state.core.id, 'events'), batchId, batch);
  }

  private pain002Id(state: SandboxState): string {
    return `${this.profile(state.core.bank).id === 'swedbank' ? 'SWED' : 'SPAR'}-STS-${pad(state.core.counters.report + 1, 8)}`;
  }

  private reportStatus(state: SandboxState, file: PaymentFile, groupStatus: string | undefined, groupReasons: StatusReason[], lines: StatusLine[], dirty: Set<string>): void {
    const profile = this.profile(state.core.bank);
    const body = pain002For(profile, this.pain002Id(state), state.core.now, file, groupStatus, groupReasons, lines);
    this.addReport(state, 'pain.002', profile.pain002Version, body, { fileId: file.id }, dirty);
  }

  /**
   * `withEvent: false` for payments that move together with their file (validation, signing):
   * the file's event carries them, so a 10,000-payment file is one webhook, not 10,001.
   */
  private setPaymentStatus(state: SandboxState, payment: Payment, status: PaymentStatus, dirty: Set<string>, reason?: StatusReason, withEvent = true): void {
    if (STATUS_ORDER[status] < STATUS_ORDER[payment.status]) throw new Error(`payment ${payment.id} cannot go from ${payment.status} back to ${status}`);
    payment.status = status;
    if (reason) payment.reasons.push(reason);
    payment.history.push(reason ? { at: state.core.now, status, reason: `${reason.code} ${reason.message}` } : { at: state.core.now, status });
    if (withEvent) this.emit(state, 'payment.status_changed', { paymentId: payment.id, fileId: payment.fileId, endToEndId: payment.endToEndId, status, reason: reason?.code }, dirty);
    dirty.add(`file:${payment.fileId}`);
  }

  private setFileStatus(state: SandboxState, file: PaymentFile, status: FileStatus, dirty: Set<string>): void {
    file.status = status;
    const payments: Partial<Record<PaymentStatus, number>> = {};
    for (const p of file.payments) payments[p.status] = (payments[p.status] ?? 0) + 1;
    this.emit(state, 'payment_file.status_changed', { fileId: file.id, messageId: file.messageId, status, payments }, dirty);
    dirty.add(`file:${file.id}`);
  }

  // ── payment files ────────────────────────────────────────────────────────────────────────

  /**
   * Stores an uploaded file and acknowledges it as RECEIVED. Validation runs after the
   * acknowledgement (see `settle`), as a bank's intake does.
   */
  async submitFile(sandboxId: string, bytes: Uint8Array, options: { idempotencyKey?: string } = {}): Promise<EngineResult<SubmitResult>> {
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const state = found.value;
    return this.locked(state, async () => {
      const digest = sha256(bytes);
      if (options.idempotencyKey !== undefined) {
        const existingId = state.byIdempotencyKey.get(options.idempotencyKey);
        const existing = existingId === undefined ? undefined : state.files.get(existingId);
        if (existing) {
          if (existing.sha256 !== digest) return fail('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${options.idempotencyKey} was used for a different file (${existing.id})`, { fileId: existing.id });
          return ok({ fileId: existing.id, status: existing.status, idempotencyHit: true });
        }
      }
      const messageId = sniffMessageId(bytes);
      const sameBytes = state.bySha.get(digest);
      const sameFile = sameBytes === undefined ? undefined : state.files.get(sameBytes);
      if (sameFile && (messageId === undefined || sameFile.messageId === messageId || sameFile.status === 'RECEIVED')) {
        if (options.idempotencyKey !== undefined) {
          // The key now names that file too: the same key with other bytes must conflict.
          sameFile.idempotencyKeys.push(options.idempotencyKey);
          state.byIdempotencyKey.set(options.idempotencyKey, sameFile.id);
          await this.saveFile(state, sameFile);
        }
        return ok({ fileId: sameFile.id, status: sameFile.status, idempotencyHit: true });
      }
      const core = state.core;
      core.counters.file++;
      const file: PaymentFile = {
        id: `pf_${pad(core.counters.file)}`,
        format: messageId === undefined ? 'lb' : 'pain.001.001.03',
        receivedAt: core.now,
        sha256: digest,
        sizeBytes: bytes.length,
        messageId: messageId ?? '',
        idempotencyKeys: options.idempotencyKey === undefined ? [] : [options.idempotencyKey],
        status: 'RECEIVED',
        reasons: [],
        issues: [],
        numberOfTransactions: 0,
        controlSumOre: 0,
        payments: [],
      };
      await this.options.store.put(col(core.id, 'raw'), file.id, { base64: Buffer.from(bytes).toString('base64') });
      state.files.set(file.id, file);
      if (options.idempotencyKey !== undefined) state.byIdempotencyKey.set(options.idempotencyKey, file.id);
      state.bySha.set(digest, file.id);
      state.queue.push({ kind: 'validate', fileId: file.id, bytes });
      const dirty = new Set<string>([`file:${file.id}`]);
      this.emit(state, 'payment_file.status_changed', { fileId: file.id, status: 'RECEIVED' }, dirty);
      await this.flush(state, dirty);
      return ok({ fileId: file.id, status: file.status, idempotencyHit: false });
    });
  }

  /** Processes queued work (validation, cancellations) for a sandbox; reads call this first. */
  async settle(sandboxId: string): Promise<void> {
    const state = this.sandboxes.get(sandboxId);
    if (!state || state.queue.length === 0) return;
    await this.locked(state, () => this.drain(state));
  }

  private async drain(state: SandboxState): Promise<void> {
    while (state.queue.length > 0) {
      const job = state.queue.shift() as Pending | PendingCancellation;
      const dirty = new Set<string>();
      if (job.kind === 'validate') this.validateFile(state, job.fileId, job.bytes, dirty);
      else this.resolveCancellation(state, job, dirty);
      await this.flush(state, dirty);
    }
  }

  private debtorAccountFor(state: SandboxState, written: string): SandboxAccount | undefined {
    const digits = digitsOnly(written);
    const upper = written.replace(/\s/g, '').toUpperCase();
    return state.core.accounts.find((a) => a.iban === upper || digits === `${a.clearing}${a.accountNumber}` || digits === `${a.clearing.slice(0, 4)}${a.accountNumber}`)
      ?? (digits === state.core.company.bankgiro ? state.core.accounts.find((a) => a.primary) : undefined);
  }

  private validateFile(state: SandboxState, fileId: string, bytes: Uint8Array, dirty: Set<string>): void {
    const file = state.files.get(fileId);
    if (!file || file.status !== 'RECEIVED') return;
    const core = state.core;
    const profile = this.profile(core.bank);
    const result = intake(bytes, profile);
    file.format = result.format;
    file.issues = result.issues.slice(0, 200).map((i) => ({ path: i.path, code: i.code, message: i.message, severity: i.severity, ...(i.line === undefined ? {} : { line: i.line }) }));
    if (result.format === 'lb') file.messageId = `${result.messageId}-${file.sha256.slice(0, 12)}`;
    else file.messageId = result.messageId;
    const fileReasons = [...result.fileRejections];
    const duplicateOf = state.byMessageId.get(file.messageId);
    if (file.messageId && duplicateOf !== undefined && duplicateOf !== file.id) {
      fileReasons.unshift({ code: 'DUPL', message: `message id ${file.messageId} was already received (${duplicateOf}) with different content` });
    }
    const today = dateOf(core.now);
    const policy = profile.nonBankDayPolicy[file.format === 'lb' ? 'lb' : 'pain001'];
    for (const ip of result.payments) {
      core.counters.payment++;
      const debtor = this.debtorAccountFor(state, ip.debtorAccount);
      const rejections = [...ip.rejections];
      if (!debtor) rejections.push({ code: 'AC02', message: `debtor account ${ip.debtorAccount} is not an account of ${core.company.name} at ${profile.displayName}` });
      const date = ip.requestedExecutionDate;
      if (date !== '' && !isBankDay(date) && policy === 'reject') rejections.push({ code: 'DT01', message: `${date} is not a bank day` });
      if (date !== '' && dayNumber(date) > dayNumber(today) + profile.maxFutureDays) rejections.push({ code: 'DT01', message: `${date} is more than ${profile.maxFutureDays} days ahead` });
      const payment: Payment = {
        id: `pmt_${pad(core.counters.payment, 7)}`,
        fileId: file.id,
        paymentInformationId: ip.paymentInformationId,
        endToEndId: ip.endToEndId,
        amountOre: ip.amountOre,
        currency: ip.currency,
        debtorAccountId: debtor?.id ?? '',
        creditor: ip.creditor,
        requestedExecutionDate: date,
        status: 'RECEIVED',
        reasons: [],
        retries: 0,
        history: [{ at: core.now, status: 'RECEIVED' }],
      };
      if (ip.instructionId !== undefined) payment.instructionId = ip.instructionId;
      if (ip.reference !== undefined) payment.reference = ip.reference;
      file.payments.push(payment);
      state.payments.set(payment.id, payment);
      if (fileReasons.length === 0 && rejections.length > 0) {
        payment.status = 'REJECTED';
        payment.reasons.push(...rejections);
        payment.history.push({ at: core.now, status: 'REJECTED', reason: rejections.map((r) => `${r.code} ${r.message}`).join('; ') });
      }
    }
    file.numberOfTransactions = file.payments.length;
    file.controlSumOre = file.payments.reduce((sum, p) => sum + p.amountOre, 0);
    dirty.add(`file:${file.id}`);
    if (fileReasons.length > 0) {
      file.reasons = fileReasons;
      for (const p of file.payments) {
        p.status = 'REJECTED';
        p.reasons.push(fileReasons[0] as StatusReason);
        p.history.push({ at: core.now, status: 'REJECTED', reason: `${fileReasons[0]?.code} file rejected` });
      }
      this.setFileStatus(state, file, 'REJECTED', dirty);
      this.reportStatus(state, file, 'RJCT', fileReasons.slice(0, 10), [], dirty);
      return;
    }
    if (file.messageId) state.byMessageId.set(file.messageId, file.id);
    const accepted = file.payments.filter((p) => p.status !== 'REJECTED');
    for (const p of accepted) this.setPaymentStatus(state, p, 'AWAITING_SIGNATURE', dirty, undefined, false);
    const status = accepted.length === 0 ? 'REJECTED' : accepted.length < file.payments.length ? 'PARTIALLY_ACCEPTED' : 'AWAITING_SIGNATURE';
    if (accepted.length === 0) file.reasons = [{ code: 'NARR', message: 'every payment in the file was rejected' }];
    this.setFileStatus(state, file, status, dirty);
    this.reportStatus(state, file, accepted.length === 0 ? 'RJCT' : accepted.length < file.payments.length ? 'PART' : 'ACTC', [],
      file.payments.map((p) => (p.status === 'REJECTED' ? { payment: p, status: 'RJCT', reasons: p.reasons } : { payment: p, status: 'PDNG', reasons: [] })), dirty);
  }

  async getFile(sandboxId: string, fileId: string): Promise<EngineResult<PaymentFile>> {
    await this.settle(sandboxId);
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const file = found.value.files.get(fileId);
    return file ? ok(file) : fail('FILE_NOT_FOUND', `no payment file ${fileId} in this sandbox`);
  }

  async listFiles(sandboxId: string): Promise<EngineResult<PaymentFile[]>> {
    await this.settle(sandboxId);
    const found = this.state(sandboxId);
    return found.ok ? ok([...found.value.files.values()]) : found;
  }

  /** The bank day a signed payment executes on, per the cut-off and the profile. */
  private executionDateFor(state: SandboxState, requested: string): string {
    const profile = this.profile(state.core.bank);
    const today = dateOf(state.core.now);
    const pastCutoff = state.core.now.slice(11, 16) >= profile.cutoffTime;
    const earliest = isBankDay(today) && !pastCutoff ? today : nextBankDay(today);
    const wanted = requested === '' ? earliest : rollToBankDay(requested);
    return dayNumber(wanted) < dayNumber(earliest) ? earliest : wanted;
  }

  /** Runs `fn` under the sandbox lock for a file that is awaiting signature (else the error). */
  private async withFileAwaitingSignature(sandboxId: string, fileId: string, fn: (state: SandboxState, file: PaymentFile) => Promise<EngineResult<PaymentFile>>): Promise<EngineResult<PaymentFile>> {
    return this.mutate(sandboxId, async (state) => {
      const file = state.files.get(fileId);
      if (!file) return fail('FILE_NOT_FOUND', `no payment file ${fileId} in this sandbox`);
      if (file.status !== 'AWAITING_SIGNATURE' && file.status !== 'PARTIALLY_ACCEPTED') {
        return fail('FILE_NOT_AWAITING_SIGNATURE', `payment file ${fileId} is ${file.status}; only a file awaiting signature can be signed or rejected`, { fileStatus: file.status });
      }
      return fn(state, file);
    });
  }

  async signFile(sandboxId: string, fileId: string, signer: { channel: 'in-app' | 'internet-bank'; signedBy: string; role: 'administrator' | 'user' }): Promise<EngineResult<PaymentFile>> {
    return this.withFileAwaitingSignature(sandboxId, fileId, async (state, file) => {
      if (signer.channel === 'in-app' && !state.core.signingModes.includes('in-app-two-step')) {
        return fail('SIGNING_NOT_ALLOWED', 'this agreement has no two-step integration: sign the file in the internet bank');
      }
      if (signer.role !== 'administrator') return fail('SIGNING_NOT_ALLOWED', 'only an administrator may sign payment files');
      const dirty = new Set<string>();
      file.signature = { at: state.core.now, channel: signer.channel, signedBy: signer.signedBy };
      const lines: StatusLine[] = [];
      for (const p of file.payments) {
        if (p.status !== 'AWAITING_SIGNATURE') continue;
        p.executionDate = this.executionDateFor(state, p.requestedExecutionDate);
        this.setPaymentStatus(state, p, 'SCHEDULED', dirty, undefined, false);
        lines.push({ payment: p, status: 'ACCP', reasons: [] });
      }
      this.setFileStatus(state, file, 'SIGNED', dirty);
      this.reportStatus(state, file, 'ACCP', [], lines, dirty);
      await this.flush(state, dirty);
      return ok(file);
    });
  }

  /** Internet-bank "reject file": the user refuses to sign; every waiting payment is cancelled. */
  async rejectFile(sandboxId: string, fileId: string, userName: string): Promise<EngineResult<PaymentFile>> {
    return this.withFileAwaitingSignature(sandboxId, fileId, async (state, file) => {
      const dirty = new Set<string>();
      const reason = { code: this.cancelReasonCode(state), message: `rejected in the internet bank by ${userName}` };
      const lines: StatusLine[] = [];
      for (const p of file.payments.filter((x) => x.status === 'AWAITING_SIGNATURE')) {
        this.setPaymentStatus(state, p, 'CANCELLED', dirty, reason);
        lines.push({ payment: p, status: this.cancelledTxStatus(state), reasons: [reason] });
      }
      file.reasons.push(reason);
      this.setFileStatus(state, file, 'REJECTED', dirty);
      this.reportStatus(state, file, 'RJCT', [reason], lines, dirty);
      await this.flush(state, dirty);
      return ok(file);
    });
  }

  // ── payments, cancellation ───────────────────────────────────────────────────────────────

  async listPayments(sandboxId: string, status?: PaymentStatus): Promise<EngineResult<Payment[]>> {
    await this.settle(sandboxId);
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const all = [...found.value.payments.values()];
    return ok(status === undefined ? all : all.filter((p) => p.status === status));
  }

  async getPayment(sandboxId: string, paymentId: string): Promise<EngineResult<Payment>> {
    await this.settle(sandboxId);
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const payment = found.value.payments.get(paymentId);
    return payment ? ok(payment) : fail('PAYMENT_NOT_FOUND', `no payment ${paymentId} in this sandbox`);
  }

  private cancelReasonCode(state: SandboxState): string {
    const profile = this.profile(state.core.bank);
    return profile.pain002Version === 'pain.002.001.03' ? profile.cancellationReasonIn03 : 'CUST';
  }

  private cancelledTxStatus(state: SandboxState): string {
    // pain.002.001.03 has no CANC: a cancelled payment is reported RJCT with DS02/CUST.
    return this.profile(state.core.bank).pain002Version === 'pain.002.001.03' ? 'RJCT' : 'CANC';
  }

  /**
   * Asks the bank to cancel payments. The request is recorded (REQUESTED) and resolved by the
   * bank's back office right after: cancelled before execution, refused (ARDT) after.
   */
  async requestCancellation(sandboxId: string, paymentIds: string[], via: 'api' | 'camt.055' | 'internet-bank', assignmentId?: string): Promise<EngineResult<Payment[]>> {
    return this.mutate(sandboxId, async (state) => {
      const payments: Payment[] = [];
      for (const id of paymentIds) {
        const payment = state.payments.get(id);
        if (!payment) return fail('PAYMENT_NOT_FOUND', `no payment ${id} in this sandbox`);
        if (payment.cancellation && payment.cancellation.status !== 'CANCELLATION_REJECTED') {
          return fail('PAYMENT_NOT_CANCELLABLE', `a cancellation of ${id} was already ${payment.cancellation.status.toLowerCase()}`, { cancellation: payment.cancellation.status });
        }
        if (payment.status === 'REJECTED' || payment.status === 'CANCELLED') return fail('PAYMENT_NOT_CANCELLABLE', `payment ${id} is ${payment.status}`, { paymentStatus: payment.status });
        payments.push(payment);
      }
      const dirty = new Set<string>();
      for (const payment of payments) {
        payment.cancellation = { status: 'REQUESTED', requestedAt: state.core.now, via, ...(assignmentId === undefined ? {} : { assignmentId }) };
        payment.history.push({ at: state.core.now, status: 'CANCELLATION_REQUESTED' });
        this.emit(state, 'payment.cancellation_changed', { paymentId: payment.id, endToEndId: payment.endToEndId, cancellation: 'REQUESTED' }, dirty);
        dirty.add(`file:${payment.fileId}`);
      }
      state.queue.push(assignmentId === undefined ? { kind: 'cancel', paymentIds, via } : { kind: 'cancel', paymentIds, via, assignmentId });
      await this.flush(state, dirty);
      return ok(payments);
    });
  }

  /** A camt.055 document: every transaction it names is looked up by EndToEndId (and PmtInfId). */
  async submitCancellationDocument(sandboxId: string, bytes: Uint8Array): Promise<EngineResult<{ assignmentId: string; payments: Payment[] }>> {
    await this.settle(sandboxId);
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const parsed = parseCancellationRequest(bytes);
    if (!parsed.ok) return fail('INVALID_REQUEST', `not a valid camt.055: ${parsed.issues[0]?.message ?? 'unreadable'}`, { issues: parsed.issues.slice(0, 20) });
    const ids: string[] = [];
    for (const p of parsed.value.paymentInformation) {
      for (const tx of p.transactions) {
        const match = [...found.value.payments.values()].find((x) => x.endToEndId === tx.originalEndToEndId && (p.originalPaymentInformationId === '' || x.paymentInformationId === p.originalPaymentInformationId));
        if (!match) return fail('PAYMENT_NOT_FOUND', `no payment with EndToEndId ${tx.originalEndToEndId} in payment information ${p.originalPaymentInformationId}`);
        ids.push(match.id);
      }
    }
    const result = await this.requestCancellation(sandboxId, ids, 'camt.055', parsed.value.assignmentId);
    return result.ok ? ok({ assignmentId: parsed.value.assignmentId, payments: result.value }) : result;
  }

  private resolveCancellation(state: SandboxState, job: PendingCancellation, dirty: Set<string>): void {
    const byFile = new Map<string, { payment: Payment; cancelled: boolean; reason?: StatusReason }[]>();
    const core = state.core;
    for (const id of job.paymentIds) {
      const payment = state.payments.get(id);
      if (!payment?.cancellation || payment.cancellation.status !== 'REQUESTED') continue;
      const cancellable = payment.status === 'RECEIVED' || payment.status === 'AWAITING_SIGNATURE' || payment.status === 'SCHEDULED';
      const list = byFile.get(payment.fileId) ?? [];
      if (cancellable) {
        const reason = { code: this.cancelReasonCode(state), message: job.via === 'internet-bank' ? 'deleted in the internet bank' : 'cancelled at the request of the customer' };
        payment.cancellation.status = 'CANCELLED';
        payment.cancellation.resolvedAt = core.now;
        this.setPaymentStatus(state, payment, 'CANCELLED', dirty, reason);
        list.push({ payment, cancelled: true });
      } else {
        const reason = payment.status === 'EXECUTED' ? { code: 'ARDT', message: `already executed on ${payment.executionDate}` } : { code: 'NOOR', message: `payment is ${payment.status}` };
        payment.cancellation.status = 'CANCELLATION_REJECTED';
        payment.cancellation.resolvedAt = core.now;
        payment.cancellation.reason = reason;
        payment.history.push({ at: core.now, status: 'CANCELLATION_REJECTED', reason: `${reason.code} ${reason.message}` });
        list.push({ payment, cancelled: false, reason });
      }
      this.emit(state, 'payment.cancellation_changed', { paymentId: payment.id, endToEndId: payment.endToEndId, cancellation: payment.cancellation.status }, dirty);
      byFile.set(payment.fileId, list);
      dirty.add(`file:${payment.fileId}`);
    }
    const profile = this.profile(core.bank);
    for (const [fileId, outcomes] of byFile) {
      const file = state.files.get(fileId) as PaymentFile;
      core.counters.cancellation++;
      const caseId = job.assignmentId;
      const body = camt029For(profile, core, `${profile.id === 'swedbank' ? 'SWED' : 'SPAR'}-CXL-${pad(core.counters.cancellation)}`, core.now, file, outcomes, caseId);
      this.addReport(state, 'camt.029', 'camt.029.001.09', body, { fileId }, dirty);
      const cancelled = outcomes.filter((o) => o.cancelled);
      if (cancelled.length > 0) {
        this.reportStatus(state, file, undefined, [], cancelled.map((o) => ({ payment: o.payment, status: this.cancelledTxStatus(state), reasons: [{ code: this.cancelReasonCode(state), message: 'cancelled at the request of the customer' }] })), dirty);
      }
    }
  }

  // ── accounts and balances ────────────────────────────────────────────────────────────────

  private reservedOre(state: SandboxState, accountId: string): number {
    let sum = 0;
    for (const p of state.payments.values()) if (p.status === 'SCHEDULED' && p.debtorAccountId === accountId) sum += p.amountOre;
    return sum;
  }

  async balances(sandboxId: string, accountId: string): Promise<EngineResult<Balances>> {
    await this.settle(sandboxId);
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const account = found.value.core.accounts.find((a) => a.id === accountId);
    if (!account) return fail('ACCOUNT_NOT_FOUND', `no account ${accountId} in this sandbox`);
    const reservedOre = this.reservedOre(found.value, accountId);
    return ok({ accountId, currency: account.currency, bookedOre: account.bookedOre, reservedOre, availableOre: account.bookedOre - reservedOre, asOf: found.value.core.now });
  }

  /** Bookings of an account, newest last, optionally from a date. */
  async entries(sandboxId: string, accountId: string, fromDate?: string): Promise<EngineResult<Entry[]>> {
    await this.settle(sandboxId);
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    if (!found.value.core.accounts.some((a) => a.id === accountId)) return fail('ACCOUNT_NOT_FOUND', `no account ${accountId} in this sandbox`);
    const days = [...found.value.days.keys()].filter((d) => fromDate === undefined || d >= fromDate).sort();
    return ok(days.flatMap((d) => (found.value.days.get(d)?.entries ?? []).filter((e) => e.accountId === accountId)));
  }

  /** camt.052: the intraday report of today's bookings so far (not stored in the mailbox). */
  async intradayReport(sandboxId: string, accountId: string): Promise<EngineResult<string>> {
    await this.settle(sandboxId);
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const state = found.value;
    const account = state.core.accounts.find((a) => a.id === accountId);
    if (!account) return fail('ACCOUNT_NOT_FOUND', `no account ${accountId} in this sandbox`);
    const today = dateOf(state.core.now);
    const entries = (state.days.get(today)?.entries ?? []).filter((e) => e.accountId === accountId);
    const net = entries.reduce((s, e) => s + (e.creditDebit === 'CRDT' ? e.amountOre : -e.amountOre), 0);
    const profile = this.profile(state.core.bank);
    return ok(statementFor(profile, 'camt.052', state.core, account, `${profile.id.toUpperCase().slice(0, 4)}-052-${today}-${account.id}`, state.core.now, today, account.bookedOre - net, entries, this.reservedOre(state, accountId)));
  }

  private book(state: SandboxState, entry: Omit<Entry, 'id'>, dirty: Set<string>): Entry {
    const core = state.core;
    core.counters.entry++;
    const full: Entry = { id: `ent_${pad(core.counters.entry, 8)}`, ...entry };
    const account = core.accounts.find((a) => a.id === entry.accountId) as SandboxAccount;
    account.bookedOre += entry.creditDebit === 'CRDT' ? entry.amountOre : -entry.amountOre;
    const day = state.days.get(entry.bookingDate) ?? { entries: [], incoming: [] };
    day.entries.push(full);
    state.days.set(entry.bookingDate, day);
    dirty.add(`day:${entry.bookingDate}`);
    return full;
  }

  // ── incoming payments ────────────────────────────────────────────────────────────────────

  async incomingPayment(sandboxId: string, input: { amountOre: number; reference: string; payerName?: string; payerBankgiro?: string; accountId?: string }): Promise<EngineResult<IncomingPayment>> {
    return this.mutate(sandboxId, async (state) => {
      const core = state.core;
      const account = input.accountId === undefined ? core.accounts.find((a) => a.primary) : core.accounts.find((a) => a.id === input.accountId);
      if (!account) return fail('ACCOUNT_NOT_FOUND', `no account ${input.accountId} in this sandbox`);
      if (!Number.isSafeInteger(input.amountOre) || input.amountOre <= 0) return fail('INVALID_REQUEST', 'amountOre must be a positive integer');
      const dirty = new Set<string>();
      core.counters.incoming++;
      const today = dateOf(core.now);
      const referenceType = /^\d{2,25}$/.test(input.reference) ? 'ocr' : 'message';
      const id = `inc_${pad(core.counters.incoming)}`;
      const entry = this.book(state, {
        accountId: account.id, bookingDate: today, valueDate: rollToBankDay(today), amountOre: input.amountOre, creditDebit: 'CRDT',
        bankTransactionCode: { domain: 'PMNT', family: 'RCDT', subFamily: 'DMCT' }, counterpartyName: input.payerName ?? 'Kund AB',
        reference: { type: referenceType, value: input.reference }, incomingId: id,
      }, dirty);
      const incoming: IncomingPayment = {
        id, receivedAt: core.now, date: today, amountOre: input.amountOre, reference: input.reference, referenceType,
        payerName: input.payerName ?? 'Kund AB', payerBankgiro: input.payerBankgiro ?? '9912346', accountId: account.id, entryId: entry.id,
      };
      (state.days.get(today) as DayBook).incoming.push(incoming);
      const profile = this.profile(core.bank);
      this.addReport(state, 'camt.054', `camt.054.001.${profile.camtVersion}`, camt054For(profile, core, account, `${profile.id.toUpperCase().slice(0, 4)}-054-${pad(core.counters.report + 1, 8)}`, core.now, [entry]), { accountId: account.id }, dirty);
      this.emit(state, 'incoming_payment.received', { incomingPaymentId: id, amountOre: input.amountOre, reference: input.reference }, dirty);
      await this.flush(state, dirty);
      return ok(incoming);
    });
  }

  // ── the clock ────────────────────────────────────────────────────────────────────────────

  /**
   * Moves a sandbox's clock forward, running every passed bank day's processing in order:
   * held reports released at the start of the day, execution at cut-off (with retries and
   * rejections), end-of-day statements and the BgMax file.
   */
  async advanceClock(sandboxId: string, target: { days: number } | { to: string }): Promise<EngineResult<SandboxCore>> {
    return this.mutate(sandboxId, async (state) => {
      const core = state.core;
      const to = 'days' in target ? `${addDays(dateOf(core.now), target.days)}${core.now.slice(10)}` : target.to.length === 10 ? `${target.to}${core.now.slice(10)}` : normalizeStart(target.to);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(to)) return fail('INVALID_REQUEST', `cannot move the clock to ${to}`);
      if (to < core.now) return fail('CLOCK_BACKWARDS', `the sandbox clock only moves forward: it is ${core.now}, asked for ${to}`, { now: core.now });
      const profile = this.profile(core.bank);
      const cutoff = `${profile.cutoffTime}:00`;
      for (let day = dateOf(core.now); day <= dateOf(to); day = addDays(day, 1)) {
        const points: { at: LocalDateTime; run: (dirty: Set<string>) => void }[] = [
          { at: `${day}T00:00:00`, run: (dirty) => this.releaseHeld(state, day, dirty) },
        ];
        if (isBankDay(day)) {
          points.push({ at: `${day}T${cutoff}`, run: (dirty) => this.cutoffProcessing(state, day, dirty) });
          points.push({ at: `${day}T23:59:59`, run: (dirty) => this.endOfDay(state, day, dirty) });
        }
        for (const point of points) {
          if (point.at <= core.now || point.at > to) continue;
          core.now = point.at;
          const dirty = new Set<string>();
          point.run(dirty);
          await this.flush(state, dirty);
        }
      }
      core.now = to;
      await this.saveCore(state);
      return ok(core);
    });
  }

  private releaseHeld(state: SandboxState, day: string, dirty: Set<string>): void {
    const core = state.core;
    const due = core.heldReports.filter((h) => h.releaseOn <= day);
    if (due.length === 0) return;
    core.heldReports = core.heldReports.filter((h) => h.releaseOn > day);
    for (const held of due) {
      const meta = state.reports.find((r) => r.id === held.reportId);
      if (!meta) continue;
      meta.visible = true;
      dirty.add(`report:${meta.id}`);
      this.emit(state, 'report.available', { reportId: meta.id, type: meta.type, message: meta.message, fileId: meta.fileId }, dirty);
    }
  }

  private rejectFault(core: SandboxCore, payment: Payment): FaultRule | undefined {
    return core.faults.find((f) => {
      if (f.action.type !== 'reject') return false;
      const m = f.match;
      if (m.creditorAccount !== undefined && digitsOnly(m.creditorAccount) !== digitsOnly(payment.creditor.account) && m.creditorAccount !== payment.creditor.account) return false;
      if (m.endToEndId !== undefined && m.endToEndId !== payment.endToEndId) return false;
      if (m.minAmountOre !== undefined && payment.amountOre < m.minAmountOre) return false;
      if (m.maxAmountOre !== undefined && payment.amountOre > m.maxAmountOre) return false;
      return m.endpoint === undefined || m.endpoint === 'execution';
    });
  }

  private cutoffProcessing(state: SandboxState, day: string, dirty: Set<string>): void {
    const core = state.core;
    const profile = this.profile(core.bank);
    const due = [...state.payments.values()]
      .filter((p) => p.status === 'SCHEDULED' && p.executionDate !== undefined && p.executionDate <= day)
      .sort((a, b) => (a.executionDate as string).localeCompare(b.executionDate as string) || a.id.localeCompare(b.id));
    const linesByFile = new Map<string, StatusLine[]>();
    const debitsByAccount = new Map<string, Entry[]>();
    for (const payment of due) {
      const account = core.accounts.find((a) => a.id === payment.debtorAccountId) as SandboxAccount;
      const fault = this.rejectFault(core, payment);
      const lines = linesByFile.get(payment.fileId) ?? [];
      linesByFile.set(payment.fileId, lines);
      if (fault && fault.action.type === 'reject') {
        fault.hits++;
        const reason = { code: fault.action.reasonCode, message: fault.action.message ?? rejectMessage(fault.action.reasonCode) };
        this.setPaymentStatus(state, payment, 'REJECTED', dirty, reason);
        lines.push({ payment, status: 'RJCT', reasons: [reason] });
        continue;
      }
      if (account.bookedOre >= payment.amountOre) {
        const entry = this.book(state, {
          accountId: account.id, bookingDate: day, valueDate: day, amountOre: payment.amountOre, creditDebit: 'DBIT',
          bankTransactionCode: { domain: 'PMNT', family: 'ICDT', subFamily: 'DMCT' }, paymentId: payment.id, fileId: payment.fileId,
          messageId: state.files.get(payment.fileId)?.messageId ?? '', paymentInformationId: payment.paymentInformationId, endToEndId: payment.endToEndId,
          ...(payment.creditor.name === undefined ? {} : { counterpartyName: payment.creditor.name }),
          ...(payment.reference === undefined ? {} : { reference: payment.reference }),
        }, dirty);
        payment.executedAt = core.now;
        payment.entryId = entry.id;
        payment.executionDate = day;
        this.setPaymentStatus(state, payment, 'EXECUTED', dirty);
        lines.push({ payment, status: 'ACSC', reasons: [] });
        debitsByAccount.set(account.id, [...(debitsByAccount.get(account.id) ?? []), entry]);
        continue;
      }
      payment.retries++;
      if (payment.retries > profile.insufficientFundsRetryBankDays) {
        const reason = { code: 'AM04', message: `insufficient funds on ${account.name} after ${profile.insufficientFundsRetryBankDays} retry day(s)` };
        this.setPaymentStatus(state, payment, 'REJECTED', dirty, reason);
        lines.push({ payment, status: 'RJCT', reasons: [reason] });
      } else {
        payment.executionDate = nextBankDay(day);
        payment.history.push({ at: core.now, status: 'SCHEDULED', reason: `AM04 insufficient funds, retry ${payment.retries} of ${profile.insufficientFundsRetryBankDays} on ${payment.executionDate}` });
        dirty.add(`file:${payment.fileId}`);
      }
    }
    for (const [fileId, lines] of linesByFile) {
      if (lines.length === 0) continue;
      const file = state.files.get(fileId) as PaymentFile;
      const open = file.payments.some((p) => p.status === 'SCHEDULED' || p.status === 'AWAITING_SIGNATURE');
      const allExecuted = file.payments.every((p) => p.status === 'EXECUTED');
      this.reportStatus(state, file, open ? undefined : allExecuted ? 'ACSC' : 'PART', [], lines, dirty);
    }
    for (const [accountId, entries] of debitsByAccount) {
      const account = core.accounts.find((a) => a.id === accountId) as SandboxAccount;
      this.addReport(state, 'camt.054', `camt.054.001.${profile.camtVersion}`, camt054For(profile, core, account, `${profile.id.toUpperCase().slice(0, 4)}-054-${pad(core.counters.report + 1, 8)}`, core.now, entries), { accountId }, dirty);
    }
  }

  private endOfDay(state: SandboxState, day: string, dirty: Set<string>): void {
    const core = state.core;
    const profile = this.profile(core.bank);
    const since = state.lastStatementDate;
    const days = [...state.days.keys()].filter((d) => d > since && d <= day).sort();
    for (const account of core.accounts) {
      const entries = days.flatMap((d) => (state.days.get(d)?.entries ?? []).filter((e) => e.accountId === account.id));
      const net = entries.reduce((s, e) => s + (e.creditDebit === 'CRDT' ? e.amountOre : -e.amountOre), 0);
      const body = statementFor(profile, 'camt.053', core, account, `${profile.id.toUpperCase().slice(0, 4)}-053-${day}-${account.id}`, core.now, day, account.bookedOre - net, entries, this.reservedOre(state, account.id));
      this.addReport(state, 'camt.053', `camt.053.001.${profile.camtVersion}`, body, { accountId: account.id }, dirty);
    }
    const incoming = days.flatMap((d) => state.days.get(d)?.incoming ?? []);
    const primary = core.accounts.find((a) => a.primary);
    if (incoming.length > 0 && primary) {
      this.addReport(state, 'bgmax', 'BgMax 01', bgmaxFor(core, primary, core.now, day, dayNumber(day) % 100000, incoming), { accountId: primary.id }, dirty);
    }
    state.lastStatementDate = day;
  }

  // ── reports mailbox ──────────────────────────────────────────────────────────────────────

  async listReports(sandboxId: string, options: { after?: string; type?: ReportType; limit?: number } = {}): Promise<EngineResult<ReportMeta[]>> {
    await this.settle(sandboxId);
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const afterSequence = options.after === undefined ? 0 : (found.value.reports.find((r) => r.id === options.after)?.sequence ?? Number(options.after.replace(/\D/g, '')));
    const list = found.value.reports.filter((r) => r.visible && r.sequence > afterSequence && (options.type === undefined || r.type === options.type));
    return ok(list.slice(0, options.limit ?? 500));
  }

  async getReport(sandboxId: string, reportId: string): Promise<EngineResult<{ meta: ReportMeta; body: string }>> {
    await this.settle(sandboxId);
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const meta = found.value.reports.find((r) => r.id === reportId && r.visible);
    if (!meta) return fail('REPORT_NOT_FOUND', `no report ${reportId} in this sandbox's mailbox`);
    const pending = this.pendingBodies.get(`${sandboxId}/${reportId}`);
    if (pending !== undefined) return ok({ meta, body: pending });
    const doc = (await this.options.store.get(col(sandboxId, 'reports'), reportId)) as { body: string } | undefined;
    return ok({ meta, body: doc?.body ?? '' });
  }

  // ── faults, webhooks, events ─────────────────────────────────────────────────────────────

  async setFaults(sandboxId: string, rules: { match: FaultRule['match']; action: FaultAction }[]): Promise<EngineResult<FaultRule[]>> {
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const state = found.value;
    return this.locked(state, async () => {
      state.core.faults = rules.map((r, i) => ({ id: `flt_${i + 1}`, match: r.match, action: r.action, hits: 0 }));
      await this.saveCore(state);
      return ok(state.core.faults);
    });
  }

  /**
   * The first HTTP fault rule matching a request (http-error, latency), counting its use.
   * `times` limits how often an http-error fires, so a client's retry can then succeed.
   */
  httpFault(sandboxId: string, request: { endpoint: string; method: string }): FaultAction | undefined {
    const state = this.sandboxes.get(sandboxId);
    if (!state) return undefined;
    for (const rule of state.core.faults) {
      if (rule.action.type !== 'http-error' && rule.action.type !== 'latency') continue;
      if (rule.match.endpoint !== undefined && rule.match.endpoint !== request.endpoint) continue;
      if (rule.match.method !== undefined && rule.match.method.toUpperCase() !== request.method) continue;
      if (rule.action.type === 'http-error' && rule.action.times !== undefined && rule.hits >= rule.action.times) continue;
      rule.hits++;
      return rule.action;
    }
    return undefined;
  }

  async setWebhook(sandboxId: string, webhook: { url: string; secret?: string } | undefined): Promise<EngineResult<SandboxCore>> {
    const found = this.state(sandboxId);
    if (!found.ok) return found;
    const state = found.value;
    return this.locked(state, async () => {
      state.core.webhook = webhook ? { url: webhook.url, secret: webhook.secret ?? `whsec_${token(this.options.random, 24)}` } : undefined;
      await this.saveCore(state);
      return ok(state.core);
    });
  }

  events(sandboxId: string, afterSequence = 0): BankEvent[] {
    return (this.sandboxes.get(sandboxId)?.events ?? []).filter((e) => e.sequence > afterSequence);
  }

  deliveries(sandboxId: string): WebhookDelivery[] {
    return [...(this.sandboxes.get(sandboxId)?.deliveries.values() ?? [])];
  }

  /** For the webhook dispatcher: deliveries due now, with their events. */
  dueDeliveries(sandboxId: string, nowMs: number): { delivery: WebhookDelivery; event: BankEvent; secret: string }[] {
    const state = this.sandboxes.get(sandboxId);
    if (!state?.core.webhook) return [];
    const secret = state.core.webhook.secret;
    const due: { delivery: WebhookDelivery; event: BankEvent; secret: string }[] = [];
    for (const delivery of state.deliveries.values()) {
      if (delivery.state !== 'pending' || (delivery.nextAttemptAt ?? 0) > nowMs) continue;
      const event = state.eventsById.get(delivery.eventId);
      if (event) due.push({ delivery, event, secret });
    }
    return due.sort((a, b) => a.event.sequence - b.event.sequence);
  }

  /** The fail-webhook fault, if one applies (the dispatcher then records a failed attempt). */
  webhookFault(sandboxId: string): { status: number } | undefined {
    const state = this.sandboxes.get(sandboxId);
    const rule = state?.core.faults.find((f) => f.action.type === 'fail-webhook' && (f.action.times === undefined || f.hits < f.action.times));
    if (!rule || rule.action.type !== 'fail-webhook') return undefined;
    rule.hits++;
    return { status: rule.action.status ?? 500 };
  }

  async recordDelivery(sandboxId: string, eventId: string, attempt: { at: string; status: number | 'error'; error?: string }, next: { state: WebhookDelivery['state']; nextAttemptAt?: number }): Promise<void> {
    const state = this.sandboxes.get(sandboxId);
    const delivery = state?.deliveries.get(eventId);
    const batchId = state?.eventBatch.get(eventId);
    if (!state || !delivery || batchId === undefined) return;
    delivery.attempts.push(attempt);
    delivery.state = next.state;
    if (next.nextAttemptAt === undefined) delete delivery.nextAttemptAt;
    else delivery.nextAttemptAt = next.nextAttemptAt;
    await this.saveBatch(state, batchId);
  }

  /**
   * A number that changes whenever anything in the sandbox changes (every change emits an
   * event), so rendered views can be cached against it.
   */
  version(sandboxId: string): number {
    return this.sandboxes.get(sandboxId)?.core.counters.event ?? -1;
  }

  /** Every account's booked balance, for the invariant checker. */
  snapshot(sandboxId: string): { core: SandboxCore; payments: Payment[]; entries: Entry[]; files: PaymentFile[] } | undefined {
    const state = this.sandboxes.get(sandboxId);
    if (!state) return undefined;
    return { core: state.core, payments: [...state.payments.values()], entries: [...state.days.values()].flatMap((d) => d.entries), files: [...state.files.values()] };
  }
}

function rejectMessage(code: string): string {
  const messages: Record<string, string> = { AC01: 'incorrect account number', AC04: 'closed account number', AC06: 'blocked account', AG01: 'transaction forbidden', AM04: 'insufficient funds', BE01: 'inconsistent with end customer', MS03: 'reason not specified' };
  return messages[code] ?? 'rejected by the bank';
}

/** Reads MsgId from the group header without parsing the whole document. */
export function sniffMessageId(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 8192)).toString('utf8');
  if (!head.trimStart().startsWith('<') && !head.startsWith('\uFEFF')) return undefined;
  const m = /<(?:\w+:)?GrpHdr>\s*<(?:\w+:)?MsgId>([^<]{1,64})<\/(?:\w+:)?MsgId>/.exec(head);
  return m?.[1]?.trim() ?? '';
}

