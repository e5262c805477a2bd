/**
 * BankConnection: a typed client of the bank file API. It works against any base URL — the
 * simulator over HTTP, the msw handlers in-process, or a partner bank implementing the same
 * API. Uploads carry an Idempotency-Key and are retried with backoff on 502/503/504 and
 * network errors with the SAME key, so a retry can never create a second file.
 */
import { verifySignature } from '../../formats/webhook-signature.ts';

export interface ProblemDocument {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  [key: string]: unknown;
}

/** The problem's `instance` (RFC 9457: this occurrence's URI reference) as an absolute URL a person can open. */
function instanceUrl(problem: ProblemDocument, baseUrl: string | undefined): string | undefined {
  if (typeof problem.instance !== 'string' || problem.instance === '') return undefined;
  try {
    return baseUrl === undefined ? new URL(problem.instance).href : new URL(problem.instance, baseUrl).href;
  } catch {
    return undefined;
  }
}

export class BankError extends Error {
  /** Where the bank shows this occurrence, when it says (the problem's `instance`). */
  readonly instanceUrl: string | undefined;

  constructor(readonly status: number, readonly problem: ProblemDocument, baseUrl?: string) {
    const link = instanceUrl(problem, baseUrl);
    super(`${status} ${problem.code}: ${problem.detail ?? problem.title ?? ''}${link ? ` (see ${link})` : ''}`);
    this.instanceUrl = link;
  }

  get code(): string {
    return this.problem.code;
  }
}

/** No HTTP answer at all (refused, unknown host, timed out), after every retry. */
export class BankUnreachable extends Error {
  constructor(readonly baseUrl: string, cause: unknown) {
    const code = cause instanceof Error && cause.cause instanceof Error && 'code' in cause.cause ? String(cause.cause.code) : undefined;
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'unknown host' : code ?? (cause instanceof Error ? cause.message : String(cause));
    super(`cannot reach the bank at ${baseUrl} (${why})`);
  }
}

export interface PaymentView {
  paymentId: string;
  fileId: string;
  paymentInformationId: string;
  endToEndId: string;
  amountOre: number;
  currency: string;
  status: 'RECEIVED' | 'AWAITING_SIGNATURE' | 'SCHEDULED' | 'EXECUTED' | 'REJECTED' | 'CANCELLED';
  requestedExecutionDate: string | null;
  executionDate: string | null;
  reasons: { code: string; message: string }[];
  cancellation: { status: string; reason?: { code: string; message: string } } | null;
}

export interface FileView {
  fileId: string;
  format: string;
  messageId: string;
  status: 'RECEIVED' | 'REJECTED' | 'AWAITING_SIGNATURE' | 'PARTIALLY_ACCEPTED' | 'SIGNED';
  numberOfTransactions: number;
  controlSumOre: number;
  reasons: { code: string; message: string }[];
  payments: PaymentView[];
}

export interface AccountView {
  accountId: string;
  name: string;
  iban: string;
  bban: string;
  currency: string;
  primary: boolean;
}

export interface BalancesView {
  accountId: string;
  currency: string;
  bookedOre: number;
  reservedOre: number;
  availableOre: number;
  asOf: string;
}

export interface ReportMetaView {
  reportId: string;
  sequence: number;
  type: 'pain.002' | 'camt.052' | 'camt.053' | 'camt.054' | 'camt.029' | 'bgmax';
  message: string;
  createdAt: string;
  contentType: string;
  fileId: string | null;
  accountId: string | null;
}

export interface ConnectionOptions {
  baseUrl: string;
  bank: 'swedbank' | 'sparbanken';
  apiKey: string;
  fetch?: typeof fetch;
  /** Attempts for retryable failures (default 5) with exponential backoff from `baseDelayMs`. */
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE = new Set([502, 503, 504]);

export class BankConnection {
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly options: ConnectionOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private url(path: string): string {
    return `${this.options.baseUrl.replace(/\/$/, '')}${path}`;
  }

  /** One request with retries; `retry` only where repeating it is safe (GETs, keyed uploads). */
  private async request(method: string, path: string, init: { body?: string | Uint8Array; headers?: Record<string, string>; retry: boolean }): Promise<Response> {
    const attempts = init.retry ? (this.options.attempts ?? 5) : 1;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await this.fetchFn(this.url(path), {
          method,
          headers: { authorization: `Bearer ${this.options.apiKey}`, ...init.headers },
          ...(init.body === undefined ? {} : { body: init.body }),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
        if (RETRYABLE.has(response.status) && attempt < attempts) {
          await response.arrayBuffer().catch(() => undefined);
          const retryAfter = Number(response.headers.get('retry-after'));
          await this.sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, this.backoff(attempt)) : this.backoff(attempt));
          continue;
        }
        return response;
      } catch (error) {
        lastError = error;
        if (attempt < attempts) await this.sleep(this.backoff(attempt));
      }
    }
    throw new BankUnreachable(this.options.baseUrl, lastError);
  }

  private backoff(attempt: number): number {
    return (this.options.baseDelayMs ?? 250) * 2 ** (attempt - 1);
  }

  private async json<T>(method: string, path: string, init: { body?: string | Uint8Array; headers?: Record<string, string>; retry: boolean }): Promise<{ value: T; response: Response }> {
    const response = await this.request(method, path, init);
    const text = await response.text();
    if (!response.ok) {
      let problem: ProblemDocument;
      try {
        problem = JSON.parse(text) as ProblemDocument;
      } catch {
        problem = { status: response.status, code: 'HTTP_ERROR', detail: text.slice(0, 200) };
      }
      throw new BankError(response.status, problem, this.options.baseUrl);
    }
    return { value: (text ? JSON.parse(text) : undefined) as T, response };
  }

  private get bankPath(): string {
    return `/v1/${this.options.bank}`;
  }

  /** Uploads a pain.001 (XML) or LB (text) file. The key makes retries and re-sends safe. */
  async uploadPaymentFile(body: string | Uint8Array, idempotencyKey: string): Promise<{ fileId: string; status: string; idempotencyHit: boolean }> {
    // A payment file travels as a file: its bytes unchanged (pain.001 UTF-8 XML or LB
    // Latin-1 text); the bank detects the format itself.
    const { value, response } = await this.json<{ fileId: string; status: string }>('POST', `${this.bankPath}/payment-files`, {
      body,
      headers: { 'content-type': 'application/octet-stream', 'idempotency-key': idempotencyKey },
      retry: true,
    });
    return { ...value, idempotencyHit: response.headers.get('idempotency-hit') === 'true' };
  }

  async paymentFile(fileId: string): Promise<FileView> {
    return (await this.json<FileView>('GET', `${this.bankPath}/payment-files/${encodeURIComponent(fileId)}`, { retry: true })).value;
  }

  async paymentFiles(): Promise<{ fileId: string; status: string; messageId: string }[]> {
    return (await this.json<{ files: { fileId: string; status: string; messageId: string }[] }>('GET', `${this.bankPath}/payment-files`, { retry: true })).value.files;
  }

  /** In-app signature: the program verified an administrator with two-step verification. */
  async signPaymentFile(fileId: string, signedBy: string): Promise<{ status: string }> {
    return (await this.json<{ status: string }>('POST', `${this.bankPath}/payment-files/${encodeURIComponent(fileId)}/signatures`, {
      body: JSON.stringify({ signedBy, role: 'administrator', verification: 'totp' }),
      headers: { 'content-type': 'application/json' },
      retry: false,
    })).value;
  }

  async accounts(): Promise<AccountView[]> {
    return (await this.json<{ accounts: AccountView[] }>('GET', `${this.bankPath}/accounts`, { retry: true })).value.accounts;
  }

  async balances(accountId: string): Promise<BalancesView> {
    return (await this.json<BalancesView>('GET', `${this.bankPath}/accounts/${encodeURIComponent(accountId)}/balances`, { retry: true })).value;
  }

  async payments(status?: 'scheduled' | 'executed' | 'rejected' | 'cancelled' | 'awaiting_signature'): Promise<PaymentView[]> {
    const query = status === undefined ? '' : `?status=${status}`;
    return (await this.json<{ payments: PaymentView[] }>('GET', `${this.bankPath}/payments${query}`, { retry: true })).value.payments;
  }

  async requestCancellation(paymentId: string): Promise<{ paymentId: string; cancellation: { status: string } }> {
    return (await this.json<{ paymentId: string; cancellation: { status: string } }>('POST', `${this.bankPath}/payments/${encodeURIComponent(paymentId)}/cancellation-requests`, {
      body: JSON.stringify({ reason: 'CUST' }),
      headers: { 'content-type': 'application/json' },
      retry: false,
    })).value;
  }

  async uploadCancellationRequest(camt055: string): Promise<{ assignmentId: string }> {
    return (await this.json<{ assignmentId: string }>('POST', `${this.bankPath}/cancellation-requests`, { body: camt055, headers: { 'content-type': 'application/xml' }, retry: false })).value;
  }

  async reports(after?: string): Promise<{ reports: ReportMetaView[]; nextCursor: string | null }> {
    const query = after ? `?after=${encodeURIComponent(after)}` : '';
    return (await this.json<{ reports: ReportMetaView[]; nextCursor: string | null }>('GET', `${this.bankPath}/reports${query}`, { retry: true })).value;
  }

  async downloadReport(reportId: string): Promise<Uint8Array> {
    const response = await this.request('GET', `${this.bankPath}/reports/${encodeURIComponent(reportId)}`, { retry: true });
    if (!response.ok) throw new BankError(response.status, (await response.json()) as ProblemDocument, this.options.baseUrl);
    return new Uint8Array(await response.arrayBuffer());
  }

  /** Verifies a webhook the bank sent (Sandbank-Signature header, HMAC-SHA256). */
  static verifyWebhook(secret: string, signatureHeader: string, body: string, nowSeconds: number): boolean {
    return verifySignature(secret, signatureHeader, body, nowSeconds);
  }
}
