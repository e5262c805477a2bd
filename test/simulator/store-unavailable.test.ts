/**
 * When the database goes away under a running server, a request is answered 503
 * STORE_UNAVAILABLE with Retry-After (never a generic 500), the log gets one line without a
 * stack, the internet bank shows its own page, and the server answers again once the
 * database is back — without a restart. The database is cut by closing a TCP proxy in front
 * of the real PostgreSQL, so other test files sharing that server are not disturbed.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoreUnavailable } from '../../simulator/store/store-unavailable.ts';
import { freshDatabase, testPostgres } from '../support/postgres.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { call, createSandbox } from './api-suite.ts';

describe('isStoreUnavailable', () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
  it.each([
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), true],
    ['connection reset', withCode('read ECONNRESET', 'ECONNRESET'), true],
    ['admin shutdown (57P01)', withCode('terminating connection due to administrator command', '57P01'), true],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300'), true],
    ['connection exception class 08', withCode('connection failure', '08006'), true],
    ['dropped mid-query (no code)', new Error('Connection terminated unexpectedly'), true],
    ['a unique violation is a defect', withCode('duplicate key value violates unique constraint', '23505'), false],
    ['a syntax error is a defect', withCode('syntax error at or near "SELEC"', '42601'), false],
    ['a plain bug', new TypeError('cannot read properties of undefined'), false],
    ['not an error', 'ECONNREFUSED', false],
  ])('%s', (_name, error, expected) => {
    expect(isStoreUnavailable(error)).toBe(expected);
  });
});

const server = await testPostgres();

/** A TCP proxy to PostgreSQL that can be cut (every connection destroyed, new ones refused) and restored. */
async function cuttableProxy(target: URL): Promise<{ port: number; cut: () => Promise<void>; restore: () => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const make = () => net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  let listener = make();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const port = address.port;
  const close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    listener.close(() => resolve());
  });
  return {
    port,
    cut: close,
    restore: async () => {
      listener = make();
      await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
    },
    close,
  };
}

describe.skipIf(!server.available)(`a running server whose PostgreSQL goes away${server.available ? '' : ` (skipped: ${server.reason})`}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  let running: ServerProcess;
  beforeAll(async () => {
    if (!server.available) return;
    database = await freshDatabase(server.serverUrl);
    const direct = new URL(database.url);
    proxy = await cuttableProxy(direct);
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    running = await startServerProcess(['--store', viaProxy.toString()]);
  });
  afterAll(async () => {
    await running?.kill();
    await proxy?.close();
    await database?.drop();
  });

  it('answers 503 STORE_UNAVAILABLE with Retry-After while it is gone, logs one line, and recovers when it is back', async () => {
    const target = { baseUrl: () => running.url };
    const s = await createSandbox(target, 'swedbank');
    const balancesPath = `/v1/swedbank/accounts/${s.accounts[0]?.accountId}/balances`;
    const before = await call(target, 'GET', balancesPath, { key: s.apiKey });
    expect(before.status).toBe(200);

    // The log-in page (and its CSRF token) is fetched while the database is there.
    const loginPage = await fetch(`${running.url}/internetbank/swedbank/`);
    const csrfCookie = /sb_login_csrf=([^;]+)/.exec(loginPage.headers.get('set-cookie') ?? '')?.[1];
    const csrfField = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())?.[1];
    expect(csrfCookie).toBeDefined();

    await proxy.cut();
    const during = await fetch(`${running.url}${balancesPath}`, { headers: { authorization: `Bearer ${s.apiKey}` } });
    expect(during.status).toBe(503);
    expect(during.headers.get('content-type')).toBe('application/problem+json');
    expect(during.headers.get('retry-after')).toBe('1');
    const body = await during.json() as { code: string; detail: string };
    expect(body.code).toBe('STORE_UNAVAILABLE');
    expect(body.detail).not.toMatch(/ECONN|127\.0\.0\.1|\/work|at async/);
    const advance = await call(target, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { key: s.apiKey, json: { days: 1 } });
    expect(advance.status).toBe(503);
    const page = await fetch(`${running.url}/internetbank/swedbank/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sb_login_csrf=${csrfCookie ?? ''}` },
      body: new URLSearchParams({ _csrf: csrfField ?? '', userId: 'someone', password: 'whatever' }).toString(),
    });
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/cannot be reached|kan inte nås/);
    const consolePage = await fetch(`${running.url}/console/`);
    expect(consolePage.status).toBe(503);
    expect(consolePage.headers.get('retry-after')).toBe('1');
    expect(await consolePage.text()).toMatch(/cannot be reached|kan inte nås/);
    const logged = running.output().split('\n').filter((line) => line.includes('store unavailable'));
    expect(logged.length).toBeGreaterThan(0);
    expect(running.output()).not.toMatch(/internal error .*\n\s+at /);

    await proxy.restore();
    let after = await call(target, 'GET', balancesPath, { key: s.apiKey });
    for (let i = 0; i < 50 && after.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await call(target, 'GET', balancesPath, { key: s.apiKey });
    }
    expect(after.status).toBe(200);
    expect(after.json).toEqual(before.json);
  }, 60_000);
});
