/**
 * The simulated internet bank at /internetbank/{bank}/: log in (password + TOTP), sign or
 * reject files awaiting signature, delete future payments, see balances. Every action is
 * the same engine call the API makes, so it produces the same reports and webhooks.
 */
import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import { stockholmDateTime } from '../../formats/stockholm.ts';
import { generateURI } from 'otplib';
import { isBankId } from '../banks/index.ts';
import type { Engine } from '../engine/bank.ts';
import type { InternetBankUser, SandboxCore } from '../engine/model.ts';
import { InternetBankAuth, type AuthOptions, type Session } from './auth.ts';
import { randomUUID } from 'node:crypto';
import { isStoreUnavailable } from '../store/store-unavailable.ts';
import { accountsPage, enrolPage, errorPage, filesPage, futurePage, layout, loginPage, totpPage, type Lang, type PageContext } from './views.ts';

const SESSION_COOKIE = 'sb_session';
const LOGIN_CSRF_COOKIE = 'sb_login_csrf';

/** Cookies as sent; a value that is not valid percent-encoding is ignored, never an error. */
function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    try {
      out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // a malformed cookie is as good as none
    }
  }
  return out;
}

/** `Secure` whenever the page was served over https (directly, or behind a trusted proxy). */
function setCookie(req: Request, res: Response, bank: string, name: string, value: string, maxAgeSeconds?: number): void {
  const attributes = [`${name}=${encodeURIComponent(value)}`, `Path=/internetbank/${bank}`, 'HttpOnly', 'SameSite=Strict'];
  if (req.secure) attributes.push('Secure');
  if (maxAgeSeconds !== undefined) attributes.push(`Max-Age=${maxAgeSeconds}`);
  res.append('Set-Cookie', attributes.join('; '));
}

const STATUS_TEXT: Record<number, [string, string]> = {
  400: ['Felaktig förfrågan.', 'Bad request.'],
  404: ['Sidan finns inte.', 'There is no such page.'],
  413: ['Formuläret är för stort.', 'The form is too large.'],
  415: ['Formuläret kunde inte läsas.', 'The form could not be read.'],
};

export function internetBankRouter(engine: Engine, options: AuthOptions = {}): express.Router {
  const auth = new InternetBankAuth(options);
  const router = express.Router({ mergeParams: true });
  router.use(express.urlencoded({ extended: false, limit: '16kb' }));
  router.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:", 'Referrer-Policy': 'same-origin' });
    next();
  });

  const bankOf = (req: Request): string | undefined => {
    const bank = String(req.params['bank'] ?? '');
    return isBankId(bank) ? bank : undefined;
  };
  const langOf = (req: Request, session?: Session): Lang => {
    const q = req.query['lang'];
    if (q === 'en' || q === 'sv') {
      if (session && session.lang !== q) {
        session.lang = q;
        void auth.save(session).catch(() => undefined);
      }
      return q;
    }
    return session?.lang ?? (cookies(req)['sb_lang'] === 'en' ? 'en' : 'sv');
  };
  /** The one user with this id; an id held in two sandboxes (data from before ids were unique) logs into neither. */
  const findUser = async (bank: string, userId: string): Promise<{ core: SandboxCore; user: InternetBankUser } | undefined> => {
    // An index the engine keeps over the cores, not a scan of every sandbox (as stored now when servers share the store).
    const core = isBankId(bank) ? await engine.sandboxForUserFresh(bank, userId) : undefined;
    const user = core?.users.find((u) => u.id === userId);
    return core && user ? { core, user } : undefined;
  };
  const contextFor = (req: Request, bank: string, session: Session, message?: PageContext['message']): PageContext => {
    const core = engine.sandbox(session.sandboxId);
    const ctx: PageContext = { bank, lang: langOf(req, session), csrf: session.csrf };
    if (core) ctx.today = core.now.slice(0, 10);
    if (session.stage === 'authenticated') ctx.user = session.userId;
    if (message) ctx.message = message;
    return ctx;
  };
  /** The request's session, with its sandbox as stored now (another server may have changed it, or created it). */
  const sessionOf = async (req: Request): Promise<Session | undefined> => {
    const session = await auth.session(cookies(req)[SESSION_COOKIE]);
    if (session && engine.shared) {
      if (!engine.sandbox(session.sandboxId)) await engine.refreshCatalogue();
      await engine.refresh(session.sandboxId);
    }
    return session;
  };
  const tr = (lang: Lang, sv: string, en: string) => (lang === 'sv' ? sv : en);

  /** Only an authenticated session with a valid CSRF token may change anything. */
  const guarded = (handler: (req: Request, res: Response, bank: string, session: Session) => Promise<void>) => async (req: Request, res: Response) => {
    const bank = bankOf(req);
    if (!bank) return void res.status(404).type('html').send(errorPage({ bank: 'sandbank', lang: langOf(req) }, 404, tr(langOf(req), 'Banken finns inte.', 'There is no such bank.')));
    const session = await sessionOf(req);
    if (req.method === 'POST' && !auth.checkCsrf(session, (req.body as Record<string, unknown> | undefined)?.['_csrf'])) {
      return void res.status(403).type('html').send(layout({ bank, lang: langOf(req, session) }, 'Forbidden', `<h1>403</h1><p class="error" role="alert">${tr(langOf(req, session), 'Ogiltig eller saknad säkerhetstoken (CSRF). Ladda om sidan och försök igen.', 'Invalid or missing security token (CSRF). Reload the page and try again.')}</p>`));
    }
    if (!session || session.stage !== 'authenticated' || session.bank !== bank) return void res.redirect(303, `/internetbank/${bank}/`);
    await handler(req, res, bank, session);
  };

  router.get('/', async (req, res) => {
    const bank = bankOf(req);
    if (!bank) return void res.status(404).type('html').send(errorPage({ bank: 'sandbank', lang: langOf(req) }, 404, tr(langOf(req), 'Banken finns inte.', 'There is no such bank.')));
    const session = await sessionOf(req);
    if (session?.stage === 'authenticated' && session.bank === bank) return void res.redirect(303, `/internetbank/${bank}/files`);
    const csrf = randomBytes(18).toString('base64url');
    setCookie(req, res, bank, LOGIN_CSRF_COOKIE, csrf, 600);
    const lang = langOf(req);
    if (req.query['lang']) setCookie(req, res, bank, 'sb_lang', lang, 365 * 86400);
    res.type('html').send(loginPage({ bank, lang }, csrf));
  });

  router.post('/login', async (req, res) => {
    const bank = bankOf(req);
    if (!bank) return void res.status(404).type('html').send(errorPage({ bank: 'sandbank', lang: langOf(req) }, 404, tr(langOf(req), 'Banken finns inte.', 'There is no such bank.')));
    const body = req.body as Record<string, string | undefined>;
    const lang = langOf(req);
    const expected = cookies(req)[LOGIN_CSRF_COOKIE];
    if (!expected || body['_csrf'] !== expected) {
      return void res.status(403).type('html').send(layout({ bank, lang }, 'Forbidden', `<h1>403</h1><p class="error" role="alert">${tr(lang, 'Ogiltig säkerhetstoken (CSRF).', 'Invalid security token (CSRF).')}</p>`));
    }
    const userId = String(body['userId'] ?? '').trim().slice(0, 64);
    const found = await findUser(bank, userId);
    const outcome = await auth.passwordAttempt(`${bank}/${userId}`, found !== undefined && typeof body['password'] === 'string' && found.user.password === body['password']);
    if (!found || outcome !== 'ok') {
      const csrf = randomBytes(18).toString('base64url');
      setCookie(req, res, bank, LOGIN_CSRF_COOKIE, csrf, 600);
      const lockedUntil = await auth.lockedUntil(`${bank}/${userId}`);
      const text = outcome === 'locked'
        ? tr(lang, `För många felaktiga försök. Användaren är låst till kl. ${stockholmDateTime(lockedUntil ?? 0).slice(11, 16)}.`, `Too many failed attempts. The user is locked until ${stockholmDateTime(lockedUntil ?? 0).slice(11, 16)} (Swedish time).`)
        : tr(lang, 'Fel användar-id eller lösenord.', 'Wrong user id or password.');
      return void res.status(outcome === 'locked' ? 423 : 401).type('html').send(loginPage({ bank, lang, message: { kind: 'error', text } }, csrf));
    }
    await auth.end(cookies(req)[SESSION_COOKIE]);
    const session = await auth.createSession({ bank, sandboxId: found.core.id, userId: found.user.id, stage: 'password', lang });
    setCookie(req, res, bank, SESSION_COOKIE, session.id);
    res.redirect(303, `/internetbank/${bank}/login/totp`);
  });

  router.get('/login/totp', async (req, res) => {
    const bank = bankOf(req);
    const session = await sessionOf(req);
    if (!bank || !session || session.bank !== bank) return void res.redirect(303, `/internetbank/${bank ?? 'swedbank'}/`);
    res.type('html').send(totpPage(contextFor(req, bank, session)));
  });

  // The key is shown only to a fully logged-in session: the password alone never reveals it.
  router.get('/enrol', guarded(async (req, res, bank, session) => {
    const user = engine.sandbox(session.sandboxId)?.users.find((u) => u.id === session.userId);
    if (!user) return void res.redirect(303, `/internetbank/${bank}/`);
    const uri = generateURI({ issuer: `sandbank ${bank}`, label: user.id, secret: user.totpSecret });
    const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, width: 220 });
    res.type('html').send(enrolPage(contextFor(req, bank, session), uri, svg, user.totpSecret));
  }));

  router.post('/login/totp', async (req, res) => {
    const bank = bankOf(req);
    const session = await sessionOf(req);
    if (!bank || !session || session.bank !== bank) return void res.redirect(303, `/internetbank/${bank ?? 'swedbank'}/`);
    const lang = langOf(req, session);
    if (!auth.checkCsrf(session, (req.body as Record<string, unknown>)['_csrf'])) return void res.status(403).type('html').send(layout({ bank, lang }, 'Forbidden', '<h1>403</h1>'));
    const user = engine.sandbox(session.sandboxId)?.users.find((u) => u.id === session.userId);
    if (!user) return void res.redirect(303, `/internetbank/${bank}/`);
    const outcome = await auth.verifyTotp(`${bank}/${user.id}`, user.totpSecret, String((req.body as Record<string, unknown>)['code'] ?? '').trim());
    if (outcome === 'ok') {
      // A new session id after login: a session fixed before login is worth nothing.
      await auth.end(session.id);
      const fresh = await auth.createSession({ bank, sandboxId: session.sandboxId, userId: session.userId, stage: 'authenticated', lang });
      setCookie(req, res, bank, SESSION_COOKIE, fresh.id);
      return void res.redirect(303, `/internetbank/${bank}/files`);
    }
    const lockedUntil = await auth.lockedUntil(`${bank}/${user.id}`);
    const text = outcome === 'locked'
      ? tr(lang, `För många felaktiga koder. Användaren är låst till kl. ${stockholmDateTime(lockedUntil ?? 0).slice(11, 16)}.`, `Too many wrong codes. The user is locked until ${stockholmDateTime(lockedUntil ?? 0).slice(11, 16)} (Swedish time).`)
      : outcome === 'replayed'
        ? tr(lang, 'Koden har redan använts. Vänta på nästa kod.', 'That code has already been used. Wait for the next code.')
        : tr(lang, 'Fel kod. Kontrollera koden i din autentiseringsapp.', 'Wrong code. Check the code in your authenticator app.');
    res.status(outcome === 'locked' ? 423 : 401).type('html').send(totpPage(contextFor(req, bank, session, { kind: 'error', text })));
  });

  router.post('/logout', guarded(async (req, res, bank, session) => {
    await auth.end(session.id);
    setCookie(req, res, bank, SESSION_COOKIE, '', 0);
    res.redirect(303, `/internetbank/${bank}/`);
    void req;
  }));

  router.get('/files', guarded(async (req, res, bank, session) => {
    const files = await engine.listFiles(session.sandboxId);
    const waiting = files.ok ? files.value.filter((f) => f.payments.some((p) => p.status === 'AWAITING_SIGNATURE')) : [];
    const message = typeof req.query['done'] === 'string' ? { kind: 'info' as const, text: String(req.query['done']) } : undefined;
    res.type('html').send(filesPage(contextFor(req, bank, session, message), waiting));
  }));

  router.post('/files/:fileId/sign', guarded(async (req, res, bank, session) => {
    const user = engine.sandbox(session.sandboxId)?.users.find((u) => u.id === session.userId);
    const result = await engine.signFile(session.sandboxId, String(req.params['fileId']), { channel: 'internet-bank', signedBy: user?.name ?? session.userId, role: user?.role ?? 'user' });
    const lang = langOf(req, session);
    const text = result.ok ? tr(lang, `Filen ${result.value.messageId} är signerad.`, `File ${result.value.messageId} is signed.`) : result.message;
    res.redirect(303, `/internetbank/${bank}/files?done=${encodeURIComponent(text)}`);
  }));

  router.post('/files/:fileId/reject', guarded(async (req, res, bank, session) => {
    const user = engine.sandbox(session.sandboxId)?.users.find((u) => u.id === session.userId);
    const result = await engine.rejectFile(session.sandboxId, String(req.params['fileId']), user?.name ?? session.userId);
    const lang = langOf(req, session);
    const text = result.ok ? tr(lang, `Filen ${result.value.messageId} är avvisad.`, `File ${result.value.messageId} is rejected.`) : result.message;
    res.redirect(303, `/internetbank/${bank}/files?done=${encodeURIComponent(text)}`);
  }));

  router.get('/future', guarded(async (req, res, bank, session) => {
    const payments = await engine.listPayments(session.sandboxId, 'SCHEDULED');
    const list = payments.ok ? payments.value.filter((p) => !p.cancellation || p.cancellation.status === 'CANCELLATION_REJECTED').sort((a, b) => (a.executionDate ?? '').localeCompare(b.executionDate ?? '')) : [];
    const message = typeof req.query['done'] === 'string' ? { kind: 'info' as const, text: String(req.query['done']) } : undefined;
    res.type('html').send(futurePage(contextFor(req, bank, session, message), list));
  }));

  router.post('/payments/:paymentId/delete', guarded(async (req, res, bank, session) => {
    const id = String(req.params['paymentId']);
    const result = await engine.requestCancellation(session.sandboxId, [id], 'internet-bank');
    await engine.settle(session.sandboxId);
    const payment = await engine.getPayment(session.sandboxId, id);
    const lang = langOf(req, session);
    const text = !result.ok ? result.message : payment.ok && payment.value.status === 'CANCELLED' ? tr(lang, 'Betalningen är borttagen.', 'The payment is deleted.') : tr(lang, 'Betalningen kunde inte tas bort: den är redan genomförd.', 'The payment could not be deleted: it is already executed.');
    res.redirect(303, `/internetbank/${bank}/future?done=${encodeURIComponent(text)}`);
  }));

  router.get('/accounts', guarded(async (req, res, bank, session) => {
    const core = engine.sandbox(session.sandboxId);
    if (!core) return void res.redirect(303, `/internetbank/${bank}/`);
    const balances = [];
    const entries = [];
    for (const account of core.accounts) {
      const b = await engine.balances(core.id, account.id);
      if (b.ok) balances.push(b.value);
      const e = await engine.entries(core.id, account.id);
      if (e.ok) entries.push(...e.value);
    }
    res.type('html').send(accountsPage(contextFor(req, bank, session), core, balances, entries));
  }));

  return router;
}

const pageLang = (req: Request): Lang => (req.query['lang'] === 'en' || cookies(req)['sb_lang'] === 'en' ? 'en' : 'sv');
const pageBank = (req: Request): string => {
  const segment = req.originalUrl.split('/')[2] ?? '';
  return isBankId(segment) ? segment : 'sandbank';
};

/** The internet bank's own 404 page, for any path under /internetbank nobody serves. */
function notFoundPage(req: Request, res: Response): void {
  const lang = pageLang(req);
  res.status(404).type('html').send(errorPage({ bank: pageBank(req), lang }, 404, tr(lang, ...(STATUS_TEXT[404] as [string, string]))));
}

/** Unreadable paths or forms, oversized forms, failures: the bank's own page; a cause is logged, never shown. */
function errorPageFor(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const lang = pageLang(req);
  const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  let text: string;
  if (isStoreUnavailable(error)) {
    const correlationId = randomUUID();
    console.error(`[sandbank] internet bank: store unavailable ${correlationId}: ${error instanceof Error ? error.message : String(error)}`);
    if (res.headersSent) return void res.end();
    const busy = tr(lang, `Banken kan inte nås just nu. Försök igen om en stund (referens ${correlationId}).`, `The bank cannot be reached right now. Try again in a moment (reference ${correlationId}).`);
    return void res.status(503).set('retry-after', '1').type('html').send(errorPage({ bank: pageBank(req), lang }, 503, busy));
  }
  if (status === 500) {
    const correlationId = randomUUID();
    console.error(`[sandbank] internet bank internal error ${correlationId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    text = tr(lang, `Ett internt fel inträffade (referens ${correlationId}).`, `An internal error occurred (reference ${correlationId}).`);
  } else text = tr(lang, ...(STATUS_TEXT[status] ?? (STATUS_TEXT[400] as [string, string])));
  if (res.headersSent) return void res.end();
  res.status(status).type('html').send(errorPage({ bank: pageBank(req), lang }, status, text));
}

const tr = (lang: Lang, sv: string, en: string) => (lang === 'sv' ? sv : en);

export function mountInternetBank(app: express.Express, engine: Engine, options: AuthOptions = {}): void {
  app.use('/internetbank/:bank', internetBankRouter(engine, options));
  app.use('/internetbank', notFoundPage, errorPageFor);
}
