/**
 * The bureau's program for one customer company: it follows the invoicing program's change
 * feed, keeps a read-only copy of the customer's registers and invoices, books the invoices
 * on BAS, runs dunning and the VAT report, and registers the customer's scanned documents as
 * vouchers, telling the invoicing program ("registered as voucher A 17").
 *
 * Storage is an append-only log (client/append-log.ts). Each feed page is applied as ONE
 * record holding the page's changes, the vouchers they booked and the new cursor: a crash
 * leaves the page either applied with its cursor or not at all, so a restart resumes from
 * the cursor and nothing is booked twice. Anything the bureau must tell the invoicing
 * program goes into an outbox in the same record as its cause and is pushed with a stable
 * Idempotency-Key until acknowledged.
 */
import { formatOreSwedish } from '../../formats/money.ts';
import type { RecordLog } from '../append-log.ts';
import { Journal, type Voucher } from '../ledger/journal.ts';
import { parseBgMax } from '../../formats/bankgirot/bgmax.ts';
import type { FormatIssue } from '../../formats/issues.ts';
import type { Article, Customer, FeedEntity, Invoice, Note, Payment, ScannedDocument } from '../invoicing/model.ts';
import { negativePartLimit, openAmountOre, type CreditContext } from '../invoicing/open-amounts.ts';
import { matchBgMax, type Unmatched } from './bgmax-intake.ts';
import { customerInvoiceVoucher, documentVoucher, type DocumentRegistration } from './booking.ts';
import { CursorExpired, InvoicingApiError, InvoicingConnection, type ConnectionOptions, type EntityTypes } from './connection.ts';
import { DEFAULT_DUNNING, remindersDue, type DunningRules, type Reminder } from './dunning.ts';
import { vatReport, type VatReport } from './vat-report.ts';

export interface AppliedChange {
  entity: FeedEntity;
  id: string;
  version: number;
  data: EntityTypes[FeedEntity];
}

export type OutboxItem =
  | { id: string; kind: 'note'; note: { text: string; kind: 'note' | 'notification'; subject?: { entity: FeedEntity; id: string } } }
  | { id: string; kind: 'document-status'; documentId: string; voucher: string; statusText: string }
  | { id: string; kind: 'payment'; payment: { identity: string; invoiceId?: string; customerId?: string; amountOre: number; date: string; reference?: string; fromCustomerCredit?: true } };

/** An incoming payment as the bureau has booked it, whoever registered it. */
export interface SettledPayment {
  identity: string;
  invoiceId?: string | undefined;
  customerId?: string | undefined;
  amountOre: number;
  appliedOre: number;
  unappliedOre: number;
  date: string;
  registeredBy: 'customer' | 'bureau';
}

export type BureauRecord =
  | { t: 'init'; connection: { baseUrl: string; apiKey: string; collaborationId: string }; company: { name: string; organisationNumber: string } }
  | { t: 'apply'; changes: AppliedChange[]; vouchers: Voucher[]; cursor: string; relisted?: true; settled?: SettledPayment[] }
  | { t: 'bgmax'; vouchers: Voucher[]; settled: SettledPayment[]; unmatched: Unmatched[]; outbox: OutboxItem[] }
  | { t: 'assign'; identity: string; voucher: Voucher; settled: SettledPayment; outbox: OutboxItem[] }
  /** Part of a customer's unapplied credit applied to one of its invoices (2420 → 1510). */
  | { t: 'credit-applied'; voucher: Voucher; settled: SettledPayment; outbox: OutboxItem[] }
  | { t: 'document-voucher'; documentId: string; voucher: Voucher; outbox: OutboxItem[] }
  | { t: 'reminders'; reminders: Reminder[]; outbox: OutboxItem[] }
  | { t: 'note'; outbox: OutboxItem[] }
  | { t: 'outbox-done'; ids: string[] }
  | { t: 'read'; noteIds: string[] }
  /** The invoicing program closed the collaboration to the bureau (403): nothing more is asked of it. */
  | { t: 'ended'; code: CollaborationClosedCode; detail: string };

/** The invoicing program's answers that end a bureau's access for good (a retry cannot change them). */
export type CollaborationClosedCode = 'COLLABORATION_ENDED' | 'COLLABORATION_READ_ONLY';
const CLOSED_CODES: ReadonlySet<string> = new Set<CollaborationClosedCode>(['COLLABORATION_ENDED', 'COLLABORATION_READ_ONLY']);

/** A push that fails stays queued for the next sync, unless the collaboration closed: that the caller must hear. */
function keepQueuedUnlessClosed(error: unknown): number {
  if (error instanceof BureauError && error.code === 'COLLABORATION_ENDED') throw error;
  return 0;
}

/** How many of a refused file's errors the refusal names (a file of another kind has one per line). */
const REFUSAL_ERRORS_SHOWN = 10;

/** One line: "not a BgMax file" (saying what it is) when it is none, else its first errors with their lines. */
async function bgmaxRefusal(bytes: Uint8Array | string, issues: readonly FormatIssue[]): Promise<string> {
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.some((i) => i.code === 'FORMAT_UNKNOWN' && /not a BgMax file/.test(i.message))) {
    // Every format's reader, loaded only to say what a wrong file is.
    const other = (await import('../../formats/detect.ts')).detectFormat(bytes);
    return `the file is refused, nothing booked: it is not a BgMax file${other ? ` (it reads as ${other})` : ''}; give the bank's BgMax file for incoming payments`;
  }
  const shown = errors.slice(0, REFUSAL_ERRORS_SHOWN).map((i) => `${i.path}: ${i.message}`).join('; ');
  return `the BgMax file is refused, nothing booked: ${shown}${errors.length > REFUSAL_ERRORS_SHOWN ? `; and ${errors.length - REFUSAL_ERRORS_SHOWN} more` : ''}`;
}

export class BureauError extends Error {
  constructor(readonly code: 'MASTER_DATA_IN_INVOICING_PROGRAM' | 'NOT_INITIALISED' | 'ALREADY_INITIALISED' | 'DOCUMENT_NOT_FOUND' | 'DOCUMENT_ALREADY_REGISTERED' | 'INVALID' | 'NOTE_NOT_FOUND' | 'PAYMENTS_REGISTERED_BY_CUSTOMER' | 'BGMAX_REFUSED' | 'UNMATCHED_NOT_FOUND' | 'COLLABORATION_ENDED', message: string) {
    super(message);
  }
}

export interface SyncProgress {
  /** Feed entries read so far in this run. */
  done: number;
  /** Entries between the cursor at the start and the feed's head (grows if the customer keeps working). */
  total: number;
  cursor: string;
}

export interface SyncResult {
  pages: number;
  applied: number;
  skipped: number;
  vouchers: number;
  relisted: boolean;
  pushed: number;
  cursor: string;
}

export interface BureauOptions {
  log: RecordLog<BureauRecord>;
  /** Transport details (fetch, sleep, retry tuning); base URL and key come from the store. */
  connection?: Omit<ConnectionOptions, 'baseUrl' | 'apiKey' | 'collaborationId'>;
  /** Overrides the stored base URL (the service moved ports). */
  baseUrl?: string;
  dunning?: DunningRules;
}

export interface BureauNote extends Note {
  readByBureau: boolean;
  /** Written here, not yet acknowledged by the invoicing program. */
  pending?: boolean;
}

const MAPS = ['customer', 'article', 'invoice', 'document', 'note', 'payment'] as const;

/** Incoming payments: the bank account, receivables, customer advances (over-payments), unidentified money. */
export const PAYMENT_ACCOUNTS = { bank: '1930', receivables: '1510', advances: '2420', unidentified: '2890' } as const;
export const PAYMENT_SERIES = 'I';

export class BureauProgram {
  readonly customers = new Map<string, Customer>();
  readonly articles = new Map<string, Article>();
  readonly invoices = new Map<string, Invoice>();
  readonly documents = new Map<string, ScannedDocument>();
  readonly notes = new Map<string, Note>();
  readonly payments = new Map<string, Payment>();
  readonly journal = new Journal();
  private readonly settled = new Map<string, SettledPayment>();
  private readonly paidByInvoice = new Map<string, number>();
  private readonly unmatchedPayments = new Map<string, Unmatched>();
  private readonly paymentVouchers = new Map<string, string>();
  private readonly credited = new Set<number>();
  private readonly bookedInvoices = new Map<string, string>();
  private readonly documentVouchers = new Map<string, string>();
  private readonly reminders = new Map<string, Reminder[]>();
  private readonly readNotes = new Set<string>();
  private readonly outbox = new Map<string, OutboxItem>();
  private outboxCounter = 0;
  cursor = '0';
  private init: Extract<BureauRecord, { t: 'init' }> | undefined;
  private closed: Extract<BureauRecord, { t: 'ended' }> | undefined;
  private conn: InvoicingConnection | undefined;
  private lock: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: BureauOptions) {}

  static async open(options: BureauOptions): Promise<BureauProgram> {
    const program = new BureauProgram(options);
    for (const record of await options.log.readAll()) program.apply(record);
    return program;
  }

  /** Connects a new bureau store to a collaboration (reads the collaboration once). */
  static async create(options: BureauOptions & { baseUrl: string; apiKey: string; collaborationId: string }): Promise<BureauProgram> {
    const program = await BureauProgram.open(options);
    if (program.init) throw new BureauError('ALREADY_INITIALISED', `this bureau store already follows collaboration ${program.init.connection.collaborationId}`);
    const conn = new InvoicingConnection({ ...options.connection, baseUrl: options.baseUrl, apiKey: options.apiKey, collaborationId: options.collaborationId });
    const collaboration = await conn.collaboration();
    await program.write({ t: 'init', connection: { baseUrl: options.baseUrl, apiKey: options.apiKey, collaborationId: options.collaborationId }, company: collaboration.company });
    return program;
  }

  get company(): { name: string; organisationNumber: string } | undefined {
    return this.init?.company;
  }

  get collaborationId(): string | undefined {
    return this.init?.connection.collaborationId;
  }

  /** Set once the invoicing program answered that the collaboration ended: sync has stopped for good. */
  get ended(): { code: CollaborationClosedCode; detail: string } | undefined {
    return this.closed ? { code: this.closed.code, detail: this.closed.detail } : undefined;
  }

  /** Changes queued for the invoicing program, not yet delivered. */
  get pending(): number {
    return this.outbox.size;
  }

  /** The one message for every operation that needs the invoicing program after the collaboration ended. */
  private stopped(): BureauError {
    const detail = this.closed?.detail.replace(/[.:]\s*$/, '') ?? 'the collaboration ended';
    const queued = this.outbox.size === 0 ? '' : `; ${this.outbox.size} change(s) for it stay undelivered`;
    return new BureauError('COLLABORATION_ENDED', `collaboration ${this.collaborationId ?? ''} with ${this.company?.name ?? 'the customer'} is closed to the bureau (${this.closed?.code ?? 'COLLABORATION_ENDED'}: ${detail}): sync has stopped for good, nothing is retried${queued}; what the bureau already has (ledger, invoices, VAT report) is still here`);
  }

  /** A connection for an operation that talks to the invoicing program: refused at once once it closed the collaboration. */
  private live(): InvoicingConnection {
    if (this.closed) throw this.stopped();
    return this.connection();
  }

  /** Records a 403 COLLABORATION_ENDED / COLLABORATION_READ_ONLY once and turns it into the stop; any other error is returned as it is. */
  private async closedBy(error: unknown): Promise<unknown> {
    if (!(error instanceof InvoicingApiError) || error.status !== 403 || !CLOSED_CODES.has(error.code)) return error;
    if (!this.closed) {
      const detail = typeof error.problem['detail'] === 'string' ? error.problem['detail'] : error.message;
      await this.write({ t: 'ended', code: error.code === 'COLLABORATION_READ_ONLY' ? 'COLLABORATION_READ_ONLY' : 'COLLABORATION_ENDED', detail });
    }
    return this.stopped();
  }

  async close(): Promise<void> {
    await this.serial(() => this.options.log.close());
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn);
    this.lock = next.catch(() => undefined);
    return next;
  }

  private connection(): InvoicingConnection {
    if (!this.init) throw new BureauError('NOT_INITIALISED', 'this bureau store follows no collaboration yet: run `sandbank bureau init` first');
    this.conn ??= new InvoicingConnection({ ...this.options.connection, baseUrl: this.options.baseUrl ?? this.init.connection.baseUrl, apiKey: this.init.connection.apiKey, collaborationId: this.init.connection.collaborationId });
    return this.conn;
  }

  /** Memory changes only after the record is written, through the same path as a replay. */
  private async write(record: BureauRecord): Promise<void> {
    await this.options.log.append(record);
    this.apply(record);
  }

  private apply(record: BureauRecord): void {
    switch (record.t) {
      case 'init':
        this.init = record;
        return;
      case 'apply':
        for (const c of record.changes) this.upsert(c);
        for (const v of record.vouchers) this.restoreVoucher(v);
        for (const p of record.settled ?? []) this.settle(p);
        this.cursor = record.cursor;
        return;
      case 'bgmax':
        for (const v of record.vouchers) this.restoreVoucher(v);
        for (const p of record.settled) this.settle(p);
        for (const u of record.unmatched) this.unmatchedPayments.set(u.identity, u);
        this.enqueue(record.outbox);
        return;
      case 'assign':
        this.restoreVoucher(record.voucher);
        this.unmatchedPayments.delete(record.identity);
        this.settle(record.settled);
        this.enqueue(record.outbox);
        return;
      case 'credit-applied':
        this.restoreVoucher(record.voucher);
        this.settle(record.settled);
        this.enqueue(record.outbox);
        return;
      case 'document-voucher':
        this.journal.restore(record.voucher);
        this.documentVouchers.set(record.documentId, `${record.voucher.series} ${record.voucher.number}`);
        this.enqueue(record.outbox);
        return;
      case 'reminders':
        for (const r of record.reminders) this.reminders.set(r.invoiceId, [...(this.reminders.get(r.invoiceId) ?? []), r]);
        this.enqueue(record.outbox);
        return;
      case 'note':
        this.enqueue(record.outbox);
        return;
      case 'outbox-done':
        for (const id of record.ids) this.outbox.delete(id);
        return;
      case 'read':
        for (const id of record.noteIds) this.readNotes.add(id);
        return;
      case 'ended':
        this.closed = record;
        return;
    }
  }

  private restoreVoucher(v: Voucher): void {
    this.journal.restore(v);
    if (v.source.startsWith('customer-invoice:')) this.bookedInvoices.set(v.source.slice('customer-invoice:'.length), `${v.series} ${v.number}`);
    if (v.source.startsWith('payment:')) this.paymentVouchers.set(v.source.slice('payment:'.length), `${v.series} ${v.number}`);
  }

  private settle(p: SettledPayment): void {
    this.settled.set(p.identity, p);
    if (p.invoiceId) this.paidByInvoice.set(p.invoiceId, (this.paidByInvoice.get(p.invoiceId) ?? 0) + p.appliedOre);
  }

  private enqueue(items: OutboxItem[]): void {
    for (const item of items) {
      this.outbox.set(item.id, item);
      this.outboxCounter = Math.max(this.outboxCounter, Number(item.id.slice(3)));
    }
  }

  private nextOutboxId(offset = 0): string {
    return `ob_${this.outboxCounter + 1 + offset}`;
  }

  private upsert(c: AppliedChange): void {
    switch (c.entity) {
      case 'customer': this.customers.set(c.id, c.data as Customer); break;
      case 'article': this.articles.set(c.id, c.data as Article); break;
      case 'invoice': {
        const invoice = c.data as Invoice;
        this.invoices.set(c.id, invoice);
        if (invoice.creditOf !== undefined) this.credited.add(invoice.creditOf);
        break;
      }
      case 'document': this.documents.set(c.id, c.data as ScannedDocument); break;
      case 'note': this.notes.set(c.id, c.data as Note); break;
      case 'payment': this.payments.set(c.id, c.data as Payment); break;
    }
  }

  private versionOf(entity: FeedEntity, id: string): number {
    const maps = { customer: this.customers, article: this.articles, invoice: this.invoices, document: this.documents, note: this.notes, payment: this.payments } as const;
    return maps[entity].get(id)?.version ?? 0;
  }

  /**
   * Plans one record from changes (feed entries or a re-list): skips what is already at that
   * version or newer, books each invoice the first time it is seen.
   */
  private plan(entries: AppliedChange[], cursor: string, relisted: boolean): { record: Extract<BureauRecord, { t: 'apply' }>; applied: number; skipped: number } {
    const seen = new Map<string, number>();
    const changes: AppliedChange[] = [];
    const vouchers: Voucher[] = [];
    const booking = new Set<string>();
    let skipped = 0;
    let next = this.journal.peekNumber('F');
    let nextPayment = this.journal.peekNumber(PAYMENT_SERIES);
    const settled: SettledPayment[] = [];
    for (const e of entries) {
      const key = `${e.entity}\u0000${e.id}`;
      if ((seen.get(key) ?? this.versionOf(e.entity, e.id)) >= e.version) {
        skipped += 1;
        continue;
      }
      seen.set(key, e.version);
      changes.push({ entity: e.entity, id: e.id, version: e.version, data: e.data });
      if (e.entity === 'invoice' && !this.bookedInvoices.has(e.id) && !booking.has(e.id)) {
        booking.add(e.id);
        vouchers.push({ ...customerInvoiceVoucher(e.data as Invoice), number: next++ });
      }
      // A payment the customer registered is booked when it arrives; one the bureau registered is booked already.
      const payment = e.entity === 'payment' ? (e.data as Payment) : undefined;
      if (payment && !this.settled.has(payment.identity) && !settled.some((p) => p.identity === payment.identity)) {
        const p: SettledPayment = { identity: payment.identity, invoiceId: payment.invoiceId, customerId: payment.customerId, amountOre: payment.amountOre, appliedOre: payment.appliedOre, unappliedOre: payment.unappliedOre, date: payment.date, registeredBy: payment.registeredBy };
        settled.push(p);
        vouchers.push({ ...paymentVoucher(p, PAYMENT_ACCOUNTS.bank), number: nextPayment++ });
      }
    }
    return { record: { t: 'apply', changes, vouchers, cursor, ...(relisted ? { relisted: true as const } : {}), ...(settled.length > 0 ? { settled } : {}) }, applied: changes.length, skipped };
  }

  // ── sync ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Pulls every page of the feed from the stored cursor; a cursor older than the retained log
   * (410) re-lists everything and follows on from the feed's head. Pushes the outbox first
   * and last.
   */
  sync(options: { pageSize?: number; onProgress?: (p: SyncProgress) => void; stopAfterPages?: number } = {}): Promise<SyncResult> {
    return this.serial(async () => {
      const conn = this.live();
      try {
        return await this.pull(conn, options);
      } catch (error) {
        throw await this.closedBy(error);
      }
    });
  }

  private async pull(conn: InvoicingConnection, options: { pageSize?: number; onProgress?: (p: SyncProgress) => void; stopAfterPages?: number }): Promise<SyncResult> {
    {
      const result: SyncResult = { pages: 0, applied: 0, skipped: 0, vouchers: 0, relisted: false, pushed: 0, cursor: this.cursor };
      result.pushed += await this.flushOutbox();
      const start = Number(this.cursor);
      let done = 0;
      for (;;) {
        if (options.stopAfterPages !== undefined && result.pages >= options.stopAfterPages) break;
        let page;
        try {
          page = await conn.changes(this.cursor, options.pageSize ?? 500);
        } catch (error) {
          if (!(error instanceof CursorExpired)) throw error;
          const head = String(error.problem['headCursor'] ?? '0');
          const planned = this.plan(await this.relist(conn), head, true);
          await this.write(planned.record);
          result.relisted = true;
          result.applied += planned.applied;
          result.skipped += planned.skipped;
          result.vouchers += planned.record.vouchers.length;
          continue;
        }
        const planned = this.plan(page.entries.map((e) => ({ entity: e.entity, id: e.id, version: e.version, data: e.data })), page.nextCursor, false);
        await this.write(planned.record);
        result.pages += 1;
        result.applied += planned.applied;
        result.skipped += planned.skipped;
        result.vouchers += planned.record.vouchers.length;
        done += page.entries.length;
        options.onProgress?.({ done, total: Math.max(done, Number(page.headCursor) - start), cursor: page.nextCursor });
        if (!page.hasMore) break;
      }
      result.pushed += await this.flushOutbox();
      result.cursor = this.cursor;
      return result;
    }
  }

  /** Everything the invoicing program holds, page by page (after a 410). */
  private async relist(conn: InvoicingConnection): Promise<AppliedChange[]> {
    const all: AppliedChange[] = [];
    for (const entity of MAPS) {
      for (let page = 1; ; page++) {
        const listed = await conn.list(entity, page, 500);
        for (const item of listed.items) all.push({ entity, id: item.id, version: item.version, data: item });
        if (page >= listed.meta.totalPages) break;
      }
    }
    return all;
  }

  /** Pushes queued notes and document statuses; what fails stays queued for the next run. */
  private async flushOutbox(): Promise<number> {
    const conn = this.live();
    const done: string[] = [];
    for (const item of [...this.outbox.values()]) {
      try {
        if (item.kind === 'note') await conn.postNote(item.note, `bureau-${this.collaborationId}-${item.id}`);
        else if (item.kind === 'payment') await conn.postPayment(item.payment);
        else await this.pushDocumentStatus(conn, item);
        done.push(item.id);
      } catch (error) {
        // A closed collaboration is no refusal of this one item: it stays queued, and everything stops.
        const closed = await this.closedBy(error);
        if (closed !== error) {
          if (done.length > 0) await this.write({ t: 'outbox-done', ids: done });
          throw closed;
        }
        if (error instanceof InvoicingApiError && error.status < 500 && error.status !== 429 && error.code !== 'VERSION_MISMATCH') {
          // A refusal that no retry can fix is dropped, not retried for ever; it is still in the log.
          done.push(item.id);
          continue;
        }
        break;
      }
    }
    if (done.length > 0) await this.write({ t: 'outbox-done', ids: done });
    return done.length;
  }

  /** PUT with If-Match on the version we know; on 412 read the document again and retry once. */
  private async pushDocumentStatus(conn: InvoicingConnection, item: Extract<OutboxItem, { kind: 'document-status' }>): Promise<void> {
    const known = this.documents.get(item.documentId);
    const status = { voucher: item.voucher, statusText: item.statusText };
    try {
      await conn.setDocumentStatus(item.documentId, known?.version ?? 1, status);
    } catch (error) {
      if (!(error instanceof InvoicingApiError && error.code === 'VERSION_MISMATCH')) throw error;
      const current = await conn.get('document', item.documentId);
      if (current.status === 'registered' && current.voucher === item.voucher) return;
      await conn.setDocumentStatus(item.documentId, current.version, status);
    }
  }

  // ── master data stays in the invoicing program ───────────────────────────────────────────

  editCustomer(id: string, _changes: Partial<Customer>): never {
    const name = this.customers.get(id)?.name ?? id;
    throw new BureauError('MASTER_DATA_IN_INVOICING_PROGRAM', `customer ${name} is kept in the customer's invoicing program (master of customers, articles and invoices): change it there; the change reaches the bureau at the next sync`);
  }

  editArticle(id: string, _changes: Partial<Article>): never {
    const name = this.articles.get(id)?.name ?? id;
    throw new BureauError('MASTER_DATA_IN_INVOICING_PROGRAM', `article ${name} is kept in the customer's invoicing program (master of customers, articles and invoices): change it there`);
  }

  editInvoice(id: string, _changes: Partial<Invoice>): never {
    const number = this.invoices.get(id)?.number ?? id;
    throw new BureauError('MASTER_DATA_IN_INVOICING_PROGRAM', `invoice ${number} is kept in the customer's invoicing program: change or credit it there`);
  }

  // ── bookkeeping ──────────────────────────────────────────────────────────────────────────

  voucherOfInvoice(invoiceId: string): string | undefined {
    return this.bookedInvoices.get(invoiceId);
  }

  trialBalance(asOf?: string): { account: string; name: string; balanceOre: number }[] {
    return this.journal.trialBalance(asOf);
  }

  vatReport(from: string, to: string): VatReport {
    return vatReport(this.journal.vouchers, from, to);
  }

  /**
   * What is still owed on an invoice: its total less the payments applied to it; on a credit
   * invoice what the customer is owed back (negative). The invoicing program's rule.
   */
  openOre(invoice: Invoice): number {
    return openAmountOre({ ...invoice, paidOre: this.paidOre(invoice.id) }, this.creditContext(invoice));
  }

  private creditContext(invoice: Invoice): CreditContext {
    const creditedInvoice = invoice.creditOf === undefined ? undefined : [...this.invoices.values()].find((i) => i.kind === 'invoice' && i.number === invoice.creditOf);
    return { credited: invoice.kind === 'invoice' && this.credited.has(invoice.number), paidOnCreditedOre: creditedInvoice ? this.paidOre(creditedInvoice.id) : 0 };
  }

  /** A customer's unapplied credit (on 2420): over-payments and payments assigned to it, less what was applied since. */
  customerCreditOre(customerId: string): number {
    let sum = 0;
    for (const p of this.settled.values()) if (p.customerId === customerId) sum += p.unappliedOre;
    return sum;
  }

  paidOre(invoiceId: string): number {
    return this.paidByInvoice.get(invoiceId) ?? 0;
  }

  unmatched(): Unmatched[] {
    return [...this.unmatchedPayments.values()];
  }

  settledPayments(): SettledPayment[] {
    return [...this.settled.values()];
  }

  /**
   * Reads a BgMax file (Bankgirot's incoming payments, from the bank's reports mailbox or a
   * file): refused whole when its own totals do not add up; each payment matched by OCR,
   * booked, and pushed to the invoicing program. Only when the collaboration says the bureau
   * registers incoming payments. The same file twice books nothing new.
   */
  readBgMax(bytes: Uint8Array | string, options: { push?: boolean } = {}): Promise<{ booked: SettledPayment[]; unmatched: Unmatched[]; alreadyRead: number; pushed: number }> {
    return this.serial(async () => {
      const conn = this.live();
      // The file is checked before anything goes to the network: a refusal needs no service.
      const parsed = parseBgMax(bytes);
      if (!parsed.ok) throw new BureauError('BGMAX_REFUSED', await bgmaxRefusal(bytes, parsed.issues));
      const collaboration = await conn.collaboration().catch(async (error: unknown) => {
        throw await this.closedBy(error);
      });
      if (collaboration.paymentsRegisteredBy !== 'bureau') {
        throw new BureauError('PAYMENTS_REGISTERED_BY_CUSTOMER', 'in this collaboration the customer registers incoming payments (in the invoicing program): the setting "who registers incoming payments" would have to say the bureau');
      }
      const byOcr = new Map([...this.invoices.values()].filter((i) => i.kind === 'invoice').map((i) => [i.ocr, i]));
      const { allocations, unmatched } = matchBgMax(parsed.value, (ocr) => byOcr.get(ocr), (i) => this.openOre(i));
      const known = (identity: string) => this.settled.has(identity) || this.unmatchedPayments.has(identity);
      const fresh = allocations.filter((a) => !known(a.identity));
      const freshUnmatched = unmatched.filter((u) => !known(u.identity));
      const alreadyRead = allocations.length + unmatched.length - fresh.length - freshUnmatched.length;
      let next = this.journal.peekNumber(PAYMENT_SERIES);
      const settled: SettledPayment[] = fresh.map((a) => ({ identity: a.identity, invoiceId: a.invoiceId, customerId: a.customerId, amountOre: a.amountOre, appliedOre: a.appliedOre, unappliedOre: a.unappliedOre, date: a.date, registeredBy: 'bureau' }));
      const vouchers: Voucher[] = [
        ...settled.map((p) => ({ ...paymentVoucher(p, PAYMENT_ACCOUNTS.bank), number: next++ })),
        ...freshUnmatched.map((u) => ({ series: PAYMENT_SERIES, date: u.date, text: `Inbetalning ${u.amountOre < 0 ? 'avdrag' : 'oidentifierad'} ${u.reference}`.trim(), source: `payment:${u.identity}`, lines: [{ account: PAYMENT_ACCOUNTS.bank, amountOre: u.amountOre }, { account: PAYMENT_ACCOUNTS.unidentified, amountOre: -u.amountOre }], number: next++ })),
      ];
      const outbox: OutboxItem[] = fresh.map((a, i) => ({ id: this.nextOutboxId(i), kind: 'payment', payment: { identity: a.identity, invoiceId: a.invoiceId, amountOre: a.amountOre, date: a.date, reference: a.reference } }));
      if (vouchers.length > 0) await this.write({ t: 'bgmax', vouchers, settled, unmatched: freshUnmatched, outbox });
      // `push: false` books now and leaves the pushes queued for the next sync.
      const pushed = options.push === false ? 0 : await this.flushOutbox().catch(keepQueuedUnlessClosed);
      return { booked: settled, unmatched: freshUnmatched, alreadyRead, pushed };
    });
  }

  /**
   * A person assigns an unmatched payment: to an invoice (booked there and pushed), or to a
   * customer (an unapplied credit on 2420, as an over-payment's rest is, applied later with
   * `applyCredit`). A held negative part (a TK21 deduction, a TK23 reference) is assigned to
   * the credit invoice it sets off — settling it — or to an invoice of which it reduces what was
   * paid; it leaves 2890 for 1510 either way.
   */
  assign(identity: string, target: string | { invoiceId: string } | { customerId: string }): Promise<SettledPayment> {
    const to = typeof target === 'string' ? { invoiceId: target } : target;
    return this.serial(async () => {
      if (this.closed) throw this.stopped();
      const u = this.unmatchedPayments.get(identity);
      if (!u) throw new BureauError('UNMATCHED_NOT_FOUND', `no unmatched payment ${identity}`);
      const what = u.reason === 'deduction' ? `a deduction (TK21, code ${u.deductionCode ?? '?'})` : 'a negative (TK23) reference';
      let p: SettledPayment;
      if ('customerId' in to) {
        const customer = this.customers.get(to.customerId);
        if (!customer) throw new BureauError('INVALID', `no customer ${to.customerId} here: run sync first, or see \`sandbank bureau customers\``);
        if (u.amountOre <= 0) throw new BureauError('INVALID', `${identity} is ${what} of ${formatOreSwedish(-u.amountOre)} kr, money taken off, not money of the customer's: assign it to the credit invoice it sets off, or to the invoice it reduces (--invoice)`);
        p = { identity, customerId: customer.id, amountOre: u.amountOre, appliedOre: 0, unappliedOre: u.amountOre, date: u.date, registeredBy: 'bureau' };
      } else {
        const invoice = this.invoices.get(to.invoiceId);
        if (!invoice) throw new BureauError('INVALID', `no customer invoice ${to.invoiceId} here`);
        if (u.amountOre < 0) {
          const limit = negativePartLimit({ ...invoice, paidOre: this.paidOre(invoice.id) }, this.creditContext(invoice));
          if (!limit.ok) throw new BureauError('INVALID', `${identity} is ${what}: ${limit.message}`);
          if (-u.amountOre > limit.limitOre) throw new BureauError('INVALID', `${identity} is ${what} of ${formatOreSwedish(-u.amountOre)} kr, more than ${invoice.kind === 'credit' ? 'credit invoice' : 'invoice'} ${invoice.number} can take (${formatOreSwedish(limit.limitOre)} kr)`);
          p = { identity, invoiceId: invoice.id, customerId: invoice.customerId, amountOre: u.amountOre, appliedOre: u.amountOre, unappliedOre: 0, date: u.date, registeredBy: 'bureau' };
        } else {
          if (invoice.kind !== 'invoice') throw new BureauError('INVALID', `${invoice.number} is a credit invoice: a payment goes to an invoice the customer owes, or to the customer (--customer)`);
          const appliedOre = Math.max(0, Math.min(this.openOre(invoice), u.amountOre));
          p = { identity, invoiceId: invoice.id, customerId: invoice.customerId, amountOre: u.amountOre, appliedOre, unappliedOre: u.amountOre - appliedOre, date: u.date, registeredBy: 'bureau' };
        }
      }
      const voucher: Voucher = { ...paymentVoucher(p, PAYMENT_ACCOUNTS.unidentified), number: this.journal.peekNumber(PAYMENT_SERIES), source: `payment-assigned:${identity}` };
      const pushed = { identity, ...(p.invoiceId ? { invoiceId: p.invoiceId } : { customerId: p.customerId ?? '' }), amountOre: u.amountOre, date: u.date, reference: u.reference };
      await this.write({ t: 'assign', identity, voucher, settled: p, outbox: [{ id: this.nextOutboxId(), kind: 'payment', payment: pushed }] });
      await this.flushOutbox().catch(keepQueuedUnlessClosed);
      return p;
    });
  }

  /**
   * Applies a customer's unapplied credit (2420) to one of its open invoices (1510): all of it
   * that the invoice takes, or `amountOre`. No money moves, so the payment pushed has amount 0.
   */
  applyCredit(customerId: string, invoiceId: string, date: string, amountOre?: number): Promise<SettledPayment> {
    return this.serial(async () => {
      if (this.closed) throw this.stopped();
      const invoice = this.invoices.get(invoiceId);
      if (!invoice || invoice.kind !== 'invoice') throw new BureauError('INVALID', `no customer invoice ${invoiceId} here`);
      if (invoice.customerId !== customerId) throw new BureauError('INVALID', `invoice ${invoice.number} is ${invoice.customerName}'s, not customer ${customerId}'s`);
      const credit = this.customerCreditOre(customerId);
      const open = this.openOre(invoice);
      if (credit <= 0) throw new BureauError('INVALID', `customer ${this.customers.get(customerId)?.name ?? customerId} has no unapplied credit`);
      if (open <= 0) throw new BureauError('INVALID', `invoice ${invoice.number} has nothing open`);
      if (amountOre !== undefined && (!Number.isSafeInteger(amountOre) || amountOre <= 0 || amountOre > Math.min(credit, open))) throw new BureauError('INVALID', `apply at most ${formatOreSwedish(Math.min(credit, open))} kr (credit ${formatOreSwedish(credit)} kr, open on ${invoice.number} ${formatOreSwedish(open)} kr)`);
      const applied = amountOre ?? Math.min(credit, open);
      const applications = [...this.settled.values()].filter((s) => s.identity.startsWith(`credit:${customerId}:`)).length;
      const identity = `credit:${customerId}:${applications + 1}`;
      const p: SettledPayment = { identity, invoiceId, customerId, amountOre: 0, appliedOre: applied, unappliedOre: -applied, date, registeredBy: 'bureau' };
      const voucher: Voucher = { ...paymentVoucher(p, PAYMENT_ACCOUNTS.bank), text: `Kundkredit avräknad mot faktura ${invoice.number}`, number: this.journal.peekNumber(PAYMENT_SERIES) };
      await this.write({ t: 'credit-applied', voucher, settled: p, outbox: [{ id: this.nextOutboxId(), kind: 'payment', payment: { identity, invoiceId, amountOre: applied, date, fromCustomerCredit: true } }] });
      await this.flushOutbox().catch(keepQueuedUnlessClosed);
      return p;
    });
  }

  remindersOf(invoiceId: string): readonly Reminder[] {
    return this.reminders.get(invoiceId) ?? [];
  }

  /** Sends the reminders due today; each also becomes a notification to the customer. */
  dunning(today: string): Promise<{ reminders: Reminder[]; pushed: number }> {
    return this.serial(async () => {
      // Each of these is delivered to the invoicing program, which no longer takes anything from the bureau.
      if (this.closed) throw this.stopped();
      const due = remindersDue(this.invoices.values(), this.credited, this.reminders, today, (i) => this.openOre(i), this.options.dunning ?? DEFAULT_DUNNING);
      if (due.length === 0) return { reminders: [], pushed: 0 };
      const outbox: OutboxItem[] = due.map((r, i) => ({ id: this.nextOutboxId(i), kind: 'note', note: { text: `invoice ${r.invoiceNumber} reminded (reminder ${r.level}, ${formatOreSwedish(r.amountOre)} kr overdue since ${r.dueDate})`, kind: 'notification', subject: { entity: 'invoice', id: r.invoiceId } } }));
      await this.write({ t: 'reminders', reminders: due, outbox });
      return { reminders: due, pushed: await this.flushOutbox().catch(keepQueuedUnlessClosed) };
    });
  }

  // ── scanned documents ────────────────────────────────────────────────────────────────────

  voucherOfDocument(documentId: string): string | undefined {
    return this.documentVouchers.get(documentId);
  }

  async documentContent(documentId: string): Promise<{ contentType: string; bytes: Buffer }> {
    try {
      return await this.live().documentContent(documentId);
    } catch (error) {
      throw await this.closedBy(error);
    }
  }

  /** Registers a scanned document as a voucher and tells the customer's side. */
  registerDocument(documentId: string, registration: DocumentRegistration): Promise<{ voucher: Voucher; reference: string; pushed: boolean }> {
    return this.serial(async () => {
      // Each of these is delivered to the invoicing program, which no longer takes anything from the bureau.
      if (this.closed) throw this.stopped();
      const document = this.documents.get(documentId);
      if (!document) throw new BureauError('DOCUMENT_NOT_FOUND', `no document ${documentId} here yet: run sync first`);
      const already = this.documentVouchers.get(documentId);
      if (already) throw new BureauError('DOCUMENT_ALREADY_REGISTERED', `document ${documentId} is already registered as voucher ${already}`);
      if (!Number.isSafeInteger(registration.totalOre) || !Number.isSafeInteger(registration.vatOre) || registration.vatOre > registration.totalOre) throw new BureauError('INVALID', 'total and VAT are whole öre, VAT at most the total');
      const voucher: Voucher = { ...documentVoucher(document, registration), number: this.journal.peekNumber('A') };
      const reference = `${voucher.series} ${voucher.number}`;
      const outbox: OutboxItem[] = [
        { id: this.nextOutboxId(0), kind: 'document-status', documentId, voucher: reference, statusText: `registered as voucher ${reference}` },
        { id: this.nextOutboxId(1), kind: 'note', note: { text: `document ${document.fileName} registered as voucher ${reference}`, kind: 'notification', subject: { entity: 'document', id: documentId } } },
      ];
      await this.write({ t: 'document-voucher', documentId, voucher, outbox });
      const pushed = await this.flushOutbox().catch(keepQueuedUnlessClosed);
      return { voucher, reference, pushed: pushed === outbox.length || this.outbox.size === 0 };
    });
  }

  // ── notes and notifications ──────────────────────────────────────────────────────────────

  /** Both sides' notes; the bureau's own count as read, the customer's until marked. Unsent ones last. */
  listNotes(): BureauNote[] {
    const synced: BureauNote[] = [...this.notes.values()].map((n) => ({ ...n, readByBureau: n.author === 'bureau' || this.readNotes.has(n.id) }));
    const pending: BureauNote[] = [...this.outbox.values()].flatMap((o) => (o.kind === 'note' ? [{ id: o.id, version: 0, author: 'bureau' as const, kind: o.note.kind, text: o.note.text, createdAt: '', readByCustomer: false, readByBureau: true, pending: true }] : []));
    return [...synced, ...pending];
  }

  unreadCount(): number {
    return this.listNotes().filter((n) => !n.readByBureau).length;
  }

  markRead(noteIds: string[]): Promise<void> {
    return this.serial(async () => {
      const unknown = noteIds.filter((id) => !this.notes.has(id));
      if (unknown.length > 0) throw new BureauError('NOTE_NOT_FOUND', `no note ${unknown.join(', ')}`);
      await this.write({ t: 'read', noteIds });
    });
  }

  addNote(text: string): Promise<{ pushed: boolean }> {
    return this.serial(async () => {
      // Each of these is delivered to the invoicing program, which no longer takes anything from the bureau.
      if (this.closed) throw this.stopped();
      if (text.trim() === '') throw new BureauError('INVALID', 'a note needs text');
      await this.write({ t: 'note', outbox: [{ id: this.nextOutboxId(), kind: 'note', note: { text, kind: 'note' } }] });
      await this.flushOutbox().catch(keepQueuedUnlessClosed);
      return { pushed: this.outbox.size === 0 };
    });
  }

  get pendingOutbox(): number {
    return this.outbox.size;
  }

  /** The registers and invoices as the bureau sees them (id → version), for comparisons. */
  view(): Record<FeedEntity, Record<string, unknown>> {
    const out = {} as Record<FeedEntity, Record<string, unknown>>;
    const maps = { customer: this.customers, article: this.articles, invoice: this.invoices, document: this.documents, note: this.notes, payment: this.payments } as const;
    for (const e of MAPS) out[e] = Object.fromEntries([...maps[e].entries()].sort(([a], [b]) => a.localeCompare(b)));
    return out;
  }
}

/** A settled payment: money in (or moved from unidentified) against receivables, the rest as a customer advance. */
function paymentVoucher(p: SettledPayment, debit: string): Omit<Voucher, 'number'> {
  return {
    series: PAYMENT_SERIES, date: p.date, text: `Inbetalning ${p.identity}`, source: `payment:${p.identity}`,
    lines: [
      // A customer's credit applied to an invoice moves no money: no bank line.
      ...(p.amountOre !== 0 ? [{ account: debit, amountOre: p.amountOre }] : []),
      ...(p.appliedOre !== 0 ? [{ account: PAYMENT_ACCOUNTS.receivables, amountOre: -p.appliedOre }] : []),
      ...(p.unappliedOre !== 0 ? [{ account: PAYMENT_ACCOUNTS.advances, amountOre: -p.unappliedOre }] : []),
    ],
  };
}
