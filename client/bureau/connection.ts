/**
 * The bureau program's typed HTTP client of the invoicing program (works against any base
 * URL). It honours 429 with Retry-After, retries timeouts, network errors and 5xx with
 * exponential backoff, and sends every POST with an Idempotency-Key the caller keeps, so a
 * retry never creates anything twice. Errors carry the server's stable problem code.
 */
import type { Article, Customer, FeedEntity, FeedEntry, Invoice, Note, Payment, ScannedDocument } from '../invoicing/model.ts';

export interface ConnectionOptions {
  baseUrl: string;
  apiKey: string;
  collaborationId: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts for timeouts, network errors and 5xx (429s are waited out separately). */
  attempts?: number;
  /** At most this many 429s in a row before giving up. */
  rateLimitWaits?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** Told about every wait, for progress lines and tests. */
  onWait?: (wait: { reason: 'rate-limited' | 'unavailable' | 'timeout' | 'network'; ms: number; attempt: number }) => void;
}

export class InvoicingApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly problem: Record<string, unknown> = {}) {
    super(message);
  }
}

/** The feed no longer holds changes after our cursor: re-list, then follow from `headCursor`. */
export class CursorExpired extends InvoicingApiError {}

export class InvoicingUnreachable extends Error {}

export interface FeedPage {
  entries: FeedEntry[];
  nextCursor: string;
  hasMore: boolean;
  headCursor: string;
}

export interface ListPage<T> {
  items: T[];
  meta: { page: number; limit: number; total: number; totalPages: number };
}

export interface EntityTypes {
  customer: Customer;
  article: Article;
  invoice: Invoice;
  document: ScannedDocument;
  note: Note;
  payment: Payment;
}

const PLURAL: Record<FeedEntity, string> = { customer: 'customers', article: 'articles', invoice: 'invoices', document: 'documents', note: 'notes', payment: 'payments' };

export class InvoicingConnection {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly options: ConnectionOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private get base(): string {
    return `${this.options.baseUrl.replace(/\/$/, '')}/v1/collaborations/${encodeURIComponent(this.options.collaborationId)}`;
  }

  private async request(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
    const attempts = this.options.attempts ?? 6;
    const rateLimitWaits = this.options.rateLimitWaits ?? 100;
    let failures = 0;
    let waits = 0;
    for (;;) {
      let response: Response;
      try {
        response = await this.fetchImpl(`${this.base}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
          ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        const reason = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'timeout' : 'network';
        failures += 1;
        if (failures >= attempts) throw new InvoicingUnreachable(`the invoicing program at ${this.options.baseUrl} did not answer (${reason}) after ${failures} attempts`);
        await this.backoff(reason, failures);
        continue;
      }
      const bytes = Buffer.from(await response.arrayBuffer());
      if (response.status === 429) {
        waits += 1;
        if (waits > rateLimitWaits) throw new InvoicingApiError(429, 'RATE_LIMITED', `still rate limited after ${waits - 1} waits`);
        const seconds = Number(response.headers.get('retry-after') ?? '1');
        const ms = (Number.isFinite(seconds) && seconds >= 0 ? seconds : 1) * 1000;
        this.options.onWait?.({ reason: 'rate-limited', ms, attempt: waits });
        await this.sleep(ms);
        continue;
      }
      if (response.status >= 500) {
        failures += 1;
        if (failures >= attempts) throw new InvoicingUnreachable(`the invoicing program at ${this.options.baseUrl} answered ${response.status} ${failures} times`);
        await this.backoff('unavailable', failures);
        continue;
      }
      if (response.status >= 400) {
        let problem: Record<string, unknown> = {};
        try {
          problem = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
        } catch {
          problem = {};
        }
        const code = typeof problem['code'] === 'string' ? problem['code'] : `HTTP_${response.status}`;
        const detail = typeof problem['detail'] === 'string' ? problem['detail'] : `HTTP ${response.status}`;
        if (code === 'CURSOR_EXPIRED') throw new CursorExpired(response.status, code, detail, problem);
        throw new InvoicingApiError(response.status, code, `${detail} (${code})`, problem);
      }
      return { status: response.status, headers: response.headers, bytes };
    }
  }

  private async backoff(reason: 'unavailable' | 'timeout' | 'network', failures: number): Promise<void> {
    const ms = Math.min(this.options.maxDelayMs ?? 5_000, (this.options.baseDelayMs ?? 100) * 2 ** (failures - 1));
    this.options.onWait?.({ reason, ms, attempt: failures });
    await this.sleep(ms);
  }

  private async json<T>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
    const { bytes } = await this.request(method, path, init);
    return JSON.parse(bytes.toString('utf8')) as T;
  }

  collaboration(): Promise<{ id: string; companyId: string; paymentsRegisteredBy: 'customer' | 'bureau'; company: { name: string; organisationNumber: string }; nextInvoiceNumber: number; headCursor: string }> {
    return this.json('GET', '');
  }

  changes(after: string, limit: number): Promise<FeedPage> {
    return this.json('GET', `/changes?after=${encodeURIComponent(after)}&limit=${limit}`);
  }

  list<E extends FeedEntity>(entity: E, page: number, limit: number): Promise<ListPage<EntityTypes[E]>> {
    return this.json('GET', `/${PLURAL[entity]}?page=${page}&limit=${limit}`);
  }

  get<E extends FeedEntity>(entity: E, id: string): Promise<EntityTypes[E]> {
    return this.json('GET', `/${PLURAL[entity]}/${encodeURIComponent(id)}`);
  }

  async documentContent(id: string): Promise<{ contentType: string; bytes: Buffer }> {
    const { headers, bytes } = await this.request('GET', `/documents/${encodeURIComponent(id)}/content`);
    return { contentType: headers.get('content-type') ?? 'application/octet-stream', bytes };
  }

  /** 412 (VERSION_MISMATCH) when the document changed since `version`. */
  setDocumentStatus(id: string, version: number, status: { voucher: string; statusText?: string }): Promise<ScannedDocument> {
    return this.json('PUT', `/documents/${encodeURIComponent(id)}/status`, { body: status, headers: { 'if-match': `"${version}"` } });
  }

  /** Pushes a payment the bureau registered; its identity makes a retry register nothing new. */
  postPayment(payment: { identity: string; invoiceId?: string; customerId?: string; amountOre: number; date: string; reference?: string; fromCustomerCredit?: true }): Promise<Payment> {
    return this.json('POST', '/payments', { body: payment, headers: { 'idempotency-key': payment.identity } });
  }

  postNote(note: { text: string; kind?: 'note' | 'notification'; subject?: { entity: FeedEntity; id: string } }, idempotencyKey: string): Promise<Note> {
    return this.json('POST', '/notes', { body: note, headers: { 'idempotency-key': idempotencyKey } });
  }
}
