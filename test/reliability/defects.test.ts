/**
 * One test per hardening defect (issue 11), each through the real interface: a server on a
 * port, real HTTP, raw sockets where node itself answers. Each failed on the code before the
 * fix (see the list; the numbers below are its numbers).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerStateRoutes } from '../../contracts/provider/routes.ts';
import { CONTRACT_API_KEY, STATES } from '../../contracts/fixtures.ts';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import type { StorePort } from '../../simulator/engine/store-port.ts';
import { InternetBankAuth } from '../../simulator/internetbank/auth.ts';
import { WebhookPolicy } from '../../simulator/http/webhook-policy.ts';
import { postWithPolicy } from '../../simulator/http/webhooks.ts';
import { MemoryStore } from '../../simulator/store/memory.ts';
import { pain001For } from '../support/payment-files.ts';
import { call, createSandbox, sender } from '../simulator/api-suite.ts';

const LEAK = /\bat [\w$.<>\[\] ]+ \(|\/work\/|node_modules|file:\/\/|\.(?:ts|js):\d+/;
const started: Simulator[] = [];
const servers: Server[] = [];
async function simulator(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const s = await startSimulator({ random: createRandom(started.length + 500), ...options });
  started.push(s);
  return s;
}
afterAll(async () => {
  for (const s of started) await s.close();
  for (const s of servers) s.close();
});

/** Logs in over HTTP as a browser would (CSRF cookie, password form); returns the cookie jar. */
async function passwordStep(url: string, bank: string, userId: string, password: string): Promise<{ status: number; cookie: string; body: string }> {
  const first = await fetch(`${url}/internetbank/${bank}/`);
  const csrf = /sb_login_csrf=([^;]+)/.exec(first.headers.getSetCookie().join('; '))?.[1] ?? '';
  const res = await fetch(`${url}/internetbank/${bank}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sb_login_csrf=${csrf}` },
    body: new URLSearchParams({ _csrf: decodeURIComponent(csrf), userId, password }).toString(),
  });
  const session = /sb_session=([^;]+)/.exec(res.headers.getSetCookie().join('; '))?.[1];
  return { status: res.status, cookie: session ? `sb_session=${session}` : '', body: await res.text() };
}

function raw(url: string, text: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let out = '';
    socket.on('data', (c: Buffer) => (out += c.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(out));
    socket.end(text);
  });
}

describe('2: the second factor cannot be skipped', () => {
  it('the enrolment page (with the TOTP key) needs a fully logged-in session, not the password alone', async () => {
    const sim = await simulator();
    const s = await createSandbox({ baseUrl: () => sim.url }, 'swedbank');
    const admin = s.internetBankUsers[0] as { userId: string; totpSecret: string; password?: string };
    const step = await passwordStep(sim.url, 'swedbank', admin.userId, (admin as { password: string }).password);
    expect(step.status).toBe(303);
    const enrol = await fetch(`${sim.url}/internetbank/swedbank/enrol`, { headers: { cookie: step.cookie }, redirect: 'manual' });
    const body = await enrol.text();
    expect(enrol.status).toBe(303);
    expect(body).not.toContain(admin.totpSecret);
    const files = await fetch(`${sim.url}/internetbank/swedbank/files`, { headers: { cookie: step.cookie }, redirect: 'manual' });
    expect(files.status).toBe(303);
  });
});

describe('4 and 11: test-only provider states', () => {
  it('are off unless asked for: nothing is created, no key handed out', async () => {
    const sim = await simulator();
    const res = await call({ baseUrl: () => sim.url }, 'POST', '/sandboxes/provider-states?bank=swedbank', { json: { state: STATES.sandbox } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.text).not.toContain(CONTRACT_API_KEY);
    expect(sim.engine.sandboxIds()).toEqual([]);
  });

  it('need a sandbox key, change only that sandbox (its own body limit), hand out no fixed key, and never replace another tenant', async () => {
    const sim = await simulator({ extraRoutes: providerStateRoutes(), bodyLimitBytes: 1024 * 1024 });
    const target = { baseUrl: () => sim.url };
    const anonymous = await call(target, 'POST', '/sandboxes/provider-states?bank=swedbank', { json: { state: STATES.bodyLimit, params: { bytes: 100 } } });
    expect(anonymous.status).toBe(401);
    const mine = await createSandbox(target, 'swedbank', { seed: 1 });
    const theirs = await createSandbox(target, 'swedbank', { seed: 2 });
    const limited = await call(target, 'POST', '/sandboxes/provider-states?bank=swedbank', { key: mine.apiKey, json: { state: STATES.bodyLimit, params: { bytes: 100 } } });
    expect(limited.status).toBe(200);
    expect(limited.text).not.toContain(CONTRACT_API_KEY);
    expect(sim.engine.sandboxForKey(CONTRACT_API_KEY)).toBeUndefined();
    const file = pain001For(sender(theirs), [{ amountOre: 100, date: '2026-03-16' }]);
    const upload = (key: string) => call(target, 'POST', '/v1/swedbank/payment-files', { key, body: file, headers: { 'content-type': 'application/xml' } });
    expect((await upload(mine.apiKey)).status).toBe(413);
    expect((await upload(theirs.apiKey)).status).toBe(202);
    const nonsense = await call(target, 'POST', '/sandboxes/provider-states?bank=swedbank', { key: mine.apiKey, json: { state: STATES.bodyLimit, params: { bytes: 'lots' } } });
    expect(nonsense.status).toBe(400);
    expect((await call(target, 'GET', `/sandboxes/${theirs.sandboxId}`, { key: theirs.apiKey })).status).toBe(200);
    expect(sim.engine.sandboxIds()).toContain(theirs.sandboxId);
  });

  it('the simulator imports nothing from contracts/ (contracts plug their states in)', () => {
    const root = fileURLToPath(new URL('../../simulator/', import.meta.url));
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && /from ['"](?:\.\.\/)+contracts\//.test(readFileSync(path, 'utf8'))) offenders.push(path.slice(root.length));
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});

describe('6: one error path, nothing internal leaves the process', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await simulator({ bodyLimitBytes: 1024 * 1024 });
  });

  it('a malformed cookie on an internet-bank page and an oversized login form get the bank\'s own pages', async () => {
    const page = await fetch(`${sim.url}/internetbank/swedbank/files`, { headers: { cookie: 'sb_session=%E0%A4%A' }, redirect: 'manual' });
    const pageBody = await page.text();
    expect(page.status).toBeLessThan(500);
    expect(pageBody).not.toMatch(LEAK);
    const form = await fetch(`${sim.url}/internetbank/swedbank/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `userId=${'u'.repeat(40_000)}` });
    const formBody = await form.text();
    expect(form.status).toBe(413);
    expect(form.headers.get('content-type')).toMatch(/^text\/html/);
    expect(formBody).not.toMatch(LEAK);
  });

  it('malformed percent-encoding in an API path is a 400 problem', async () => {
    for (const path of ['/v1/swedbank/payment-files/%E0%A4%A', '/sandboxes/%ZZ']) {
      const res = await call({ baseUrl: () => sim.url }, 'GET', path, { key: 'sk_test_x' });
      expect(res.status, path).toBe(400);
      expect(res.json.code).toBe('MALFORMED_PATH');
    }
  });

  it("express's own 404 and node's own 400 and 431 are problem documents", async () => {
    const missing = await fetch(`${sim.url}/no/such/page`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const bad = await raw(sim.url, 'NONSENSE\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400/);
    expect(bad).toContain('application/problem+json');
    expect(bad).toContain('"code":"MALFORMED_REQUEST"');
    const big = await raw(sim.url, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431/);
    expect(big).toContain('"code":"HEADERS_TOO_LARGE"');
  });
});

describe('7: impossible dates and times are refused', () => {
  it('as a sandbox start and as a clock target; the clock stays where it was', async () => {
    const sim = await simulator();
    const target = { baseUrl: () => sim.url };
    for (const start of ['2026-02-30T25:61', '2026-13-45', '2026-03-16T24:00']) {
      const res = await call(target, 'POST', '/sandboxes', { json: { bank: 'swedbank', start } });
      expect(res.status, start).toBe(400);
    }
    const s = await createSandbox(target, 'swedbank');
    for (const to of ['2026-13-45', '2026-02-30T25:61', '2026-04-31']) {
      const res = await call(target, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { key: s.apiKey, json: { to } });
      expect(res.status, to).toBe(400);
    }
    expect((await call(target, 'GET', `/sandboxes/${s.sandboxId}`, { key: s.apiKey })).json.now).toBe('2026-03-12T08:00:00');
  });
});

describe('8: webhook URL policy', () => {
  it('refuses other schemes, link-local, metadata, private ranges and CR/LF (never rewritten); allows the loopback of a laptop server', async () => {
    const sim = await simulator();
    const target = { baseUrl: () => sim.url };
    const s = await createSandbox(target, 'swedbank');
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:70/', 'javascript:alert(1)', 'http://169.254.169.254/latest/meta-data/', 'http://10.1.2.3/hook', 'http://192.168.0.10/', 'http://[fe80::1]/', 'http://example.com/a\r\nb']) {
      const res = await call(target, 'PUT', `/sandboxes/${s.sandboxId}/webhook`, { key: s.apiKey, json: { url } });
      expect(res.status, url).toBe(400);
      expect(res.json.code, url).toBe('WEBHOOK_URL_REFUSED');
    }
    expect((await call(target, 'GET', `/sandboxes/${s.sandboxId}`, { key: s.apiKey })).json.webhook).toBeNull();
    const ok = await call(target, 'PUT', `/sandboxes/${s.sandboxId}/webhook`, { key: s.apiKey, json: { url: 'http://127.0.0.1:9/hook' } });
    expect(ok.status).toBe(200);
  });

  it('a server serving other hosts refuses loopback, also when a name resolves to it at delivery; --webhook-allow opens a range', async () => {
    const shared = new WebhookPolicy({ serverOnLoopback: false, allow: ['10.20.0.0/16', 'hooks.internal'] });
    expect(shared.checkUrl('http://127.0.0.1:8080/').ok).toBe(false);
    expect(shared.checkUrl('http://localhost:8080/').ok).toBe(false);
    expect(shared.checkUrl('http://[::ffff:127.0.0.1]/').ok).toBe(false);
    expect(shared.checkUrl('http://10.20.3.4/').ok).toBe(true);
    expect(shared.checkUrl('http://10.21.3.4/').ok).toBe(false);
    expect(shared.checkUrl('https://hooks.internal/x').ok).toBe(true);
    let hits = 0;
    const receiver = createServer((_req, res) => {
      hits++;
      res.writeHead(204).end();
    });
    servers.push(receiver);
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    // "localhost" written as an FQDN passes the URL check; the address is checked when connecting.
    await expect(postWithPolicy(shared)(`http://localhost.:${port}/`, {}, '{}', 2000)).rejects.toThrow(/loopback/);
    expect(hits).toBe(0);
    await expect(postWithPolicy(new WebhookPolicy({ serverOnLoopback: true }))(`http://localhost:${port}/`, {}, '{}', 2000)).resolves.toBe(204);
    expect(hits).toBe(1);
  });

  it('does not follow redirects', async () => {
    let followed = 0;
    const elsewhere = createServer((_req, res) => {
      followed++;
      res.writeHead(204).end();
    });
    const redirecting = createServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/` }).end());
    servers.push(elsewhere, redirecting);
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const status = await postWithPolicy(new WebhookPolicy({ serverOnLoopback: true }))(`http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/`, {}, '{}', 2000);
    expect(status).toBe(302);
    expect(followed).toBe(0);
  });
});

describe('9: password attempts are throttled and locked like codes', () => {
  it('five wrong passwords lock the user id: then even the right password is refused', async () => {
    const sim = await simulator();
    const s = await createSandbox({ baseUrl: () => sim.url }, 'sparbanken');
    const admin = s.internetBankUsers[0] as unknown as { userId: string; password: string };
    for (let i = 0; i < 5; i++) expect((await passwordStep(sim.url, 'sparbanken', admin.userId, `wrong-${i}`)).status).not.toBe(303);
    const right = await passwordStep(sim.url, 'sparbanken', admin.userId, admin.password);
    expect(right.status).toBe(423);
    expect(right.cookie).toBe('');
    expect(right.body).not.toMatch(LEAK);
  });

  it('sessions end: minutes after the password alone, hours after login however active', async () => {
    let now = 1_000_000;
    const auth = new InternetBankAuth({ nowMs: () => now });
    const half = await auth.createSession({ bank: 'swedbank', sandboxId: 's', userId: 'u', stage: 'password', lang: 'sv' });
    now += 6 * 60_000;
    expect(await auth.session(half.id)).toBeUndefined();
    const full = await auth.createSession({ bank: 'swedbank', sandboxId: 's', userId: 'u', stage: 'authenticated', lang: 'sv' });
    for (let i = 0; i < 20; i++) {
      now += 25 * 60_000;
      if (i < 18) expect(await auth.session(full.id)).toBeDefined();
    }
    expect(await auth.session(full.id)).toBeUndefined();
  });

  it('session cookies (internet bank, console) are Secure when served over https (behind a trusted proxy)', async () => {
    const sim = await simulator({ trustProxy: true });
    const plain = await fetch(`${sim.url}/internetbank/swedbank/`);
    expect(plain.headers.getSetCookie().join('\n')).not.toMatch(/Secure/);
    const tls = await fetch(`${sim.url}/internetbank/swedbank/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.getSetCookie().every((c) => /; Secure/.test(c))).toBe(true);
    const consolePage = await fetch(`${sim.url}/console/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(consolePage.headers.getSetCookie().length).toBeGreaterThan(0);
    expect(consolePage.headers.getSetCookie().every((c) => /; Secure/.test(c))).toBe(true);
  });
});

describe('12: creation needs the operator key when set, within a quota; 500s say nothing but a correlation id', () => {
  it('operator key and quota', async () => {
    const sim = await simulator({ operatorKey: 'op-secret-123', maxSandboxes: 2 });
    const target = { baseUrl: () => sim.url };
    expect((await call(target, 'POST', '/sandboxes', { json: { bank: 'swedbank' } })).json.code).toBe('OPERATOR_KEY_REQUIRED');
    expect((await call(target, 'POST', '/sandboxes', { key: 'op-wrong', json: { bank: 'swedbank' } })).status).toBe(401);
    expect((await call(target, 'POST', '/sandboxes', { key: 'op-secret-123', json: { bank: 'swedbank' } })).status).toBe(201);
    expect((await call(target, 'POST', '/sandboxes', { key: 'op-secret-123', json: { bank: 'sparbanken' } })).status).toBe(201);
    const third = await call(target, 'POST', '/sandboxes', { key: 'op-secret-123', json: { bank: 'swedbank' } });
    expect(third.status).toBe(429);
    expect(third.json.code).toBe('SANDBOX_QUOTA_EXCEEDED');
  });

  it('an internal error answers "internal error" with a correlation id; the cause is logged', async () => {
    const inner = new MemoryStore();
    const broken: StorePort = Object.assign(Object.create(inner) as MemoryStore, {
      putMany: async () => {
        throw new Error('EIO: disk failure at /var/lib/sandbank/store/sandboxes/x.json');
      },
    });
    const logged: string[] = [];
    const sim = await simulator({ store: broken, log: (line) => logged.push(line) });
    const res = await call({ baseUrl: () => sim.url }, 'POST', '/sandboxes', { json: { bank: 'swedbank' } });
    expect(res.status).toBe(500);
    expect(res.json.code).toBe('INTERNAL_ERROR');
    expect(res.json.detail).toMatch(/^internal error/);
    expect(res.text).not.toContain('/var/lib');
    expect(res.text).not.toContain('EIO');
    expect(logged.join('\n')).toContain(String(res.json.correlationId));
    expect(logged.join('\n')).toContain('EIO');
  });
});
