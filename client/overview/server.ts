/**
 * The overview over HTTP (express 5): the bureau's API under /api/v1 (Bearer upload token,
 * RFC 9457 problems) and the customers' pages (session cookie, CSRF token in every form, the
 * service's own error page). One error handler ends every failure; no stack trace leaves.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { FormatIssue } from '../../formats/issues.ts';
import { amountCell, statementCsv } from './csv.ts';
import type { FiscalYear } from './fiscal-year.ts';
import { MAX_SIE_BYTES, linesSummary } from './sie-import.ts';
import type { OverviewErrorCode, OverviewService } from './service.ts';
import { balanceSheet, incomeStatement, monthlyFigures, periodLabel, yearLabel } from './statements.ts';
import { errorPage, loginPage, overviewPage } from './views.ts';

export type OverviewProblemCode = OverviewErrorCode | 'UNAUTHORIZED' | 'SIE_TOO_LARGE' | 'NOT_FOUND' | 'INVALID_JSON' | 'INTERNAL_ERROR';

const PROBLEMS: Record<OverviewProblemCode, { status: number; title: string }> = {
  UNAUTHORIZED: { status: 401, title: 'Missing or invalid upload token' },
  COMPANY_NOT_FOUND: { status: 404, title: 'Company not found' },
  COMPANY_EXISTS: { status: 409, title: 'Company exists' },
  COMPANY_NOT_IDENTIFIED: { status: 422, title: 'The file does not identify one of your companies' },
  COMPANY_MISMATCH: { status: 409, title: 'The file belongs to another company' },
  USERNAME_TAKEN: { status: 409, title: 'User name taken' },
  SIE_INVALID: { status: 422, title: 'SIE file refused' },
  SIE_TOO_LARGE: { status: 413, title: 'SIE file too large' },
  INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  INVALID_JSON: { status: 400, title: 'Request body is not valid JSON' },
  NOT_FOUND: { status: 404, title: 'No such endpoint' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
};

function sendProblem(res: Response, code: OverviewProblemCode, detail: string, extra: Record<string, unknown> = {}): void {
  const { status, title } = PROBLEMS[code];
  res.status(status).type('application/problem+json').send(JSON.stringify({ ...extra, type: `/docs/overview#problem-${code}`, title, status, detail, code }));
}

function issuesJson(issues: readonly FormatIssue[]): { line?: number; code: string; message: string }[] {
  return issues.map((i) => ({ ...(i.line === undefined ? {} : { line: i.line }), code: i.code, message: i.message }));
}

interface Session {
  id: string;
  csrf: string;
  username: string;
  name: string;
  companyId: string;
  expiresAtMs: number;
}

export interface OverviewAppOptions {
  service: OverviewService;
  /** Milliseconds since the epoch, for session expiry. */
  nowMs: () => number;
  sessionMs?: number;
  log?: (message: string) => void;
}

const SESSION_COOKIE = 'ov_session';
const LOGIN_CSRF_COOKIE = 'ov_login_csrf';

function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

function setCookie(res: Response, name: string, value: string, maxAgeSeconds: number): void {
  res.append('Set-Cookie', `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`);
}

function sameToken(a: unknown, b: string | undefined): boolean {
  return typeof a === 'string' && b !== undefined && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function bearer(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

export function createOverviewApp(options: OverviewAppOptions): express.Express {
  const { service } = options;
  const sessionMs = options.sessionMs ?? 30 * 60_000;
  const sessions = new Map<string, Session>();
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'");
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });

  // ---- the bureau's API -------------------------------------------------------------------
  const api = express.Router();
  api.use(async (req, res, next) => {
    const token = bearer(req);
    const bureau = token ? await service.bureauForToken(token) : undefined;
    if (!bureau) return void sendProblem(res, 'UNAUTHORIZED', 'send the bureau\'s upload token as "Authorization: Bearer <token>"');
    res.locals['bureauId'] = bureau.id;
    next();
  });
  const sieBody = express.raw({ type: () => true, limit: MAX_SIE_BYTES });
  const upload = async (req: Request, res: Response, companyId: string | undefined) => {
    const body: unknown = req.body;
    const bytes = Buffer.isBuffer(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : new Uint8Array();
    if (bytes.byteLength === 0) return void sendProblem(res, 'INVALID_REQUEST', 'the request body must be the SIE file\'s bytes');
    const outcome = await service.upload(String(res.locals['bureauId']), companyId, bytes);
    if (outcome.ok) return void res.status(200).json(outcome.value);
    const issues = outcome.issues ?? [];
    const where = linesSummary(issues);
    const first = issues.slice(0, 3).map((i) => `${i.line === undefined ? '' : `line ${i.line}: `}${i.message}`).join('; ');
    return void sendProblem(res, outcome.code, outcome.code === 'SIE_INVALID' ? `${outcome.message}: ${issues.length} problem${issues.length === 1 ? '' : 's'}${where ? ` on ${where}` : ''} — ${first}` : outcome.message, issues.length > 0 ? { issues: issuesJson(issues) } : {});
  };
  api.post('/companies/:companyId/sie', sieBody, (req, res) => upload(req, res, String(req.params['companyId'])));
  api.post('/sie', sieBody, (req, res) => upload(req, res, undefined));
  api.get('/companies', async (_req, res) => {
    const companies = await service.companiesOf(String(res.locals['bureauId']));
    res.json({ companies: await Promise.all(companies.map(async (c) => ({ ...c, years: (await service.years(c.id)).map((y) => ({ start: y.start, end: y.end, sieType: y.sieType })) }))) });
  });
  api.post('/companies', express.json({ limit: '16kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body['name'] !== 'string' || body['name'].trim() === '') return void sendProblem(res, 'INVALID_REQUEST', 'give the company\'s "name"');
    if (body['id'] !== undefined && (typeof body['id'] !== 'string' || !/^[a-z0-9-]{1,60}$/.test(body['id']))) return void sendProblem(res, 'INVALID_REQUEST', '"id" is 1–60 lower-case letters, digits and -');
    const org = body['organisationNumber'];
    if (org !== undefined && (typeof org !== 'string' || !/^(\d{2})?\d{6}-?\d{4}$/.test(org.trim()))) return void sendProblem(res, 'INVALID_REQUEST', '"organisationNumber" is a Swedish organisation number, NNNNNN-NNNN (the #ORGNR of the company\'s SIE files)');
    const outcome = await service.createCompany(String(res.locals['bureauId']), {
      name: body['name'],
      ...(typeof org === 'string' ? { organisationNumber: org.trim() } : {}),
      ...(typeof body['id'] === 'string' ? { id: body['id'] } : {}),
    });
    if (!outcome.ok) return void sendProblem(res, outcome.code, outcome.message);
    res.status(201).json(outcome.value);
  });
  api.get('/companies/:companyId/users', async (req, res) => {
    const users = await service.usersOf(String(res.locals['bureauId']), String(req.params['companyId']));
    if (!users) return void sendProblem(res, 'COMPANY_NOT_FOUND', `no company "${String(req.params['companyId'])}" among this bureau's customers`);
    res.json({ users });
  });
  api.post('/companies/:companyId/users', express.json({ limit: '16kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { username, name, password } = body;
    if (typeof username !== 'string' || !/^[A-Za-z0-9._@-]{3,60}$/.test(username) || typeof password !== 'string' || password.length < 8) {
      return void sendProblem(res, 'INVALID_REQUEST', 'give "username" (3–60 letters, digits, . _ @ -) and "password" (at least 8 characters)');
    }
    const outcome = await service.addUser(String(res.locals['bureauId']), String(req.params['companyId']), { username, name: typeof name === 'string' ? name : username, password });
    if (!outcome.ok) return void sendProblem(res, outcome.code, outcome.message);
    res.status(201).json({ username: outcome.value.username, name: outcome.value.name, companyId: outcome.value.companyId });
  });
  app.use('/api/v1', api);
  app.use('/api', (_req, res) => sendProblem(res, 'NOT_FOUND', 'no such endpoint in the overview API'));

  // ---- the customers' pages ---------------------------------------------------------------
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const sessionOf = (req: Request): Session | undefined => {
    const id = cookies(req)[SESSION_COOKIE];
    const session = id ? sessions.get(id) : undefined;
    if (!session) return undefined;
    if (session.expiresAtMs <= options.nowMs()) {
      sessions.delete(session.id);
      return undefined;
    }
    session.expiresAtMs = options.nowMs() + sessionMs;
    return session;
  };
  const showLogin = (res: Response, status: number, message?: string) => {
    const csrf = randomBytes(18).toString('base64url');
    setCookie(res, LOGIN_CSRF_COOKIE, csrf, 600);
    res.status(status).type('html').send(loginPage(csrf, message));
  };

  // For scripts and load balancers waiting for the service (no session, nothing about the data).
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/', (_req, res) => res.redirect(303, '/overview'));
  app.get('/login', (req, res) => (sessionOf(req) ? res.redirect(303, '/overview') : showLogin(res, 200)));
  app.post('/login', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!sameToken(body['_csrf'], cookies(req)[LOGIN_CSRF_COOKIE])) return void showLogin(res, 403, 'Sidan hade gått ut. Försök igen.');
    const user = await service.login(String(body['username'] ?? ''), String(body['password'] ?? ''));
    if (!user) return void showLogin(res, 401, 'Fel användarnamn eller lösenord.');
    const session: Session = { id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url'), username: user.username, name: user.name, companyId: user.companyId, expiresAtMs: options.nowMs() + sessionMs };
    sessions.set(session.id, session);
    setCookie(res, SESSION_COOKIE, session.id, Math.floor(sessionMs / 1000));
    res.redirect(303, '/overview');
  });
  app.post('/logout', form, (req, res) => {
    const session = sessionOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (session && sameToken(body['_csrf'], session.csrf)) sessions.delete(session.id);
    else if (session) return void res.status(403).type('html').send(errorPage(403, 'Ogiltig begäran', 'Säkerhetstoken saknas eller stämmer inte. Ladda om sidan och försök igen.'));
    res.redirect(303, '/login');
  });

  /** The signed-in user's company, year and month from the query — or the error page. */
  const selection = async (req: Request, res: Response): Promise<{ session: Session; companyName: string; years: FiscalYear[]; year: FiscalYear | undefined; period: string | undefined } | undefined> => {
    const session = sessionOf(req);
    if (!session) {
      res.redirect(303, '/login');
      return undefined;
    }
    const company = await service.company(session.companyId);
    const years = await service.years(session.companyId);
    const wantedYear = typeof req.query['year'] === 'string' ? req.query['year'] : undefined;
    const year = wantedYear === undefined ? years[0] : years.find((y) => y.start === wantedYear);
    if (wantedYear !== undefined && !year) {
      res.status(404).type('html').send(errorPage(404, 'Räkenskapsåret finns inte', `Det finns inget uppladdat räkenskapsår som börjar ${wantedYear}.`));
      return undefined;
    }
    const wantedMonth = typeof req.query['month'] === 'string' ? req.query['month'] : undefined;
    let period: string | undefined;
    if (year?.months) {
      if (wantedMonth !== undefined) {
        if (!year.months.some((m) => m.period === wantedMonth)) {
          res.status(404).type('html').send(errorPage(404, 'Månaden finns inte', `Månaden ${wantedMonth} ingår inte i räkenskapsåret ${yearLabel(year)}.`));
          return undefined;
        }
        period = wantedMonth;
      } else {
        // The latest month with any bookings; a year without any opens on its first month.
        period = [...year.months].reverse().find((m) => Object.values(m.changesOre).some((v) => v !== 0))?.period ?? year.months[0]?.period;
      }
    }
    return { session, companyName: company?.name ?? session.companyId, years, year, period };
  };

  app.get('/overview', async (req, res) => {
    const s = await selection(req, res);
    if (!s) return;
    res.type('html').send(overviewPage({ companyName: s.companyName, userName: s.session.name, csrf: s.session.csrf, years: s.years, year: s.year, period: s.period }));
  });
  const csv = (kind: 'income-statement' | 'balance-sheet') => async (req: Request, res: Response) => {
    const s = await selection(req, res);
    if (!s) return;
    if (!s.year) return void res.status(404).type('html').send(errorPage(404, 'Ingen bokföring', 'Byrån har inte laddat upp någon bokföring ännu.'));
    const statement = kind === 'income-statement' ? incomeStatement(s.year, s.period) : balanceSheet(s.year, s.period);
    const title = kind === 'income-statement' ? 'Resultaträkning' : 'Balansräkning';
    const body = statementCsv(statement, [[title, s.companyName], ['Räkenskapsår', yearLabel(s.year)]]);
    res.set('Content-Disposition', `attachment; filename="${kind}-${s.year.start.slice(0, 4)}${s.period ? `-${periodLabel(s.period)}` : ''}.csv"`);
    res.type('text/csv; charset=utf-8').send(body);
  };
  app.get('/overview/income-statement.csv', csv('income-statement'));
  app.get('/overview/balance-sheet.csv', csv('balance-sheet'));
  app.get('/overview/monthly.csv', async (req, res) => {
    const s = await selection(req, res);
    if (!s?.year) return void (s && res.status(404).type('html').send(errorPage(404, 'Ingen bokföring', 'Byrån har inte laddat upp någon bokföring ännu.')));
    const rows = ['Månad;Intäkter;Kostnader;Resultat;Bank och kassa', ...monthlyFigures(s.year).map((f) => [periodLabel(f.period), amountCell(f.revenueOre), amountCell(f.costsOre), amountCell(f.resultOre), amountCell(f.bankOre)].join(';'))];
    res.set('Content-Disposition', `attachment; filename="monthly-${s.year.start.slice(0, 4)}.csv"`);
    res.type('text/csv; charset=utf-8').send(`\uFEFF${rows.join('\r\n')}\r\n`);
  });

  app.use((_req, res) => res.status(404).type('html').send(errorPage(404, 'Sidan finns inte', 'Adressen finns inte i redovisningsöversikten.')));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
    const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : '';
    const isApi = req.path.startsWith('/api/');
    if (status >= 500) log(`overview: ${req.method} ${req.path} failed: ${error instanceof Error ? error.message : String(error)}`);
    if (isApi) {
      if (type === 'entity.too.large') return void sendProblem(res, 'SIE_TOO_LARGE', `the upload limit is ${MAX_SIE_BYTES} bytes (10 MiB); split the export per fiscal year`, { limitBytes: MAX_SIE_BYTES });
      if (type === 'entity.parse.failed') return void sendProblem(res, 'INVALID_JSON', 'the request body is not valid JSON');
      if (status < 500) return void sendProblem(res, 'INVALID_REQUEST', 'the request could not be read');
      return void sendProblem(res, 'INTERNAL_ERROR', 'the overview failed to handle the request; nothing was changed');
    }
    if (status < 500) return void res.status(status).type('html').send(errorPage(status, 'Ogiltig begäran', 'Begäran kunde inte läsas.'));
    res.status(500).type('html').send(errorPage(500, 'Något gick fel', 'Översikten kunde inte visa sidan. Försök igen om en stund.'));
  });
  return app;
}

export interface RunningOverview {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listenOverview(app: express.Express, port = 0, host = '127.0.0.1'): Promise<RunningOverview> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        url: `http://${host}:${bound}`,
        port: bound,
        close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
      });
    });
  });
}
