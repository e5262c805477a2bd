/**
 * The sandbox console at /console: log in with a sandbox's API key (that sandbox) or the
 * operator key (every sandbox); see sandboxes, each payment file's timeline, the reports
 * mailbox, events and webhook deliveries; move the clock, add incoming payments, set fault
 * rules. Reads and controls are the engine's public calls — the same the test-helper API
 * makes — so what the console does is what a test would do.
 */
import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { parseUserAmountToOre } from '../../formats/money.ts';
import type { Engine } from '../engine/bank.ts';
import type { StorePort } from '../engine/store-port.ts';
import type { SandboxCore } from '../engine/model.ts';
import { writeExportFile } from '../export/export-file.ts';
import { schemas } from '../http/schemas.ts';
import { isStoreUnavailable } from '../store/store-unavailable.ts';
import { dateTarget, nextBankDayStart, nextCutoff } from './clock-targets.ts';
import { filePage } from './file-page.ts';
import { tr, type Lang } from './i18n.ts';
import { CONSOLE_BASE, errorPage, sandboxPath, type ConsoleContext } from './layout.ts';
import { eventMatches, eventsPage, webhooksPage } from './log-pages.ts';
import { REPORT_TYPES, reportPage, reportsPage } from './mailbox-pages.ts';
import { loginPage, sandboxesPage, sandboxPage, type SandboxSummary } from './sandbox-pages.ts';
import { MemoryConsoleSessions, mayView, sameSecret, StoredConsoleSessions, type ConsoleSession, type ConsoleSessions, type SessionOptions } from './sessions.ts';
import { buildTimeline } from './timeline.ts';
import { fieldProblems, problemDetail } from '../../formats/zod-issues.ts';

export interface ConsoleOptions extends SessionOptions {
  /** The server's operator key (`sandbank start --operator-key`): logs in to every sandbox. */
  operatorKey?: string;
  /** Signs the exports the console downloads, as `GET /sandboxes/{id}/export` does. */
  exportKey?: string;
  /** Where a failure is logged (never shown: pages say what went wrong, not how). */
  log?: (message: string) => void;
}

const SESSION_COOKIE = 'sbc_session';
const LOGIN_CSRF_COOKIE = 'sbc_login_csrf';
const LANG_COOKIE = 'sbc_lang';

function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      try {
        out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        // a malformed cookie is no cookie
      }
    }
  }
  return out;
}

function setCookie(res: Response, name: string, value: string, maxAgeSeconds?: number): void {
  const attributes = [`${name}=${encodeURIComponent(value)}`, `Path=${CONSOLE_BASE}`, 'HttpOnly', 'SameSite=Strict'];
  // Secure whenever the console was served over https (directly, or behind a trusted proxy).
  if (res.req.secure) attributes.push('Secure');
  if (maxAgeSeconds !== undefined) attributes.push(`Max-Age=${maxAgeSeconds}`);
  res.append('Set-Cookie', attributes.join('; '));
}

const query = (req: Request, name: string): string | undefined => {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** An expected refusal shown on the console's own error page. */
class PageError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function consoleRouter(engine: Engine, options: ConsoleOptions & { store?: StorePort } = {}): express.Router {
  // Several servers on one store: the sessions live in it, so a login works through any of them.
  const sessions: ConsoleSessions = options.store?.shared ? new StoredConsoleSessions(options.store, options) : new MemoryConsoleSessions(options);
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));
  if (engine.shared) {
    // Sandboxes another server created, changed or deleted are seen before a page is made (decision 0012).
    router.use((_req, _res, next) => void engine.refreshCatalogue().then(() => next(), next));
    router.param('sandboxId', (_req, _res, next, id: unknown) => void engine.refresh(String(id)).then(() => next(), next));
  }
  router.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:", 'Referrer-Policy': 'same-origin', 'X-Content-Type-Options': 'nosniff' });
    next();
  });

  const sessionOf = async (req: Request): Promise<ConsoleSession | undefined> => {
    const session = await sessions.get(cookies(req)[SESSION_COOKIE]);
    // A sandbox key's session ends with its sandbox.
    if (session?.scope.kind === 'sandbox' && !engine.sandbox(session.scope.sandboxId)) {
      await sessions.end(session.id);
      return undefined;
    }
    const lang = req.query['lang'];
    if (session && (lang === 'en' || lang === 'sv')) await sessions.setLang(session, lang);
    return session;
  };
  const langOf = (req: Request, session?: ConsoleSession): Lang => {
    const q = req.query['lang'];
    if (q === 'en' || q === 'sv') {
      if (session) session.lang = q;
      return q;
    }
    return session?.lang ?? (cookies(req)[LANG_COOKIE] === 'en' ? 'en' : 'sv');
  };
  const context = (req: Request, session: ConsoleSession | undefined, sandbox?: SandboxCore): ConsoleContext => ({
    lang: langOf(req, session), path: `${req.baseUrl}${req.path}`,
    ...(session ? { csrf: session.csrf, scope: session.scope } : {}), ...(sandbox ? { sandbox } : {}),
    ...(typeof req.query['done'] === 'string' ? { message: { kind: 'info' as const, text: req.query['done'] } } : {}),
    ...(typeof req.query['failed'] === 'string' ? { message: { kind: 'error' as const, text: req.query['failed'] } } : {}),
  });

  type Handler = (req: Request, res: Response, session: ConsoleSession) => Promise<void>;
  /** A logged-in page; POSTs also need the session's CSRF token. */
  const authed = (handler: Handler) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      const session = await sessionOf(req);
      if (!session) return void res.redirect(303, `${CONSOLE_BASE}/`);
      if (req.method === 'POST' && !sameSecret((req.body as Record<string, unknown> | undefined)?.['_csrf'], session.csrf)) {
        throw new PageError(403, tr(langOf(req, session), 'Ogiltig eller saknad säkerhetstoken (CSRF). Ladda om sidan och försök igen.', 'Invalid or missing security token (CSRF). Reload the page and try again.'));
      }
      await handler(req, res, session);
    } catch (error) {
      next(error);
    }
  };
  /** The sandbox named in the path, if this session may see it; else the same 404 as a missing one. */
  const sandboxFor = (req: Request, session: ConsoleSession): SandboxCore => {
    const id = String(req.params['sandboxId'] ?? '');
    const core = engine.sandbox(id);
    if (!core || !mayView(session.scope, id)) throw new PageError(404, tr(langOf(req, session), `Ingen sandlåda ${id}.`, `No sandbox ${id}.`));
    return core;
  };
  const summary = async (core: SandboxCore): Promise<SandboxSummary> => {
    const balances = [];
    for (const a of core.accounts) {
      const b = await engine.balances(core.id, a.id);
      if (b.ok) balances.push(b.value);
    }
    return { core, balances };
  };
  const html = (res: Response, page: string, status = 200) => void res.status(status).type('html').send(page);

  router.get('/', async (req, res) => {
    const session = await sessionOf(req);
    if (session) return void res.redirect(303, session.scope.kind === 'sandbox' ? sandboxPath(session.scope.sandboxId) : `${CONSOLE_BASE}/sandboxes`);
    const csrf = randomBytes(18).toString('base64url');
    setCookie(res, LOGIN_CSRF_COOKIE, csrf, 600);
    const lang = langOf(req);
    if (req.query['lang']) setCookie(res, LANG_COOKIE, lang, 365 * 86400);
    html(res, loginPage(context(req, undefined), csrf, options.operatorKey !== undefined));
  });

  router.post('/login', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const lang = langOf(req);
    if (!sameSecret(body['_csrf'], cookies(req)[LOGIN_CSRF_COOKIE])) {
      return html(res, errorPage({ lang }, 403, tr(lang, 'Ogiltig säkerhetstoken (CSRF). Ladda om inloggningssidan.', 'Invalid security token (CSRF). Reload the log-in page.')), 403);
    }
    const key = typeof body['key'] === 'string' ? body['key'].trim() : '';
    const sandbox = key === '' ? undefined : await engine.sandboxForKeyFresh(key);
    const operator = sameSecret(key, options.operatorKey);
    if (!sandbox && !operator) {
      const csrf = randomBytes(18).toString('base64url');
      setCookie(res, LOGIN_CSRF_COOKIE, csrf, 600);
      return html(res, loginPage({ lang, message: { kind: 'error', text: tr(lang, 'Okänd nyckel.', 'Unknown key.') } }, csrf, options.operatorKey !== undefined), 401);
    }
    await sessions.end(cookies(req)[SESSION_COOKIE]);
    const session = await sessions.create(operator ? { kind: 'operator' } : { kind: 'sandbox', sandboxId: (sandbox as SandboxCore).id }, lang);
    setCookie(res, SESSION_COOKIE, session.id);
    setCookie(res, LOGIN_CSRF_COOKIE, '', 0);
    res.redirect(303, operator ? `${CONSOLE_BASE}/sandboxes` : sandboxPath((sandbox as SandboxCore).id));
  });

  router.post('/logout', authed(async (_req, res, session) => {
    await sessions.end(session.id);
    setCookie(res, SESSION_COOKIE, '', 0);
    res.redirect(303, `${CONSOLE_BASE}/`);
  }));

  router.get('/sandboxes', authed(async (req, res, session) => {
    const ids = session.scope.kind === 'operator' ? engine.sandboxIds() : [session.scope.sandboxId];
    const list: SandboxSummary[] = [];
    for (const id of ids) {
      const core = engine.sandbox(id);
      if (core) list.push(await summary(core));
    }
    html(res, sandboxesPage(context(req, session), list));
  }));

  router.get('/sandboxes/:sandboxId', authed(async (req, res, session) => {
    const core = sandboxFor(req, session);
    const files = await engine.listFiles(core.id);
    html(res, sandboxPage(context(req, session, core), await summary(core), files.ok ? files.value : []));
  }));

  router.get('/sandboxes/:sandboxId/files/:fileId', authed(async (req, res, session) => {
    const core = sandboxFor(req, session);
    const lang = langOf(req, session);
    const file = await engine.getFile(core.id, String(req.params['fileId']));
    if (!file.ok) throw new PageError(404, tr(lang, `Ingen betalningsfil ${String(req.params['fileId'])} i sandlådan.`, `No payment file ${String(req.params['fileId'])} in this sandbox.`));
    const reports = await engine.listReports(core.id, { limit: Number.MAX_SAFE_INTEGER });
    const timeline = buildTimeline({
      file: file.value, reports: reports.ok ? reports.value : [], events: await engine.events(core.id), deliveries: await engine.deliveries(core.id), now: core.now, cutoffTime: engine.profile(core.bank).cutoffTime,
    });
    html(res, filePage(context(req, session, core), file.value, timeline, { showWebhookSteps: req.query['webhooks'] === '1' }));
  }));

  router.get('/sandboxes/:sandboxId/payments/:paymentId', authed(async (req, res, session) => {
    const core = sandboxFor(req, session);
    const payment = await engine.getPayment(core.id, String(req.params['paymentId']));
    if (!payment.ok) throw new PageError(404, tr(langOf(req, session), `Ingen betalning ${String(req.params['paymentId'])} i sandlådan.`, `No payment ${String(req.params['paymentId'])} in this sandbox.`));
    res.redirect(303, `${sandboxPath(core.id)}/files/${encodeURIComponent(payment.value.fileId)}#${encodeURIComponent(payment.value.id)}`);
  }));

  router.get('/sandboxes/:sandboxId/reports', authed(async (req, res, session) => {
    const core = sandboxFor(req, session);
    const typeParam = query(req, 'type');
    const type = REPORT_TYPES.find((t) => t === typeParam);
    const fileId = query(req, 'fileId');
    const reports = await engine.listReports(core.id, { limit: Number.MAX_SAFE_INTEGER, ...(type ? { type } : {}) });
    const list = (reports.ok ? reports.value : []).filter((r) => fileId === undefined || r.fileId === fileId);
    html(res, reportsPage(context(req, session, core), list, { ...(type ? { type } : {}), ...(fileId ? { fileId } : {}) }));
  }));

  const report = async (req: Request, session: ConsoleSession) => {
    const core = sandboxFor(req, session);
    const found = await engine.getReport(core.id, String(req.params['reportId']));
    if (!found.ok) throw new PageError(404, tr(langOf(req, session), `Ingen rapport ${String(req.params['reportId'])} i sandlådans brevlåda.`, `No report ${String(req.params['reportId'])} in this sandbox's mailbox.`));
    return { core, ...found.value };
  };
  router.get('/sandboxes/:sandboxId/reports/:reportId', authed(async (req, res, session) => {
    const { core, meta, body } = await report(req, session);
    html(res, reportPage(context(req, session, core), meta, body));
  }));
  router.get('/sandboxes/:sandboxId/reports/:reportId/raw', authed(async (req, res, session) => {
    const { meta, body } = await report(req, session);
    const extension = meta.type === 'bgmax' ? 'txt' : 'xml';
    res.status(200).set({ 'Content-Type': meta.contentType, 'Content-Disposition': `attachment; filename="${meta.id}-${meta.type}.${extension}"` })
      .send(meta.type === 'bgmax' ? Buffer.from(body, 'latin1') : Buffer.from(body, 'utf8'));
  }));

  router.get('/sandboxes/:sandboxId/export', authed(async (req, res, session) => {
    const core = sandboxFor(req, session);
    const snapshot = await engine.exportSandbox(core.id);
    if (!snapshot.ok) throw new PageError(404, snapshot.message);
    res.status(200).set({ 'Content-Type': 'application/json', 'Content-Disposition': `attachment; filename="${core.id}-${core.now.slice(0, 10)}.sandbank.json"` })
      .send(writeExportFile(snapshot.value, options.exportKey === undefined ? {} : { exportKey: options.exportKey }));
  }));

  router.get('/sandboxes/:sandboxId/events', authed(async (req, res, session) => {
    const core = sandboxFor(req, session);
    await engine.settle(core.id);
    const filter = { ...(query(req, 'type') ? { type: query(req, 'type') as string } : {}), ...(query(req, 'ref') ? { ref: query(req, 'ref') as string } : {}) };
    const all = await engine.events(core.id);
    html(res, eventsPage(context(req, session, core), all.filter((e) => eventMatches(e, filter)), filter, all.length));
  }));

  router.get('/sandboxes/:sandboxId/webhooks', authed(async (req, res, session) => {
    const core = sandboxFor(req, session);
    const events = new Map((await engine.events(core.id)).map((e) => [e.id, e]));
    const all = (await engine.deliveries(core.id)).map((delivery) => ({ delivery, event: events.get(delivery.eventId) }));
    const state = query(req, 'state');
    const type = query(req, 'type');
    const rows = all.filter((r) => (state === undefined || r.delivery.state === state) && (type === undefined || r.event?.type === type));
    html(res, webhooksPage(context(req, session, core), rows, { ...(state ? { state } : {}), ...(type ? { type } : {}) }, all.length));
  }));

  /** After a control, back to the page it came from with what happened. */
  const back = (res: Response, core: SandboxCore, outcome: { done: string } | { failed: string }) => {
    const [key, text] = 'done' in outcome ? ['done', outcome.done] : ['failed', outcome.failed];
    res.redirect(303, `${sandboxPath(core.id)}?${key}=${encodeURIComponent(text)}`);
  };

  router.post('/sandboxes/:sandboxId/clock', authed(async (req, res, session) => {
    const core = sandboxFor(req, session);
    const lang = langOf(req, session);
    const body = req.body as Record<string, unknown>;
    const cutoff = engine.profile(core.bank).cutoffTime;
    const to = body['to'] === 'next-cutoff' ? nextCutoff(core.now, cutoff) : body['to'] === 'next-bank-day' ? nextBankDayStart(core.now) : dateTarget(core.now, String(body['date'] ?? ''));
    if (to === undefined) return back(res, core, { failed: tr(lang, 'Ange ett datum som ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DD TT:MM.', 'Give a date as YYYY-MM-DD or YYYY-MM-DD HH:MM.') });
    const result = await engine.advanceClock(core.id, { to });
    back(res, core, result.ok ? { done: tr(lang, `Klockan är nu ${result.value.now.replace('T', ' ')}.`, `The clock is now ${result.value.now.replace('T', ' ')}.`) } : { failed: result.message });
  }));

  router.post('/sandboxes/:sandboxId/incoming-payments', authed(async (req, res, session) => {
    const core = sandboxFor(req, session);
    const lang = langOf(req, session);
    const body = req.body as Record<string, unknown>;
    const amount = parseUserAmountToOre(String(body['amount'] ?? ''));
    const payerName = String(body['payerName'] ?? '').trim();
    const parsed = schemas.incomingPayment.safeParse({ amountOre: amount.ok ? amount.ore : 0, reference: String(body['reference'] ?? '').trim(), ...(payerName ? { payerName } : {}) });
    if (!amount.ok || !parsed.success) return back(res, core, { failed: tr(lang, 'Ange ett belopp över noll (t.ex. 1 250,00) och en referens på högst 25 tecken.', 'Give an amount above zero (e.g. 1 250,00) and a reference of at most 25 characters.') });
    const result = await engine.incomingPayment(core.id, parsed.data);
    back(res, core, result.ok ? { done: tr(lang, `Inbetalning ${result.value.id} bokförd.`, `Incoming payment ${result.value.id} booked.`) } : { failed: result.message });
  }));

  router.post('/sandboxes/:sandboxId/faults', authed(async (req, res, session) => {
    const core = sandboxFor(req, session);
    const lang = langOf(req, session);
    const body = req.body as Record<string, unknown>;
    let rules: Parameters<Engine['setFaults']>[1] = [];
    if (body['op'] !== 'clear') {
      let value: unknown;
      try {
        value = JSON.parse(String(body['rules'] ?? '').trim() || '{"rules":[]}');
      } catch {
        return back(res, core, { failed: tr(lang, 'Reglerna är inte giltig JSON.', 'The rules are not valid JSON.') });
      }
      const given = Array.isArray(value) ? { rules: value } : value;
      const parsed = schemas.faults.safeParse(given);
      if (!parsed.success) return back(res, core, { failed: problemDetail(fieldProblems(parsed.error, given)) });
      rules = parsed.data.rules;
    }
    const result = await engine.setFaults(core.id, rules);
    back(res, core, result.ok ? { done: tr(lang, `${result.value.length} felregler aktiva.`, `${result.value.length} fault rules active.`) } : { failed: result.message });
  }));

  router.use(async (req, res) => {
    const session = await sessionOf(req);
    html(res, errorPage(context(req, session), 404, tr(langOf(req, session), `Ingen sida ${req.baseUrl}${req.path}.`, `No page ${req.baseUrl}${req.path}.`)), 404);
  });
  // Expected refusals say what went wrong; anything else is logged and shown without detail.
  router.use(async (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    // The store may be what failed: the error page then shows no session.
    const session = await sessionOf(req).catch(() => undefined);
    const ctx = context(req, session);
    if (error instanceof PageError) return html(res, errorPage(ctx, error.status, error.message), error.status);
    if (isStoreUnavailable(error)) {
      (options.log ?? console.error)(`console: ${req.method} ${req.path}: store unavailable: ${error instanceof Error ? error.message : String(error)}`);
      res.set('retry-after', '1');
      return html(res, errorPage(ctx, 503, tr(ctx.lang, 'Lagringen kan inte nås just nu. Försök igen om en stund.', 'The store cannot be reached right now. Try again in a moment.')), 503);
    }
    const status = typeof (error as { status?: unknown })?.status === 'number' && (error as { status: number }).status < 500 ? (error as { status: number }).status : 500;
    if (status >= 500) (options.log ?? console.error)(`console: ${req.method} ${req.path}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    html(res, errorPage(ctx, status, status >= 500 ? tr(ctx.lang, 'Ett internt fel inträffade. Orsaken är loggad på servern.', 'An internal error occurred. The cause is logged on the server.') : tr(ctx.lang, 'Begäran kunde inte läsas.', 'The request could not be read.')), status);
  });
  return router;
}

export function mountConsole(app: express.Express, engine: Engine, options: ConsoleOptions & { store?: StorePort } = {}): void {
  app.use(CONSOLE_BASE, consoleRouter(engine, options));
}
