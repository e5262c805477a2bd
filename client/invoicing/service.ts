/**
 * The customer's invoicing program: master of customers, articles and invoices, with the
 * scanner inbox, notes and the change feed a bureau reads. Pure of I/O apart from the store
 * port; the clock and key generator come in from outside.
 *
 * Every mutation is planned against the company's in-memory state, written as ONE log line
 * (its changes, their feed entries — the same records — and the request's idempotency
 * record), and only then applied in memory and acknowledged. Mutations of one company are
 * serialised, so feed order is write order.
 */
import { createHash } from 'node:crypto';
import { addDays } from '../../formats/calendar.ts';
import { isIsoDate } from '../../formats/dates.ts';
import { generateOcr } from '../../formats/identifiers/ocr.ts';
import { invoiceTotals, isVatRate, lineNet } from './amounts.ts';
import { negativePartLimit, openAmountOre, type CreditContext } from './open-amounts.ts';
import { fail, ok, type InvoicingErrorCode, type Result } from './errors.ts';
import type { ActivationTerms, Article, Bureau, Change, Collaboration, Company, Customer, DocumentKind, FeedEntity, FeedEntry, IdempotencyRecord, Invoice, InvoiceLine, Note, Payment, ScannedDocument, Settings, Txn } from './model.ts';
import type { RecordLog } from '../append-log.ts';
import type { Directory, InvoicingStore } from './store.ts';

export interface InvoicingClock {
  /** Local date-time `YYYY-MM-DDTHH:MM:SS`. */
  now(): string;
}

export interface InvoicingOptions {
  store: InvoicingStore;
  clock: InvoicingClock;
  /** A fresh unguessable API key (crypto in main; seeded in tests). */
  newKey(): string;
  /** How many feed entries per collaboration are retained; older cursors get 410. */
  retainChanges?: number;
  /** The collaboration lifecycle's activation, for a collaboration created with its terms. */
  activate?: (collaborationId: string, terms: ActivationTerms, who: string) => Promise<{ ok: true } | { ok: false; message: string }>;
}

/** A response the HTTP layer renders, kept with the change so a retried key replays it. */
export interface Rendered {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface IdempotencyRequest<T> {
  scope: string;
  key: string;
  /** Hash of method, path and body: the same key with other bytes is refused. */
  hash: string;
  render(value: T): Rendered;
}

export type Mutation<T> =
  | { kind: 'done'; value: T; rendered?: Rendered }
  | { kind: 'replay'; rendered: Rendered }
  | { kind: 'error'; code: InvoicingErrorCode | 'IDEMPOTENCY_KEY_REUSED'; message: string; details?: Record<string, unknown> };

interface Plan<T> {
  value: T;
  changes: Change[];
  content?: Txn['content'];
}

export interface Page<T> {
  items: T[];
  meta: { page: number; limit: number; total: number; totalPages: number };
}

export interface FeedPage {
  entries: FeedEntry[];
  nextCursor: string;
  hasMore: boolean;
  headCursor: string;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export interface CustomerInput {
  name: string;
  customerNumber?: string | undefined;
  organisationNumber?: string | undefined;
  email?: string | undefined;
  address?: string | undefined;
  paymentTermsDays?: number | undefined;
}

export interface ArticleInput {
  name: string;
  articleNumber?: string | undefined;
  unit?: string | undefined;
  unitPriceOre: number;
  vatRate: number;
}

export interface InvoiceInput {
  customerId: string;
  invoiceDate?: string | undefined;
  dueDate?: string | undefined;
  lines: { articleId?: string | undefined; description?: string | undefined; quantity: number; unitPriceOre?: number | undefined; vatRate?: number | undefined }[];
}

export interface DocumentInput {
  kind: DocumentKind;
  fileName: string;
  contentType: string;
  contentBase64: string;
  comment?: string | undefined;
}

/** One company's state, rebuilt from its log at start. */
class CompanyBook {
  readonly customers = new Map<string, Customer>();
  readonly articles = new Map<string, Article>();
  readonly invoices = new Map<string, Invoice>();
  readonly invoiceByNumber = new Map<number, string>();
  readonly creditedBy = new Map<number, number>();
  readonly documents = new Map<string, ScannedDocument>();
  readonly contents = new Map<string, string>();
  readonly notes = new Map<string, Note>();
  readonly payments = new Map<string, Payment>();
  readonly paymentByIdentity = new Map<string, string>();
  readonly idempotency = new Map<string, IdempotencyRecord>();
  /** The retained feed; `feed[0]` is at position `feedStart`. Positions count feed entries (one txn may hold several). */
  feed: FeedEntry[] = [];
  feedStart = 1;
  feedHead = 0;
  seq = 0;
  settings: Settings = { version: 0, nextInvoiceNumber: 1, roundToWholeKronor: false, paymentTermsDays: 30 };
  private lock: Promise<unknown> = Promise.resolve();

  constructor(readonly company: Company, readonly log: RecordLog<Txn>, private readonly retain: number | undefined) {}

  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn);
    this.lock = next.catch(() => undefined);
    return next;
  }

  apply(txn: Txn): void {
    for (const change of txn.changes) {
      switch (change.entity) {
        case 'customer': this.customers.set(change.id, change.data); break;
        case 'article': this.articles.set(change.id, change.data); break;
        case 'invoice':
          this.invoices.set(change.id, change.data);
          this.invoiceByNumber.set(change.data.number, change.id);
          if (change.data.creditOf !== undefined) this.creditedBy.set(change.data.creditOf, change.data.number);
          break;
        case 'document': this.documents.set(change.id, change.data); break;
        case 'note': this.notes.set(change.id, change.data); break;
        case 'payment':
          this.payments.set(change.id, change.data);
          this.paymentByIdentity.set(change.data.identity, change.id);
          break;
        case 'settings': this.settings = change.data; break;
      }
      if (change.entity !== 'settings') {
        this.feedHead += 1;
        this.feed.push({ cursor: String(this.feedHead), entity: change.entity, id: change.id, version: change.version, operation: change.operation, at: txn.at, data: change.data });
      }
    }
    if (txn.content) this.contents.set(txn.content.documentId, txn.content.base64);
    if (txn.idempotency) this.idempotency.set(`${txn.idempotency.scope}\u0000${txn.idempotency.key}`, txn.idempotency);
    this.seq = txn.seq;
    if (this.retain !== undefined && this.feed.length > this.retain * 1.25 + 16) this.compact(this.retain);
  }

  /** Drops all but the last `keep` feed entries (the records stay; only old cursors expire). */
  compact(keep: number): void {
    const drop = Math.max(0, this.feed.length - keep);
    if (drop === 0) return;
    this.feed = this.feed.slice(drop);
    this.feedStart = this.feedHead - this.feed.length + 1;
  }

  /** Index of the first feed entry after a cursor (binary search: cursors ascend). */
  feedIndexAfter(position: number): number {
    return position - this.feedStart + 1;
  }
}

/** 0 − x, not −x: a credited 0 must stay 0, not −0 (which JSON turns back into 0). */
const neg = (n: number) => 0 - n;
const pad = (n: number) => String(n).padStart(6, '0');

function page<T>(all: T[], pageNumber: number, limit: number): Page<T> {
  const size = Math.min(Math.max(1, limit), MAX_PAGE_SIZE);
  const p = Math.max(1, pageNumber);
  return { items: all.slice((p - 1) * size, p * size), meta: { page: p, limit: size, total: all.length, totalPages: Math.max(1, Math.ceil(all.length / size)) } };
}

function precondition<T extends { version: number }>(current: T, ifMatch: number | undefined, what: string): Result<T> {
  if (ifMatch === undefined) return fail('IF_MATCH_REQUIRED', `send If-Match with the ${what}'s version (now ${current.version})`, { currentVersion: current.version });
  if (ifMatch !== current.version) return fail('VERSION_MISMATCH', `the ${what} is at version ${current.version}, not ${ifMatch}: read it again and reapply your edit`, { currentVersion: current.version });
  return ok(current);
}

export class InvoicingService {
  private directory: Directory = { companies: [], bureaus: [], collaborations: [] };
  private readonly books = new Map<string, CompanyBook>();
  private readonly keys = new Map<string, { kind: 'company'; companyId: string } | { kind: 'bureau'; bureauId: string }>();

  private constructor(private readonly options: InvoicingOptions) {}

  static async open(options: InvoicingOptions): Promise<InvoicingService> {
    const service = new InvoicingService(options);
    service.directory = (await options.store.loadDirectory()) ?? service.directory;
    for (const company of service.directory.companies) await service.loadBook(company);
    for (const bureau of service.directory.bureaus) service.keys.set(bureau.apiKey, { kind: 'bureau', bureauId: bureau.id });
    return service;
  }

  private async loadBook(company: Company): Promise<CompanyBook> {
    const book = new CompanyBook(company, this.options.store.companyLog(company.id), this.options.retainChanges);
    for (const txn of await book.log.readAll()) book.apply(txn);
    this.books.set(company.id, book);
    this.keys.set(company.apiKey, { kind: 'company', companyId: company.id });
    return book;
  }

  async close(): Promise<void> {
    for (const book of this.books.values()) await book.serial(() => book.log.close());
  }

  // ── who is who ───────────────────────────────────────────────────────────────────────────

  authenticate(apiKey: string | undefined): { kind: 'company'; companyId: string } | { kind: 'bureau'; bureauId: string } | undefined {
    return apiKey === undefined ? undefined : this.keys.get(apiKey);
  }

  get companies(): readonly Company[] {
    return this.directory.companies;
  }

  get bureaus(): readonly Bureau[] {
    return this.directory.bureaus;
  }

  get collaborations(): readonly Collaboration[] {
    return this.directory.collaborations;
  }

  /**
   * A company, its bureau (existing or new) and their collaboration. With `activation` (invoice
   * recipient, contract period) the collaboration is activated as it is created; without, the
   * bureau's feed stays closed (409 NOT_ACTIVATED) until the bureau activates it.
   */
  async createCollaboration(input: { companyName: string; organisationNumber: string; bureauName?: string | undefined; bureauId?: string | undefined; nextInvoiceNumber?: number | undefined; roundToWholeKronor?: boolean | undefined; paymentsRegisteredBy?: 'customer' | 'bureau' | undefined; activation?: ActivationTerms | undefined }): Promise<Result<{ company: Company; bureau: Bureau; collaboration: Collaboration }>> {
    if (input.nextInvoiceNumber !== undefined && (!Number.isSafeInteger(input.nextInvoiceNumber) || input.nextInvoiceNumber < 1)) return fail('INVALID_REQUEST', 'nextInvoiceNumber must be a positive whole number');
    if (input.activation && !this.options.activate) return fail('INVALID_REQUEST', 'this invoicing program runs without the collaboration lifecycle: it cannot activate');
    const d = this.directory;
    const company: Company = { id: `co_${pad(d.companies.length + 1)}`, name: input.companyName, organisationNumber: input.organisationNumber, apiKey: `inv_co_${this.options.newKey()}` };
    let bureau = input.bureauId === undefined ? undefined : d.bureaus.find((b) => b.id === input.bureauId);
    if (input.bureauId !== undefined && !bureau) return fail('FORBIDDEN', `no bureau ${input.bureauId}`);
    bureau ??= { id: `bu_${pad(d.bureaus.length + 1)}`, name: input.bureauName ?? 'Redovisningsbyrån AB', apiKey: `inv_bu_${this.options.newKey()}` };
    const collaboration: Collaboration = { id: `collab_${pad(d.collaborations.length + 1)}`, bureauId: bureau.id, companyId: company.id, paymentsRegisteredBy: input.paymentsRegisteredBy ?? 'customer', createdAt: this.options.clock.now() };
    this.directory = {
      companies: [...d.companies, company],
      bureaus: d.bureaus.some((b) => b.id === bureau.id) ? d.bureaus : [...d.bureaus, bureau],
      collaborations: [...d.collaborations, collaboration],
    };
    await this.options.store.saveDirectory(this.directory);
    this.keys.set(bureau.apiKey, { kind: 'bureau', bureauId: bureau.id });
    const book = await this.loadBook(company);
    const settings: Settings = { version: 1, nextInvoiceNumber: input.nextInvoiceNumber ?? 1, roundToWholeKronor: input.roundToWholeKronor ?? false, paymentTermsDays: 30 };
    await this.commit(book, undefined, () => ok({ value: settings, changes: [{ entity: 'settings', id: 'settings', version: 1, operation: 'created', data: settings }] }));
    if (input.activation && this.options.activate) {
      const activated = await this.options.activate(collaboration.id, input.activation, `bureau ${bureau.name}`);
      if (!activated.ok) return fail('INVALID_REQUEST', `collaboration ${collaboration.id} was created but not activated: ${activated.message}`);
    }
    return ok({ company, bureau, collaboration });
  }

  /** The collaboration a bureau key may use, and its company's book. */
  collaborationFor(bureauId: string, collaborationId: string): Result<{ collaboration: Collaboration; companyId: string }> {
    const collaboration = this.directory.collaborations.find((c) => c.id === collaborationId && c.bureauId === bureauId);
    // Someone else's collaboration is as invisible as a missing one.
    if (!collaboration) return fail('COLLABORATION_NOT_FOUND', `no collaboration ${collaborationId} for this bureau`);
    return ok({ collaboration, companyId: collaboration.companyId });
  }

  collaborationsOfBureau(bureauId: string): Collaboration[] {
    return this.directory.collaborations.filter((c) => c.bureauId === bureauId);
  }

  collaborationsOfCompany(companyId: string): Collaboration[] {
    return this.directory.collaborations.filter((c) => c.companyId === companyId);
  }

  private book(companyId: string): CompanyBook {
    const book = this.books.get(companyId);
    if (!book) throw new Error(`no company ${companyId}`);
    return book;
  }

  // ── the one write path ───────────────────────────────────────────────────────────────────

  private commit<T>(book: CompanyBook, idem: IdempotencyRequest<T> | undefined, plan: () => Result<Plan<T>>): Promise<Mutation<T>> {
    return book.serial(async (): Promise<Mutation<T>> => {
      if (idem) {
        const seen = book.idempotency.get(`${idem.scope}\u0000${idem.key}`);
        if (seen && seen.hash !== idem.hash) return { kind: 'error', code: 'IDEMPOTENCY_KEY_REUSED', message: `Idempotency-Key ${idem.key} was used with a different request` };
        if (seen) return { kind: 'replay', rendered: { status: seen.status, ...(JSON.parse(seen.body) as { headers: Record<string, string>; body: string }) } };
      }
      const planned = plan();
      if (!planned.ok) return { kind: 'error', code: planned.code, message: planned.message, ...(planned.details ? { details: planned.details } : {}) };
      const { value, changes, content } = planned.value;
      const rendered = idem?.render(value);
      const txn: Txn = {
        seq: book.seq + 1,
        at: this.options.clock.now(),
        changes,
        ...(content ? { content } : {}),
        ...(idem && rendered ? { idempotency: { scope: idem.scope, key: idem.key, hash: idem.hash, status: rendered.status, body: JSON.stringify({ headers: rendered.headers, body: rendered.body }) } } : {}),
      };
      await book.log.append(txn);
      book.apply(txn);
      return { kind: 'done', value, ...(rendered ? { rendered } : {}) };
    });
  }

  // ── registers ────────────────────────────────────────────────────────────────────────────

  createCustomer(companyId: string, input: CustomerInput, idem?: IdempotencyRequest<Customer>): Promise<Mutation<Customer>> {
    const book = this.book(companyId);
    return this.commit(book, idem, () => {
      const invalid = validateCustomer(input);
      if (invalid) return invalid;
      const n = book.customers.size + 1;
      const customer: Customer = { id: `cus_${pad(n)}`, version: 1, customerNumber: input.customerNumber ?? String(n), ...customerFields(input, book.settings.paymentTermsDays) };
      return ok({ value: customer, changes: [{ entity: 'customer', id: customer.id, version: 1, operation: 'created', data: customer }] });
    });
  }

  updateCustomer(companyId: string, id: string, ifMatch: number | undefined, input: CustomerInput): Promise<Mutation<Customer>> {
    const book = this.book(companyId);
    return this.commit(book, undefined, () => {
      const current = book.customers.get(id);
      if (!current) return fail('CUSTOMER_NOT_FOUND', `no customer ${id}`);
      const pre = precondition(current, ifMatch, 'customer');
      if (!pre.ok) return pre;
      const invalid = validateCustomer(input);
      if (invalid) return invalid;
      const customer: Customer = { id, version: current.version + 1, customerNumber: input.customerNumber ?? current.customerNumber, ...customerFields(input, current.paymentTermsDays) };
      return ok({ value: customer, changes: [{ entity: 'customer', id, version: customer.version, operation: 'updated', data: customer }] });
    });
  }

  createArticle(companyId: string, input: ArticleInput, idem?: IdempotencyRequest<Article>): Promise<Mutation<Article>> {
    const book = this.book(companyId);
    return this.commit(book, idem, () => {
      const n = book.articles.size + 1;
      const article = articleFrom(`art_${pad(n)}`, 1, input.articleNumber ?? String(n), input);
      if (!article.ok) return article;
      return ok({ value: article.value, changes: [{ entity: 'article', id: article.value.id, version: 1, operation: 'created', data: article.value }] });
    });
  }

  updateArticle(companyId: string, id: string, ifMatch: number | undefined, input: ArticleInput): Promise<Mutation<Article>> {
    const book = this.book(companyId);
    return this.commit(book, undefined, () => {
      const current = book.articles.get(id);
      if (!current) return fail('ARTICLE_NOT_FOUND', `no article ${id}`);
      const pre = precondition(current, ifMatch, 'article');
      if (!pre.ok) return pre;
      const article = articleFrom(id, current.version + 1, input.articleNumber ?? current.articleNumber, input);
      if (!article.ok) return article;
      return ok({ value: article.value, changes: [{ entity: 'article', id, version: article.value.version, operation: 'updated', data: article.value }] });
    });
  }

  updateSettings(companyId: string, ifMatch: number | undefined, input: { nextInvoiceNumber?: number | undefined; roundToWholeKronor?: boolean | undefined; paymentTermsDays?: number | undefined }): Promise<Mutation<Settings>> {
    const book = this.book(companyId);
    return this.commit(book, undefined, () => {
      const pre = precondition(book.settings, ifMatch, 'settings');
      if (!pre.ok) return pre;
      const next = input.nextInvoiceNumber ?? book.settings.nextInvoiceNumber;
      if (!Number.isSafeInteger(next) || next < 1) return fail('INVALID_REQUEST', 'nextInvoiceNumber must be a positive whole number');
      const highest = Math.max(0, ...book.invoiceByNumber.keys());
      if (next <= highest) return fail('INVOICE_NUMBER_TAKEN', `invoice number ${highest} is already used: the next number must be above it`, { highestUsed: highest });
      const settings: Settings = { version: book.settings.version + 1, nextInvoiceNumber: next, roundToWholeKronor: input.roundToWholeKronor ?? book.settings.roundToWholeKronor, paymentTermsDays: input.paymentTermsDays ?? book.settings.paymentTermsDays };
      return ok({ value: settings, changes: [{ entity: 'settings', id: 'settings', version: settings.version, operation: 'updated', data: settings }] });
    });
  }

  settings(companyId: string): Settings {
    return this.book(companyId).settings;
  }

  // ── invoices ─────────────────────────────────────────────────────────────────────────────

  createInvoice(companyId: string, input: InvoiceInput, idem?: IdempotencyRequest<Invoice>): Promise<Mutation<Invoice>> {
    const book = this.book(companyId);
    return this.commit(book, idem, () => {
      const customer = book.customers.get(input.customerId);
      if (!customer) return fail('CUSTOMER_NOT_FOUND', `no customer ${input.customerId}`);
      if (input.lines.length === 0) return fail('INVALID_REQUEST', 'an invoice needs at least one line');
      const lines: InvoiceLine[] = [];
      for (const [i, l] of input.lines.entries()) {
        const article = l.articleId === undefined ? undefined : book.articles.get(l.articleId);
        if (l.articleId !== undefined && !article) return fail('ARTICLE_NOT_FOUND', `lines.${i}: no article ${l.articleId}`);
        const unitPriceOre = l.unitPriceOre ?? article?.unitPriceOre;
        const vatRate = l.vatRate ?? article?.vatRate;
        if (unitPriceOre === undefined || !Number.isSafeInteger(unitPriceOre) || unitPriceOre < 0) return fail('INVALID_REQUEST', `lines.${i}: unitPriceOre (whole öre, ≥ 0) or an articleId is needed`);
        if (vatRate === undefined || !isVatRate(vatRate)) return fail('INVALID_REQUEST', `lines.${i}: vatRate must be 25, 12, 6 or 0`);
        if (!Number.isSafeInteger(l.quantity) || l.quantity < 1) return fail('INVALID_REQUEST', `lines.${i}: quantity must be a whole number ≥ 1`);
        const description = l.description ?? article?.name;
        if (!description) return fail('INVALID_REQUEST', `lines.${i}: description or an articleId is needed`);
        lines.push({ ...(article ? { articleId: article.id } : {}), description, quantity: l.quantity, unitPriceOre, vatRate, netOre: lineNet(l.quantity, unitPriceOre) });
      }
      const invoiceDate = input.invoiceDate ?? this.options.clock.now().slice(0, 10);
      if (!isIsoDate(invoiceDate)) return fail('INVALID_REQUEST', 'invoiceDate must be YYYY-MM-DD');
      const dueDate = input.dueDate ?? addDays(invoiceDate, customer.paymentTermsDays);
      if (!isIsoDate(dueDate) || dueDate < invoiceDate) return fail('INVALID_REQUEST', 'dueDate must be YYYY-MM-DD, on or after the invoice date');
      const number = book.settings.nextInvoiceNumber;
      const totals = invoiceTotals(lines, book.settings.roundToWholeKronor);
      const invoice: Invoice = { id: `inv_${pad(book.invoices.size + 1)}`, version: 1, number, kind: 'invoice', customerId: customer.id, customerName: customer.name, invoiceDate, dueDate, lines, ...totals, ocr: generateOcr(String(number)) };
      return ok({ value: invoice, changes: [invoiceChange(invoice), settingsChange(book.settings, number + 1)] });
    });
  }

  /** A credit invoice for the whole of an invoice: every amount negated, its own number. */
  creditInvoice(companyId: string, id: string, input: { invoiceDate?: string | undefined }, idem?: IdempotencyRequest<Invoice>): Promise<Mutation<Invoice>> {
    const book = this.book(companyId);
    return this.commit(book, idem, () => {
      const original = book.invoices.get(id);
      if (!original) return fail('INVOICE_NOT_FOUND', `no invoice ${id}`);
      if (original.kind === 'credit') return fail('CREDIT_OF_CREDIT', `invoice ${original.number} is itself a credit invoice`);
      const already = book.creditedBy.get(original.number);
      if (already !== undefined) return fail('INVOICE_ALREADY_CREDITED', `invoice ${original.number} was already credited by ${already}`, { creditInvoiceNumber: already });
      const invoiceDate = input.invoiceDate ?? this.options.clock.now().slice(0, 10);
      if (!isIsoDate(invoiceDate)) return fail('INVALID_REQUEST', 'invoiceDate must be YYYY-MM-DD');
      const number = book.settings.nextInvoiceNumber;
      // What was paid on the original stays there: the credit invoice starts with nothing settled.
      const base: Invoice = { ...original };
      delete base.paidOre;
      const credit: Invoice = {
        ...base, id: `inv_${pad(book.invoices.size + 1)}`, version: 1, number, kind: 'credit', creditOf: original.number, invoiceDate, dueDate: invoiceDate,
        lines: original.lines.map((l) => ({ ...l, quantity: neg(l.quantity), netOre: neg(l.netOre) })),
        vat: original.vat.map((g) => ({ rate: g.rate, baseOre: neg(g.baseOre), vatOre: neg(g.vatOre) })),
        netOre: neg(original.netOre), vatOre: neg(original.vatOre), roundingOre: neg(original.roundingOre), totalOre: neg(original.totalOre), ocr: generateOcr(String(number)),
      };
      return ok({ value: credit, changes: [invoiceChange(credit), settingsChange(book.settings, number + 1)] });
    });
  }

  // ── scanner inbox and notes ──────────────────────────────────────────────────────────────

  scanDocument(companyId: string, input: DocumentInput, idem?: IdempotencyRequest<ScannedDocument>): Promise<Mutation<ScannedDocument>> {
    const book = this.book(companyId);
    return this.commit(book, idem, () => {
      if (!/^(image\/(jpeg|png|heic|tiff)|application\/pdf)$/.test(input.contentType)) return fail('INVALID_REQUEST', 'contentType must be image/jpeg, image/png, image/heic, image/tiff or application/pdf');
      const bytes = Buffer.from(input.contentBase64, 'base64');
      if (bytes.length === 0) return fail('INVALID_REQUEST', 'the document is empty (contentBase64)');
      const document: ScannedDocument = {
        id: `doc_${pad(book.documents.size + 1)}`, version: 1, kind: input.kind, fileName: input.fileName, contentType: input.contentType, sizeBytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'), comment: input.comment ?? '', scannedAt: this.options.clock.now(), status: 'new',
      };
      return ok({ value: document, changes: [{ entity: 'document', id: document.id, version: 1, operation: 'created', data: document }], content: { documentId: document.id, base64: bytes.toString('base64') } });
    });
  }

  /** The bureau registered the document: "registered as voucher A 17". */
  setDocumentStatus(companyId: string, id: string, ifMatch: number | undefined, input: { voucher: string; statusText?: string | undefined }): Promise<Mutation<ScannedDocument>> {
    const book = this.book(companyId);
    return this.commit(book, undefined, () => {
      const current = book.documents.get(id);
      if (!current) return fail('DOCUMENT_NOT_FOUND', `no document ${id}`);
      const pre = precondition(current, ifMatch, 'document');
      if (!pre.ok) return pre;
      const document: ScannedDocument = { ...current, version: current.version + 1, status: 'registered', voucher: input.voucher, statusText: input.statusText ?? `registered as voucher ${input.voucher}` };
      return ok({ value: document, changes: [{ entity: 'document', id, version: document.version, operation: 'updated', data: document }] });
    });
  }

  addNote(companyId: string, author: Note['author'], input: { text: string; kind?: Note['kind'] | undefined; subject?: Note['subject'] | undefined }, idem?: IdempotencyRequest<Note>): Promise<Mutation<Note>> {
    const book = this.book(companyId);
    return this.commit(book, idem, () => {
      if (input.text.trim() === '') return fail('INVALID_REQUEST', 'a note needs text');
      const note: Note = { id: `note_${pad(book.notes.size + 1)}`, version: 1, author, kind: input.kind ?? 'note', text: input.text, createdAt: this.options.clock.now(), ...(input.subject ? { subject: input.subject } : {}), readByCustomer: author === 'customer' };
      return ok({ value: note, changes: [{ entity: 'note', id: note.id, version: 1, operation: 'created', data: note }] });
    });
  }

  markNoteRead(companyId: string, id: string, idem?: IdempotencyRequest<Note>): Promise<Mutation<Note>> {
    const book = this.book(companyId);
    return this.commit(book, idem, () => {
      const current = book.notes.get(id);
      if (!current) return fail('NOTE_NOT_FOUND', `no note ${id}`);
      const note: Note = { ...current, version: current.version + 1, readByCustomer: true };
      return ok({ value: note, changes: [{ entity: 'note', id, version: note.version, operation: 'updated', data: note }] });
    });
  }

  // ── incoming payments (both ways: whoever the collaboration names registers) ────────────

  /**
   * Registers an incoming payment on an invoice (or, unassigned, on a customer). Refused when
   * the collaboration says the other side registers payments. A payment whose identity is
   * already known answers with the one registered, so a retried push books nothing twice.
   *
   * Three kinds besides money in: a negative amount (a payer's deduction, set off) on a credit
   * invoice settles it, on an ordinary invoice it reduces what was applied; `fromCustomerCredit`
   * applies part of the customer's unapplied credit to an invoice (no new money: applied +X,
   * unapplied −X).
   */
  registerPayment(companyId: string, by: Payment['registeredBy'], input: { identity?: string | undefined; invoiceId?: string | undefined; customerId?: string | undefined; amountOre: number; date: string; reference?: string | undefined; fromCustomerCredit?: boolean | undefined }, idem?: IdempotencyRequest<Payment>): Promise<Mutation<Payment>> {
    const book = this.book(companyId);
    return this.commit(book, idem, () => {
      const collaboration = this.directory.collaborations.find((c) => c.companyId === companyId);
      if (collaboration && collaboration.paymentsRegisteredBy !== by) {
        return fail('PAYMENTS_REGISTERED_BY_OTHER_SIDE', `in this collaboration the ${collaboration.paymentsRegisteredBy === 'bureau' ? "bureau registers incoming payments (in its program, e.g. from the bank's BgMax file)" : 'customer registers incoming payments (in the invoicing program)'}: the setting "who registers incoming payments" is ${collaboration.paymentsRegisteredBy}`, { paymentsRegisteredBy: collaboration.paymentsRegisteredBy });
      }
      const identity = input.identity ?? `invoicing:${companyId}:${book.payments.size + 1}`;
      const existing = book.paymentByIdentity.get(identity);
      if (existing) {
        const payment = book.payments.get(existing) as Payment;
        return ok({ value: payment, changes: [] });
      }
      if (!Number.isSafeInteger(input.amountOre) || input.amountOre === 0) return fail('INVALID_REQUEST', 'amountOre must be whole öre, not 0 (negative: a deduction set off against an invoice)');
      if (!isIsoDate(input.date)) return fail('INVALID_REQUEST', 'date must be YYYY-MM-DD');
      const invoice = input.invoiceId === undefined ? undefined : book.invoices.get(input.invoiceId);
      if (input.invoiceId !== undefined && !invoice) return fail('INVOICE_NOT_FOUND', `no invoice ${input.invoiceId}`);
      const customerId = invoice?.customerId ?? input.customerId;
      if (customerId === undefined || !book.customers.has(customerId)) return fail('CUSTOMER_NOT_FOUND', 'a payment needs an invoiceId or a known customerId');
      const context = invoice ? this.creditContext(book, invoice) : { credited: false, paidOnCreditedOre: 0 };
      let amountOre = input.amountOre;
      let appliedOre: number;
      if (input.fromCustomerCredit === true || input.amountOre < 0) {
        if (!invoice) return fail('INVALID_REQUEST', input.amountOre < 0 ? 'a negative amount (a deduction) is set off against an invoice or a credit invoice: give invoiceId' : 'applying the customer\'s credit needs the invoice (invoiceId)');
        if (input.amountOre < 0) {
          const limit = negativePartLimit(invoice, context);
          if (!limit.ok) return fail('INVALID_REQUEST', limit.message);
          if (-input.amountOre > limit.limitOre) return fail('INVALID_REQUEST', `a deduction of ${-input.amountOre} öre is more than invoice ${invoice.number} can take (${limit.limitOre} öre)`);
          appliedOre = input.amountOre;
        } else {
          if (invoice.kind === 'credit') return fail('INVALID_REQUEST', `invoice ${invoice.number} is a credit invoice: a customer's credit is applied to an invoice it owes`);
          const credit = this.customerCreditOre(book, customerId);
          const open = openAmountOre(invoice, context);
          if (input.amountOre > credit) return fail('INVALID_REQUEST', `the customer has ${credit} öre of unapplied credit, not ${input.amountOre}`);
          if (input.amountOre > open) return fail('INVALID_REQUEST', `invoice ${invoice.number} has ${open} öre open, less than ${input.amountOre}`);
          appliedOre = input.amountOre;
          amountOre = 0;
        }
      } else {
        if (invoice?.kind === 'credit') return fail('INVALID_REQUEST', `invoice ${invoice.number} is a credit invoice`);
        const open = invoice ? openAmountOre(invoice, context) : 0;
        appliedOre = Math.max(0, Math.min(open, input.amountOre));
      }
      const unappliedOre = amountOre - appliedOre;
      const payment: Payment = {
        id: `pay_${pad(book.payments.size + 1)}`, version: 1, identity, registeredBy: by, date: input.date, amountOre,
        ...(invoice ? { invoiceId: invoice.id } : {}), customerId, appliedOre, unappliedOre: unappliedOre === 0 ? 0 : unappliedOre, ...(input.reference ? { reference: input.reference } : {}),
        ...(input.fromCustomerCredit === true && input.amountOre > 0 ? { fromCustomerCredit: true as const } : {}),
      };
      const changes: Change[] = [{ entity: 'payment', id: payment.id, version: 1, operation: 'created', data: payment }];
      if (invoice && appliedOre !== 0) {
        const updated: Invoice = { ...invoice, version: invoice.version + 1, paidOre: (invoice.paidOre ?? 0) + appliedOre };
        changes.push({ entity: 'invoice', id: invoice.id, version: updated.version, operation: 'updated', data: updated });
      }
      return ok({ value: payment, changes });
    });
  }

  private creditContext(book: CompanyBook, invoice: Invoice): CreditContext {
    const credited = invoice.kind === 'invoice' ? book.creditedBy.has(invoice.number) : false;
    const creditedId = invoice.creditOf === undefined ? undefined : book.invoiceByNumber.get(invoice.creditOf);
    return { credited, paidOnCreditedOre: creditedId === undefined ? 0 : book.invoices.get(creditedId)?.paidOre ?? 0 };
  }

  /** A customer's unapplied credit: over-payments and payments assigned to it, less what was applied since. */
  private customerCreditOre(book: CompanyBook, customerId: string): number {
    let sum = 0;
    for (const p of book.payments.values()) if (p.customerId === customerId) sum += p.unappliedOre;
    return sum;
  }

  /** What is open on an invoice, by the rule the bureau's program uses too. */
  openOre(companyId: string, invoice: Invoice): number {
    return openAmountOre(invoice, this.creditContext(this.book(companyId), invoice));
  }

  collaborationOfCompany(companyId: string): Collaboration | undefined {
    return this.directory.collaborations.find((c) => c.companyId === companyId);
  }

  // ── reads ────────────────────────────────────────────────────────────────────────────────

  list(companyId: string, entity: FeedEntity, pageNumber: number, limit: number): Page<Customer | Article | Invoice | ScannedDocument | Note | Payment> {
    const book = this.book(companyId);
    const maps = { customer: book.customers, article: book.articles, invoice: book.invoices, document: book.documents, note: book.notes, payment: book.payments } as const;
    return page<Customer | Article | Invoice | ScannedDocument | Note | Payment>([...maps[entity].values()], pageNumber, limit);
  }

  get(companyId: string, entity: FeedEntity, id: string): Customer | Article | Invoice | ScannedDocument | Note | Payment | undefined {
    const book = this.book(companyId);
    const maps = { customer: book.customers, article: book.articles, invoice: book.invoices, document: book.documents, note: book.notes, payment: book.payments } as const;
    return maps[entity].get(id);
  }

  documentContent(companyId: string, id: string): { contentType: string; bytes: Buffer } | undefined {
    const book = this.book(companyId);
    const document = book.documents.get(id);
    const base64 = book.contents.get(id);
    return document && base64 !== undefined ? { contentType: document.contentType, bytes: Buffer.from(base64, 'base64') } : undefined;
  }

  headCursor(companyId: string): string {
    return String(this.book(companyId).feedHead);
  }

  /** The feed after a cursor: O(log n + limit), however long the log is. */
  changes(companyId: string, after: string | undefined, limit: number): Result<FeedPage> {
    const book = this.book(companyId);
    const size = Math.min(Math.max(1, limit), MAX_PAGE_SIZE);
    const seq = after === undefined || after === '' ? 0 : Number(after);
    if (!Number.isSafeInteger(seq) || seq < 0 || String(seq) !== String(Number(after ?? 0))) return fail('CURSOR_INVALID', `cursor ${after} is not one this feed gave out`);
    if (seq > book.feedHead) return fail('CURSOR_INVALID', `cursor ${after} is ahead of the feed (head ${book.feedHead})`, { headCursor: String(book.feedHead) });
    if (seq < book.feedStart - 1) {
      return fail('CURSOR_EXPIRED', `changes after ${after} are no longer retained (oldest retained cursor ${book.feedStart - 1}): re-list customers, articles, invoices, documents and notes, then follow the feed from headCursor`, { headCursor: String(book.feedHead), oldestCursor: String(book.feedStart - 1) });
    }
    const from = book.feedIndexAfter(seq);
    const entries = book.feed.slice(from, from + size);
    const last = entries[entries.length - 1];
    return ok({ entries, nextCursor: last ? last.cursor : String(seq), hasMore: from + size < book.feed.length, headCursor: String(book.feedHead) });
  }

  /** Test helper (provider states, scenarios): keep only the last `keep` feed entries. */
  compactFeed(companyId: string, keep: number): void {
    this.book(companyId).compact(keep);
  }
}

function validateCustomer(input: CustomerInput): Result<never> | undefined {
  if (input.name.trim() === '') return fail('INVALID_REQUEST', 'a customer needs a name');
  if (input.organisationNumber !== undefined && !/^\d{6}-?\d{4}$/.test(input.organisationNumber)) return fail('INVALID_REQUEST', 'organisationNumber must be 10 digits (NNNNNN-NNNN)');
  if (input.paymentTermsDays !== undefined && (!Number.isSafeInteger(input.paymentTermsDays) || input.paymentTermsDays < 0 || input.paymentTermsDays > 365)) return fail('INVALID_REQUEST', 'paymentTermsDays must be 0–365');
  return undefined;
}

function customerFields(input: CustomerInput, defaultTerms: number): Omit<Customer, 'id' | 'version' | 'customerNumber'> {
  return {
    name: input.name,
    ...(input.organisationNumber !== undefined ? { organisationNumber: input.organisationNumber } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.address !== undefined ? { address: input.address } : {}),
    paymentTermsDays: input.paymentTermsDays ?? defaultTerms,
  };
}

function articleFrom(id: string, version: number, articleNumber: string, input: ArticleInput): Result<Article> {
  if (input.name.trim() === '') return fail('INVALID_REQUEST', 'an article needs a name');
  if (!Number.isSafeInteger(input.unitPriceOre) || input.unitPriceOre < 0) return fail('INVALID_REQUEST', 'unitPriceOre must be whole öre ≥ 0');
  if (!isVatRate(input.vatRate)) return fail('INVALID_REQUEST', 'vatRate must be 25, 12, 6 or 0');
  return ok({ id, version, articleNumber, name: input.name, unit: input.unit ?? 'st', unitPriceOre: input.unitPriceOre, vatRate: input.vatRate });
}

function invoiceChange(invoice: Invoice): Change {
  return { entity: 'invoice', id: invoice.id, version: invoice.version, operation: 'created', data: invoice };
}

function settingsChange(settings: Settings, nextInvoiceNumber: number): Change {
  const data: Settings = { ...settings, version: settings.version + 1, nextInvoiceNumber };
  return { entity: 'settings', id: 'settings', version: data.version, operation: 'updated', data };
}
