/**
 * ONE route table for the bank API and the test-helper API. The node:http server and the msw
 * handlers both call `handle`, so the in-process bank and the real server cannot drift.
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isBankId, type BankId } from '../banks/index.ts';
import { addDays, dayNumber } from '../engine/calendar.ts';
import type { Engine } from '../engine/bank.ts';
import type { EngineResult } from '../engine/errors.ts';
import type { FaultRule, Payment, PaymentFile, PaymentStatus, ReportMeta, SandboxCore } from '../engine/model.ts';
import { internalError, problem } from './problem.ts';
import { BodyTooLarge, RequestAborted, type ApiRequest, type ApiResponse } from './types.ts';
import { exportSandbox, importSandbox } from './sandbox-transfer.ts';
import { MAX_ADVANCE_DAYS, query, schemas, withinClockRange } from './schemas.ts';
import type { WebhookPolicy } from './webhook-policy.ts';
import { fieldProblems, problemDetail } from '../../formats/zod-issues.ts';

/** What the operator decides for the whole server (`sandbank start` flags), never a request. */
export interface ServerPolicy {
  /** How many sandboxes the server holds at most. */
  maxSandboxes: number;
  webhooks?: WebhookPolicy;
}

export const DEFAULT_MAX_SANDBOXES = 1000;

export interface RouteContext {
  engine: Engine;
  /** Called after a response that left queued work (validation), to run it soon. */
  schedule: (sandboxId: string) => void;
  /** Applies latency faults (the real server sleeps; msw too). */
  sleep: (ms: number) => Promise<void>;
  /** Extra routes plugged in from outside the simulator (the contracts' provider states). */
  extraRoutes?: Route[];
  /** The server's operator key: creating sandboxes needs it when set; `GET /sandboxes` with it lists every sandbox. */
  operatorKey?: string;
  policy?: ServerPolicy;
  /**
   * Lower body limits for single sandboxes (test-only provider states): they only ever
   * tighten the server's limit, and only for requests authenticated as that sandbox.
   */
  sandboxBodyLimits?: Map<string, number>;
  /** Where causes of internal errors are written (default: stderr). */
  log?: (line: string) => void;
  /** Signs exports; imports must carry a signature made with it (`--export-key`). */
  exportKey?: string;
}

type Params = Record<string, string>;
type Handler = (req: ApiRequest, params: Params, ctx: RouteContext, sandbox: SandboxCore | undefined) => Promise<ApiResponse>;

export interface Route {
  method: string;
  pattern: string;
  /** 'sandbox-key': the API key must belong to the sandbox / bank named in the path. */
  auth: 'none' | 'sandbox-key';
  handler: Handler;
}

const renderedFiles = new WeakMap<PaymentFile, { version: number; full?: string; summary?: string }>();
const json200 = (body: string): ApiResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body });

const json = (status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
});

function fromEngine<T>(result: EngineResult<T>, render: (value: T) => ApiResponse): ApiResponse {
  return result.ok ? render(result.value) : problem(result.code, result.message, result.details ?? {});
}

async function readJson<T>(req: ApiRequest, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; response: ApiResponse }> {
  const type = req.header('content-type') ?? '';
  if (type !== '' && !type.includes('json')) return { ok: false, response: problem('UNSUPPORTED_MEDIA_TYPE', `expected application/json, got ${type}`) };
  const text = Buffer.from(await req.body()).toString('utf8');
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    return { ok: false, response: problem('INVALID_JSON', error instanceof Error ? error.message : 'invalid JSON') };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const errors = fieldProblems(parsed.error, value);
    return { ok: false, response: problem('INVALID_REQUEST', problemDetail(errors), { errors }) };
  }
  return { ok: true, value: parsed.data };
}

// ── views ──────────────────────────────────────────────────────────────────────────────────

export function sandboxView(core: SandboxCore, withSecrets: boolean) {
  return {
    sandboxId: core.id,
    bank: core.bank,
    seed: core.seed,
    now: core.now,
    createdAt: core.createdAt,
    openedAt: core.openedAt ?? null,
    default: core.isDefault === true,
    ...(withSecrets ? { apiKey: core.apiKey } : {}),
    company: core.company,
    accounts: core.accounts.map(accountView),
    internetBankUsers: core.users.map((u) => ({ userId: u.id, name: u.name, role: u.role, ...(withSecrets ? { password: u.password, totpSecret: u.totpSecret } : {}) })),
    signingModes: core.signingModes,
    webhook: core.webhook ? { url: core.webhook.url, ...(withSecrets ? { secret: core.webhook.secret } : {}) } : null,
  };
}

function accountView(a: SandboxCore['accounts'][number]) {
  return { accountId: a.id, name: a.name, iban: a.iban, bban: `${a.clearing}-${a.accountNumber}`, clearing: a.clearing, accountNumber: a.accountNumber, currency: a.currency, primary: a.primary };
}

export function paymentView(p: Payment) {
  return {
    paymentId: p.id,
    fileId: p.fileId,
    paymentInformationId: p.paymentInformationId,
    endToEndId: p.endToEndId,
    ...(p.instructionId === undefined ? {} : { instructionId: p.instructionId }),
    amountOre: p.amountOre,
    currency: p.currency,
    debtorAccountId: p.debtorAccountId,
    creditor: p.creditor,
    reference: p.reference ?? null,
    requestedExecutionDate: p.requestedExecutionDate || null,
    executionDate: p.executionDate ?? null,
    status: p.status,
    reasons: p.reasons,
    retries: p.retries,
    executedAt: p.executedAt ?? null,
    cancellation: p.cancellation ?? null,
    history: p.history,
  };
}

export function fileView(f: PaymentFile) {
  return {
    fileId: f.id,
    format: f.format,
    messageId: f.messageId,
    status: f.status,
    receivedAt: f.receivedAt,
    sizeBytes: f.sizeBytes,
    sha256: f.sha256,
    numberOfTransactions: f.numberOfTransactions,
    controlSumOre: f.controlSumOre,
    reasons: f.reasons,
    issues: f.issues,
    signature: f.signature ?? null,
    payments: f.payments.map(paymentView),
  };
}

function reportView(r: ReportMeta) {
  return { reportId: r.id, sequence: r.sequence, type: r.type, message: r.message, createdAt: r.createdAt, contentType: r.contentType, sizeBytes: r.sizeBytes, fileId: r.fileId ?? null, accountId: r.accountId ?? null };
}

function faultView(f: FaultRule) {
  return { faultId: f.id, match: f.match, action: f.action, hits: f.hits };
}

const REPORT_TYPES: readonly ReportMeta['type'][] = ['pain.002', 'camt.052', 'camt.053', 'camt.054', 'camt.029', 'bgmax'];

const PAYMENT_STATUSES: Record<string, PaymentStatus> = {
  received: 'RECEIVED', awaiting_signature: 'AWAITING_SIGNATURE', scheduled: 'SCHEDULED', executed: 'EXECUTED', rejected: 'REJECTED', cancelled: 'CANCELLED',
};

// ── the table ──────────────────────────────────────────────────────────────────────────────

export const routes: Route[] = [
  { method: 'POST', pattern: '/sandboxes', auth: 'none', handler: async (req, _p, ctx) => {
    await ctx.engine.refreshCatalogue();
    const refusal = creationRefusal(req, ctx);
    if (refusal) return refusal;
    const body = await readJson(req, schemas.createSandbox);
    if (!body.ok) return body.response;
    const input = body.value;
    const refused = input.webhook === undefined ? undefined : webhookRefusal(ctx, input.webhook.url);
    if (refused) return refused;
    const created = await ctx.engine.createSandbox({
      bank: input.bank,
      ...(input.seed === undefined ? {} : { seed: input.seed }),
      ...(input.start === undefined ? {} : { start: input.start }),
      ...(input.companyName === undefined ? {} : { companyName: input.companyName }),
      ...(input.openingBalancesOre === undefined ? {} : { openingBalancesOre: input.openingBalancesOre }),
      ...(input.signingModes === undefined ? {} : { signingModes: input.signingModes }),
      ...(input.webhook === undefined ? {} : { webhook: input.webhook.secret === undefined ? { url: input.webhook.url } : { url: input.webhook.url, secret: input.webhook.secret } }),
    });
    return fromEngine(created, (core) => json(201, sandboxView(core, true), { location: `/sandboxes/${core.id}` }));
  } },
  { method: 'GET', pattern: '/sandboxes', auth: 'none', handler: async (req, _p, ctx) => {
    await freshen(req, {}, ctx);
    return listSandboxes(req, ctx);
  } },
  { method: 'POST', pattern: '/sandboxes/import', auth: 'none', handler: async (req, _p, ctx) => importSandbox(req, ctx) },
  { method: 'GET', pattern: '/sandboxes/:sandboxId/export', auth: 'sandbox-key', handler: async (_req, p, ctx) => exportSandbox(p['sandboxId'] ?? '', ctx) },
  { method: 'GET', pattern: '/sandboxes/:sandboxId', auth: 'sandbox-key', handler: async (_req, _p, _ctx, sandbox) => json(200, sandboxView(sandbox as SandboxCore, true)) },
  { method: 'DELETE', pattern: '/sandboxes/:sandboxId', auth: 'sandbox-key', handler: async (_req, p, ctx) => fromEngine(await ctx.engine.deleteSandbox(p['sandboxId'] ?? ''), () => ({ status: 204, headers: {}, body: '' })) },
  { method: 'POST', pattern: '/sandboxes/:sandboxId/clock/advance', auth: 'sandbox-key', handler: async (req, p, ctx, sandbox) => {
    const body = await readJson(req, schemas.advanceClock);
    if (!body.ok) return body.response;
    const now = (sandbox as SandboxCore).now;
    const target: { days: number } | { to: string } = 'days' in body.value ? { days: body.value.days } : { to: body.value.to };
    const targetDate = 'days' in target ? addDays(now.slice(0, 10), target.days) : target.to.slice(0, 10);
    if (dayNumber(targetDate) - dayNumber(now.slice(0, 10)) > MAX_ADVANCE_DAYS) return problem('INVALID_REQUEST', `one call moves the clock at most ${MAX_ADVANCE_DAYS} days; advance in steps`, { maxDays: MAX_ADVANCE_DAYS });
    if (!withinClockRange(targetDate)) return problem('INVALID_REQUEST', `the sandbox clock stays within the years ${schemas.clockYears}`);
    return fromEngine(await ctx.engine.advanceClock(p['sandboxId'] ?? '', target), (core) => json(200, { sandboxId: core.id, now: core.now }));
  } },
  { method: 'GET', pattern: '/sandboxes/:sandboxId/faults', auth: 'sandbox-key', handler: async (_req, _p, _ctx, sandbox) => json(200, { rules: (sandbox as SandboxCore).faults.map(faultView) }) },
  { method: 'PUT', pattern: '/sandboxes/:sandboxId/faults', auth: 'sandbox-key', handler: async (req, p, ctx) => {
    const body = await readJson(req, schemas.faults);
    if (!body.ok) return body.response;
    return fromEngine(await ctx.engine.setFaults(p['sandboxId'] ?? '', body.value.rules), (rules) => json(200, { rules: rules.map(faultView) }));
  } },
  { method: 'POST', pattern: '/sandboxes/:sandboxId/incoming-payments', auth: 'sandbox-key', handler: async (req, p, ctx) => {
    const body = await readJson(req, schemas.incomingPayment);
    if (!body.ok) return body.response;
    const v = body.value;
    const result = await ctx.engine.incomingPayment(p['sandboxId'] ?? '', {
      amountOre: v.amountOre, reference: v.reference,
      ...(v.payerName === undefined ? {} : { payerName: v.payerName }),
      ...(v.payerBankgiro === undefined ? {} : { payerBankgiro: v.payerBankgiro }),
      ...(v.accountId === undefined ? {} : { accountId: v.accountId }),
      ...(v.extraReferences === undefined ? {} : { extraReferences: v.extraReferences }),
      ...(v.deductionCode === undefined ? {} : { deductionCode: v.deductionCode }),
      ...(v.information === undefined ? {} : { information: v.information }),
      ...(v.payerExtraName === undefined ? {} : { payerExtraName: v.payerExtraName }),
      ...(v.payerAddress === undefined ? {} : { payerAddress: v.payerAddress }),
      ...(v.payerOrganisationNumber === undefined ? {} : { payerOrganisationNumber: v.payerOrganisationNumber }),
    });
    return fromEngine(result, (incoming) => json(201, { incomingPaymentId: incoming.id, ...incoming }));
  } },
  { method: 'PUT', pattern: '/sandboxes/:sandboxId/webhook', auth: 'sandbox-key', handler: async (req, p, ctx) => {
    const body = await readJson(req, schemas.webhook);
    if (!body.ok) return body.response;
    const refused = webhookRefusal(ctx, body.value.url);
    if (refused) return refused;
    const hook = body.value.secret === undefined ? { url: body.value.url } : { url: body.value.url, secret: body.value.secret };
    return fromEngine(await ctx.engine.setWebhook(p['sandboxId'] ?? '', hook), (core) => json(200, { url: core.webhook?.url, secret: core.webhook?.secret }));
  } },
  { method: 'DELETE', pattern: '/sandboxes/:sandboxId/webhook', auth: 'sandbox-key', handler: async (_req, p, ctx) => fromEngine(await ctx.engine.setWebhook(p['sandboxId'] ?? '', undefined), () => ({ status: 204, headers: {}, body: '' })) },
  { method: 'GET', pattern: '/sandboxes/:sandboxId/webhook/deliveries', auth: 'sandbox-key', handler: async (_req, p, ctx) => json(200, { deliveries: await ctx.engine.deliveries(p['sandboxId'] ?? '') }) },
  { method: 'GET', pattern: '/sandboxes/:sandboxId/events', auth: 'sandbox-key', handler: async (req, p, ctx) => {
    const after = query.sequence(req.query.get('after'), 'after');
    if (!after.ok) return after.response;
    await ctx.engine.settle(p['sandboxId'] ?? '');
    return json(200, { events: await ctx.engine.events(p['sandboxId'] ?? '', after.value) });
  } },

  // ── bank API ──
  { method: 'POST', pattern: '/v1/:bank/payment-files', auth: 'sandbox-key', handler: async (req, _p, ctx, sandbox) => {
    const core = sandbox as SandboxCore;
    const type = (req.header('content-type') ?? '').toLowerCase();
    if (type !== '' && !/xml|text\/plain|octet-stream/.test(type)) return problem('UNSUPPORTED_MEDIA_TYPE', `send a payment file as application/xml (pain.001), text/plain (an LB file) or application/octet-stream (either); got ${type}`);
    const key = req.header('idempotency-key');
    // Streamed where the adapter can: the upload is stored and parsed as it arrives.
    const body = req.stream ? req.stream() : await req.body();
    const result = await ctx.engine.submitFile(core.id, body, key === undefined ? {} : { idempotencyKey: key });
    if (!result.ok) return problem(result.code, result.message, result.details ?? {});
    const { fileId, status, idempotencyHit } = result.value;
    if (!idempotencyHit) ctx.schedule(core.id);
    return json(202, { fileId, status }, { location: `/v1/${core.bank}/payment-files/${fileId}`, ...(idempotencyHit ? { 'idempotency-hit': 'true' } : {}) });
  } },
  { method: 'GET', pattern: '/v1/:bank/payment-files', auth: 'sandbox-key', handler: async (_req, _p, ctx, sandbox) =>
    fromEngine(await ctx.engine.listFiles((sandbox as SandboxCore).id), (files) => json(200, { files: files.map((f) => ({ fileId: f.id, format: f.format, messageId: f.messageId, status: f.status, receivedAt: f.receivedAt, numberOfTransactions: f.numberOfTransactions, controlSumOre: f.controlSumOre })) })) },
  { method: 'GET', pattern: '/v1/:bank/payment-files/:fileId', auth: 'sandbox-key', handler: async (req, p, ctx, sandbox) => {
    const id = (sandbox as SandboxCore).id;
    const result = await ctx.engine.getFile(id, p['fileId'] ?? '');
    if (!result.ok) return problem(result.code, result.message, result.details ?? {});
    // ?payments=false: the file's status without its payments (polling a 10,000-payment file).
    const payments = req.query.get('payments');
    if (payments !== null && payments !== 'true' && payments !== 'false') return problem('INVALID_REQUEST', 'payments must be true or false');
    const withPayments = payments !== 'false';
    // Status polling is the hottest read: the rendered JSON is reused until the sandbox changes.
    const version = ctx.engine.version(id);
    const cached = renderedFiles.get(result.value);
    const hit = withPayments ? cached?.full : cached?.summary;
    if (cached?.version === version && hit !== undefined) return json200(hit);
    const view = fileView(result.value);
    const body = JSON.stringify(withPayments ? view : { ...view, payments: undefined });
    const entry = cached?.version === version ? cached : { version };
    if (withPayments) entry.full = body;
    else entry.summary = body;
    renderedFiles.set(result.value, entry);
    return json200(body);
  } },
  { method: 'POST', pattern: '/v1/:bank/payment-files/:fileId/signatures', auth: 'sandbox-key', handler: async (req, p, ctx, sandbox) => {
    const body = await readJson(req, schemas.signature);
    if (!body.ok) return body.response;
    const result = await ctx.engine.signFile((sandbox as SandboxCore).id, p['fileId'] ?? '', { channel: 'in-app', signedBy: body.value.signedBy, role: body.value.role });
    return fromEngine(result, (file) => json(201, { fileId: file.id, status: file.status, signature: file.signature }));
  } },
  { method: 'GET', pattern: '/v1/:bank/accounts', auth: 'sandbox-key', handler: async (_req, _p, _ctx, sandbox) => json(200, { accounts: (sandbox as SandboxCore).accounts.map(accountView) }) },
  { method: 'GET', pattern: '/v1/:bank/accounts/:accountId/balances', auth: 'sandbox-key', handler: async (_req, p, ctx, sandbox) =>
    fromEngine(await ctx.engine.balances((sandbox as SandboxCore).id, p['accountId'] ?? ''), (b) => json(200, b)) },
  { method: 'GET', pattern: '/v1/:bank/accounts/:accountId/entries', auth: 'sandbox-key', handler: async (req, p, ctx, sandbox) => {
    const from = query.date(req.query.get('from'), 'from');
    if (!from.ok) return from.response;
    return fromEngine(await ctx.engine.entries((sandbox as SandboxCore).id, p['accountId'] ?? '', from.value), (entries) => json(200, { entries }));
  } },
  { method: 'GET', pattern: '/v1/:bank/accounts/:accountId/intraday-report', auth: 'sandbox-key', handler: async (_req, p, ctx, sandbox) =>
    fromEngine(await ctx.engine.intradayReport((sandbox as SandboxCore).id, p['accountId'] ?? ''), (xml) => ({ status: 200, headers: { 'content-type': 'application/xml' }, body: xml })) },
  { method: 'GET', pattern: '/v1/:bank/payments', auth: 'sandbox-key', handler: async (req, _p, ctx, sandbox) => {
    const filter = req.query.get('status');
    const status = filter === null ? undefined : PAYMENT_STATUSES[filter.toLowerCase()];
    if (filter !== null && status === undefined) return problem('INVALID_REQUEST', `status must be one of ${Object.keys(PAYMENT_STATUSES).join(', ')}`);
    return fromEngine(await ctx.engine.listPayments((sandbox as SandboxCore).id, status), (payments) => json(200, { payments: payments.map(paymentView) }));
  } },
  { method: 'GET', pattern: '/v1/:bank/payments/:paymentId', auth: 'sandbox-key', handler: async (_req, p, ctx, sandbox) =>
    fromEngine(await ctx.engine.getPayment((sandbox as SandboxCore).id, p['paymentId'] ?? ''), (payment) => json(200, paymentView(payment))) },
  { method: 'POST', pattern: '/v1/:bank/payments/:paymentId/cancellation-requests', auth: 'sandbox-key', handler: async (req, p, ctx, sandbox) => {
    const body = await readJson(req, schemas.cancellation);
    if (!body.ok) return body.response;
    const id = (sandbox as SandboxCore).id;
    const result = await ctx.engine.requestCancellation(id, [p['paymentId'] ?? ''], 'api');
    if (result.ok) ctx.schedule(id);
    return fromEngine(result, ([payment]) => json(202, { paymentId: payment?.id, cancellation: payment?.cancellation }));
  } },
  { method: 'POST', pattern: '/v1/:bank/cancellation-requests', auth: 'sandbox-key', handler: async (req, _p, ctx, sandbox) => {
    const id = (sandbox as SandboxCore).id;
    const result = await ctx.engine.submitCancellationDocument(id, await req.body());
    if (result.ok) ctx.schedule(id);
    return fromEngine(result, (value) => json(202, { assignmentId: value.assignmentId, payments: value.payments.map((x) => ({ paymentId: x.id, endToEndId: x.endToEndId, cancellation: x.cancellation })) }));
  } },
  { method: 'GET', pattern: '/v1/:bank/reports', auth: 'sandbox-key', handler: async (req, _p, ctx, sandbox) => {
    const typeParam = req.query.get('type');
    const type = REPORT_TYPES.find((t) => t === typeParam);
    if (typeParam !== null && type === undefined) return problem('INVALID_REQUEST', `type must be one of ${REPORT_TYPES.join(', ')}`);
    const after = req.query.get('after');
    if (after !== null && !/^rpt_\d{1,12}$/.test(after)) return problem('INVALID_REQUEST', 'after must be a report id (rpt_…) from an earlier page');
    const limit = query.integer(req.query.get('limit'), 'limit', 1, 1000);
    if (!limit.ok) return limit.response;
    const options = { ...(after ? { after } : {}), ...(type ? { type } : {}), limit: limit.value ?? 500 };
    return fromEngine(await ctx.engine.listReports((sandbox as SandboxCore).id, options), (reports) => json(200, { reports: reports.map(reportView), nextCursor: reports.at(-1)?.id ?? req.query.get('after') ?? null }));
  } },
  { method: 'GET', pattern: '/v1/:bank/reports/:reportId', auth: 'sandbox-key', handler: async (_req, p, ctx, sandbox) =>
    fromEngine(await ctx.engine.getReport((sandbox as SandboxCore).id, p['reportId'] ?? ''), ({ meta, body }) => ({
      status: 200,
      headers: { 'content-type': meta.contentType, 'x-report-type': meta.type, 'x-report-message': meta.message },
      body: meta.type === 'bgmax' ? new Uint8Array(Buffer.from(body, 'latin1')) : body,
    })) },
];

// ── matching and dispatch ──────────────────────────────────────────────────────────────────

interface CompiledRoute extends Route {
  segments: string[];
  /** Literal segments by position (params excluded): checked before any params are built. */
  literals: [number, string][];
  /** The route as fault rules name it (`/v1/{bank}/payment-files/{fileId}`). */
  endpoint: string;
}

/**
 * Compiled tables, keyed by the extra-routes array a context holds (the same array on every
 * request of a server), so a server that mounts extra routes compiles its table once, not on
 * every request.
 */
const compiledCache = new WeakMap<Route[], CompiledRoute[]>();
const NO_EXTRA: Route[] = [];

function compileRoute(r: Route): CompiledRoute {
  const segments = r.pattern.split('/').slice(1);
  const literals: [number, string][] = [];
  segments.forEach((segment, i) => {
    if (!segment.startsWith(':')) literals.push([i, segment]);
  });
  return { ...r, segments, literals, endpoint: r.pattern.replace(':bank', '{bank}').replace(/:(\w+)/g, '{$1}') };
}

export function compiledTable(extra: Route[] | undefined): CompiledRoute[] {
  const key = extra ?? NO_EXTRA;
  let compiled = compiledCache.get(key);
  if (!compiled) {
    compiled = [...routes, ...key].map(compileRoute);
    compiledCache.set(key, compiled);
  }
  return compiled;
}

function match(route: CompiledRoute, parts: string[]): Params | undefined {
  const segments = route.segments;
  if (segments.length !== parts.length) return undefined;
  for (const [i, literal] of route.literals) if (parts[i] !== literal) return undefined;
  const params: Params = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = segments[i] as string;
    if (segment.charCodeAt(0) === 58 /* : */) params[segment.slice(1)] = decodePathSegment(parts[i] as string);
  }
  return params;
}

class MalformedPath extends Error {}

function decodePathSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new MalformedPath(part);
  }
}

function sameSecret(given: string | undefined, expected: string): boolean {
  return given !== undefined && sameKey(given, expected);
}

/** Creating a sandbox (or importing one): the operator key when the server has one, and the quota. */
export function creationRefusal(req: ApiRequest, ctx: RouteContext): ApiResponse | undefined {
  const operatorKey = ctx.operatorKey;
  if (operatorKey !== undefined && operatorKey !== '' && !sameSecret(bearer(req), operatorKey)) {
    return problem('OPERATOR_KEY_REQUIRED', 'this server creates sandboxes only for its operator: send Authorization: Bearer <operator key>', {}, { 'www-authenticate': 'Bearer realm="sandbank operator"' });
  }
  const max = ctx.policy?.maxSandboxes ?? DEFAULT_MAX_SANDBOXES;
  if (ctx.engine.sandboxIds().length >= max) return problem('SANDBOX_QUOTA_EXCEEDED', `this server holds at most ${max} sandboxes: delete one you no longer need`, { maxSandboxes: max });
  return undefined;
}

export function webhookRefusal(ctx: RouteContext, url: string): ApiResponse | undefined {
  const checked = ctx.policy?.webhooks?.checkUrl(url);
  if (checked === undefined || checked.ok) return undefined;
  return problem('WEBHOOK_URL_REFUSED', `webhook URL refused: ${checked.reason}`);
}

/** Applies a sandbox's own (lower) body limit to a request authenticated as it. */
function limitedTo(req: ApiRequest, limit: number | undefined): ApiRequest {
  if (limit === undefined) return req;
  return {
    ...req,
    body: async () => {
      if (Number(req.header('content-length') ?? 0) > limit) throw new BodyTooLarge(limit);
      const bytes = await req.body();
      if (bytes.length > limit) throw new BodyTooLarge(limit);
      return bytes;
    },
    ...(req.stream ? { stream: () => limitedStream(req, limit) } : {}),
  };
}

async function* limitedStream(req: ApiRequest, limit: number): AsyncGenerator<Uint8Array> {
  if (Number(req.header('content-length') ?? 0) > limit) throw new BodyTooLarge(limit);
  let size = 0;
  for await (const piece of req.stream?.() ?? []) {
    size += piece.length;
    // Past the limit the rest is still read (up to the server's limit), so the 413 reaches the client.
    if (size <= limit) yield piece;
  }
  if (size > limit) throw new BodyTooLarge(limit);
}

function bearer(req: ApiRequest): string | undefined {
  const auth = req.header('authorization');
  if (!auth) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(auth);
  return m?.[1];
}

/**
 * Before the synchronous checks below: the sandbox a request names, or whose key it carries,
 * as stored now — created, changed or deleted by another server on the same store (decision 0012).
 */
async function freshen(req: ApiRequest, params: Params, ctx: RouteContext): Promise<void> {
  if (!ctx.engine.shared) return;
  const key = bearer(req);
  if (key === undefined) return;
  if (ctx.operatorKey !== undefined && ctx.operatorKey !== '' && sameKey(key, ctx.operatorKey)) {
    await ctx.engine.refreshCatalogue();
    const named = params['sandboxId'];
    if (named !== undefined) await ctx.engine.refresh(named);
    return;
  }
  await ctx.engine.sandboxForKeyFresh(key);
}

const unauthorized = (detail: string) => problem('UNAUTHORIZED', detail, {}, { 'www-authenticate': 'Bearer realm="sandbank"' });

function authorize(req: ApiRequest, params: Params, ctx: RouteContext): { ok: true; sandbox: SandboxCore } | { ok: false; response: ApiResponse } {
  const key = bearer(req);
  if (!key) return { ok: false, response: unauthorized('send the sandbox API key as Authorization: Bearer <apiKey>') };
  // The operator key opens any sandbox named in the path (housekeeping: show, delete, the console).
  const named = params['sandboxId'];
  if (named !== undefined && ctx.operatorKey !== undefined && ctx.operatorKey !== '' && sameKey(key, ctx.operatorKey)) {
    const held = ctx.engine.sandbox(named);
    return held ? { ok: true, sandbox: held } : { ok: false, response: problem('SANDBOX_NOT_FOUND', `no sandbox ${named}`) };
  }
  const sandbox = ctx.engine.sandboxForKey(key);
  if (!sandbox) return { ok: false, response: unauthorized('unknown API key') };
  const bank = params['bank'];
  if (bank !== undefined) {
    if (!isBankId(bank)) return { ok: false, response: problem('UNKNOWN_BANK', `unknown bank "${bank}": swedbank or sparbanken`) };
    if (bank !== sandbox.bank) return { ok: false, response: problem('BANK_MISMATCH', `this API key belongs to a ${sandbox.bank} sandbox, not ${bank as BankId}`) };
  }
  // Another tenant's sandbox id answers 404, exactly as a missing one: nothing leaks.
  const sandboxId = params['sandboxId'];
  if (sandboxId !== undefined && sandboxId !== sandbox.id) return { ok: false, response: problem('SANDBOX_NOT_FOUND', `no sandbox ${sandboxId}`) };
  return { ok: true, sandbox };
}

/** The operator key lists every sandbox; a sandbox key lists its own (no secrets in a list). */
function listSandboxes(req: ApiRequest, ctx: RouteContext): ApiResponse {
  const key = bearer(req);
  if (!key) return unauthorized('send a sandbox API key or the operator key as Authorization: Bearer <key>');
  const operator = ctx.operatorKey !== undefined && ctx.operatorKey !== '' && sameKey(key, ctx.operatorKey);
  const own = operator ? undefined : ctx.engine.sandboxForKey(key);
  if (!operator && !own) return unauthorized('unknown API key');
  const cores = operator ? ctx.engine.sandboxIds().flatMap((id) => ctx.engine.sandbox(id) ?? []) : [own as SandboxCore];
  return json(200, { sandboxes: cores.map((core) => sandboxView(core, false)) });
}

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A problem about a sandbox's resource names, in `instance`, the console page where that
 * resource can be seen (the file, the payment, the report — the sandbox when it does not exist).
 */
function withConsoleInstance(response: ApiResponse, params: Params, sandbox: SandboxCore): ApiResponse {
  if (!response.headers['content-type']?.startsWith('application/problem+json') || typeof response.body !== 'string') return response;
  let problemDoc: Record<string, unknown>;
  try {
    problemDoc = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    return response;
  }
  if (problemDoc['instance'] !== undefined) return response;
  const base = `/console/sandboxes/${encodeURIComponent(sandbox.id)}`;
  const missing = typeof problemDoc['code'] === 'string' && problemDoc['code'].endsWith('_NOT_FOUND');
  const fileId = params['fileId'] ?? (typeof problemDoc['fileId'] === 'string' ? problemDoc['fileId'] : undefined);
  const instance = missing ? base
    : params['paymentId'] !== undefined ? `${base}/payments/${encodeURIComponent(params['paymentId'])}`
    : params['reportId'] !== undefined ? `${base}/reports/${encodeURIComponent(params['reportId'])}`
    : fileId !== undefined ? `${base}/files/${encodeURIComponent(fileId)}`
    : base;
  return { ...response, body: JSON.stringify({ ...problemDoc, instance }) };
}

export async function handle(req: ApiRequest, ctx: RouteContext): Promise<ApiResponse> {
  try {
    return await dispatch(req, ctx);
  } catch (error) {
    if (error instanceof MalformedPath) return problem('MALFORMED_PATH', 'the path holds a malformed percent-encoding');
    if (error instanceof RequestAborted) return problem('MALFORMED_REQUEST', error.message);
    if (error instanceof BodyTooLarge) return problem('PAYLOAD_TOO_LARGE', `the body exceeds the limit of ${error.limitBytes} bytes`, { limitBytes: error.limitBytes });
    return internalError(error, ctx.log);
  }
}

async function dispatch(req: ApiRequest, ctx: RouteContext): Promise<ApiResponse> {
  const table = compiledTable(ctx.extraRoutes);
  const parts = req.path.split('/').slice(1);
  let allowed: string[] = [];
  for (const route of table) {
    const params = match(route, parts);
    if (!params) continue;
    if (route.method !== req.method) {
      allowed.push(route.method);
      continue;
    }
    try {
      let sandbox: SandboxCore | undefined;
      if (route.auth === 'sandbox-key') {
        await freshen(req, params, ctx);
        const auth = authorize(req, params, ctx);
        if (!auth.ok) return auth.response;
        sandbox = auth.sandbox;
        const fault = await ctx.engine.takeHttpFault(sandbox.id, { endpoint: route.endpoint, method: req.method });
        if (fault?.type === 'latency') await ctx.sleep(fault.ms);
        if (fault?.type === 'http-error') {
          return problem('SERVICE_UNAVAILABLE', `injected fault: HTTP ${fault.status}`, { injected: true }, { 'retry-after': '1' }, fault.status);
        }
      }
      const response = await route.handler(limitedTo(req, sandbox === undefined ? undefined : ctx.sandboxBodyLimits?.get(sandbox.id)), params, ctx, sandbox);
      return sandbox ? withConsoleInstance(response, params, sandbox) : response;
    } catch (error) {
      if (error instanceof BodyTooLarge) return problem('PAYLOAD_TOO_LARGE', `the body exceeds the limit of ${error.limitBytes} bytes`, { limitBytes: error.limitBytes });
      throw error;
    }
  }
  allowed = [...new Set(allowed)];
  if (allowed.length > 0) return problem('METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${allowed.join(', ')}`, {}, { allow: allowed.join(', ') });
  return problem('NOT_FOUND', `no endpoint ${req.method} ${req.path}`);
}
