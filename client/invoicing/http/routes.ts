/**
 * ONE route table for the invoicing API: the customer's own key works on its company
 * (`/v1/customers` …), a bureau's key only on its own collaborations
 * (`/v1/collaborations/{id}/…`). Every POST needs an Idempotency-Key; every request counts
 * against its key's rate limit; every error is problem+json with a stable code.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Mutation, IdempotencyRequest, InvoicingService, Rendered } from '../service.ts';
import { DEFAULT_PAGE_SIZE } from '../service.ts';
import type { FeedEntity } from '../model.ts';
import { problem, type ApiResponse } from './problem.ts';
import type { RateLimiter } from './rate-limit.ts';
import { schemas } from './schemas.ts';
import { fieldProblems, problemDetail } from '../../../formats/zod-issues.ts';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  header(name: string): string | undefined;
  body(): Promise<Uint8Array>;
}

export interface RouteContext {
  service: InvoicingService;
  rateLimiter: RateLimiter;
  /** Routes mounted from outside (the contracts' provider states). */
  extraRoutes?: Route[];
  /** Asked after authentication; an answer ends the request (the collaboration lifecycle's closed feed). */
  guard?: (request: GuardRequest, service: InvoicingService) => ApiResponse | undefined;
}

export interface GuardRequest {
  caller: Caller;
  method: string;
  pattern: string;
  params: Record<string, string>;
}

type Params = Record<string, string>;
export type Caller = { kind: 'company'; companyId: string; key: string } | { kind: 'bureau'; bureauId: string; key: string };
interface Call {
  req: ApiRequest;
  params: Params;
  ctx: RouteContext;
  caller: Caller;
  body: unknown;
}

export interface Route {
  method: string;
  pattern: string;
  auth: 'none' | 'company' | 'bureau' | 'any';
  handler(call: Call): Promise<ApiResponse>;
  /** For routes mounted from outside (the collaboration lifecycle): the OpenAPI summary. */
  summary?: string;
  /** Its JSON body, validated like the table's own (BODY_SCHEMAS) and documented in the OpenAPI. */
  body?: z.ZodType;
  /** Problem codes it answers beyond PROBLEMS, with their status and title (the docs page lists them). */
  problems?: Readonly<Record<string, { status: number; title: string }>>;
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse => ({ status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) });
const etag = (version: number) => ({ etag: `"${version}"` });

/** `If-Match: "3"`, `W/"3"` or `3` → 3. */
function ifMatch(req: ApiRequest): number | undefined {
  const raw = req.header('if-match');
  if (raw === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(raw.trim());
  return m ? Number(m[1]) : -1;
}

function intParam(req: ApiRequest, name: string, fallback: number): number {
  const raw = req.query.get(name);
  const n = raw === null ? fallback : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

function fromMutation<T extends { version: number }>(m: Mutation<T>, status = 200, headers: (v: T) => Record<string, string> = () => ({})): ApiResponse {
  if (m.kind === 'replay') return { status: m.rendered.status, headers: { ...m.rendered.headers, 'idempotent-replayed': 'true' }, body: m.rendered.body };
  if (m.kind === 'error') return problem(m.code, m.message, m.details ?? {});
  return m.rendered ? { status: m.rendered.status, headers: m.rendered.headers, body: m.rendered.body } : json(status, m.value, { ...etag(m.value.version), ...headers(m.value) });
}

/** The idempotency scope of a POST: its key owner, the key, and a hash of what was asked. */
function idem<T extends { version: number; id?: string }>(call: Call, bytes: Uint8Array, status: number, location?: (v: T) => string): IdempotencyRequest<T> {
  const key = call.req.header('idempotency-key') ?? '';
  const hash = createHash('sha256').update(`${call.req.method} ${call.req.path}\n`).update(bytes).digest('hex');
  return {
    scope: call.caller.kind === 'company' ? call.caller.companyId : call.caller.bureauId, key, hash,
    render: (value: T): Rendered => ({ status, headers: { 'content-type': 'application/json', ...etag(value.version), ...(location ? { location: location(value) } : {}) }, body: JSON.stringify(value) }),
  };
}

const ENTITY_PATHS: Record<string, FeedEntity> = { customers: 'customer', articles: 'article', invoices: 'invoice', documents: 'document', notes: 'note', payments: 'payment' };
const NOT_FOUND_CODES = { customer: 'CUSTOMER_NOT_FOUND', article: 'ARTICLE_NOT_FOUND', invoice: 'INVOICE_NOT_FOUND', document: 'DOCUMENT_NOT_FOUND', note: 'NOTE_NOT_FOUND', payment: 'PAYMENT_NOT_FOUND' } as const;

function companyOf(call: Call): string {
  if (call.caller.kind === 'company') return call.caller.companyId;
  const found = call.ctx.service.collaborationFor(call.caller.bureauId, call.params['collaborationId'] ?? '');
  if (!found.ok) throw new RouteProblem(problem(found.code, found.message));
  return found.value.companyId;
}

class RouteProblem extends Error {
  constructor(readonly response: ApiResponse) {
    super('route problem');
  }
}

function listRoute(entity: FeedEntity, auth: 'company' | 'bureau', prefix: string): Route[] {
  const plural = Object.keys(ENTITY_PATHS).find((k) => ENTITY_PATHS[k] === entity) ?? '';
  return [
    {
      method: 'GET', pattern: `${prefix}/${plural}`, auth,
      handler: async (call) => json(200, call.ctx.service.list(companyOf(call), entity, intParam(call.req, 'page', 1), intParam(call.req, 'limit', DEFAULT_PAGE_SIZE))),
    },
    {
      method: 'GET', pattern: `${prefix}/${plural}/:id`, auth,
      handler: async (call) => {
        const record = call.ctx.service.get(companyOf(call), entity, call.params['id'] ?? '');
        return record ? json(200, record, etag(record.version)) : problem(NOT_FOUND_CODES[entity], `no ${entity} ${call.params['id']}`);
      },
    },
  ];
}

const C = '/v1/collaborations/:collaborationId';

export const routes: Route[] = [
  // ── the customer's own API (company key) ──
  {
    method: 'GET', pattern: '/v1/company', auth: 'company',
    handler: async (call) => {
      const companyId = companyOf(call);
      const company = call.ctx.service.companies.find((c) => c.id === companyId);
      return json(200, { id: companyId, name: company?.name, organisationNumber: company?.organisationNumber, settings: call.ctx.service.settings(companyId), collaborations: call.ctx.service.collaborationsOfCompany(companyId) });
    },
  },
  { method: 'GET', pattern: '/v1/settings', auth: 'company', handler: async (call) => { const s = call.ctx.service.settings(companyOf(call)); return json(200, s, etag(s.version)); } },
  { method: 'PUT', pattern: '/v1/settings', auth: 'company', handler: async (call) => fromMutation(await call.ctx.service.updateSettings(companyOf(call), ifMatch(call.req), call.body as z.infer<typeof schemas.settings>)) },
  ...listRoute('customer', 'company', '/v1'),
  { method: 'POST', pattern: '/v1/customers', auth: 'company', handler: async (call) => fromMutation(await call.ctx.service.createCustomer(companyOf(call), call.body as z.infer<typeof schemas.customer>, idem(call, await call.req.body(), 201, (v) => `/v1/customers/${v.id}`))) },
  { method: 'PUT', pattern: '/v1/customers/:id', auth: 'company', handler: async (call) => fromMutation(await call.ctx.service.updateCustomer(companyOf(call), call.params['id'] ?? '', ifMatch(call.req), call.body as z.infer<typeof schemas.customer>)) },
  ...listRoute('article', 'company', '/v1'),
  { method: 'POST', pattern: '/v1/articles', auth: 'company', handler: async (call) => fromMutation(await call.ctx.service.createArticle(companyOf(call), call.body as z.infer<typeof schemas.article>, idem(call, await call.req.body(), 201, (v) => `/v1/articles/${v.id}`))) },
  { method: 'PUT', pattern: '/v1/articles/:id', auth: 'company', handler: async (call) => fromMutation(await call.ctx.service.updateArticle(companyOf(call), call.params['id'] ?? '', ifMatch(call.req), call.body as z.infer<typeof schemas.article>)) },
  ...listRoute('invoice', 'company', '/v1'),
  { method: 'POST', pattern: '/v1/invoices', auth: 'company', handler: async (call) => fromMutation(await call.ctx.service.createInvoice(companyOf(call), call.body as z.infer<typeof schemas.invoice>, idem(call, await call.req.body(), 201, (v) => `/v1/invoices/${v.id}`))) },
  { method: 'POST', pattern: '/v1/invoices/:id/credit', auth: 'company', handler: async (call) => fromMutation(await call.ctx.service.creditInvoice(companyOf(call), call.params['id'] ?? '', call.body as z.infer<typeof schemas.credit>, idem(call, await call.req.body(), 201, (v) => `/v1/invoices/${v.id}`))) },
  ...listRoute('document', 'company', '/v1'),
  { method: 'POST', pattern: '/v1/documents', auth: 'company', handler: async (call) => fromMutation(await call.ctx.service.scanDocument(companyOf(call), call.body as z.infer<typeof schemas.document>, idem(call, await call.req.body(), 201, (v) => `/v1/documents/${v.id}`))) },
  { method: 'GET', pattern: '/v1/documents/:id/content', auth: 'company', handler: async (call) => content(call) },
  ...listRoute('payment', 'company', '/v1'),
  { method: 'POST', pattern: '/v1/invoices/:id/payments', auth: 'company', handler: async (call) => fromMutation(await call.ctx.service.registerPayment(companyOf(call), 'customer', { ...(call.body as z.infer<typeof schemas.payment>), invoiceId: call.params['id'] ?? '', identity: `invoicing:${call.caller.kind === 'company' ? call.caller.companyId : ''}:${call.req.header('idempotency-key') ?? ''}` }, idem(call, await call.req.body(), 201, (v) => `/v1/payments/${v.id}`))) },
  ...listRoute('note', 'company', '/v1'),
  { method: 'POST', pattern: '/v1/notes', auth: 'company', handler: async (call) => fromMutation(await call.ctx.service.addNote(companyOf(call), 'customer', call.body as z.infer<typeof schemas.note>, idem(call, await call.req.body(), 201, (v) => `/v1/notes/${v.id}`))) },
  { method: 'POST', pattern: '/v1/notes/:id/read', auth: 'company', handler: async (call) => fromMutation(await call.ctx.service.markNoteRead(companyOf(call), call.params['id'] ?? '', idem(call, await call.req.body(), 200))) },

  // ── the bureau's API (bureau key, own collaborations only) ──
  {
    method: 'GET', pattern: '/v1/collaborations', auth: 'any',
    handler: async (call) => json(200, { items: call.caller.kind === 'bureau' ? call.ctx.service.collaborationsOfBureau(call.caller.bureauId) : call.ctx.service.collaborationsOfCompany(call.caller.companyId) }),
  },
  {
    method: 'GET', pattern: C, auth: 'bureau',
    handler: async (call) => {
      const companyId = companyOf(call);
      const collaboration = call.ctx.service.collaborations.find((c) => c.id === call.params['collaborationId']);
      const company = call.ctx.service.companies.find((c) => c.id === companyId);
      return json(200, { ...collaboration, company: { name: company?.name, organisationNumber: company?.organisationNumber }, nextInvoiceNumber: call.ctx.service.settings(companyId).nextInvoiceNumber, headCursor: call.ctx.service.headCursor(companyId) });
    },
  },
  {
    method: 'GET', pattern: `${C}/changes`, auth: 'bureau',
    handler: async (call) => {
      const result = call.ctx.service.changes(companyOf(call), call.req.query.get('after') ?? undefined, intParam(call.req, 'limit', DEFAULT_PAGE_SIZE));
      return result.ok ? json(200, result.value) : problem(result.code, result.message, result.details ?? {});
    },
  },
  ...(['customer', 'article', 'invoice', 'document', 'note', 'payment'] as const).flatMap((e) => listRoute(e, 'bureau', C)),
  { method: 'POST', pattern: `${C}/payments`, auth: 'bureau', handler: async (call) => fromMutation(await call.ctx.service.registerPayment(companyOf(call), 'bureau', call.body as z.infer<typeof schemas.bureauPayment>, idem(call, await call.req.body(), 201, (v) => `${C.replace(':collaborationId', call.params['collaborationId'] ?? '')}/payments/${v.id}`))) },
  { method: 'GET', pattern: `${C}/documents/:id/content`, auth: 'bureau', handler: async (call) => content(call) },
  { method: 'PUT', pattern: `${C}/documents/:id/status`, auth: 'bureau', handler: async (call) => fromMutation(await call.ctx.service.setDocumentStatus(companyOf(call), call.params['id'] ?? '', ifMatch(call.req), call.body as z.infer<typeof schemas.documentStatus>)) },
  { method: 'POST', pattern: `${C}/notes`, auth: 'bureau', handler: async (call) => fromMutation(await call.ctx.service.addNote(companyOf(call), 'bureau', call.body as z.infer<typeof schemas.note>, idem(call, await call.req.body(), 201, (v) => `${C.replace(':collaborationId', call.params['collaborationId'] ?? '')}/notes/${v.id}`))) },

  // ── test helper: a ready company + bureau + collaboration with their keys ──
  {
    method: 'POST', pattern: '/setup/collaborations', auth: 'none',
    handler: async (call) => {
      const result = await call.ctx.service.createCollaboration(call.body as z.infer<typeof schemas.setupCollaboration>);
      if (!result.ok) return problem(result.code, result.message);
      const { company, bureau, collaboration } = result.value;
      return json(201, { collaborationId: collaboration.id, companyId: company.id, companyApiKey: company.apiKey, bureauId: bureau.id, bureauApiKey: bureau.apiKey, paymentsRegisteredBy: collaboration.paymentsRegisteredBy });
    },
  },
];

/** The JSON body schema of each mutating route. */
const BODY_SCHEMAS: Record<string, z.ZodType> = {
  'PUT /v1/settings': schemas.settings,
  'POST /v1/customers': schemas.customer,
  'PUT /v1/customers/:id': schemas.customer,
  'POST /v1/articles': schemas.article,
  'PUT /v1/articles/:id': schemas.article,
  'POST /v1/invoices': schemas.invoice,
  'POST /v1/invoices/:id/credit': schemas.credit,
  'POST /v1/documents': schemas.document,
  'POST /v1/notes': schemas.note,
  'POST /v1/invoices/:id/payments': schemas.payment,
  [`POST ${C}/payments`]: schemas.bureauPayment,
  [`PUT ${C}/documents/:id/status`]: schemas.documentStatus,
  [`POST ${C}/notes`]: schemas.note,
  'POST /setup/collaborations': schemas.setupCollaboration,
};

export function bodySchema(route: Route): z.ZodType | undefined {
  return route.body ?? BODY_SCHEMAS[`${route.method} ${route.pattern}`];
}

async function content(call: Call): Promise<ApiResponse> {
  const found = call.ctx.service.documentContent(companyOf(call), call.params['id'] ?? '');
  return found ? { status: 200, headers: { 'content-type': found.contentType }, body: found.bytes } : problem('DOCUMENT_NOT_FOUND', `no document ${call.params['id']}`);
}

function bearer(req: ApiRequest): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
  return m?.[1];
}

function match(pattern: string, path: string): Params | undefined {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i] ?? '';
    const seg = s[i] ?? '';
    if (part.startsWith(':')) {
      if (seg === '') return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(seg);
      } catch {
        return undefined;
      }
    } else if (part !== seg) return undefined;
  }
  return params;
}

export async function handle(req: ApiRequest, ctx: RouteContext): Promise<ApiResponse> {
  const path = req.path.length > 1 && req.path.endsWith('/') ? req.path.slice(0, -1) : req.path;
  const all = [...routes, ...(ctx.extraRoutes ?? [])];
  let methodMismatch = false;
  for (const route of all) {
    const params = match(route.pattern, path);
    if (!params) continue;
    if (route.method !== req.method) {
      methodMismatch = true;
      continue;
    }
    try {
      return await dispatch(route, params, req, ctx);
    } catch (error) {
      if (error instanceof RouteProblem) return error.response;
      throw error;
    }
  }
  return methodMismatch ? problem('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}`) : problem('NOT_FOUND', `no endpoint ${req.method} ${path}`);
}

async function dispatch(route: Route, params: Params, req: ApiRequest, ctx: RouteContext): Promise<ApiResponse> {
  let caller: Caller = { kind: 'company', companyId: '', key: '' };
  if (route.auth !== 'none') {
    const key = bearer(req);
    const who = ctx.service.authenticate(key);
    if (!who || !key) return problem('UNAUTHORIZED', 'send Authorization: Bearer <API key> (printed by sandbank invoicing start)');
    if (route.auth !== 'any' && who.kind !== route.auth) return problem('FORBIDDEN', route.auth === 'bureau' ? "this endpoint takes a bureau's key" : "this endpoint takes the company's own key; a bureau reads and writes through /v1/collaborations/{id}/…");
    const limit = ctx.rateLimiter.take(key);
    if (!limit.ok) return problem('RATE_LIMITED', `rate limit of this key exceeded: retry after ${limit.retryAfterSeconds} s`, { retryAfterSeconds: limit.retryAfterSeconds }, { 'retry-after': String(limit.retryAfterSeconds) });
    caller = who.kind === 'company' ? { ...who, key } : { ...who, key };
    const refused = ctx.guard?.({ caller, method: req.method, pattern: route.pattern, params }, ctx.service);
    if (refused) return refused;
  }
  if (req.method === 'POST' && route.pattern !== '/setup/collaborations' && !route.pattern.startsWith('/setup/') && (req.header('idempotency-key') ?? '').trim() === '') {
    return problem('IDEMPOTENCY_KEY_REQUIRED', 'send an Idempotency-Key header (any unique string) with every POST; a retry with the same key returns the first answer');
  }
  let body: unknown;
  const schema = bodySchema(route);
  if (schema) {
    const type = req.header('content-type') ?? '';
    if (type !== '' && !type.includes('json')) return problem('UNSUPPORTED_MEDIA_TYPE', `expected application/json, got ${type}`);
    const text = Buffer.from(await req.body()).toString('utf8');
    let value: unknown;
    try {
      value = text.trim() === '' ? {} : JSON.parse(text);
    } catch (error) {
      return problem('INVALID_JSON', error instanceof Error ? error.message : 'invalid JSON');
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const errors = fieldProblems(parsed.error, value);
      return problem('INVALID_REQUEST', problemDetail(errors), { errors });
    }
    body = parsed.data;
  }
  return route.handler({ req, params, ctx, caller, body });
}
